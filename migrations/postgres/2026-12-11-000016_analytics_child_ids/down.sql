DROP TABLE analytics_child_ids;
