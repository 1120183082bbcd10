-- Billing on MariaDB: the same tables, columns and indexes as the SQLite and PostgreSQL
-- migrations (tests/integration/schema_agreement_test.cpp compares them), in MariaDB's terms:
-- InnoDB (transactions, row locks), utf8mb4 with the binary collation (text compares and sorts
-- byte by byte, as in SQLite and PostgreSQL's "C": codes and ids list in the same order on
-- every engine, and 'G' and 'g' are different codes), and foreign keys as table constraints.
-- Every DDL statement commits by itself on MariaDB, so this file can run again after a failure
-- half-way: IF NOT EXISTS everywhere, INSERT IGNORE for the seed row.
CREATE TABLE IF NOT EXISTS acts (
    code        VARCHAR(16) PRIMARY KEY,
    act_system  VARCHAR(8) NOT NULL,        -- NGAP, CCAM, OTHER
    label       TEXT NOT NULL,
    code_key    VARCHAR(16) NOT NULL,       -- lower-case code: prefix search
    label_key   TEXT NOT NULL,              -- folded label (no case, no accents): word search
    price_cents BIGINT NOT NULL,
    vat_rate_bp INTEGER NOT NULL,
    active      INTEGER NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    version     BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX IF NOT EXISTS acts_code_key ON acts (code_key);

CREATE TABLE IF NOT EXISTS invoices (
    id                      VARCHAR(36) PRIMARY KEY,  -- UUIDv7: byte order is creation order
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
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX IF NOT EXISTS invoices_patient ON invoices (patient_id, id);
CREATE INDEX IF NOT EXISTS invoices_practitioner ON invoices (practitioner_id, id);
CREATE INDEX IF NOT EXISTS invoices_issue_date ON invoices (issue_date);

CREATE TABLE IF NOT EXISTS invoice_lines (
    invoice_id       VARCHAR(36) NOT NULL,
    position         INTEGER NOT NULL,
    code             VARCHAR(16) NOT NULL,
    label            TEXT NOT NULL,
    quantity         INTEGER NOT NULL,
    unit_price_cents BIGINT NOT NULL,
    vat_rate_bp      INTEGER NOT NULL,
    amount_cents     BIGINT NOT NULL,
    PRIMARY KEY (invoice_id, position),
    CONSTRAINT invoice_lines_invoice FOREIGN KEY (invoice_id) REFERENCES invoices (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX IF NOT EXISTS invoice_lines_code ON invoice_lines (code);

CREATE TABLE IF NOT EXISTS payments (
    id              VARCHAR(36) PRIMARY KEY,
    invoice_id      VARCHAR(36) NOT NULL,
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
    void_reason     TEXT NOT NULL,
    CONSTRAINT payments_invoice_fk FOREIGN KEY (invoice_id) REFERENCES invoices (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX IF NOT EXISTS payments_invoice ON payments (invoice_id, recorded_at);
CREATE INDEX IF NOT EXISTS payments_paid_on ON payments (paid_on);

-- One row per numbering series. Every document number (invoices and credit notes share the
-- series) is allocated while this row is locked (SELECT … FOR UPDATE), inside the issuing
-- transaction.
CREATE TABLE IF NOT EXISTS invoice_sequences (
    series     VARCHAR(16) PRIMARY KEY,
    last_year  INTEGER NOT NULL,
    last_value BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
INSERT IGNORE INTO invoice_sequences (series, last_year, last_value) VALUES ('invoice', 0, 0);
