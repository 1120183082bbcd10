-- Search reads one page of the registry, in order, whatever its size: every prefix of every
-- name token (the folded words of the first, last and birth names) is a row, keyed by the
-- prefix and then by the patient's sort key, so that "the first twenty patients whose names
-- have a word starting with du" is one index range read from its start. The token table it
-- replaces needed every matching patient read and sorted.
CREATE TABLE patient_prefixes (
    prefix     TEXT NOT NULL,
    sort_key   TEXT NOT NULL,
    patient_id TEXT NOT NULL,
    PRIMARY KEY (prefix, sort_key, patient_id)
) WITHOUT ROWID;
WITH RECURSIVE pre(token, patient_id, n) AS (
    SELECT token, patient_id, 1 FROM patient_tokens
    UNION ALL
    SELECT token, patient_id, n + 1 FROM pre WHERE n < length(token)
)
INSERT OR IGNORE INTO patient_prefixes (prefix, sort_key, patient_id)
SELECT substr(pre.token, 1, pre.n), p.sort_key, p.id
FROM pre JOIN patients p ON p.id = pre.patient_id;
DROP TABLE patient_tokens;
