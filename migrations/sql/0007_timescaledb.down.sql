-- requires-extension: timescaledb
-- A hypertable cannot become a plain table in place: this removes the policies and leaves the
-- table's rows where they are (0002's down drops the table itself).
DROP FUNCTION observatory_set_retention(integer);
SELECT remove_retention_policy('spans', if_exists => true);
SELECT remove_compression_policy('spans', if_exists => true);
