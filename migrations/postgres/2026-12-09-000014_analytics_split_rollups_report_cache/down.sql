DROP TABLE analytics_report_cache;
ALTER TABLE analytics_subscriptions DROP COLUMN data_version;

CREATE TABLE analytics_callers_by_time (
    subscription_id BIGINT NOT NULL REFERENCES analytics_subscriptions (id) ON DELETE CASCADE,
    day DATE NOT NULL,
    hour INTEGER NOT NULL,
    weekday INTEGER NOT NULL,
    an TEXT NOT NULL,
    dn TEXT NOT NULL,
    caller TEXT NOT NULL,
    calls BIGINT NOT NULL,
    PRIMARY KEY (subscription_id, day, hour, an, dn, caller)
);
INSERT INTO analytics_callers_by_time (subscription_id, day, hour, weekday, an, dn, caller, calls)
SELECT subscription_id, day, hour, weekday, an, dn, caller, calls FROM analytics_callers;
DROP TABLE analytics_callers;
ALTER TABLE analytics_callers_by_time RENAME TO analytics_callers;
CREATE INDEX analytics_callers_caller_idx ON analytics_callers (subscription_id, caller, day);

-- The origins' split of results is not kept: the hourly rows come back from the traffic
-- rollup with origin 51 (other).
CREATE TABLE analytics_hourly (
    subscription_id BIGINT NOT NULL REFERENCES analytics_subscriptions (id) ON DELETE CASCADE,
    day DATE NOT NULL,
    hour INTEGER NOT NULL,
    weekday INTEGER NOT NULL,
    an TEXT NOT NULL,
    dn TEXT NOT NULL,
    result TEXT NOT NULL,
    origin INTEGER NOT NULL,
    calls BIGINT NOT NULL,
    seconds BIGINT NOT NULL,
    PRIMARY KEY (subscription_id, day, hour, an, dn, result, origin)
);
INSERT INTO analytics_hourly (subscription_id, day, hour, weekday, an, dn, result, origin, calls, seconds)
SELECT subscription_id, day, hour, weekday, an, dn, result, 51, calls, seconds FROM analytics_traffic;
DROP TABLE analytics_origins;
DROP TABLE analytics_traffic;
