DROP TABLE analytics_own_data;
