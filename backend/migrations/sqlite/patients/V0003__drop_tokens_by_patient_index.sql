-- Search tokens are written and removed by their (token, patient) key, computed from the
-- patient's names before and after a change; patients are never deleted. The index by patient
-- only cost every registration several page writes at random places.
DROP INDEX IF EXISTS patient_tokens_patient;
