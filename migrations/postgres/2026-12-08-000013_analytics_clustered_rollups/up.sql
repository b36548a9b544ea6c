-- SQLite's side of this migration clusters the rollup tables by their key. PostgreSQL
-- reads them by the primary key's index already; what it needs is fresh statistics while
-- ingestion grows them by thousands of rows a batch: analyse after 2% new rows, not 10%.
ALTER TABLE analytics_hourly SET (autovacuum_analyze_scale_factor = 0.02, autovacuum_vacuum_scale_factor = 0.05);
ALTER TABLE analytics_minutes SET (autovacuum_analyze_scale_factor = 0.02, autovacuum_vacuum_scale_factor = 0.05);
ALTER TABLE analytics_durations SET (autovacuum_analyze_scale_factor = 0.02, autovacuum_vacuum_scale_factor = 0.05);
ALTER TABLE analytics_callers SET (autovacuum_analyze_scale_factor = 0.02, autovacuum_vacuum_scale_factor = 0.05);
