import { Lru } from "./lru.js";
import { own } from "./own.js";
import type { BucketRule, BucketState, CacheRead, CacheStore, Tagged } from "./store.js";

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * The store used without Redis (single process, e.g. the zero-install start): memory stays
 * bounded by `maxEntries` values and as many buckets; limits are per process.
 */
export class MemoryStore implements CacheStore {
  readonly backend = "memory";
  private readonly values: Lru<{ entry: Tagged; expires: number }>;
  private readonly buckets: Lru<Bucket>;

  constructor(
    maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {
    this.values = new Lru(maxEntries);
    this.buckets = new Lru(maxEntries);
  }

  async get(key: string): Promise<CacheRead> {
    const stored = this.values.get(key);
    if (!stored) return { status: "miss" };
    if (stored.expires <= this.now()) {
      this.values.delete(key);
      return { status: "miss" };
    }
    return { status: "hit", ...stored.entry };
  }

  async set(key: string, entry: Tagged, ttlSeconds: number): Promise<void> {
    this.values.set(key, { entry: { tag: entry.tag, value: own(entry.value) }, expires: this.now() + ttlSeconds * 1000 });
  }

  /** The same token bucket as the Redis script (see redis-store.ts), on this process's clock. */
  async take(key: string, { capacity, refillPerSecond }: BucketRule): Promise<BucketState> {
    const now = this.now();
    const perMs = refillPerSecond / 1000;
    const prev = this.buckets.get(key) ?? { tokens: capacity, at: now };
    let tokens = Math.min(capacity, prev.tokens + Math.max(0, now - prev.at) * perMs);
    const allowed = tokens >= 1;
    if (allowed) tokens -= 1;
    this.buckets.set(key, { tokens, at: now });
    return {
      allowed,
      remaining: Math.floor(tokens),
      retryAfterMs: allowed ? 0 : Math.ceil((1 - tokens) / perMs),
      resetMs: Math.ceil((capacity - tokens) / perMs),
    };
  }

  async takeAndGet(bucket: string, rule: BucketRule, key: string): Promise<{ bucket: BucketState; read: CacheRead }> {
    return { bucket: await this.take(bucket, rule), read: await this.get(key) };
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {}
}
