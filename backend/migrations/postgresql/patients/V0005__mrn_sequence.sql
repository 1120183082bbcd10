-- Registrations draw their MRN from a sequence: nextval takes no lock that lasts, where the
-- counter row's UPDATE held every other registration until the commit (one fsync each: a few
-- hundred registrations a second at most, whatever the machine). An MRN only has to be unique
-- and stable; a registration rolled back leaves a gap, harmless for a record number (invoice
-- numbers, which must stay gapless, keep their counter rows). SQLite has one writer at a time
-- and keeps the counter.
CREATE SEQUENCE patient_mrn;
SELECT setval('patient_mrn', (SELECT value FROM counters WHERE name = 'mrn') + 1, false);
DELETE FROM counters WHERE name = 'mrn';
