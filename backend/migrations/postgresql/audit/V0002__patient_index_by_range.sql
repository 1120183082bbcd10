-- A patient's records are indexed by sequence range first (65,536 records per range; the
-- query names the range). A new record's entry then lands among the newest range's pages
-- instead of at a random place in the whole history, and the lookup of one patient's records
-- seeks the index range by range: the former partial index was not chosen for a bound patient
-- id, so that lookup scanned the table.
DROP INDEX IF EXISTS audit_log_patient;
CREATE INDEX audit_log_patient_range ON audit_log ((seq / 65536), patient_id, seq) WHERE patient_id <> '';
