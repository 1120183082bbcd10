-- The job queue (fed by every context's outbox) and in-app notifications.
-- Times are microseconds since the Unix epoch, UTC.
CREATE TABLE jobs (
    id            TEXT PRIMARY KEY,
    type          TEXT NOT NULL,
    payload       TEXT NOT NULL,
    dedupe_key    TEXT NOT NULL,
    owner_user_id TEXT NOT NULL,
    patient_id    TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('pending','running','succeeded','retrying','dead')),
    attempts      INTEGER NOT NULL,
    max_attempts  INTEGER NOT NULL,
    run_at        BIGINT NOT NULL,
    lease_until   BIGINT NOT NULL,
    last_error    TEXT NOT NULL,
    result        TEXT NOT NULL,
    result_taken  INTEGER NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE UNIQUE INDEX jobs_dedupe ON jobs (dedupe_key) WHERE dedupe_key <> '';
CREATE INDEX jobs_due ON jobs (status, run_at);
CREATE INDEX jobs_owner ON jobs (owner_user_id, created_at);

CREATE TABLE notifications (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL,
    kind       TEXT NOT NULL,
    data       TEXT NOT NULL,
    link       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    read_at    BIGINT
);
CREATE INDEX notifications_user ON notifications (user_id, created_at);
