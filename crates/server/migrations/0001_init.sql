-- juesuan web platform, schema 1. Plain SQL that SQLite and PostgreSQL both accept:
-- BIGINT/TEXT only, ids from the counters table (no AUTOINCREMENT/SERIAL), times as unix seconds.
CREATE TABLE counters (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO counters (name, value) VALUES ('ids', 0);
CREATE TABLE departments (
    id BIGINT PRIMARY KEY,
    name TEXT NOT NULL,
    region TEXT NOT NULL
);
CREATE TABLE users (
    id BIGINT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    dept_id BIGINT NOT NULL,
    unit_key TEXT NOT NULL,
    region TEXT NOT NULL,
    display_name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    csrf TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE TABLE login_failures (
    username TEXT NOT NULL,
    ip TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (username, ip, at);
CREATE TABLE datasets (
    id BIGINT PRIMARY KEY,
    dept_id BIGINT NOT NULL REFERENCES departments (id),
    year BIGINT NOT NULL,
    name TEXT NOT NULL,
    state TEXT NOT NULL,
    current_version BIGINT NOT NULL,
    published_version BIGINT NOT NULL,
    published_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (dept_id, year)
);
CREATE TABLE versions (
    dataset_id BIGINT NOT NULL REFERENCES datasets (id),
    no BIGINT NOT NULL,
    files TEXT NOT NULL,
    author_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    note TEXT NOT NULL,
    PRIMARY KEY (dataset_id, no)
);
CREATE TABLE transitions (
    id BIGINT PRIMARY KEY,
    dataset_id BIGINT NOT NULL REFERENCES datasets (id),
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    user_id BIGINT NOT NULL,
    at BIGINT NOT NULL,
    comment TEXT NOT NULL,
    version_no BIGINT NOT NULL
);
CREATE TABLE audit_log (
    id BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    username TEXT NOT NULL,
    action TEXT NOT NULL,
    dataset_id BIGINT NOT NULL,
    detail TEXT NOT NULL
);
