DROP TABLE analytics_minute_totals;
