import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { PriceBook, computeCost, likeToRegExp, type ModelPrice } from "../../services/core/pricing.js";
import type { SpanRow } from "../../services/core/span.js";
import { migratedDatabase, type TestDatabase } from "../support/database.js";

let db: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  db = await migratedDatabase("obs_pricing");
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
  // The seed migration's rows are someone else's data; these tests price against their own.
  await pool.query("DELETE FROM model_prices");
  await pool.query(`INSERT INTO model_prices (provider, model_pattern, input_per_mtok, output_per_mtok, cached_input_per_mtok, effective_from, source) VALUES
    ('openai', 'gpt-4o%', 2.5, 10, 1.25, '2024-01-01', 'test'),
    ('openai', 'gpt-4o-2024-05-13', 5, 15, NULL, '2024-01-01', 'test'),
    ('openai', 'o3', 10, 40, 2.5, '2024-01-01', 'test'),
    ('openai', 'o3', 2, 8, 0.5, '2025-06-10', 'test'),
    ('anthropic', 'claude-sonnet-4_5%', 3, 15, 0.3, '2024-01-01', 'test')`);
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

function span(over: Partial<SpanRow>): SpanRow {
  return { provider: "openai", requestModel: null, responseModel: null, inputTokens: null, outputTokens: null, cachedInputTokens: null, costUsd: null, startTime: "2025-07-01T00:00:00.000000Z", ...over } as SpanRow;
}

describe("pricing", () => {
  it("computes cost exactly, cached tokens at the cached price and not again as input", () => {
    const price: ModelPrice = { provider: "openai", modelPattern: "x", effectiveFrom: 0, inputMicros: 2_500_000n, outputMicros: 10_000_000n, cachedInputMicros: 1_250_000n };
    // (1200 - 1000) × 2.5 + 1000 × 1.25 + 300 × 10 = 500 + 1250 + 3000 = 4750 per million → $0.00475
    expect(computeCost(price, { inputTokens: 1200, cachedInputTokens: 1000, outputTokens: 300 })).toBe("0.004750000000");
    expect(computeCost({ ...price, cachedInputMicros: null }, { inputTokens: 1200, cachedInputTokens: 1000, outputTokens: 300 })).toBe("0.006000000000");
    expect(computeCost(price, { inputTokens: 1, cachedInputTokens: null, outputTokens: null })).toBe("0.000002500000");
  });

  it("reads LIKE patterns literally except % and _", () => {
    expect(likeToRegExp("claude-sonnet-4_5%").test("claude-sonnet-4.5")).toBe(true);
    expect(likeToRegExp("gpt-4o").test("gpt-4o-mini")).toBe(false);
    expect(likeToRegExp("a.b").test("axb")).toBe(false);
  });

  it("picks the longest matching pattern, then the latest price in effect at the span start", async () => {
    const book = new PriceBook(pool, 60_000);
    await book.ensureFresh();
    const dated = span({ responseModel: "gpt-4o-2024-05-13", inputTokens: 1_000_000, outputTokens: 0 });
    expect(book.price(dated)).toBe("priced");
    expect(dated.costUsd).toBe("5.000000000000");
    const general = span({ requestModel: "gpt-4o-mini", inputTokens: 1_000_000, outputTokens: 0 });
    book.price(general);
    expect(general.costUsd).toBe("2.500000000000");
    const before = span({ requestModel: "o3", outputTokens: 1_000_000, startTime: "2025-06-09T23:59:59.999999Z" });
    const after = span({ requestModel: "o3", outputTokens: 1_000_000, startTime: "2025-06-10T00:00:00.000000Z" });
    book.price(before);
    book.price(after);
    expect([before.costUsd, after.costUsd]).toEqual(["40.000000000000", "8.000000000000"]);
  });

  it("keeps an explicit cost, leaves unknown models unpriced, and ignores spans without usage", async () => {
    const book = new PriceBook(pool, 60_000);
    await book.ensureFresh();
    const explicit = span({ requestModel: "gpt-4o", inputTokens: 10, costUsd: "0.5" });
    const unknown = span({ provider: "anthropic", requestModel: "claude-nothing", inputTokens: 10 });
    const noUsage = span({ requestModel: "gpt-4o" });
    expect([book.price(explicit), book.price(unknown), book.price(noUsage)]).toEqual(["explicit", "unknown", "not_applicable"]);
    expect([explicit.costUsd, unknown.costUsd, noUsage.costUsd]).toEqual(["0.5", null, null]);
  });

  it("sees a new price after its refresh interval", async () => {
    const book = new PriceBook(pool, 1);
    await book.ensureFresh();
    const before = span({ provider: "mistral_ai", requestModel: "mistral-small", inputTokens: 1_000_000 });
    expect(book.price(before)).toBe("unknown");
    await pool.query("INSERT INTO model_prices (provider, model_pattern, input_per_mtok, output_per_mtok, effective_from, source) VALUES ('mistral_ai', 'mistral-small%', 0.1, 0.3, '2024-01-01', 'test')");
    await new Promise((r) => setTimeout(r, 5));
    await book.ensureFresh();
    const after = span({ provider: "mistral_ai", requestModel: "mistral-small", inputTokens: 1_000_000 });
    expect(book.price(after)).toBe("priced");
    expect(after.costUsd).toBe("0.100000000000");
  });
});
