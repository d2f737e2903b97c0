-- 0005: the version history of the workspace files EvalLoop changes on a human's approval (experiment YAML with its
-- prompt, dataset JSONL, scorer YAML). Every version keeps the whole file, so an earlier prompt or dataset can always be
-- read back and restored. Same conventions as 0001 (timestamps as fixed-width ISO-8601 UTC text).

-- Append-only: a change inserts the version it replaces (unless that one is already the newest of its path) and the
-- new version, in the same transaction as the file write.
CREATE TABLE file_versions (
    id              INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    kind            TEXT    NOT NULL CHECK (kind IN ('experiment', 'dataset', 'scorer')),
    name            TEXT    NOT NULL,          -- the experiment, dataset or scorer name
    path            TEXT    NOT NULL,          -- workspace-relative, '/' separators
    sha256          TEXT    NOT NULL,          -- lower-case hex SHA-256 of content (UTF-8)
    content         TEXT    NOT NULL,          -- the whole file
    content_version TEXT    NULL,              -- prompt version (experiments) or dataset content version (datasets)
    suggestion_id   TEXT    NULL REFERENCES suggestions (id),
    previous_id     INTEGER NULL REFERENCES file_versions (id),
    created_by      TEXT    NOT NULL,
    created_at      TEXT    NOT NULL,
    note            TEXT    NULL
);

-- A file's history, newest first (id is the tie-breaker and the order of insertion).
CREATE INDEX ix_file_versions_path ON file_versions (path, id);
CREATE INDEX ix_file_versions_suggestion ON file_versions (suggestion_id);

-- The prompt history of each experiment: which prompt version each experiment file had, when, and why.
CREATE VIEW prompt_versions AS
SELECT id, name AS experiment_name, content_version AS prompt_version, path, sha256, suggestion_id, previous_id,
       created_by, created_at, note
FROM file_versions
WHERE kind = 'experiment';
