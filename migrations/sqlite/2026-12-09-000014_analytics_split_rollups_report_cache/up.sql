-- The hourly rollup kept results and origins in one key, so that every report read about
-- half as many rows as there were calls (505,000 for 1,000,000 in the benchmark). It is
-- split in two: traffic (by result) for the traffic reports, origins (completed counted
-- in the row) for the origin reports — each a fraction of the rows.
CREATE TABLE analytics_traffic (
    subscription_id INTEGER NOT NULL REFERENCES analytics_subscriptions (id) ON DELETE CASCADE,
    day DATE NOT NULL,
    hour INTEGER NOT NULL,
    weekday INTEGER NOT NULL,
    an TEXT NOT NULL,
    dn TEXT NOT NULL,
    result TEXT NOT NULL,
    calls BIGINT NOT NULL,
    seconds BIGINT NOT NULL,
    PRIMARY KEY (subscription_id, day, hour, an, dn, result)
) WITHOUT ROWID;
INSERT INTO analytics_traffic (subscription_id, day, hour, weekday, an, dn, result, calls, seconds)
SELECT subscription_id, day, hour, weekday, an, dn, result, SUM(calls), SUM(seconds)
FROM analytics_hourly GROUP BY subscription_id, day, hour, weekday, an, dn, result;

-- `origin`: the caller's prefecture (1–47, JIS X 0401) or 48 mobile, 49 IP phone,
-- 50 withheld, 51 other.
CREATE TABLE analytics_origins (
    subscription_id INTEGER NOT NULL REFERENCES analytics_subscriptions (id) ON DELETE CASCADE,
    day DATE NOT NULL,
    hour INTEGER NOT NULL,
    weekday INTEGER NOT NULL,
    an TEXT NOT NULL,
    dn TEXT NOT NULL,
    origin INTEGER NOT NULL,
    calls BIGINT NOT NULL,
    completed BIGINT NOT NULL,
    seconds BIGINT NOT NULL,
    PRIMARY KEY (subscription_id, day, hour, an, dn, origin)
) WITHOUT ROWID;
INSERT INTO analytics_origins (subscription_id, day, hour, weekday, an, dn, origin, calls, completed, seconds)
SELECT subscription_id, day, hour, weekday, an, dn, origin, SUM(calls),
       SUM(CASE WHEN result = 'completed' THEN calls ELSE 0 END), SUM(seconds)
FROM analytics_hourly GROUP BY subscription_id, day, hour, weekday, an, dn, origin;
DROP TABLE analytics_hourly;

-- Callers clustered by caller: コール人数構成 counts each caller's calls in one ordered
-- pass (no sort of every caller number), and whether they called before the period in the
-- same pass. Kept as long as the detail (92 days).
CREATE TABLE analytics_callers_by_caller (
    subscription_id INTEGER NOT NULL REFERENCES analytics_subscriptions (id) ON DELETE CASCADE,
    caller TEXT NOT NULL,
    day DATE NOT NULL,
    hour INTEGER NOT NULL,
    weekday INTEGER NOT NULL,
    an TEXT NOT NULL,
    dn TEXT NOT NULL,
    calls BIGINT NOT NULL,
    PRIMARY KEY (subscription_id, caller, day, hour, an, dn)
) WITHOUT ROWID;
INSERT INTO analytics_callers_by_caller (subscription_id, caller, day, hour, weekday, an, dn, calls)
SELECT subscription_id, caller, day, hour, weekday, an, dn, calls FROM analytics_callers;
DROP TABLE analytics_callers;
ALTER TABLE analytics_callers_by_caller RENAME TO analytics_callers;
CREATE INDEX analytics_callers_day_idx ON analytics_callers (day);

-- Reports computed once per state of the data: a report asked again (the dashboard opened
-- again, a download) is read back instead of aggregated again. `data_version` grows with
-- every ingestion and purge that changes a subscription's data; an entry of an older
-- version is never read.
ALTER TABLE analytics_subscriptions ADD COLUMN data_version BIGINT NOT NULL DEFAULT 0;
CREATE TABLE analytics_report_cache (
    subscription_id INTEGER NOT NULL REFERENCES analytics_subscriptions (id) ON DELETE CASCADE,
    report_key TEXT NOT NULL,
    data_version BIGINT NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (subscription_id, report_key)
);
