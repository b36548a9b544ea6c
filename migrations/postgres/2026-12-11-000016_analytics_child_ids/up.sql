-- 子ID (seed 000 §1-2, standard plan): accounts of the subscriber's organization that read
-- one subscription's reports and change nothing (plan, groups, child IDs). Deleting the
-- account or the subscription deletes the row.
CREATE TABLE analytics_child_ids (
    account_id BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    subscription_id BIGINT NOT NULL REFERENCES analytics_subscriptions (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX analytics_child_ids_subscription_idx ON analytics_child_ids (subscription_id);
