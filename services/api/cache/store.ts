/**
 * A cached value (bytes, so a cached response goes to the socket undecoded) and its tag,
 * a digest of the value: equal tags mean equal values, so a store may keep copies and check them.
 */
export interface Tagged {
  tag: string;
  value: Buffer;
}

export type CacheRead = ({ status: "hit" } & Tagged) | { status: "miss" } | { status: "unavailable" };

export interface BucketState {
  allowed: boolean;
  /** Whole tokens left after this request. */
  remaining: number;
  /** Until one token is back (0 when allowed). */
  retryAfterMs: number;
  /** Until the bucket is full again. */
  resetMs: number;
}

export interface BucketRule {
  capacity: number;
  refillPerSecond: number;
}

/**
 * What the API needs from a cache: values with a lifetime, and token buckets for rate limits.
 * Two implementations: Redis (shared by every API replica) and an in-process one (no Redis).
 *
 * A store never throws: when its backend is unreachable, reads say "unavailable" and buckets
 * answer null, so the API goes on uncached and unlimited instead of failing.
 */
export interface CacheStore {
  readonly backend: "redis" | "memory";
  get(key: string): Promise<CacheRead>;
  set(key: string, entry: Tagged, ttlSeconds: number): Promise<void>;
  /** Takes one token from the bucket `key`; null when the store cannot decide (unreachable). */
  take(key: string, rule: BucketRule): Promise<BucketState | null>;
  /** take(bucket) and get(key) in one round trip: the rate limit and cache lookup of one request. */
  takeAndGet(bucket: string, rule: BucketRule, key: string): Promise<{ bucket: BucketState | null; read: CacheRead }>;
  /** True when the backend answers now. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
