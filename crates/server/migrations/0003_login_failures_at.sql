-- Login limits count failures per account and per address too, and old rows are pruned by
-- time: indexes for those lookups.
CREATE INDEX login_failures_ip ON login_failures (ip, at);
CREATE INDEX login_failures_at ON login_failures (at);
