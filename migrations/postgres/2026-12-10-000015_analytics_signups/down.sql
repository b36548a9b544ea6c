ALTER TABLE analytics_subscriptions DROP COLUMN billing_number;
ALTER TABLE analytics_subscriptions DROP COLUMN billing_phone;
ALTER TABLE analytics_subscriptions DROP COLUMN sales_code;
ALTER TABLE analytics_subscriptions DROP COLUMN contact_person;
ALTER TABLE analytics_subscriptions DROP COLUMN department;
ALTER TABLE analytics_subscriptions DROP COLUMN contact_phone;
ALTER TABLE analytics_subscriptions DROP COLUMN industry;
DROP TABLE analytics_signups;
