-- requires-extension: pg_stat_statements
-- without-it: no per-statement timings, so `npm run ops -- maintenance` cannot list the slowest statements
--
-- The stack preloads pg_stat_statements (shared_preload_libraries); creating the extension in
-- this database exposes its view for the maintenance report.
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
