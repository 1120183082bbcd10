-- Idempotency-Key: one row per user and key, claimed before the request runs and holding the
-- answer (sealed: it may name a patient) once it has. Rows older than 24 hours are purged.
CREATE TABLE idempotency_keys (
    scope       TEXT PRIMARY KEY,           -- user id, then the client's key
    fingerprint TEXT NOT NULL,              -- SHA-256 of method, path, query and body
    state       TEXT NOT NULL,              -- pending, done
    response    TEXT NOT NULL,              -- sealed StoredResponse, '' while pending
    created_at  BIGINT NOT NULL
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
