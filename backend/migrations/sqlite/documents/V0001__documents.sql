-- Document metadata. The content lives encrypted in the blob store under `blob_key` (a random
-- name); `wrapped_key` is its content key sealed with the master key. Times: microseconds UTC.
CREATE TABLE documents (
    id                    TEXT PRIMARY KEY,
    patient_id            TEXT NOT NULL,
    category              TEXT NOT NULL,
    title                 TEXT NOT NULL,
    filename              TEXT NOT NULL,
    kind                  TEXT NOT NULL,
    size                  BIGINT NOT NULL,
    sha256                TEXT NOT NULL,
    blob_key              TEXT NOT NULL,
    wrapped_key           TEXT NOT NULL,
    thumbnail_blob_key    TEXT NOT NULL,
    thumbnail_wrapped_key TEXT NOT NULL,
    encounter_id          TEXT NOT NULL,
    visible_to_patient    INTEGER NOT NULL,
    uploaded_by           TEXT NOT NULL,
    uploaded_by_role      TEXT NOT NULL,
    uploaded_at           BIGINT NOT NULL,
    deleted_at            BIGINT,
    deleted_by            TEXT NOT NULL,
    version               BIGINT NOT NULL
);
CREATE INDEX documents_patient ON documents (patient_id, uploaded_at, id);

CREATE TABLE outbox (
    id            TEXT PRIMARY KEY,
    type          TEXT NOT NULL,
    payload       TEXT NOT NULL,
    run_at        BIGINT NOT NULL,
    dedupe_key    TEXT NOT NULL,
    owner_user_id TEXT NOT NULL,
    patient_id    TEXT NOT NULL,
    max_attempts  INTEGER NOT NULL,
    created_at    BIGINT NOT NULL
);
