-- Seed list prices (USD per MILLION tokens, Standard / pay-as-you-go tier) for the main models.
-- Matching (see 0004): provider equal, model LIKE model_pattern, latest effective_from not after
-- the span start, longest pattern wins.
--
-- Provider names are the gen_ai.provider.name well-known values of the OpenTelemetry GenAI
-- semantic conventions (open-telemetry/semantic-conventions, model/gen-ai/registry.yaml):
-- openai, anthropic, mistral_ai, and for Google gcp.gemini (generativelanguage.googleapis.com),
-- gcp.vertex_ai (aiplatform.googleapis.com) and gcp.gen_ai (any Google endpoint). Only gcp.gemini
-- is seeded: its list price was verified, Vertex AI's was not (Google says it may differ), so
-- Gemini spans reported as gcp.vertex_ai / gcp.gen_ai stay unpriced until an admin adds a price.
--
-- Each row's source names the published price page it was checked against and when it was seen.
-- cached_input_per_mtok is the provider's cached-input / cache-read price, NULL where none is listed.
-- effective_from is 2024-01-01 unless a dated price change was verified (o3, see below).
--
-- Patterns
--   * Aliases are matched exactly and dated snapshots by an "alias-20%" style pattern, so e.g.
--     gpt-4o does not catch gpt-4o-realtime-preview / -transcribe (priced differently), and
--     o3 / o4-mini do not catch o3-mini, o3-pro, o3-deep-research, o4-mini-deep-research.
--   * gpt-4o-2024-05-13 (priced 5 / 15, no cached rate) overrides gpt-4o-2024-%.
--   * Claude patterns use "_" (any one character) between the version digits, so
--     claude-sonnet-4_5% matches both claude-sonnet-4-5-20250929 and claude-sonnet-4.5.
--     Claude Opus 4 / Sonnet 4 are matched by the bare alias, the -0 alias and the 2025 dated id.
--
-- Notes on what the prices do not model
--   * OpenAI: Batch / Flex / Priority tiers. o3 was cut on 2025-06-10 (10 / 2.50 / 40 to
--     2 / 0.50 / 8), so it has two rows. The gpt-4o alias pointed at gpt-4o-2024-05-13 before it
--     moved to 2024-08-06 (switch date not verified), spans that report the dated response model
--     are priced right. gpt-3.5-turbo is seeded for the bare alias and -0125 only (older snapshots
--     had other prices). Several of these models are shut down now, their rows stay for old spans.
--   * Anthropic: cache writes (5m / 1h) and any long-context surcharge. cached_input is the
--     "Cache hits & refreshes" column.
--   * Gemini: prompt-length tiers. Gemini 2.5 Pro uses the base tier (prompts <= 200k tokens),
--     the > 200k tier (2.50 in / 15.00 out / 0.25 cached) is not modelled. Input uses the
--     text / image / video rate (audio input costs more). cached_input is the context-caching
--     price, the per-hour cache storage fee is not modelled. An older copy of the Gemini page
--     listed higher context-caching rates for 2.5 Pro / Flash / Flash-Lite (0.31 / 0.075 / 0.025),
--     the date they were lowered could not be verified, so only the current rates are seeded.
--
-- Left out (no price that could be verified against the provider's published page)
--   * Mistral (mistral_ai) Large / Medium / Small: mistral.ai/pricing was not available, only
--     third-party listings that disagree with each other (e.g. mistral-large at 2 / 6, 0.50 / 1.50
--     and 0.60 / 1.80), and the -latest aliases moved between generations with different prices.
--   * o1-mini: priced 3 / 12 at launch (old project table) and 1.10 / 4.40 later, the date of the
--     change could not be verified.
--   * claude-3-5-sonnet and claude-3-sonnet: no longer on Anthropic's pricing page.
--   * gemini-1.5-pro / gemini-1.5-flash and mistral-7b (old project table): not verified.
--   * The old project table's gemini-2.5-flash price (0.075 / 0.30) was wrong, the list price
--     is 0.30 / 2.50.
INSERT INTO model_prices
  (provider, model_pattern, input_per_mtok, output_per_mtok, cached_input_per_mtok, effective_from, source)
VALUES
  ('openai', 'gpt-4o', 2.50, 10.00, 1.25, '2024-01-01T00:00:00Z', 'https://platform.openai.com/docs/pricing (seen 2026-11, via the verbatim transcription in hex.pm openai_responses lib/responses/pricing.ex; official model page not in corpus)'),
  ('openai', 'gpt-4o-2024-%', 2.50, 10.00, 1.25, '2024-01-01T00:00:00Z', 'https://platform.openai.com/docs/pricing (seen 2026-11, via the verbatim transcription in hex.pm openai_responses lib/responses/pricing.ex; official model page not in corpus)'),
  ('openai', 'gpt-4o-2024-05-13', 5.00, 15.00, NULL, '2024-01-01T00:00:00Z', 'https://platform.openai.com/docs/pricing (seen 2026-11, via the verbatim transcription in hex.pm openai_responses lib/responses/pricing.ex; official model page not in corpus)'),
  ('openai', 'gpt-4o-mini', 0.15, 0.60, 0.075, '2024-01-01T00:00:00Z', 'https://platform.openai.com/docs/pricing (seen 2026-11, via the verbatim transcription in hex.pm openai_responses lib/responses/pricing.ex; official model page not in corpus)'),
  ('openai', 'gpt-4o-mini-2024-%', 0.15, 0.60, 0.075, '2024-01-01T00:00:00Z', 'https://platform.openai.com/docs/pricing (seen 2026-11, via the verbatim transcription in hex.pm openai_responses lib/responses/pricing.ex; official model page not in corpus)'),
  ('openai', 'gpt-4.1', 2.00, 8.00, 0.50, '2024-01-01T00:00:00Z', 'https://platform.openai.com/docs/pricing (seen 2026-11, via the verbatim transcription in hex.pm openai_responses lib/responses/pricing.ex; official model page not in corpus)'),
  ('openai', 'gpt-4.1-20%', 2.00, 8.00, 0.50, '2024-01-01T00:00:00Z', 'https://platform.openai.com/docs/pricing (seen 2026-11, via the verbatim transcription in hex.pm openai_responses lib/responses/pricing.ex; official model page not in corpus)'),
  ('openai', 'gpt-4.1-mini', 0.40, 1.60, 0.10, '2024-01-01T00:00:00Z', 'https://platform.openai.com/docs/pricing (seen 2026-11, via the verbatim transcription in hex.pm openai_responses lib/responses/pricing.ex; official model page not in corpus)'),
  ('openai', 'gpt-4.1-mini-20%', 0.40, 1.60, 0.10, '2024-01-01T00:00:00Z', 'https://platform.openai.com/docs/pricing (seen 2026-11, via the verbatim transcription in hex.pm openai_responses lib/responses/pricing.ex; official model page not in corpus)'),
  ('openai', 'gpt-4.1-nano', 0.10, 0.40, 0.025, '2024-01-01T00:00:00Z', 'https://developers.openai.com/api/docs/models/gpt-4.1-nano (official model page, seen 2026-11)'),
  ('openai', 'gpt-4.1-nano-20%', 0.10, 0.40, 0.025, '2024-01-01T00:00:00Z', 'https://developers.openai.com/api/docs/models/gpt-4.1-nano (official model page, seen 2026-11)'),
  ('openai', 'gpt-5', 1.25, 10.00, 0.125, '2024-01-01T00:00:00Z', 'https://platform.openai.com/docs/pricing (seen 2026-11, via the verbatim transcription in hex.pm openai_responses lib/responses/pricing.ex; official model page not in corpus)'),
  ('openai', 'gpt-5-20%', 1.25, 10.00, 0.125, '2024-01-01T00:00:00Z', 'https://platform.openai.com/docs/pricing (seen 2026-11, via the verbatim transcription in hex.pm openai_responses lib/responses/pricing.ex; official model page not in corpus)'),
  ('openai', 'gpt-5-chat-latest', 1.25, 10.00, 0.125, '2024-01-01T00:00:00Z', 'https://platform.openai.com/docs/pricing (seen 2026-11, via the verbatim transcription in hex.pm openai_responses lib/responses/pricing.ex; official model page not in corpus)'),
  ('openai', 'gpt-5-mini', 0.25, 2.00, 0.025, '2024-01-01T00:00:00Z', 'https://platform.openai.com/docs/pricing (seen 2026-11, via the verbatim transcription in hex.pm openai_responses lib/responses/pricing.ex; official model page not in corpus)'),
  ('openai', 'gpt-5-mini-20%', 0.25, 2.00, 0.025, '2024-01-01T00:00:00Z', 'https://platform.openai.com/docs/pricing (seen 2026-11, via the verbatim transcription in hex.pm openai_responses lib/responses/pricing.ex; official model page not in corpus)'),
  ('openai', 'gpt-5-nano', 0.05, 0.40, 0.005, '2024-01-01T00:00:00Z', 'https://developers.openai.com/api/docs/models/gpt-5-nano (official model page, seen 2026-11)'),
  ('openai', 'gpt-5-nano-20%', 0.05, 0.40, 0.005, '2024-01-01T00:00:00Z', 'https://developers.openai.com/api/docs/models/gpt-5-nano (official model page, seen 2026-11)'),
  ('openai', 'o1', 15.00, 60.00, 7.50, '2024-01-01T00:00:00Z', 'https://platform.openai.com/docs/pricing (seen 2026-11, via the verbatim transcription in hex.pm openai_responses lib/responses/pricing.ex; official model page not in corpus)'),
  ('openai', 'o1-2024-12-17', 15.00, 60.00, 7.50, '2024-01-01T00:00:00Z', 'https://platform.openai.com/docs/pricing (seen 2026-11, via the verbatim transcription in hex.pm openai_responses lib/responses/pricing.ex; official model page not in corpus)'),
  ('openai', 'o1-preview%', 15.00, 60.00, 7.50, '2024-01-01T00:00:00Z', 'https://platform.openai.com/docs/pricing (seen 2026-11, via the verbatim transcription in hex.pm openai_responses lib/responses/pricing.ex; official model page not in corpus)'),
  ('openai', 'o3', 10.00, 40.00, 2.50, '2025-04-16T00:00:00Z', 'https://platform.openai.com/docs/models/o3 (launch price until the 2025-06-10 cut, seen 2026-11, via langfuse/langfuse PR 7223 and RooCodeInc/Roo-Code PR 2691)'),
  ('openai', 'o3', 2.00, 8.00, 0.50, '2025-06-10T00:00:00Z', 'https://platform.openai.com/docs/models/o3 (price after the 2025-06-10 cut, seen 2026-11, via hex.pm openai_responses pricing.ex and langfuse/langfuse PR 7223)'),
  ('openai', 'o3-2025-04-16', 10.00, 40.00, 2.50, '2025-04-16T00:00:00Z', 'https://platform.openai.com/docs/models/o3 (launch price until the 2025-06-10 cut, seen 2026-11, via langfuse/langfuse PR 7223 and RooCodeInc/Roo-Code PR 2691)'),
  ('openai', 'o3-2025-04-16', 2.00, 8.00, 0.50, '2025-06-10T00:00:00Z', 'https://platform.openai.com/docs/models/o3 (price after the 2025-06-10 cut, seen 2026-11, via hex.pm openai_responses pricing.ex and langfuse/langfuse PR 7223)'),
  ('openai', 'o3-mini', 1.10, 4.40, 0.55, '2024-01-01T00:00:00Z', 'https://platform.openai.com/docs/pricing (seen 2026-11, via the verbatim transcription in hex.pm openai_responses lib/responses/pricing.ex; official model page not in corpus)'),
  ('openai', 'o3-mini-2025-01-31', 1.10, 4.40, 0.55, '2024-01-01T00:00:00Z', 'https://platform.openai.com/docs/pricing (seen 2026-11, via the verbatim transcription in hex.pm openai_responses lib/responses/pricing.ex; official model page not in corpus)'),
  ('openai', 'o4-mini', 1.10, 4.40, 0.275, '2024-01-01T00:00:00Z', 'https://platform.openai.com/docs/pricing (seen 2026-11, via the verbatim transcription in hex.pm openai_responses lib/responses/pricing.ex; official model page not in corpus)'),
  ('openai', 'o4-mini-2025-04-16', 1.10, 4.40, 0.275, '2024-01-01T00:00:00Z', 'https://platform.openai.com/docs/pricing (seen 2026-11, via the verbatim transcription in hex.pm openai_responses lib/responses/pricing.ex; official model page not in corpus)'),
  ('openai', 'gpt-4-turbo%', 10.00, 30.00, NULL, '2024-01-01T00:00:00Z', 'https://developers.openai.com/api/docs/models/gpt-4-turbo (official model page, seen 2026-11)'),
  ('openai', 'gpt-4-0125-preview', 10.00, 30.00, NULL, '2024-01-01T00:00:00Z', 'https://developers.openai.com/api/docs/models/gpt-4-turbo-preview (official model page, seen 2026-11)'),
  ('openai', 'gpt-4-1106%', 10.00, 30.00, NULL, '2024-01-01T00:00:00Z', 'https://developers.openai.com/api/docs/models/gpt-4-turbo (official model page, seen 2026-11)'),
  ('openai', 'gpt-4', 30.00, 60.00, NULL, '2024-01-01T00:00:00Z', 'https://developers.openai.com/api/docs/models/gpt-4 (official model page, seen 2026-11)'),
  ('openai', 'gpt-4-0613', 30.00, 60.00, NULL, '2024-01-01T00:00:00Z', 'https://developers.openai.com/api/docs/models/gpt-4 (official model page, seen 2026-11)'),
  ('openai', 'gpt-3.5-turbo', 0.50, 1.50, NULL, '2024-01-01T00:00:00Z', 'https://developers.openai.com/api/docs/models/gpt-3.5-turbo (official model page, seen 2026-11)'),
  ('openai', 'gpt-3.5-turbo-0125', 0.50, 1.50, NULL, '2024-01-01T00:00:00Z', 'https://developers.openai.com/api/docs/models/gpt-3.5-turbo (official model page, seen 2026-11)'),
  ('anthropic', 'claude-opus-4_8%', 5.00, 25.00, 0.50, '2024-01-01T00:00:00Z', 'https://platform.claude.com/docs/en/about-claude/pricing (seen 2026-11)'),
  ('anthropic', 'claude-opus-4_7%', 5.00, 25.00, 0.50, '2024-01-01T00:00:00Z', 'https://platform.claude.com/docs/en/about-claude/pricing (seen 2026-11)'),
  ('anthropic', 'claude-opus-4_6%', 5.00, 25.00, 0.50, '2024-01-01T00:00:00Z', 'https://platform.claude.com/docs/en/about-claude/pricing (seen 2026-11)'),
  ('anthropic', 'claude-opus-4_5%', 5.00, 25.00, 0.50, '2024-01-01T00:00:00Z', 'https://platform.claude.com/docs/en/about-claude/pricing (seen 2026-11)'),
  ('anthropic', 'claude-opus-4_1%', 15.00, 75.00, 1.50, '2024-01-01T00:00:00Z', 'https://platform.claude.com/docs/en/about-claude/pricing (seen 2026-11)'),
  ('anthropic', 'claude-opus-4', 15.00, 75.00, 1.50, '2024-01-01T00:00:00Z', 'https://platform.claude.com/docs/en/about-claude/pricing (seen 2026-11)'),
  ('anthropic', 'claude-opus-4-0%', 15.00, 75.00, 1.50, '2024-01-01T00:00:00Z', 'https://platform.claude.com/docs/en/about-claude/pricing (seen 2026-11)'),
  ('anthropic', 'claude-opus-4-2025%', 15.00, 75.00, 1.50, '2024-01-01T00:00:00Z', 'https://platform.claude.com/docs/en/about-claude/pricing (seen 2026-11)'),
  ('anthropic', 'claude-sonnet-4_6%', 3.00, 15.00, 0.30, '2024-01-01T00:00:00Z', 'https://platform.claude.com/docs/en/about-claude/pricing (seen 2026-11)'),
  ('anthropic', 'claude-sonnet-4_5%', 3.00, 15.00, 0.30, '2024-01-01T00:00:00Z', 'https://platform.claude.com/docs/en/about-claude/pricing (seen 2026-11)'),
  ('anthropic', 'claude-sonnet-4', 3.00, 15.00, 0.30, '2024-01-01T00:00:00Z', 'https://platform.claude.com/docs/en/about-claude/pricing (seen 2026-11)'),
  ('anthropic', 'claude-sonnet-4-0%', 3.00, 15.00, 0.30, '2024-01-01T00:00:00Z', 'https://platform.claude.com/docs/en/about-claude/pricing (seen 2026-11)'),
  ('anthropic', 'claude-sonnet-4-2025%', 3.00, 15.00, 0.30, '2024-01-01T00:00:00Z', 'https://platform.claude.com/docs/en/about-claude/pricing (seen 2026-11)'),
  ('anthropic', 'claude-3-7-sonnet%', 3.00, 15.00, 0.30, '2024-01-01T00:00:00Z', 'https://platform.claude.com/docs/en/about-claude/pricing (seen 2026-11)'),
  ('anthropic', 'claude-haiku-4_5%', 1.00, 5.00, 0.10, '2024-01-01T00:00:00Z', 'https://platform.claude.com/docs/en/about-claude/pricing (seen 2026-11)'),
  ('anthropic', 'claude-3-5-haiku%', 0.80, 4.00, 0.08, '2024-01-01T00:00:00Z', 'https://platform.claude.com/docs/en/about-claude/pricing (seen 2026-11)'),
  ('anthropic', 'claude-3-opus%', 15.00, 75.00, 1.50, '2024-01-01T00:00:00Z', 'https://platform.claude.com/docs/en/about-claude/pricing (seen 2026-11)'),
  ('anthropic', 'claude-3-haiku%', 0.25, 1.25, 0.03, '2024-01-01T00:00:00Z', 'https://platform.claude.com/docs/en/about-claude/pricing (seen 2026-11)'),
  ('gcp.gemini', 'gemini-2.5-pro', 1.25, 10.00, 0.125, '2024-01-01T00:00:00Z', 'https://ai.google.dev/gemini-api/docs/pricing (Standard paid tier, seen 2026-11)'),
  ('gcp.gemini', 'gemini-2.5-flash', 0.30, 2.50, 0.03, '2024-01-01T00:00:00Z', 'https://ai.google.dev/gemini-api/docs/pricing (Standard paid tier, seen 2026-11)'),
  ('gcp.gemini', 'gemini-2.5-flash-lite%', 0.10, 0.40, 0.01, '2024-01-01T00:00:00Z', 'https://ai.google.dev/gemini-api/docs/pricing (Standard paid tier, seen 2026-11)'),
  ('gcp.gemini', 'gemini-2.0-flash', 0.10, 0.40, 0.025, '2024-01-01T00:00:00Z', 'https://ai.google.dev/gemini-api/docs/pricing (Standard paid tier, seen 2026-11)'),
  ('gcp.gemini', 'gemini-2.0-flash-001', 0.10, 0.40, 0.025, '2024-01-01T00:00:00Z', 'https://ai.google.dev/gemini-api/docs/pricing (Standard paid tier, seen 2026-11)'),
  ('gcp.gemini', 'gemini-2.0-flash-lite', 0.075, 0.30, NULL, '2024-01-01T00:00:00Z', 'https://ai.google.dev/gemini-api/docs/pricing (Standard paid tier, seen 2026-11)'),
  ('gcp.gemini', 'gemini-2.0-flash-lite-001', 0.075, 0.30, NULL, '2024-01-01T00:00:00Z', 'https://ai.google.dev/gemini-api/docs/pricing (Standard paid tier, seen 2026-11)');
