-- Search reads one page of the registry, in order, whatever its size: every prefix of every
-- name token (the folded words of the first, last and birth names) is a row, keyed by the
-- prefix and then by the patient's sort key, so that "the first twenty patients whose names
-- have a word starting with du" is one index range read from its start. The token table it
-- replaces needed every matching patient read and sorted.
CREATE TABLE patient_prefixes (
    prefix     TEXT NOT NULL COLLATE "C",
    sort_key   TEXT NOT NULL COLLATE "C",
    patient_id TEXT NOT NULL,
    PRIMARY KEY (prefix, sort_key, patient_id)
);
INSERT INTO patient_prefixes (prefix, sort_key, patient_id)
SELECT DISTINCT substr(t.token, 1, n), p.sort_key, p.id
FROM patient_tokens t
JOIN patients p ON p.id = t.patient_id
CROSS JOIN LATERAL generate_series(1, length(t.token)) AS n;
DROP TABLE patient_tokens;
ANALYZE patient_prefixes;
