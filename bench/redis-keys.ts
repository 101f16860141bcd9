import type { Redis } from "ioredis";

/** Deletes a benchmark's own keys (its prefix) from the shared Redis. */
export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
}
