-- 0001: datasets, runs with their per-case results and scores, and the response cache.
-- Conventions for every table:
--   timestamps  TEXT, ISO-8601 UTC with 7 fractional digits ('2025-01-02T03:04:05.1234567Z'): fixed width, so text order
--               is time order, readable in the sqlite3 shell and accepted by julianday();
--   decimals    TEXT in invariant culture, so a cost round-trips exactly (REAL would not);
--   booleans    INTEGER 0/1;
--   JSON        TEXT holding the raw JSON exactly as it was given.

CREATE TABLE datasets (
    name         TEXT    NOT NULL,
    version      TEXT    NOT NULL,          -- content hash (DatasetVersioning.ComputeVersion)
    case_count   INTEGER NOT NULL,
    split_counts TEXT    NOT NULL,          -- JSON object: split -> number of cases
    source_path  TEXT    NULL,
    created_at   TEXT    NOT NULL,
    PRIMARY KEY (name, version)
);

-- Cases belong to a content version, not to a dataset name: two names with identical content share them, and a
-- reader that only knows the version (a run does) finds them directly.
CREATE TABLE dataset_cases (
    version  TEXT    NOT NULL,
    ordinal  INTEGER NOT NULL,              -- position in the file, from 0
    case_id  TEXT    NOT NULL,
    input    TEXT    NOT NULL,              -- raw JSON (a string or an object)
    expected TEXT    NULL,                  -- raw JSON; NULL when the case has none ('null' when it is JSON null)
    metadata TEXT    NULL,                  -- raw JSON object
    split    TEXT    NULL,
    PRIMARY KEY (version, ordinal)
);

CREATE INDEX ix_dataset_cases_split ON dataset_cases (version, split, ordinal);

CREATE TABLE runs (
    id              TEXT    NOT NULL PRIMARY KEY,
    experiment_name TEXT    NOT NULL,
    experiment_path TEXT    NULL,
    experiment_json TEXT    NOT NULL,
    prompt_version  TEXT    NOT NULL,
    dataset_name    TEXT    NOT NULL,
    dataset_version TEXT    NOT NULL,
    split           TEXT    NULL,
    provider        TEXT    NOT NULL,
    model           TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    mode            TEXT    NOT NULL,
    parent_run_id   TEXT    NULL,
    planned_results INTEGER NOT NULL,
    started_at      TEXT    NOT NULL,
    finished_at     TEXT    NULL,
    wall_seconds    REAL    NOT NULL,
    error           TEXT    NULL
);

CREATE INDEX ix_runs_started ON runs (started_at);
CREATE INDEX ix_runs_experiment_started ON runs (experiment_name, started_at);

CREATE TABLE case_results (
    run_id        TEXT    NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    case_id       TEXT    NOT NULL,
    trial         INTEGER NOT NULL,
    ordinal       INTEGER NOT NULL,
    output        TEXT    NULL,
    error_kind    TEXT    NULL,
    error_message TEXT    NULL,
    passed        INTEGER NOT NULL CHECK (passed IN (0, 1)),
    input_tokens  INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    cost          TEXT    NOT NULL,
    cache_hit     INTEGER NOT NULL CHECK (cache_hit IN (0, 1)),
    latency_ms    REAL    NOT NULL,
    completed_at  TEXT    NOT NULL,
    PRIMARY KEY (run_id, case_id, trial)
);

-- Reading a run in dataset order walks this index; case_id makes the order total so rows of one result stay together.
CREATE INDEX ix_case_results_order ON case_results (run_id, ordinal, trial, case_id);

CREATE TABLE case_scores (
    run_id    TEXT    NOT NULL,
    case_id   TEXT    NOT NULL,
    trial     INTEGER NOT NULL,
    scorer    TEXT    NOT NULL,
    position  INTEGER NOT NULL,             -- index in CaseResult.Scores, so scores read back in the order they were given
    score     REAL    NULL,
    passed    INTEGER NOT NULL CHECK (passed IN (0, 1)),
    rationale TEXT    NULL,
    error     TEXT    NULL,
    PRIMARY KEY (run_id, case_id, trial, scorer),
    FOREIGN KEY (run_id, case_id, trial) REFERENCES case_results (run_id, case_id, trial) ON DELETE CASCADE
);

CREATE TABLE response_cache (
    key        TEXT NOT NULL PRIMARY KEY,
    value      TEXT NOT NULL,
    created_at TEXT NOT NULL
);
