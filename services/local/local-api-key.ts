import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type pg from "pg";
import { ApiKeyResolver, createApiKey } from "../core/api-keys.js";

/**
 * The key `npm start` hands to local exporters: made once (ingest, read and admin on the default
 * project), kept in the data folder (0600, ignored by git), reused while the database knows it.
 */
export async function localApiKey(pool: pg.Pool, dataDir: string): Promise<string> {
  const file = join(dataDir, "local-api-key");
  if (existsSync(file)) {
    const key = (await readFile(file, "utf8")).trim();
    if (await new ApiKeyResolver(pool, 0).resolve(key)) return key;
  }
  const { key } = await createApiKey(pool, "default", "local (npm start)", ["ingest", "read", "admin"]);
  await writeFile(file, key + "\n", { mode: 0o600 });
  return key;
}
