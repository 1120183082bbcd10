-- PostgreSQL's prefix rows now carry the patient's words (its V0006), so that a search checks its
-- other terms on the index row. SQLite's token rows have carried them since V0004: nothing to
-- change here; this migration keeps both dialects' histories numbered alike.
SELECT 1;
