-- One row per span. GenAI columns are normalized from whichever attribute dialect the span used;
-- the raw attributes are kept so rows can be re-derived when conventions change.
CREATE TABLE spans (
  project_id          text NOT NULL,
  trace_id            text NOT NULL CHECK (trace_id ~ '^[0-9a-f]{32}$'),
  span_id             text NOT NULL CHECK (span_id ~ '^[0-9a-f]{16}$'),
  parent_span_id      text CHECK (parent_span_id ~ '^[0-9a-f]{16}$'),
  name                text NOT NULL,
  kind                smallint NOT NULL DEFAULT 0,      -- OTLP SpanKind
  service_name        text NOT NULL DEFAULT 'unknown_service',
  environment         text,
  start_time          timestamptz NOT NULL,
  end_time            timestamptz NOT NULL,
  duration_ms         double precision NOT NULL CHECK (duration_ms >= 0),
  status_code         smallint NOT NULL DEFAULT 0,      -- OTLP StatusCode: 0 unset, 1 ok, 2 error
  status_message      text,
  operation           text,                             -- gen_ai.operation.name
  provider            text,                             -- gen_ai.provider.name
  request_model       text,
  response_model      text,
  input_tokens        integer,
  output_tokens       integer,
  cached_input_tokens integer,
  reasoning_tokens    integer,
  total_tokens        integer,
  cost_usd            numeric(20, 12),                  -- sub-cent calls need many decimals
  finish_reasons      text[],
  user_id             text,
  session_id          text,
  attributes          jsonb NOT NULL DEFAULT '{}',
  resource_attributes jsonb NOT NULL DEFAULT '{}',
  events              jsonb NOT NULL DEFAULT '[]',
  ingested_at         timestamptz NOT NULL DEFAULT now(),
  -- A repeated export is harmless: the same span conflicts on this key. TimescaleDB needs the
  -- partitioning column (start_time) in every unique key.
  PRIMARY KEY (project_id, trace_id, span_id, start_time)
);

-- Trace lists: newest root spans first.
CREATE INDEX spans_roots_idx ON spans (project_id, start_time DESC) WHERE parent_span_id IS NULL;
-- Time-range scans and filters on raw spans.
CREATE INDEX spans_time_idx ON spans (project_id, start_time DESC);
-- Cost attribution per user and per session.
CREATE INDEX spans_user_idx ON spans (project_id, user_id, start_time DESC) WHERE user_id IS NOT NULL;
CREATE INDEX spans_session_idx ON spans (project_id, session_id, start_time DESC) WHERE session_id IS NOT NULL;
