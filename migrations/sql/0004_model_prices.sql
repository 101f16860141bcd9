-- Effective-dated list prices in USD per million tokens. A span is priced with the row whose
-- provider matches, whose model_pattern (a LIKE pattern) matches the model, and whose
-- effective_from is the latest one not after the span's start; the longest pattern wins.
CREATE TABLE model_prices (
  id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  provider              text NOT NULL,
  model_pattern         text NOT NULL,
  input_per_mtok        numeric(12, 6) NOT NULL CHECK (input_per_mtok >= 0),
  output_per_mtok       numeric(12, 6) NOT NULL CHECK (output_per_mtok >= 0),
  cached_input_per_mtok numeric(12, 6) CHECK (cached_input_per_mtok >= 0),
  effective_from        timestamptz NOT NULL,
  source                text NOT NULL,
  created_at            timestamptz NOT NULL DEFAULT now(),
  UNIQUE (provider, model_pattern, effective_from)
);
