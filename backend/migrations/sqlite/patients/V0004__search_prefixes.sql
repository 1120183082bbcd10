-- Search tokens carry the patient's sort key and all the patient's words: a search reads the
-- tokens matching its longest term from one index range, checks the other terms against the
-- words on the same rows, keeps the first page in order with a bounded sort, and then reads
-- twenty patients: never the registry, and never a patient that is not on the page. The key
-- stays (token, patient): patient ids are time-ordered, so a registration's rows land at the end
-- of each token's range, on pages already being written; a key ordered by the sort key would
-- put them at random places (a third more time per registration, measured). PostgreSQL keeps
-- every prefix of every token instead, read in order from its start; here each of those rows
-- would cost every registration a page written at a random place (two to four times fewer
-- registrations a second, measured).
CREATE TABLE patient_tokens_v4 (
    token      TEXT NOT NULL,
    patient_id TEXT NOT NULL,
    sort_key   TEXT NOT NULL,
    words      TEXT NOT NULL,  -- ' ' before each of the patient's tokens
    PRIMARY KEY (token, patient_id)
) WITHOUT ROWID;
CREATE TEMP TABLE patient_words AS
SELECT patient_id, ' ' || group_concat(token, ' ') AS words
FROM (SELECT token, patient_id FROM patient_tokens ORDER BY patient_id, token)
GROUP BY patient_id;
INSERT INTO patient_tokens_v4 (token, patient_id, sort_key, words)
SELECT t.token, t.patient_id, p.sort_key, w.words
FROM patient_tokens t JOIN patients p ON p.id = t.patient_id JOIN patient_words w ON w.patient_id = t.patient_id;
DROP TABLE patient_words;
DROP TABLE patient_tokens;
ALTER TABLE patient_tokens_v4 RENAME TO patient_tokens;
