-- When a message broker carries the jobs: when each job was last handed to it (microseconds
-- since the Unix epoch, UTC; 0: never). A due job whose publication is older than the instant it
-- became due, or older than the sweep's grace period, is published again.
ALTER TABLE jobs ADD COLUMN dispatched_at BIGINT NOT NULL DEFAULT 0;
