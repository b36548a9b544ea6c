-- Toll-free call analytics (CX サポート, SPEC §9, seed 000): a subscription per operator ID
-- (OPID) of an organization, with its plan; the CX サポート ID is generated (10 letters
-- and digits).
CREATE TABLE analytics_subscriptions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    opid TEXT NOT NULL,
    analytics_id TEXT NOT NULL,
    plan TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT analytics_subscriptions_opid_key UNIQUE (opid),
    CONSTRAINT analytics_subscriptions_analytics_id_key UNIQUE (analytics_id)
);
CREATE INDEX analytics_subscriptions_organization_idx ON analytics_subscriptions (organization_id);

-- Numbers under a subscription: AN (0120 / 0800 / 0570 + 6 digits) and DN.
CREATE TABLE analytics_numbers (
    subscription_id INTEGER NOT NULL REFERENCES analytics_subscriptions (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    number TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (subscription_id, kind, number)
);

-- User-defined groups of ANs or of DNs (standard plan), named once per kind.
CREATE TABLE analytics_groups (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    subscription_id INTEGER NOT NULL REFERENCES analytics_subscriptions (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT analytics_groups_name_key UNIQUE (subscription_id, kind, name)
);
CREATE TABLE analytics_group_numbers (
    group_id INTEGER NOT NULL REFERENCES analytics_groups (id) ON DELETE CASCADE,
    number TEXT NOT NULL,
    PRIMARY KEY (group_id, number)
);

-- Raw calls (詳細データ), kept 92 days: the per-number detail and idempotent ingestion
-- (a record id sent again adds nothing). `called_at` and `day` are Japan's time.
CREATE TABLE analytics_calls (
    subscription_id INTEGER NOT NULL REFERENCES analytics_subscriptions (id) ON DELETE CASCADE,
    record_id TEXT NOT NULL,
    day DATE NOT NULL,
    called_at TIMESTAMP NOT NULL,
    an TEXT NOT NULL,
    caller TEXT NOT NULL,
    dn TEXT NOT NULL,
    duration_seconds INTEGER NOT NULL,
    result TEXT NOT NULL,
    origin INTEGER NOT NULL,
    PRIMARY KEY (subscription_id, record_id)
);
CREATE INDEX analytics_calls_day_idx ON analytics_calls (subscription_id, day);

-- Rollups, added to in the transaction that stores the calls: every report reads these.
-- `weekday` (1 = Monday … 7 = Sunday) follows from `day`, kept for the weekday filter.
-- `origin`: the caller's prefecture (1–47, JIS X 0401) or 48 mobile, 49 IP phone,
-- 50 withheld, 51 other.
CREATE TABLE analytics_hourly (
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

-- Calls per minute of the day (0–1439), for 呼数・分単位.
CREATE TABLE analytics_minutes (
    subscription_id INTEGER NOT NULL REFERENCES analytics_subscriptions (id) ON DELETE CASCADE,
    day DATE NOT NULL,
    minute INTEGER NOT NULL,
    weekday INTEGER NOT NULL,
    an TEXT NOT NULL,
    dn TEXT NOT NULL,
    calls BIGINT NOT NULL,
    PRIMARY KEY (subscription_id, day, minute, an, dn)
);

-- Completed calls per duration bucket (0: under 30 s … 6: 30 min and over).
CREATE TABLE analytics_durations (
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

-- Calls per caller, for コール人数構成 (first-time and repeat callers).
CREATE TABLE analytics_callers (
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
CREATE INDEX analytics_callers_caller_idx ON analytics_callers (subscription_id, caller, day);
