-- Regions known to the install (`juesuan admin add-region`); departments and 财政 users name
-- one. Filled from the departments that exist.
CREATE TABLE regions (
    name TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL
);
INSERT INTO regions (name, created_at) SELECT DISTINCT region, 0 FROM departments;
