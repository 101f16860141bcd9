import { Redis } from "ioredis";
import type { Logger } from "../../core/logger.js";
import { Lru } from "./lru.js";
import { own } from "./own.js";
import type { BucketRule, BucketState, CacheRead, CacheStore, Tagged } from "./store.js";

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
/**
 * The same, plus as a fifth element the value of KEYS[2] (false, i.e. nil, when absent), or 1
 * when it is the one tagged ARGV[3]: the caller holds that value already, so it is not sent.
 */
const TOKEN_BUCKET_AND_GET = `${TOKEN_BUCKET_STEP}
local value = redis.call('GET', KEYS[2])
local held = ARGV[3] .. '\\n'
if value and ARGV[3] ~= '' and string.sub(value, 1, #held) == held then value = 1 end
return {allowed, math.floor(tokens), retry, reset, value}`;

/** Stored as the tag, a newline, then the value's bytes. */
function encode({ tag, value }: Tagged): Buffer {
  return Buffer.concat([Buffer.from(`${tag}\n`, "latin1"), value]);
}

/** null for a value in another format (written by an older version): a miss, to be overwritten. */
function decode(stored: Buffer): Tagged | null {
  const newline = stored.indexOf(0x0a);
  return newline < 0 ? null : { tag: stored.toString("latin1", 0, newline), value: own(stored.subarray(newline + 1)) };
}

/** ioredis adds a *Buffer variant of each defined command, which returns bulk strings as bytes. */
type TokenBucketClient = Redis & {
  observatoryTakeToken(key: string, capacity: number, perMs: number): Promise<[number, number, number, number]>;
  observatoryTakeTokenAndGetBuffer(
    bucket: string,
    key: string,
    capacity: number,
    perMs: number,
    heldTag: string,
  ): Promise<[number, number, number, number, Buffer | 1 | null]>;
};

export interface RedisStoreOptions {
  /** Prefix of every key, so deployments (and test files) sharing a Redis stay apart. */
  prefix: string;
  log: Logger;
  /** Told of every change between connected and not (feeds the redis_up gauge). */
  onAvailability?: (up: boolean) => void;
  /** Whether close() ends the client (false when the caller owns it). */
  ownsClient: boolean;
  /** Bytes of recently read or written values kept in this process (see RedisStore). */
  localCopyBytes: number;
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

/**
 * Values live in Redis, shared by every replica. Each replica also keeps copies of the values it
 * lately wrote or read, and a lookup tells Redis the tag of the copy it holds: Redis then answers
 * "unchanged" instead of sending the value again (a dashboard's 300 kB series costs a 40-byte
 * reply). Redis stays the authority: an expired or replaced value is never answered from a copy.
 */
export class RedisStore implements CacheStore {
  readonly backend = "redis";
  private readonly redis: TokenBucketClient;
  private readonly copies: Lru<Tagged>;
  private up: boolean;
  private lastFailureLog = 0;

  constructor(
    redis: Redis,
    private readonly options: RedisStoreOptions,
  ) {
    redis.defineCommand("observatoryTakeToken", { numberOfKeys: 1, lua: TOKEN_BUCKET });
    redis.defineCommand("observatoryTakeTokenAndGet", { numberOfKeys: 2, lua: TOKEN_BUCKET_AND_GET });
    this.redis = redis as TokenBucketClient;
    this.copies = new Lru(options.localCopyBytes, (t) => t.value.length);
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
      const stored = await this.redis.getBuffer(this.options.prefix + key);
      return this.read(key, stored && decode(stored));
    } catch (err) {
      this.failed(err);
      return { status: "unavailable" };
    }
  }

  async set(key: string, entry: Tagged, ttlSeconds: number): Promise<void> {
    if (!this.up) return;
    try {
      await this.redis.set(this.options.prefix + key, encode(entry), "EX", ttlSeconds);
      this.copies.set(key, { tag: entry.tag, value: own(entry.value) });
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
      const held = this.copies.get(key);
      const [allowed, remaining, retryAfterMs, resetMs, value] = await this.redis.observatoryTakeTokenAndGetBuffer(
        this.options.prefix + bucket,
        this.options.prefix + key,
        capacity,
        refillPerSecond / 1000,
        held?.tag ?? "",
      );
      return {
        bucket: { allowed: allowed === 1, remaining, retryAfterMs, resetMs },
        read: this.read(key, value === 1 ? held! : value && decode(value)),
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

  /** A lookup's answer, remembered as this process's copy (or forgotten when Redis has none). */
  private read(key: string, entry: Tagged | null): CacheRead {
    if (!entry) {
      this.copies.delete(key);
      return { status: "miss" };
    }
    this.copies.set(key, entry);
    return { status: "hit", ...entry };
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
