import { parseEnv } from "../core/env.js";
import { createLogger, redactUrl } from "../core/logger.js";
import { collectorEnv } from "./config.js";
import { startCollector } from "./server.js";

const config = parseEnv(collectorEnv);
const log = createLogger("collector", config.LOG_LEVEL);
log.info({ database: redactUrl(config.DATABASE_URL) }, "starting collector");
const collector = await startCollector(config, { log });

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "draining");
  const timeout = setTimeout(() => {
    // Whatever was not answered was not acknowledged: exporters retry it elsewhere or later.
    log.error({ seconds: config.COLLECTOR_SHUTDOWN_TIMEOUT_SECONDS }, "drain timed out, exiting");
    process.exit(1);
  }, config.COLLECTOR_SHUTDOWN_TIMEOUT_SECONDS * 1000);
  await collector.close();
  clearTimeout(timeout);
  process.exit(0);
}

process.on("SIGTERM", () => void stop("SIGTERM"));
process.on("SIGINT", () => void stop("SIGINT"));
