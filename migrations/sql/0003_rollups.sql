-- Upper bounds (ms) of the latency histogram kept in rollups; the last bucket is everything above.
-- Percentiles are estimated from these buckets, so dashboards never scan raw spans.
CREATE FUNCTION rollup_latency_bounds() RETURNS double precision[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT ARRAY[5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 120000]::double precision[] $$;

-- 1-based histogram slot of a duration: 1 .. cardinality(bounds) + 1.
CREATE FUNCTION rollup_latency_slot(duration_ms double precision) RETURNS integer
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT width_bucket(duration_ms, ARRAY[0]::double precision[] || rollup_latency_bounds()) $$;

-- Element-wise sum of two histograms (used when a batch adds to an existing rollup row).
CREATE FUNCTION rollup_histogram_add(a bigint[], b bigint[]) RETURNS bigint[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT array_agg(coalesce(x, 0) + coalesce(y, 0) ORDER BY i) FROM unnest(a, b) WITH ORDINALITY AS t(x, y, i) $$;

-- Per-minute and per-hour aggregates by project, service, environment, provider and model.
-- Empty string stands for "none" so the dimensions can be part of the primary key.
CREATE TABLE span_rollups_1m (
  project_id          text NOT NULL,
  bucket              timestamptz NOT NULL,
  service_name        text NOT NULL,
  environment         text NOT NULL DEFAULT '',
  provider            text NOT NULL DEFAULT '',
  model               text NOT NULL DEFAULT '',
  requests            bigint NOT NULL,
  errors              bigint NOT NULL,
  input_tokens        bigint NOT NULL,
  output_tokens       bigint NOT NULL,
  cached_input_tokens bigint NOT NULL,
  reasoning_tokens    bigint NOT NULL,
  cost_usd            numeric(24, 12) NOT NULL,
  duration_ms_sum     double precision NOT NULL,
  duration_ms_max     double precision NOT NULL,
  latency_histogram   bigint[] NOT NULL,
  PRIMARY KEY (project_id, bucket, service_name, environment, provider, model)
);

CREATE TABLE span_rollups_1h (LIKE span_rollups_1m INCLUDING ALL);
