-- 单位报送: a unit's statement that its own tables, as of a version, are ready for the
-- department. One row per (dataset, unit); a new report replaces the old one.
CREATE TABLE unit_reports (
    dataset_id BIGINT NOT NULL REFERENCES datasets (id),
    unit_key TEXT NOT NULL,
    version_no BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (dataset_id, unit_key)
);
