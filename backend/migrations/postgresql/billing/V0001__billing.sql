-- Billing: the act catalogue, invoices and credit notes with their lines, payments, and the
-- yearly invoice sequence. Amounts are integer euro cents; VAT rates are basis points
-- (2000 = 20 %). Optional text is stored as '' (never NULL) except `number`, NULL while a
-- document is a draft so that UNIQUE holds among numbered documents only. Times are
-- microseconds since the Unix epoch (UTC); dates are YYYY-MM-DD in the practice's time zone.
-- Written in SQL that SQLite, PostgreSQL and MariaDB all accept (COLLATE "C" is PostgreSQL's
-- spelling of the byte order SQLite uses by default).
CREATE TABLE acts (
    code        VARCHAR(16) COLLATE "C" PRIMARY KEY,  -- byte order: the same list order everywhere
    act_system  VARCHAR(8) NOT NULL,        -- NGAP, CCAM, OTHER
    label       TEXT NOT NULL,
    code_key    VARCHAR(16) COLLATE "C" NOT NULL,  -- lower-case code: prefix search
    label_key   TEXT NOT NULL,              -- folded label (no case, no accents): word search
    price_cents BIGINT NOT NULL,
    vat_rate_bp INTEGER NOT NULL,
    active      INTEGER NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    version     BIGINT NOT NULL
);
CREATE INDEX acts_code_key ON acts (code_key);

CREATE TABLE invoices (
    id                      VARCHAR(36) COLLATE "C" PRIMARY KEY,  -- UUIDv7: byte order is creation order
    kind                    VARCHAR(16) NOT NULL,   -- invoice, credit_note
    number                  VARCHAR(40) UNIQUE,     -- NULL while draft
    number_year             INTEGER NOT NULL,
    number_seq              BIGINT NOT NULL,
    status                  VARCHAR(16) NOT NULL,
    patient_id              VARCHAR(36) NOT NULL,
    practitioner_id         VARCHAR(36) NOT NULL,
    encounter_id            VARCHAR(36) NOT NULL,
    service_date            VARCHAR(10) NOT NULL,
    issue_date              VARCHAR(10) NOT NULL,   -- '' while draft
    issued_at               BIGINT NOT NULL,        -- 0 while draft
    issued_by               VARCHAR(64) NOT NULL,
    subtotal_cents          BIGINT NOT NULL,
    vat_cents               BIGINT NOT NULL,
    total_cents             BIGINT NOT NULL,
    paid_cents              BIGINT NOT NULL,
    credit_note_id          VARCHAR(36) NOT NULL,
    credit_note_number      VARCHAR(40) NOT NULL,
    credited_invoice_id     VARCHAR(36) NOT NULL,
    credited_invoice_number VARCHAR(40) NOT NULL,
    cancel_reason           TEXT NOT NULL,
    cancelled_at            BIGINT NOT NULL,        -- 0 unless cancelled
    cancelled_by            VARCHAR(64) NOT NULL,
    created_by              VARCHAR(64) NOT NULL,
    created_at              BIGINT NOT NULL,
    updated_at              BIGINT NOT NULL,
    version                 BIGINT NOT NULL
);
CREATE INDEX invoices_patient ON invoices (patient_id, id);
CREATE INDEX invoices_practitioner ON invoices (practitioner_id, id);
CREATE INDEX invoices_issue_date ON invoices (issue_date);

CREATE TABLE invoice_lines (
    invoice_id       VARCHAR(36) NOT NULL REFERENCES invoices (id),
    position         INTEGER NOT NULL,
    code             VARCHAR(16) NOT NULL,
    label            TEXT NOT NULL,
    quantity         INTEGER NOT NULL,
    unit_price_cents BIGINT NOT NULL,
    vat_rate_bp      INTEGER NOT NULL,
    amount_cents     BIGINT NOT NULL,
    PRIMARY KEY (invoice_id, position)
);
CREATE INDEX invoice_lines_code ON invoice_lines (code);

CREATE TABLE payments (
    id              VARCHAR(36) PRIMARY KEY,
    invoice_id      VARCHAR(36) NOT NULL REFERENCES invoices (id),
    patient_id      VARCHAR(36) NOT NULL,
    practitioner_id VARCHAR(36) NOT NULL,
    method          VARCHAR(16) NOT NULL,
    amount_cents    BIGINT NOT NULL,
    paid_on         VARCHAR(10) NOT NULL,
    reference       VARCHAR(64) NOT NULL,
    recorded_by     VARCHAR(64) NOT NULL,
    recorded_at     BIGINT NOT NULL,
    voided_at       BIGINT NOT NULL,                -- 0 unless voided
    voided_by       VARCHAR(64) NOT NULL,
    void_reason     TEXT NOT NULL
);
CREATE INDEX payments_invoice ON payments (invoice_id, recorded_at);
CREATE INDEX payments_paid_on ON payments (paid_on);

-- One row per numbering series. Every document number (invoices and credit notes share the
-- series) is allocated while this row is locked, inside the issuing transaction.
CREATE TABLE invoice_sequences (
    series     VARCHAR(16) PRIMARY KEY,
    last_year  INTEGER NOT NULL,
    last_value BIGINT NOT NULL
);
INSERT INTO invoice_sequences (series, last_year, last_value) VALUES ('invoice', 0, 0);
