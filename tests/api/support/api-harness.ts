import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { Redis } from "ioredis";
import pg from "pg";
import { createApiKey, type Scope } from "../../../services/core/api-keys.js";
import { parseEnv } from "../../../services/core/env.js";
import { type Api, buildApi } from "../../../services/api/app.js";
import { apiEnv } from "../../../services/api/config.js";
import { type TestDatabase, migratedDatabase, silentLog } from "../../support/database.js";

export const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
export const BOOTSTRAP_KEY = "bootstrap-admin-key-for-tests-0123456789";

/** The native spans of tests/fixtures/api_spans.json, per project. */
export type NativeSpan = Record<string, any>;
export const FIXTURES = JSON.parse(readFileSync(new URL("../../fixtures/api_spans.json", import.meta.url), "utf8")) as {
  alpha: NativeSpan[];
  beta: NativeSpan[];
};

/** Configuration for one test app; each test file gets a Redis key prefix of its own. */
export function apiConfig(databaseUrl: string, prefix: string, env: Record<string, string> = {}) {
  return parseEnv(apiEnv, {
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    LOG_LEVEL: "silent",
    BOOTSTRAP_ADMIN_KEY: BOOTSTRAP_KEY,
    API_REDIS_KEY_PREFIX: prefix,
    ...env,
  });
}

/** Deletes this test file's Redis keys only (the server is shared). */
export async function deleteRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}

export interface Harness {
  db: TestDatabase;
  pool: pg.Pool;
  app: Api;
  prefix: string;
  keys: Record<"alpha" | "beta", Record<Scope, string>>;
  close(): Promise<void>;
}

/**
 * A migrated database with projects alpha and beta (a key per scope each), an API on it, and
 * every fixture span ingested through POST /api/v1/spans (the real pipeline and writer).
 */
export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  const db = await migratedDatabase("obs_api");
  const pool = new pg.Pool({ connectionString: db.url, max: 4 });
  const prefix = `obs:test:${randomBytes(4).toString("hex")}:`;
  const keys = {} as Harness["keys"];
  for (const project of ["alpha", "beta"] as const) {
    await pool.query("INSERT INTO projects (id, name) VALUES ($1, $1)", [project]);
    keys[project] = {} as Record<Scope, string>;
    for (const scope of ["read", "ingest", "admin"] as const) keys[project][scope] = (await createApiKey(pool, project, scope, [scope])).key;
  }
  const app = await buildApi(apiConfig(db.url, prefix, env), { log: silentLog });
  // The API does not wait for Redis; tests about caching need it connected.
  for (let i = 0; i < 100 && (await app.inject({ method: "GET", url: "/ready" })).json().redis !== "up"; i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  for (const project of ["alpha", "beta"] as const) {
    const res = await app.inject({
      method: "POST",
      url: "/api/v1/spans",
      headers: { authorization: `Bearer ${keys[project].ingest}` },
      payload: FIXTURES[project],
    });
    if (res.statusCode !== 200 || res.json().accepted !== FIXTURES[project].length) throw new Error(`fixture ingest failed: ${res.body}`);
  }
  return {
    db,
    pool,
    app,
    prefix,
    keys,
    close: async () => {
      await app.close();
      await pool.end();
      await deleteRedisKeys(prefix);
      await db.drop();
    },
  };
}

/** GET with a key; the parsed body and the response. */
export async function get(app: Api, url: string, key: string, headers: Record<string, string> = {}) {
  const res = await app.inject({ method: "GET", url, headers: { authorization: `Bearer ${key}`, ...headers } });
  return { status: res.statusCode, body: res.body ? (String(res.headers["content-type"]).includes("json") ? res.json() : res.body) : null, headers: res.headers };
}
