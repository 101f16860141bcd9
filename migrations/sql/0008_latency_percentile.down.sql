DROP FUNCTION rollup_latency_percentile(bigint[], double precision, double precision);
