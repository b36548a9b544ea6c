-- The rollup tables become clustered by their key (WITHOUT ROWID): a report reads one
-- subscription's rows as one run of the table instead of an index search and a row fetch
-- per row (measured on 505,000 hourly rows: 936 ms → 164 ms for a sum by result).

CREATE TABLE analytics_hourly_clustered (
    subscription_id INTEGER NOT NULL REFERENCES analytics_subscriptions (id) ON DELETE CASCADE,
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
) WITHOUT ROWID;
INSERT INTO analytics_hourly_clustered (subscription_id, day, hour, weekday, an, dn, result, origin, calls, seconds) SELECT subscription_id, day, hour, weekday, an, dn, result, origin, calls, seconds FROM analytics_hourly;
DROP TABLE analytics_hourly;
ALTER TABLE analytics_hourly_clustered RENAME TO analytics_hourly;

CREATE TABLE analytics_minutes_clustered (
    subscription_id INTEGER NOT NULL REFERENCES analytics_subscriptions (id) ON DELETE CASCADE,
    day DATE NOT NULL,
    minute INTEGER NOT NULL,
    weekday INTEGER NOT NULL,
    an TEXT NOT NULL,
    dn TEXT NOT NULL,
    calls BIGINT NOT NULL,
    PRIMARY KEY (subscription_id, day, minute, an, dn)
) WITHOUT ROWID;
INSERT INTO analytics_minutes_clustered (subscription_id, day, minute, weekday, an, dn, calls) SELECT subscription_id, day, minute, weekday, an, dn, calls FROM analytics_minutes;
DROP TABLE analytics_minutes;
ALTER TABLE analytics_minutes_clustered RENAME TO analytics_minutes;

CREATE TABLE analytics_durations_clustered (
    subscription_id INTEGER NOT NULL REFERENCES analytics_subscriptions (id) ON DELETE CASCADE,
    day DATE NOT NULL,
    hour INTEGER NOT NULL,
    weekday INTEGER NOT NULL,
    an TEXT NOT NULL,
    dn TEXT NOT NULL,
    bucket INTEGER NOT NULL,
    calls BIGINT NOT NULL,
    PRIMARY KEY (subscription_id, day, hour, an, dn, bucket)
) WITHOUT ROWID;
INSERT INTO analytics_durations_clustered (subscription_id, day, hour, weekday, an, dn, bucket, calls) SELECT subscription_id, day, hour, weekday, an, dn, bucket, calls FROM analytics_durations;
DROP TABLE analytics_durations;
ALTER TABLE analytics_durations_clustered RENAME TO analytics_durations;

CREATE TABLE analytics_callers_clustered (
    subscription_id INTEGER NOT NULL REFERENCES analytics_subscriptions (id) ON DELETE CASCADE,
    day DATE NOT NULL,
    hour INTEGER NOT NULL,
    weekday INTEGER NOT NULL,
    an TEXT NOT NULL,
    dn TEXT NOT NULL,
    caller TEXT NOT NULL,
    calls BIGINT NOT NULL,
    PRIMARY KEY (subscription_id, day, hour, an, dn, caller)
) WITHOUT ROWID;
INSERT INTO analytics_callers_clustered (subscription_id, day, hour, weekday, an, dn, caller, calls) SELECT subscription_id, day, hour, weekday, an, dn, caller, calls FROM analytics_callers;
DROP TABLE analytics_callers;
ALTER TABLE analytics_callers_clustered RENAME TO analytics_callers;

CREATE INDEX analytics_callers_caller_idx ON analytics_callers (subscription_id, caller, day);
