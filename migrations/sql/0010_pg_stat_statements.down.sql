-- requires-extension: pg_stat_statements
DROP EXTENSION IF EXISTS pg_stat_statements;
