-- 0007: goal files (experiments/goals/NAME.yaml) get their own kind in the version history. Before this, an approved
-- goal draft or coverage change was recorded as kind 'experiment' named 'goal:NAME', which also put it in the
-- prompt_versions view. SQLite cannot change a CHECK constraint in place, so the table is rebuilt with the same
-- columns, rows and ids (the usual create-copy-drop-rename); the view and indexes are recreated unchanged. The new
-- table's self-reference names the new table, so dropping the old one breaks no foreign key; the rename rewrites it.

DROP VIEW prompt_versions;

CREATE TABLE file_versions_new (
    id              INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    kind            TEXT    NOT NULL CHECK (kind IN ('experiment', 'dataset', 'scorer', 'goal')),
    name            TEXT    NOT NULL,          -- the experiment, dataset, scorer or goal name
    path            TEXT    NOT NULL,          -- workspace-relative, '/' separators
    sha256          TEXT    NOT NULL,          -- lower-case hex SHA-256 of content (UTF-8)
    content         TEXT    NOT NULL,          -- the whole file
    content_version TEXT    NULL,              -- prompt version (experiments) or dataset content version (datasets)
    suggestion_id   TEXT    NULL REFERENCES suggestions (id),
    previous_id     INTEGER NULL REFERENCES file_versions_new (id),
    created_by      TEXT    NOT NULL,
    created_at      TEXT    NOT NULL,
    note            TEXT    NULL
);

INSERT INTO file_versions_new (id, kind, name, path, sha256, content, content_version, suggestion_id, previous_id, created_by, created_at, note)
SELECT id,
       CASE WHEN kind = 'experiment' AND name LIKE 'goal:%' THEN 'goal' ELSE kind END,
       CASE WHEN kind = 'experiment' AND name LIKE 'goal:%' THEN substr(name, 6) ELSE name END,
       path, sha256, content, content_version, suggestion_id, previous_id, created_by, created_at, note
FROM file_versions;

DROP TABLE file_versions;
ALTER TABLE file_versions_new RENAME TO file_versions;

CREATE INDEX ix_file_versions_path ON file_versions (path, id);
CREATE INDEX ix_file_versions_suggestion ON file_versions (suggestion_id);

CREATE VIEW prompt_versions AS
SELECT id, name AS experiment_name, content_version AS prompt_version, path, sha256, suggestion_id, previous_id,
       created_by, created_at, note
FROM file_versions
WHERE kind = 'experiment';
