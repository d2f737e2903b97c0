-- 0003: failure analysis (the clusters of a run's failing results) and the embedding cache it reads its vectors from.
-- Same conventions as 0001 (timestamps as fixed-width ISO-8601 UTC text, JSON as raw text).

-- At most one analysis per run: analysing again replaces it (in one transaction). The analysis is derived data, so it
-- goes with its run.
CREATE TABLE cluster_analyses (
    run_id           TEXT    NOT NULL PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
    analyzer_version TEXT    NOT NULL,
    parameters_json  TEXT    NOT NULL,      -- opaque JSON text, exactly as given
    created_at       TEXT    NOT NULL,
    failure_count    INTEGER NOT NULL CHECK (failure_count >= 0)
);

CREATE TABLE failure_clusters (
    id              TEXT    NOT NULL PRIMARY KEY,
    run_id          TEXT    NOT NULL REFERENCES cluster_analyses (run_id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,       -- FailureCluster.Index: largest cluster first
    name            TEXT    NOT NULL,
    description     TEXT    NOT NULL,
    kind            TEXT    NOT NULL,
    share           REAL    NOT NULL,
    named_by        TEXT    NOT NULL,
    scorer_failures TEXT    NOT NULL,       -- JSON array of {scorer, failed, mean_score}
    confusion_pairs TEXT    NOT NULL,       -- JSON array of {expected, output, count}
    top_terms       TEXT    NOT NULL,       -- JSON array of strings
    UNIQUE (run_id, position)               -- also the index that reads a run's clusters in order
);

-- Representatives are members: each member row says whether, and how highly, it represents its cluster.
CREATE TABLE failure_cluster_members (
    cluster_id     TEXT    NOT NULL REFERENCES failure_clusters (id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,        -- order in FailureCluster.Members
    case_id        TEXT    NOT NULL,
    trial          INTEGER NOT NULL,
    representative INTEGER NULL,            -- rank in FailureCluster.Representatives (0 = most representative), else NULL
    PRIMARY KEY (cluster_id, position)
);

-- "Which cluster is this case in?" for a report that starts from a case.
CREATE INDEX ix_failure_cluster_members_case ON failure_cluster_members (case_id);

-- One vector per (embedding model, text): `model` names everything that changes a vector (provider/model/dimensions).
CREATE TABLE embedding_cache (
    model      TEXT    NOT NULL,
    text_hash  TEXT    NOT NULL,            -- EmbeddingTextHash: lower-case hex SHA-256 of the UTF-8 text
    dimensions INTEGER NOT NULL CHECK (dimensions >= 0),
    vector     BLOB    NOT NULL,            -- float32 little-endian, dimensions x 4 bytes
    created_at TEXT    NOT NULL,
    PRIMARY KEY (model, text_hash)
);
