import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, test } from "vitest";
import { RedisStore, connectRedis } from "../../services/api/cache/redis-store.js";
import type { CacheRead } from "../../services/api/cache/store.js";
import { silentLog } from "../support/database.js";
import { REDIS_URL, deleteRedisKeys } from "./support/api-harness.js";
import { FaultProxy } from "../support/fault-proxy.js";

const prefix = `obs:test:${randomBytes(4).toString("hex")}:`;
const rule = { capacity: 1_000, refillPerSecond: 1_000 };
const big = (fill: string) => Buffer.alloc(200_000, fill);
let proxy: FaultProxy;
let writer: RedisStore; // another replica, straight to Redis
let reader: RedisStore; // this replica, through the counting relay
let raw: Redis;

const storeOn = async (url: string) => {
  const client = connectRedis(url, 1_000);
  await new Promise((resolve) => client.once("ready", resolve));
  return new RedisStore(client, { prefix, log: silentLog, ownsClient: true, localCopyBytes: 1024 * 1024 });
};

/** The reader's lookup and how many bytes Redis sent for it. */
const lookup = async (key: string) => {
  const before = proxy.bytesFromTarget;
  const { read } = await reader.takeAndGet("rl:k", rule, key);
  await new Promise((r) => setTimeout(r, 20)); // let the relay count the last chunk
  return { read, sent: proxy.bytesFromTarget - before };
};
const valueOf = (read: CacheRead) => (read.status === "hit" ? [read.tag, read.value.toString("latin1", 0, 1), read.value.length] : read.status);

beforeAll(async () => {
  const target = new URL(REDIS_URL);
  proxy = await FaultProxy.start(target.hostname, Number(target.port || 6379));
  writer = await storeOn(REDIS_URL);
  reader = await storeOn(`redis://127.0.0.1:${proxy.port}`);
  raw = new Redis(REDIS_URL);
});
afterAll(async () => {
  await Promise.all([writer?.close(), reader?.close()]);
  raw?.disconnect();
  await proxy?.close();
  await deleteRedisKeys(prefix);
});

test("a value this replica holds is not sent again; a replaced one is", async () => {
  await writer.set("resp:a", { tag: "t1", value: big("a") }, 60);
  const first = await lookup("resp:a");
  expect(valueOf(first.read)).toEqual(["t1", "a", 200_000]);
  expect(first.sent).toBeGreaterThan(200_000);
  // The kept copy owns its memory: it does not pin the client's larger read buffer.
  expect(first.read.status === "hit" && first.read.value.buffer.byteLength).toBe(200_000);

  const second = await lookup("resp:a");
  expect(valueOf(second.read)).toEqual(["t1", "a", 200_000]);
  expect(second.sent).toBeLessThan(200);

  await writer.set("resp:a", { tag: "t2", value: big("b") }, 60);
  const replaced = await lookup("resp:a");
  expect(valueOf(replaced.read)).toEqual(["t2", "b", 200_000]);
  expect(replaced.sent).toBeGreaterThan(200_000);
});

test("what this replica wrote it holds; an expired or deleted value is a miss whatever it holds", async () => {
  await reader.set("resp:b", { tag: "t3", value: big("c") }, 60);
  const own = await lookup("resp:b");
  expect(valueOf(own.read)).toEqual(["t3", "c", 200_000]);
  expect(own.sent).toBeLessThan(200);

  await raw.del(`${prefix}resp:b`);
  expect((await lookup("resp:b")).read.status).toBe("miss");

  await writer.set("resp:c", { tag: "t4", value: big("d") }, 1);
  expect(valueOf((await lookup("resp:c")).read)).toEqual(["t4", "d", 200_000]);
  await new Promise((r) => setTimeout(r, 1_100));
  expect((await lookup("resp:c")).read.status).toBe("miss");
});

test("a value in another format (no tag line) is a miss, and get() reads tagged values too", async () => {
  await raw.set(`${prefix}resp:old`, "written by an older version");
  expect((await lookup("resp:old")).read.status).toBe("miss");
  await writer.set("resp:d", { tag: "t5", value: Buffer.from("{\"ok\":true}") }, 60);
  const read = await reader.get("resp:d");
  expect(read.status === "hit" && [read.tag, read.value.toString()]).toEqual(["t5", '{"ok":true}']);
});
