-- Estimated q-quantile (0..1) of the durations summarized by a latency histogram (the slots of
-- rollup_latency_bounds()): linear interpolation inside the slot that holds rank q * total, the
-- slot's upper end capped at the largest duration seen (max_ms), which also ends the open last
-- slot. The one place percentiles are estimated: the API calls it on rollup rows and on
-- histograms built from raw spans alike, so both paths agree.
CREATE FUNCTION rollup_latency_percentile(histogram bigint[], q double precision, max_ms double precision)
  RETURNS double precision
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
  AS $$
DECLARE
  bounds constant double precision[] := rollup_latency_bounds();
  total bigint;
  target double precision;
  seen bigint := 0;
  lo double precision := 0;
  hi double precision;
  n bigint;
BEGIN
  SELECT sum(x) INTO total FROM unnest(histogram) AS x;
  IF total IS NULL OR total = 0 OR q IS NULL OR q < 0 OR q > 1 THEN
    RETURN NULL;
  END IF;
  target := q * total;
  FOR i IN 1 .. cardinality(histogram) LOOP
    n := coalesce(histogram[i], 0);
    hi := CASE WHEN i <= cardinality(bounds) THEN least(bounds[i], max_ms) ELSE coalesce(max_ms, lo) END;
    IF n > 0 AND seen + n >= target THEN
      RETURN lo + (greatest(hi, lo) - lo) * greatest(target - seen, 0) / n;
    END IF;
    seen := seen + n;
    IF i <= cardinality(bounds) THEN
      lo := bounds[i];
    END IF;
  END LOOP;
  RETURN coalesce(max_ms, lo);
END
$$;
