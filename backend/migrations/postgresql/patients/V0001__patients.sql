-- Patients' administrative records and the name-token index behind accent-insensitive search.
-- Optional text is stored as '' (never NULL); times are microseconds since the Unix epoch, UTC.
CREATE TABLE patients (
    id                      TEXT PRIMARY KEY,
    mrn                     TEXT NOT NULL UNIQUE,
    first_name              TEXT NOT NULL,
    last_name               TEXT NOT NULL,
    birth_name              TEXT NOT NULL,
    first_key               TEXT NOT NULL,          -- folded, no spaces: duplicate detection
    last_key                TEXT NOT NULL,
    birth_key               TEXT NOT NULL,
    sort_key                TEXT NOT NULL COLLATE "C",  -- folded last + ' ' + first: list order and cursor
    sex                     TEXT NOT NULL,
    birth_date              TEXT NOT NULL,          -- YYYY-MM-DD
    birth_place_code        TEXT NOT NULL,
    nir                     TEXT NOT NULL,
    ins_oid                 TEXT NOT NULL,
    identity_status         TEXT NOT NULL,
    email                   TEXT NOT NULL,
    phone                   TEXT NOT NULL,
    address_line1           TEXT NOT NULL,
    address_line2           TEXT NOT NULL,
    postal_code             TEXT NOT NULL,
    city                    TEXT NOT NULL,
    country                 TEXT NOT NULL,
    emergency_name          TEXT NOT NULL,
    emergency_relationship  TEXT NOT NULL,
    emergency_phone         TEXT NOT NULL,
    amo_number              TEXT NOT NULL,
    amo_fund                TEXT NOT NULL,
    amc_name                TEXT NOT NULL,
    amc_number              TEXT NOT NULL,
    preferred_language      TEXT NOT NULL,
    primary_practitioner_id TEXT NOT NULL,
    archived                INTEGER NOT NULL,
    created_at              BIGINT NOT NULL,
    updated_at              BIGINT NOT NULL,
    version                 BIGINT NOT NULL
);
CREATE INDEX patients_duplicates ON patients (birth_date, first_key);
CREATE INDEX patients_nir ON patients (nir) WHERE nir <> '';
CREATE INDEX patients_order ON patients (sort_key, id);
CREATE INDEX patients_birth_date ON patients (birth_date);

CREATE TABLE patient_tokens (
    token      TEXT NOT NULL COLLATE "C",
    patient_id TEXT NOT NULL REFERENCES patients (id),
    PRIMARY KEY (token, patient_id)
);
CREATE INDEX patient_tokens_patient ON patient_tokens (patient_id);

CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO counters (name, value) VALUES ('mrn', 0);
