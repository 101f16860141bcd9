DROP TABLE span_rollups_1h;
DROP TABLE span_rollups_1m;
DROP FUNCTION rollup_histogram_add(bigint[], bigint[]);
DROP FUNCTION rollup_latency_slot(double precision);
DROP FUNCTION rollup_latency_bounds();
