import { resolve } from "node:path";
import { buildApi } from "./api/app.js";
import { apiEnv } from "./api/config.js";
import { startCollector } from "./collector/server.js";
import { collectorEnv } from "./collector/config.js";
import { createPool } from "./core/db.js";
import { parseEnv } from "./core/env.js";
import { createLogger, redactUrl } from "./core/logger.js";
import { migrateUp } from "../migrations/runner.js";
import { banner } from "./local/banner.js";
import { localEnv } from "./local/config.js";
import { embeddedDatabaseBlocked, startEmbeddedDatabase } from "./local/embedded-database.js";
import { localApiKey } from "./local/local-api-key.js";
import { ensureUiBuilt } from "./local/ui-build.js";

/**
 * `npm start`: the whole observatory in one process. Without DATABASE_URL it runs an embedded
 * PostgreSQL under the data folder; without REDIS_URL the API caches in memory. Collector and API
 * share one pool and one ingest pipeline.
 */
const local = parseEnv(localEnv);
const log = createLogger("observatory", local.LOG_LEVEL);
const dataDir = resolve(local.OBSERVATORY_DATA_DIR);

// Before anything starts: a folder the embedded server cannot reach is said in one sentence.
const blocked = local.DATABASE_URL ? undefined : await embeddedDatabaseBlocked(dataDir);
if (blocked) {
  process.stderr.write(`${blocked}\n`);
  process.exit(1);
}
await ensureUiBuilt(log);
const embedded = local.DATABASE_URL ? undefined : await startEmbeddedDatabase(dataDir, log);
const databaseUrl = local.DATABASE_URL ?? embedded!.url;
log.info({ database: redactUrl(databaseUrl) }, embedded ? "embedded database started" : "using DATABASE_URL");

// Local defaults: listen on loopback only, unless the environment says otherwise.
const env = { API_HOST: "127.0.0.1", COLLECTOR_HOST: "127.0.0.1", ...process.env, DATABASE_URL: databaseUrl };
const collectorConfig = parseEnv(collectorEnv, env);
const apiConfig = parseEnv(apiEnv, env);

await migrateUp({ databaseUrl, log, waitSeconds: 30 });
const pool = createPool(databaseUrl, {
  max: collectorConfig.COLLECTOR_WRITERS + apiConfig.API_DB_POOL_MAX,
  applicationName: "observatory-local",
  statementTimeoutMs: Math.max(collectorConfig.COLLECTOR_STATEMENT_TIMEOUT_MS, apiConfig.API_STATEMENT_TIMEOUT_MS),
});
const apiKey = await localApiKey(pool, dataDir);
const collector = await startCollector(collectorConfig, { pool, log });
const api = await buildApi(apiConfig, { pool, log, pipeline: collector.pipeline });
await api.listen({ host: apiConfig.API_HOST, port: apiConfig.API_PORT });
const { port: apiPort } = api.server.address() as { port: number };

process.stdout.write(
  banner({ apiPort, grpcPort: collector.grpcPort, httpPort: collector.httpPort, apiKey, embedded: !!embedded, cache: apiConfig.REDIS_URL ? "Redis cache" : "in-process cache" }),
);

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "draining and stopping");
  await api.close();
  await collector.close();
  await pool.end();
  await embedded?.stop();
  process.exit(0);
}
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
