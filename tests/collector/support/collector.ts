import pg from "pg";
import { createApiKey } from "../../../services/core/api-keys.js";
import { parseEnv } from "../../../services/core/env.js";
import { collectorEnv, type CollectorConfig } from "../../../services/collector/config.js";
import { startCollector, type RunningCollector } from "../../../services/collector/server.js";
import { migratedDatabase, silentLog, type TestDatabase } from "../../support/database.js";

export interface CollectorUnderTest {
  db: TestDatabase;
  /** A pool of the test's own, for assertions. */
  pool: pg.Pool;
  collector: RunningCollector;
  /** An ingest key for the project "acme". */
  key: string;
  httpUrl: string;
  grpcUrl: string;
  stop(): Promise<void>;
}

/** Collector settings for tests: OS-assigned ports; `overrides` as environment strings. */
export function testConfig(databaseUrl: string, overrides: Record<string, string> = {}): CollectorConfig {
  return parseEnv(collectorEnv, { DATABASE_URL: databaseUrl, OTLP_GRPC_PORT: "0", OTLP_HTTP_PORT: "0", LOG_LEVEL: "silent", ...overrides });
}

/** A migrated database with a project "acme" and its ingest key, and a collector on it. */
export async function startTestCollector(overrides: Record<string, string> = {}, collectorDatabaseUrl?: (url: string) => string): Promise<CollectorUnderTest> {
  const db = await migratedDatabase("obs_collector");
  const pool = new pg.Pool({ connectionString: db.url, max: 3 });
  await pool.query("INSERT INTO projects (id, name) VALUES ('acme', 'Acme')");
  const { key } = await createApiKey(pool, "acme", "test", ["ingest"]);
  const url = collectorDatabaseUrl ? collectorDatabaseUrl(db.url) : db.url;
  const collector = await startCollector(testConfig(url, overrides), { log: silentLog });
  return {
    db,
    pool,
    collector,
    key,
    httpUrl: `http://127.0.0.1:${collector.httpPort}`,
    grpcUrl: `http://127.0.0.1:${collector.grpcPort}`,
    stop: async () => {
      await collector.close();
      await pool.end();
      await db.drop();
    },
  };
}
