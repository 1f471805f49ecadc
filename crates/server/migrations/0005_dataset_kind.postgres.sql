-- 部门预算 beside 部门决算 (PostgreSQL's form of 0005_dataset_kind.sql): a dataset is of one
-- kind ('决算' or '预算'), and a department has at most one of each kind per year.
ALTER TABLE datasets ADD COLUMN kind TEXT NOT NULL DEFAULT '决算';
ALTER TABLE datasets DROP CONSTRAINT datasets_dept_id_year_key;
ALTER TABLE datasets ADD CONSTRAINT datasets_dept_id_year_kind_key UNIQUE (dept_id, year, kind);
