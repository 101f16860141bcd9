import type { Redis } from "ioredis";
import type pg from "pg";
import type { TestDatabase } from "../tests/support/database.js";
import { deleteKeys } from "./redis-keys.js";

/** What an API benchmark leaves behind: its API process, its Redis keys, its pool and database. */
export async function teardown(r: { stopApi?: () => Promise<unknown>; redis: Redis; prefix: string; pool: pg.Pool; db: TestDatabase }): Promise<void> {
  await r.stopApi?.();
  await deleteKeys(r.redis, r.prefix);
  r.redis.disconnect();
  await r.pool.end();
  await r.db.drop();
}
