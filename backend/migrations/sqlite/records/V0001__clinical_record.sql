-- The clinical record: encounters with their diagnoses and prescriptions, amendments, vital
-- signs, allergies, the problem list, the ICD-10 code table and the job outbox.
-- Optional text is '' (never NULL); times are microseconds since the Unix epoch, UTC, and 0
-- means "not yet"; measures are integers in their resolution unit (tenths of a degree, grams,
-- millimetres) and NULL when not measured.
CREATE TABLE encounters (
    id             TEXT PRIMARY KEY,
    patient_id     TEXT NOT NULL,
    author_id      TEXT NOT NULL,
    appointment_id TEXT NOT NULL,
    occurred_at    BIGINT NOT NULL,
    reason         TEXT NOT NULL,
    subjective     TEXT NOT NULL,
    objective      TEXT NOT NULL,
    assessment     TEXT NOT NULL,
    plan           TEXT NOT NULL,
    signed_at      BIGINT NOT NULL,  -- 0: a draft
    signature      TEXT NOT NULL,    -- HMAC-SHA256 of the signed content, hex
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    version        BIGINT NOT NULL
);
CREATE INDEX encounters_patient ON encounters (patient_id, occurred_at, id);
CREATE INDEX encounters_drafts ON encounters (author_id, occurred_at, id) WHERE signed_at = 0;

-- Diagnoses of an encounter or of an amendment (owner_id).
CREATE TABLE diagnoses (
    owner_id   TEXT NOT NULL,
    position   INTEGER NOT NULL,
    code       TEXT NOT NULL,
    label      TEXT NOT NULL,
    is_primary INTEGER NOT NULL,
    PRIMARY KEY (owner_id, position)
) WITHOUT ROWID;
CREATE INDEX diagnoses_code ON diagnoses (code);

CREATE TABLE prescriptions (
    id                TEXT PRIMARY KEY,
    encounter_id      TEXT NOT NULL REFERENCES encounters (id),
    patient_id        TEXT NOT NULL,
    position          INTEGER NOT NULL,
    drug              TEXT NOT NULL,
    dose              TEXT NOT NULL,
    route             TEXT NOT NULL,
    frequency         TEXT NOT NULL,
    duration          TEXT NOT NULL,
    instructions      TEXT NOT NULL,
    status            TEXT NOT NULL,
    status_changed_at BIGINT NOT NULL,
    status_changed_by TEXT NOT NULL,
    status_reason     TEXT NOT NULL,
    version           BIGINT NOT NULL
);
CREATE INDEX prescriptions_encounter ON prescriptions (encounter_id, position);
CREATE INDEX prescriptions_patient ON prescriptions (patient_id, status);

CREATE TABLE amendments (
    id           TEXT PRIMARY KEY,
    encounter_id TEXT NOT NULL REFERENCES encounters (id),
    patient_id   TEXT NOT NULL,
    author_id    TEXT NOT NULL,
    text         TEXT NOT NULL,
    signed_at    BIGINT NOT NULL,
    signature    TEXT NOT NULL
);
CREATE INDEX amendments_encounter ON amendments (encounter_id, signed_at);

CREATE TABLE vitals (
    id             TEXT PRIMARY KEY,
    patient_id     TEXT NOT NULL,
    encounter_id   TEXT NOT NULL,
    recorded_by    TEXT NOT NULL,
    recorded_role  TEXT NOT NULL,
    taken_at       BIGINT NOT NULL,
    created_at     BIGINT NOT NULL,
    systolic_mmhg  INTEGER,
    diastolic_mmhg INTEGER,
    heart_rate_bpm INTEGER,
    temperature_dc INTEGER,  -- tenths of a degree Celsius
    weight_g       INTEGER,
    height_mm      INTEGER,
    spo2_pct       INTEGER,
    note           TEXT NOT NULL
);
CREATE INDEX vitals_patient ON vitals (patient_id, taken_at, id);

CREATE TABLE allergies (
    id          TEXT PRIMARY KEY,
    patient_id  TEXT NOT NULL,
    substance   TEXT NOT NULL,
    reaction    TEXT NOT NULL,
    severity    TEXT NOT NULL,
    status      TEXT NOT NULL,
    noted_on    TEXT NOT NULL,  -- YYYY-MM-DD or ''
    recorded_by TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    version     BIGINT NOT NULL
);
CREATE INDEX allergies_patient ON allergies (patient_id, created_at);

CREATE TABLE conditions (
    id           TEXT PRIMARY KEY,
    patient_id   TEXT NOT NULL,
    code         TEXT NOT NULL,
    label        TEXT NOT NULL,
    onset_date   TEXT NOT NULL,  -- YYYY-MM-DD or ''
    status       TEXT NOT NULL,
    note         TEXT NOT NULL,
    encounter_id TEXT NOT NULL,
    recorded_by  TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    version      BIGINT NOT NULL
);
CREATE INDEX conditions_patient ON conditions (patient_id, created_at);

CREATE TABLE icd10_codes (
    code  TEXT PRIMARY KEY,
    label TEXT NOT NULL
);
CREATE TABLE icd10_tokens (
    token TEXT NOT NULL,
    code  TEXT NOT NULL REFERENCES icd10_codes (code),
    PRIMARY KEY (token, code)
) WITHOUT ROWID;
CREATE INDEX icd10_tokens_code ON icd10_tokens (code);
CREATE TABLE code_sets (
    name      TEXT PRIMARY KEY,
    source    TEXT NOT NULL,
    count     BIGINT NOT NULL,
    loaded_at BIGINT NOT NULL
);

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
CREATE INDEX outbox_order ON outbox (created_at, id);

-- Signed content is immutable whatever writes to the database: a signed encounter, its
-- diagnoses and its prescriptions' content never change, amendments never change, and none of
-- them is deleted. Only a prescription's status fields move after signing.
CREATE TRIGGER encounters_signed_update BEFORE UPDATE ON encounters WHEN OLD.signed_at <> 0
BEGIN SELECT RAISE(ABORT, 'signed clinical content is immutable'); END;
CREATE TRIGGER encounters_signed_delete BEFORE DELETE ON encounters WHEN OLD.signed_at <> 0
BEGIN SELECT RAISE(ABORT, 'signed clinical content is immutable'); END;

CREATE TRIGGER diagnoses_signed_insert BEFORE INSERT ON diagnoses
WHEN EXISTS (SELECT 1 FROM encounters WHERE id = NEW.owner_id AND signed_at <> 0)
  OR EXISTS (SELECT 1 FROM amendments WHERE id = NEW.owner_id)
BEGIN SELECT RAISE(ABORT, 'signed clinical content is immutable'); END;
CREATE TRIGGER diagnoses_signed_update BEFORE UPDATE ON diagnoses
WHEN EXISTS (SELECT 1 FROM encounters WHERE id = OLD.owner_id AND signed_at <> 0)
  OR EXISTS (SELECT 1 FROM amendments WHERE id = OLD.owner_id)
BEGIN SELECT RAISE(ABORT, 'signed clinical content is immutable'); END;
CREATE TRIGGER diagnoses_signed_delete BEFORE DELETE ON diagnoses
WHEN EXISTS (SELECT 1 FROM encounters WHERE id = OLD.owner_id AND signed_at <> 0)
  OR EXISTS (SELECT 1 FROM amendments WHERE id = OLD.owner_id)
BEGIN SELECT RAISE(ABORT, 'signed clinical content is immutable'); END;

CREATE TRIGGER prescriptions_signed_insert BEFORE INSERT ON prescriptions
WHEN EXISTS (SELECT 1 FROM encounters WHERE id = NEW.encounter_id AND signed_at <> 0)
BEGIN SELECT RAISE(ABORT, 'signed clinical content is immutable'); END;
CREATE TRIGGER prescriptions_signed_update BEFORE UPDATE ON prescriptions
WHEN EXISTS (SELECT 1 FROM encounters WHERE id = OLD.encounter_id AND signed_at <> 0)
 AND (NEW.id IS NOT OLD.id OR NEW.encounter_id IS NOT OLD.encounter_id OR NEW.patient_id IS NOT OLD.patient_id
      OR NEW.position IS NOT OLD.position OR NEW.drug IS NOT OLD.drug OR NEW.dose IS NOT OLD.dose
      OR NEW.route IS NOT OLD.route OR NEW.frequency IS NOT OLD.frequency OR NEW.duration IS NOT OLD.duration
      OR NEW.instructions IS NOT OLD.instructions)
BEGIN SELECT RAISE(ABORT, 'signed clinical content is immutable'); END;
CREATE TRIGGER prescriptions_signed_delete BEFORE DELETE ON prescriptions
WHEN EXISTS (SELECT 1 FROM encounters WHERE id = OLD.encounter_id AND signed_at <> 0)
BEGIN SELECT RAISE(ABORT, 'signed clinical content is immutable'); END;

CREATE TRIGGER amendments_update BEFORE UPDATE ON amendments
BEGIN SELECT RAISE(ABORT, 'signed clinical content is immutable'); END;
CREATE TRIGGER amendments_delete BEFORE DELETE ON amendments
BEGIN SELECT RAISE(ABORT, 'signed clinical content is immutable'); END;
