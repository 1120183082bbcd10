-- Each search prefix row carries the patient's words (' ' before each folded name token), in
-- the index itself (INCLUDE): a search with several terms reads the longest term's range in
-- order and checks the others against the words of the row it is on, an index-only scan,
-- instead of probing the index once per row for each other term. Two terms whose matches lie
-- far into the first one's range ("durand mar": the Durands whose first name starts with a to l
-- come first) cost a few microseconds a row instead of an index descent a row.
-- The words are rebuilt from the prefixes themselves: a patient's tokens are the prefixes that
-- no longer prefix of theirs extends (a token that is a prefix of another, "mar" beside
-- "martin", is left out: a word starting with it is found through the longer one all the same).
CREATE TABLE patient_prefixes_v6 (
    prefix     TEXT NOT NULL COLLATE "C",
    sort_key   TEXT NOT NULL COLLATE "C",
    patient_id TEXT NOT NULL,
    words      TEXT NOT NULL COLLATE "C",
    CONSTRAINT patient_prefixes_v6_pkey PRIMARY KEY (prefix, sort_key, patient_id) INCLUDE (words)
);
INSERT INTO patient_prefixes_v6 (prefix, sort_key, patient_id, words)
SELECT s.prefix, s.sort_key, s.patient_id, w.words
FROM patient_prefixes s
JOIN (
    SELECT patient_id, string_agg(' ' || prefix, '' ORDER BY prefix) AS words
    FROM (
        SELECT patient_id, prefix,
               lead(prefix) OVER (PARTITION BY patient_id ORDER BY prefix) AS next
        FROM patient_prefixes
    ) ordered
    WHERE next IS NULL OR NOT starts_with(next, prefix)
    GROUP BY patient_id
) w ON w.patient_id = s.patient_id;
DROP TABLE patient_prefixes;
ALTER TABLE patient_prefixes_v6 RENAME TO patient_prefixes;
ALTER TABLE patient_prefixes RENAME CONSTRAINT patient_prefixes_v6_pkey TO patient_prefixes_pkey;
ANALYZE patient_prefixes;
