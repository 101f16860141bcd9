import type { BucketRule, BucketState, CacheRead, CacheStore } from "./store.js";

interface Bucket {
  tokens: number;
  at: number;
}

/** Bounded least-recently-used map: the oldest entry goes when a new one would exceed `max`. */
class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}

  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  set(key: string, v: V): void {
    this.map.delete(key);
    if (this.map.size >= this.max) this.map.delete(this.map.keys().next().value as string);
    this.map.set(key, v);
  }

  delete(key: string): void {
    this.map.delete(key);
  }
}

/**
 * The store used without Redis (single process, e.g. the zero-install start): memory stays
 * bounded by `maxEntries` values and as many buckets; limits are per process.
 */
export class MemoryStore implements CacheStore {
  readonly backend = "memory";
  private readonly values: Lru<{ value: Buffer; expires: number }>;
  private readonly buckets: Lru<Bucket>;

  constructor(
    maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {
    this.values = new Lru(maxEntries);
    this.buckets = new Lru(maxEntries);
  }

  async get(key: string): Promise<CacheRead> {
    const entry = this.values.get(key);
    if (!entry) return { status: "miss" };
    if (entry.expires <= this.now()) {
      this.values.delete(key);
      return { status: "miss" };
    }
    return { status: "hit", value: entry.value };
  }

  async set(key: string, value: Buffer, ttlSeconds: number): Promise<void> {
    this.values.set(key, { value, expires: this.now() + ttlSeconds * 1000 });
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
