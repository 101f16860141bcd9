import type pg from "pg";
import type { SpanRow } from "./span.js";

/** One row of model_prices, with prices as integers of 10^-6 USD per million tokens. */
export interface ModelPrice {
  provider: string;
  modelPattern: string;
  effectiveFrom: number;
  inputMicros: bigint;
  outputMicros: bigint;
  cachedInputMicros: bigint | null;
}

/** Parses a numeric(12, 6) text value into millionths without floating point. */
export function decimalToMicros(value: string): bigint {
  const m = /^(\d+)(?:\.(\d{0,6}))?$/.exec(value.trim());
  if (!m) throw new Error(`not a price: ${value}`);
  return BigInt(m[1]!) * 1_000_000n + BigInt((m[2] ?? "").padEnd(6, "0"));
}

/** Why PostgreSQL's LIKE would refuse a pattern (a backslash escapes the character after it). */
export function likePatternProblem(pattern: string): string | undefined {
  return /(?:^|[^\\])(?:\\\\)*\\$/.test(pattern) ? "must not end with an unescaped backslash (write \\\\ for a backslash)" : undefined;
}

const NEVER = /(?!)/;

/**
 * LIKE semantics (% any run, _ one character, backslash escapes) as an anchored RegExp: the one
 * definition of a price's pattern, for pricing spans and for listing prices. A pattern LIKE would
 * refuse matches nothing (the API refuses to store one).
 */
export function likeToRegExp(pattern: string): RegExp {
  if (likePatternProblem(pattern)) return NEVER;
  let out = "";
  // Code points, not UTF-16 units: "_" is one character to PostgreSQL, an emoji included.
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === "\\") out += escapeRegExp(chars[++i]!);
    else if (c === "%") out += "[\\s\\S]*";
    else if (c === "_") out += "[\\s\\S]";
    else out += escapeRegExp(c);
  }
  return new RegExp(`^${out}$`, "u");
}

function escapeRegExp(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/**
 * Cost in USD as a decimal string with 12 places (exactly numeric(20, 12)): tokens × price per
 * million is an integer number of 10^-12 USD. Input tokens include cached ones (see
 * normalization), so cached tokens are charged at the cached price and only the rest at the input
 * price; without a cached price they are ordinary input.
 */
export function computeCost(price: ModelPrice, row: Pick<SpanRow, "inputTokens" | "outputTokens" | "cachedInputTokens">): string {
  const input = BigInt(row.inputTokens ?? 0);
  const cached = price.cachedInputMicros === null ? 0n : BigInt(Math.min(row.cachedInputTokens ?? 0, row.inputTokens ?? 0));
  const picoUsd =
    (input - cached) * price.inputMicros + cached * (price.cachedInputMicros ?? 0n) + BigInt(row.outputTokens ?? 0) * price.outputMicros;
  const digits = picoUsd.toString().padStart(13, "0");
  return `${digits.slice(0, -12)}.${digits.slice(-12)}`;
}

type Candidate = ModelPrice & { regexp: RegExp };

/**
 * The price table in memory. Matching: provider equal, model LIKE model_pattern, effective_from
 * not after the span start; the longest pattern wins, then the latest effective_from. Reloaded
 * every `refreshMs` so an admin's new price applies without a restart.
 */
export class PriceBook {
  private byProvider = new Map<string, Candidate[]>();
  private matches = new Map<string, Candidate[]>();
  private loadedAt = 0;

  constructor(
    private readonly db: pg.Pool,
    private readonly refreshMs: number,
  ) {}

  /** Loads the table if it was never loaded or is older than the refresh interval. */
  async ensureFresh(): Promise<void> {
    if (Date.now() - this.loadedAt < this.refreshMs) return;
    const { rows } = await this.db.query(
      `SELECT provider, model_pattern, input_per_mtok::text AS input, output_per_mtok::text AS output,
              cached_input_per_mtok::text AS cached, effective_from FROM model_prices`,
    );
    const byProvider = new Map<string, Candidate[]>();
    for (const r of rows) {
      const list = byProvider.get(r.provider) ?? [];
      list.push({
        provider: r.provider,
        modelPattern: r.model_pattern,
        effectiveFrom: (r.effective_from as Date).getTime(),
        inputMicros: decimalToMicros(r.input),
        outputMicros: decimalToMicros(r.output),
        cachedInputMicros: r.cached === null ? null : decimalToMicros(r.cached),
        regexp: likeToRegExp(r.model_pattern),
      });
      byProvider.set(r.provider, list);
    }
    for (const list of byProvider.values()) {
      list.sort((x, y) => y.modelPattern.length - x.modelPattern.length || y.effectiveFrom - x.effectiveFrom);
    }
    this.byProvider = byProvider;
    this.matches = new Map();
    this.loadedAt = Date.now();
  }

  /** The price for a provider and model at a time, or undefined when none applies. */
  lookup(provider: string, model: string, at: Date): ModelPrice | undefined {
    const key = `${provider}\u0000${model}`;
    let list = this.matches.get(key);
    if (!list) {
      list = (this.byProvider.get(provider) ?? []).filter((c) => c.regexp.test(model));
      if (this.matches.size > 10_000) this.matches.clear();
      this.matches.set(key, list);
    }
    const t = at.getTime();
    return list.find((c) => c.effectiveFrom <= t);
  }

  /**
   * Fills in the cost of a row that carries none. Returns "unknown" when the row has a provider,
   * a model and tokens but no price applies (counted by the caller, never guessed).
   */
  price(row: SpanRow): "explicit" | "priced" | "unknown" | "not_applicable" {
    if (row.costUsd !== null) return "explicit";
    const model = row.responseModel ?? row.requestModel;
    if (row.provider === null || model === null || (row.inputTokens === null && row.outputTokens === null)) return "not_applicable";
    const price = this.lookup(row.provider, model, row.startTime);
    if (!price) return "unknown";
    row.costUsd = computeCost(price, row);
    return "priced";
  }
}
