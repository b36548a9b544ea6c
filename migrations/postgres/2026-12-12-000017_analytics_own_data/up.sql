-- お客さま保有データ (seed 000 §1-2, standard plan): the customer's own daily figures per
-- number or group, uploaded as CSV (a day's rows replace that day's), shown beside the
-- collected traffic.
CREATE TABLE analytics_own_data (
    subscription_id BIGINT NOT NULL REFERENCES analytics_subscriptions (id) ON DELETE CASCADE,
    day DATE NOT NULL,
    -- An AN of the subscription, or the name of one of its AN groups, as uploaded.
    label TEXT NOT NULL,
    calls BIGINT NOT NULL,
    seconds BIGINT,
    uploaded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (subscription_id, day, label)
);
