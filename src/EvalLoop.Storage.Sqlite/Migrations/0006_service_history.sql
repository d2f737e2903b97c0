-- 0006: what the service (evalloop serve) records about its background work. Same conventions as 0001 (timestamps as
-- fixed-width ISO-8601 UTC text).

-- Every execution of an experiment's job: scheduled, run now, or the resume of an interrupted run at start-up. Append
-- only; run_id has no foreign key because a failed or skipped job has no run, and history outlives deleted runs.
CREATE TABLE job_executions (
    id              INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    experiment_name TEXT    NOT NULL,
    trigger         TEXT    NOT NULL,          -- schedule | manual | resume
    outcome         TEXT    NOT NULL CHECK (outcome IN ('succeeded', 'failed', 'skipped', 'cancelled')),
    started_at      TEXT    NOT NULL,
    finished_at     TEXT    NOT NULL,
    run_id          TEXT    NULL,
    error           TEXT    NULL
);

-- An experiment's last executions, newest first (id is the order of insertion).
CREATE INDEX ix_job_executions_experiment ON job_executions (experiment_name, id);

-- Scorers whose pass rate dropped significantly in a run compared with its baseline (the experiment's most recent
-- earlier completed full run on the same data that was not itself flagged). A run with a row here is a regression.
CREATE TABLE run_regressions (
    run_id             TEXT    NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    scorer             TEXT    NOT NULL,
    baseline_run_id    TEXT    NOT NULL,
    experiment_name    TEXT    NOT NULL,
    baseline_pass_rate REAL    NOT NULL,
    pass_rate          REAL    NOT NULL,
    p_value            REAL    NOT NULL,
    pairs              INTEGER NOT NULL,
    detected_at        TEXT    NOT NULL,
    PRIMARY KEY (run_id, scorer)
);

CREATE INDEX ix_run_regressions_detected ON run_regressions (detected_at);
CREATE INDEX ix_run_regressions_experiment ON run_regressions (experiment_name, detected_at);
