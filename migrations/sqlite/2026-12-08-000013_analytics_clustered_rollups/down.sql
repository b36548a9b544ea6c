CREATE TABLE analytics_hourly_rowid (
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
);
INSERT INTO analytics_hourly_rowid (subscription_id, day, hour, weekday, an, dn, result, origin, calls, seconds) SELECT subscription_id, day, hour, weekday, an, dn, result, origin, calls, seconds FROM analytics_hourly;
DROP TABLE analytics_hourly;
ALTER TABLE analytics_hourly_rowid RENAME TO analytics_hourly;

CREATE TABLE analytics_minutes_rowid (
    subscription_id INTEGER NOT NULL REFERENCES analytics_subscriptions (id) ON DELETE CASCADE,
    day DATE NOT NULL,
    minute INTEGER NOT NULL,
    weekday INTEGER NOT NULL,
    an TEXT NOT NULL,
    dn TEXT NOT NULL,
    calls BIGINT NOT NULL,
    PRIMARY KEY (subscription_id, day, minute, an, dn)
);
INSERT INTO analytics_minutes_rowid (subscription_id, day, minute, weekday, an, dn, calls) SELECT subscription_id, day, minute, weekday, an, dn, calls FROM analytics_minutes;
DROP TABLE analytics_minutes;
ALTER TABLE analytics_minutes_rowid RENAME TO analytics_minutes;

CREATE TABLE analytics_durations_rowid (
    subscription_id INTEGER NOT NULL REFERENCES analytics_subscriptions (id) ON DELETE CASCADE,
    day DATE NOT NULL,
    hour INTEGER NOT NULL,
    weekday INTEGER NOT NULL,
    an TEXT NOT NULL,
    dn TEXT NOT NULL,
    bucket INTEGER NOT NULL,
    calls BIGINT NOT NULL,
    PRIMARY KEY (subscription_id, day, hour, an, dn, bucket)
);
INSERT INTO analytics_durations_rowid (subscription_id, day, hour, weekday, an, dn, bucket, calls) SELECT subscription_id, day, hour, weekday, an, dn, bucket, calls FROM analytics_durations;
DROP TABLE analytics_durations;
ALTER TABLE analytics_durations_rowid RENAME TO analytics_durations;

CREATE TABLE analytics_callers_rowid (
    subscription_id INTEGER NOT NULL REFERENCES analytics_subscriptions (id) ON DELETE CASCADE,
    day DATE NOT NULL,
    hour INTEGER NOT NULL,
    weekday INTEGER NOT NULL,
    an TEXT NOT NULL,
    dn TEXT NOT NULL,
    caller TEXT NOT NULL,
    calls BIGINT NOT NULL,
    PRIMARY KEY (subscription_id, day, hour, an, dn, caller)
);
INSERT INTO analytics_callers_rowid (subscription_id, day, hour, weekday, an, dn, caller, calls) SELECT subscription_id, day, hour, weekday, an, dn, caller, calls FROM analytics_callers;
DROP TABLE analytics_callers;
ALTER TABLE analytics_callers_rowid RENAME TO analytics_callers;

CREATE INDEX analytics_callers_caller_idx ON analytics_callers (subscription_id, caller, day);
