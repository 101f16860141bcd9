import { Redis } from "ioredis";
import type { Logger } from "../../core/logger.js";
import type { BucketRule, BucketState, CacheRead, CacheStore } from "./store.js";

/**
 * Token bucket, atomically in Redis on Redis's clock (so all API replicas share one limit).
 * KEYS[1] bucket; ARGV capacity, refill per ms. Returns allowed, whole tokens left, ms until a
 * token is back, ms until full. Tokens are stored as a string: Lua numbers returned to Redis
 * would lose their fraction.
 */
const TOKEN_BUCKET_STEP = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate)
local allowed = 0
local retry = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  retry = math.ceil((1 - tokens) / rate)
end
local reset = math.ceil((capacity - tokens) / rate)
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], reset + 1000)
`;
const TOKEN_BUCKET = `${TOKEN_BUCKET_STEP}return {allowed, math.floor(tokens), retry, reset}`;
/** The same, plus the value of KEYS[2] (false, i.e. nil, when absent) as a fifth element. */
const TOKEN_BUCKET_AND_GET = `${TOKEN_BUCKET_STEP}return {allowed, math.floor(tokens), retry, reset, redis.call('GET', KEYS[2])}`;

/** ioredis adds a *Buffer variant of each defined command, which returns bulk strings as bytes. */
type TokenBucketClient = Redis & {
  observatoryTakeToken(key: string, capacity: number, perMs: number): Promise<[number, number, number, number]>;
  observatoryTakeTokenAndGetBuffer(bucket: string, key: string, capacity: number, perMs: number): Promise<[number, number, number, number, Buffer | null]>;
};

export interface RedisStoreOptions {
  /** Prefix of every key, so deployments (and test files) sharing a Redis stay apart. */
  prefix: string;
  log: Logger;
  /** Told of every change between connected and not (feeds the redis_up gauge). */
  onAvailability?: (up: boolean) => void;
  /** Whether close() ends the client (false when the caller owns it). */
  ownsClient: boolean;
}

/**
 * A client that never makes a request wait for a dead Redis: no offline queue (commands fail at
 * once while disconnected), a short command timeout, and reconnection forever in the background.
 */
export function connectRedis(url: string, commandTimeoutMs: number): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    commandTimeout: commandTimeoutMs,
    connectTimeout: 2_000,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
  });
}

export class RedisStore implements CacheStore {
  readonly backend = "redis";
  private readonly redis: TokenBucketClient;
  private up: boolean;
  private lastFailureLog = 0;

  constructor(
    redis: Redis,
    private readonly options: RedisStoreOptions,
  ) {
    redis.defineCommand("observatoryTakeToken", { numberOfKeys: 1, lua: TOKEN_BUCKET });
    redis.defineCommand("observatoryTakeTokenAndGet", { numberOfKeys: 2, lua: TOKEN_BUCKET_AND_GET });
    this.redis = redis as TokenBucketClient;
    this.up = redis.status === "ready";
    options.onAvailability?.(this.up);
    redis.on("ready", () => this.mark(true));
    redis.on("close", () => this.mark(false));
    // Without a listener ioredis prints every failed reconnection; the outage is logged once by mark().
    redis.on("error", (err: Error) => options.log.debug({ err: err.message }, "redis error"));
  }

  async get(key: string): Promise<CacheRead> {
    if (!this.up) return { status: "unavailable" };
    try {
      const value = await this.redis.getBuffer(this.options.prefix + key);
      return value === null ? { status: "miss" } : { status: "hit", value };
    } catch (err) {
      this.failed(err);
      return { status: "unavailable" };
    }
  }

  async set(key: string, value: Buffer, ttlSeconds: number): Promise<void> {
    if (!this.up) return;
    try {
      await this.redis.set(this.options.prefix + key, value, "EX", ttlSeconds);
    } catch (err) {
      this.failed(err);
    }
  }

  async take(key: string, { capacity, refillPerSecond }: BucketRule): Promise<BucketState | null> {
    if (!this.up) return null;
    try {
      const [allowed, remaining, retryAfterMs, resetMs] = await this.redis.observatoryTakeToken(
        this.options.prefix + key,
        capacity,
        refillPerSecond / 1000,
      );
      return { allowed: allowed === 1, remaining, retryAfterMs, resetMs };
    } catch (err) {
      this.failed(err);
      return null;
    }
  }

  async takeAndGet(bucket: string, { capacity, refillPerSecond }: BucketRule, key: string): Promise<{ bucket: BucketState | null; read: CacheRead }> {
    if (!this.up) return { bucket: null, read: { status: "unavailable" } };
    try {
      const [allowed, remaining, retryAfterMs, resetMs, value] = await this.redis.observatoryTakeTokenAndGetBuffer(
        this.options.prefix + bucket,
        this.options.prefix + key,
        capacity,
        refillPerSecond / 1000,
      );
      return {
        bucket: { allowed: allowed === 1, remaining, retryAfterMs, resetMs },
        read: value === null ? { status: "miss" } : { status: "hit", value },
      };
    } catch (err) {
      this.failed(err);
      return { bucket: null, read: { status: "unavailable" } };
    }
  }

  async ping(): Promise<boolean> {
    if (!this.up) return false;
    try {
      return (await this.redis.ping()) === "PONG";
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (!this.options.ownsClient) return;
    // quit() needs a live connection; disconnect() also stops reconnection attempts.
    if (this.redis.status === "ready") await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }

  /** A failing command (e.g. a timeout on a stalled connection) is logged at most every 10 s. */
  private failed(err: unknown): void {
    if (Date.now() - this.lastFailureLog < 10_000) return;
    this.lastFailureLog = Date.now();
    this.options.log.warn({ err: err instanceof Error ? err.message : String(err) }, "redis command failed: answering uncached");
  }

  private mark(up: boolean): void {
    if (up === this.up) return;
    this.up = up;
    this.options.onAvailability?.(up);
    if (up) this.options.log.info("redis reachable again: response cache and rate limits resume");
    else this.options.log.warn("redis unreachable: answering uncached and without rate limits until it returns");
  }
}
