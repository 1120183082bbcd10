-- The chain a record belongs to, and the heads of writers' own chains, as on PostgreSQL (its
-- V0003). The embedded store has one writer at a time: it keeps the root chain (chain '')
-- only, numbered 1, 2, 3…, and this table stays empty.
ALTER TABLE audit_log ADD COLUMN chain TEXT NOT NULL DEFAULT '';
CREATE TABLE audit_chains (
    chain TEXT PRIMARY KEY,
    seq   BIGINT NOT NULL,
    hash  TEXT NOT NULL,
    mac   TEXT NOT NULL
);
