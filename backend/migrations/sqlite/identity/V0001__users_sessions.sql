-- Accounts, sign-in sessions (refresh-token families) and the login throttle.
-- Times are microseconds since the Unix epoch, UTC.
CREATE TABLE users (
    id                  TEXT PRIMARY KEY,
    email               TEXT NOT NULL UNIQUE,       -- normalised to lower case
    display_name        TEXT NOT NULL,
    role                TEXT NOT NULL CHECK (role IN ('admin','doctor','nurse','secretary','accountant','patient')),
    patient_id          TEXT,
    password_hash       TEXT NOT NULL,              -- Argon2id, PHC string
    active              INTEGER NOT NULL,
    totp_secret         TEXT,                       -- sealed with a key derived from the master key
    totp_enabled        INTEGER NOT NULL,
    totp_last_step      BIGINT NOT NULL,
    password_changed_at BIGINT NOT NULL,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    version             BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_patient ON users (patient_id) WHERE patient_id IS NOT NULL;
CREATE INDEX users_role ON users (role, email);

CREATE TABLE sessions (
    id            TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users (id),
    created_at    BIGINT NOT NULL,
    last_used_at  BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    revoked_at    BIGINT,
    revoke_reason TEXT,
    client_ip     TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_revoked ON sessions (revoked_at) WHERE revoked_at IS NOT NULL;

CREATE TABLE refresh_tokens (
    token_hash TEXT PRIMARY KEY,                    -- SHA-256 of the token; the token is never stored
    session_id TEXT NOT NULL REFERENCES sessions (id),
    issued_at  BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

CREATE TABLE login_throttle (
    key          TEXT PRIMARY KEY,                  -- login:<normalised e-mail>
    failures     INTEGER NOT NULL,
    window_start BIGINT NOT NULL,
    locked_until BIGINT NOT NULL
);
