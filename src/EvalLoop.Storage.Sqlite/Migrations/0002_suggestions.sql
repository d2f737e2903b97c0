-- 0002: suggestions (proposed changes produced from a run, decided by a human) and their append-only audit history.
-- Same conventions as 0001 (timestamps as fixed-width ISO-8601 UTC text, JSON as raw text).

-- The run a suggestion came from must exist, and cannot be deleted while a suggestion refers to it (no cascade: deleting
-- a run must not silently delete the decisions taken about it).
CREATE TABLE suggestions (
    id                TEXT    NOT NULL PRIMARY KEY,
    run_id            TEXT    NOT NULL REFERENCES runs (id),
    experiment_name   TEXT    NOT NULL,
    kind              TEXT    NOT NULL,      -- SuggestionKinds; checked in code so a new kind needs no table rebuild
    status            TEXT    NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'superseded')),
    title             TEXT    NOT NULL,
    summary           TEXT    NOT NULL,
    change_json       TEXT    NOT NULL,      -- opaque JSON text, exactly as given
    evidence_json     TEXT    NULL,          -- opaque JSON text; NULL until verified
    cluster_ids       TEXT    NOT NULL,      -- JSON array of strings, in the order given
    created_at        TEXT    NOT NULL,
    decided_at        TEXT    NULL,
    decided_by        TEXT    NULL,
    decision_reason   TEXT    NULL,
    resulting_version TEXT    NULL,
    revision          INTEGER NOT NULL CHECK (revision >= 1)
);

-- Listing is newest first, optionally filtered: each of these indexes gives one filter's rows already in order (rowid,
-- the tie-breaker, is the implicit last column). The run index also serves the foreign key check when a run is deleted.
-- A kind filter alone walks ix_suggestions_created: there are few kinds, so an index would barely narrow the scan.
CREATE INDEX ix_suggestions_created ON suggestions (created_at);
CREATE INDEX ix_suggestions_status_created ON suggestions (status, created_at);
CREATE INDEX ix_suggestions_experiment_created ON suggestions (experiment_name, created_at);
CREATE INDEX ix_suggestions_run_created ON suggestions (run_id, created_at);

-- One row per save, written in the same transaction as the save; never updated or deleted. The primary key makes a
-- second writer of the same revision fail even if the revision check in code were bypassed.
CREATE TABLE suggestion_events (
    suggestion_id TEXT    NOT NULL REFERENCES suggestions (id),
    revision      INTEGER NOT NULL,          -- the revision this save produced
    from_status   TEXT    NULL,              -- NULL for the creation
    to_status     TEXT    NOT NULL,
    recorded_at   TEXT    NOT NULL,
    snapshot      TEXT    NOT NULL,          -- JSON object: the suggestion exactly as this save stored it
    PRIMARY KEY (suggestion_id, revision)
);
