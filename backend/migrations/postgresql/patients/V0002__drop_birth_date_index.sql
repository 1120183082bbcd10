-- patients_duplicates (birth_date, first_key) already serves lookups by birth date: the
-- second index only cost every registration one more page write at a random position.
DROP INDEX IF EXISTS patients_birth_date;
