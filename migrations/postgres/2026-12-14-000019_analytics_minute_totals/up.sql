-- 呼数・分単位 over 90 days summed the per-minute rollup, keyed by AN and DN too: about a
-- row per call (660,000 for 1,000,000 calls in the benchmark, 0.2 s on SQLite). Without an
-- AN or DN chosen — the dashboard's view — it reads these sums per day and minute instead
-- (at most 1,440 rows a day).
CREATE TABLE analytics_minute_totals (
    subscription_id BIGINT NOT NULL REFERENCES analytics_subscriptions (id) ON DELETE CASCADE,
    day DATE NOT NULL,
    minute INTEGER NOT NULL,
    weekday INTEGER NOT NULL,
    calls BIGINT NOT NULL,
    PRIMARY KEY (subscription_id, day, minute) INCLUDE (weekday, calls)
);
INSERT INTO analytics_minute_totals (subscription_id, day, minute, weekday, calls)
SELECT subscription_id, day, minute, weekday, SUM(calls) FROM analytics_minutes
GROUP BY subscription_id, day, minute, weekday;
ALTER TABLE analytics_minute_totals SET (autovacuum_analyze_scale_factor = 0.02, autovacuum_vacuum_scale_factor = 0.05);
