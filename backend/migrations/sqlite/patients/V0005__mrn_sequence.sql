-- PostgreSQL draws MRNs from a sequence from this version on (its V0005). SQLite has one
-- writer at a time, so its counter row never holds another registration back: nothing changes
-- here, and the versions of both engines stay in step.
SELECT 1;
