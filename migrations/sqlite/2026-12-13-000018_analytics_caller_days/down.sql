DROP TABLE analytics_caller_days;
