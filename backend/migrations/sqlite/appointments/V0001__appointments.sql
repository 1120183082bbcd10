-- Practitioners' schedules and appointments, with the job outbox of this context.
-- Optional text is stored as '' (never NULL); times are microseconds since the Unix epoch, UTC,
-- and 0 stands for "not yet" in the optional ones.

-- One row per practitioner who has a schedule: the version of their opening hours, their
-- calendar-feed token (SHA-256, hex) and the row that serialises their bookings.
CREATE TABLE schedules (
    practitioner_id       TEXT PRIMARY KEY,
    hours_version         BIGINT NOT NULL,
    hours_updated_at      BIGINT NOT NULL,
    calendar_token_hash   TEXT NOT NULL,
    calendar_token_set_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX schedules_calendar_token ON schedules (calendar_token_hash) WHERE calendar_token_hash <> '';

-- Weekly opening hours in the practice's local time (minutes since local midnight).
CREATE TABLE opening_hours (
    practitioner_id TEXT NOT NULL REFERENCES schedules (practitioner_id),
    weekday         INTEGER NOT NULL,  -- ISO: 1 = Monday ... 7 = Sunday
    start_minute    INTEGER NOT NULL,
    end_minute      INTEGER NOT NULL,
    PRIMARY KEY (practitioner_id, weekday, start_minute)
);

CREATE TABLE absences (
    id              TEXT PRIMARY KEY,
    practitioner_id TEXT NOT NULL,
    start_at        BIGINT NOT NULL,
    end_at          BIGINT NOT NULL,
    reason          TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    created_at      BIGINT NOT NULL
);
CREATE INDEX absences_practitioner ON absences (practitioner_id, start_at);

CREATE TABLE appointment_types (
    id               TEXT PRIMARY KEY,
    practitioner_id  TEXT NOT NULL,
    label            TEXT NOT NULL,
    duration_minutes INTEGER NOT NULL,
    color            TEXT NOT NULL,
    active           INTEGER NOT NULL,
    portal_bookable  INTEGER NOT NULL,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    version          BIGINT NOT NULL
);
CREATE INDEX appointment_types_practitioner ON appointment_types (practitioner_id, label);

CREATE TABLE appointments (
    id                TEXT PRIMARY KEY,
    practitioner_id   TEXT NOT NULL,
    patient_id        TEXT NOT NULL,
    type_id           TEXT NOT NULL,
    type_label        TEXT NOT NULL,
    type_color        TEXT NOT NULL,
    start_at          BIGINT NOT NULL,
    end_at            BIGINT NOT NULL,
    status            TEXT NOT NULL,
    booked_via        TEXT NOT NULL,
    booked_by         TEXT NOT NULL,
    cancel_reason     TEXT NOT NULL,
    cancelled_by      TEXT NOT NULL,
    cancelled_by_role TEXT NOT NULL,
    cancelled_at      BIGINT NOT NULL,
    checked_in_at     BIGINT NOT NULL,
    completed_at      BIGINT NOT NULL,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    version           BIGINT NOT NULL
);
CREATE INDEX appointments_practitioner_start ON appointments (practitioner_id, start_at);
CREATE INDEX appointments_patient_start ON appointments (patient_id, start_at);

-- The transactional outbox (platform/db/outbox.hpp).
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
CREATE INDEX outbox_created ON outbox (created_at, id);
