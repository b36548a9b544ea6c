-- コール人数構成 over 90 days counted a row per caller and day of the callers rollup
-- (780,000 callers in the benchmark: 0.6 s). Each day's callers are also kept packed in
-- one row (sorted, as varints; see api/src/analytics/callers.rs), so that the report
-- reads 90 rows and counts in memory. `packed` is NULL while the day's rollup rows have
-- changed since it was packed: ingestion sets it so in its transaction and counts the
-- change in `changes`; the warming job packs the day again, storing it only if `changes`
-- is still what it read before the rollup rows (no lock held while it packs). Meanwhile
-- the report reads a stale day's rollup rows instead.
CREATE TABLE analytics_caller_days (
    subscription_id BIGINT NOT NULL REFERENCES analytics_subscriptions (id) ON DELETE CASCADE,
    day DATE NOT NULL,
    packed BYTEA,
    changes BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (subscription_id, day)
);
INSERT INTO analytics_caller_days (subscription_id, day)
SELECT DISTINCT subscription_id, day FROM analytics_callers;
-- Packed rows are read whole and often rewritten: stored uncompressed (they are varints
-- already), out of line.
ALTER TABLE analytics_caller_days ALTER COLUMN packed SET STORAGE EXTERNAL;
