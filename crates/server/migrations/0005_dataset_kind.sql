-- 部门预算 beside 部门决算: a dataset is of one kind ('决算' or '预算'), and a department has at
-- most one of each kind per year. SQLite cannot drop the old UNIQUE (dept_id, year), so the
-- table is rebuilt under its own name (the versions, transitions and unit_reports that point
-- at it match again by the end of the transaction: deferred foreign keys).
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE datasets_copy AS SELECT * FROM datasets;
DROP TABLE datasets;
CREATE TABLE datasets (
    id BIGINT PRIMARY KEY,
    dept_id BIGINT NOT NULL REFERENCES departments (id),
    year BIGINT NOT NULL,
    kind TEXT NOT NULL DEFAULT '决算',
    name TEXT NOT NULL,
    state TEXT NOT NULL,
    current_version BIGINT NOT NULL,
    published_version BIGINT NOT NULL,
    published_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (dept_id, year, kind)
);
INSERT INTO datasets (id, dept_id, year, kind, name, state, current_version, published_version, published_at, updated_at)
SELECT id, dept_id, year, '决算', name, state, current_version, published_version, published_at, updated_at FROM datasets_copy;
DROP TABLE datasets_copy;
