import { parseEnv } from "../core/env.js";
import { createLogger } from "../core/logger.js";
import { runIfMain } from "../core/run-main.js";
import { buildApi } from "./app.js";
import { apiEnv } from "./config.js";

/** Process entry of the query API: listens until SIGTERM/SIGINT, then closes fastify, the pool and Redis. */
async function main(): Promise<number> {
  const config = parseEnv(apiEnv);
  const log = createLogger("api", config.LOG_LEVEL);
  const app = await buildApi(config, { log });
  await app.listen({ host: config.API_HOST, port: config.API_PORT });
  await new Promise<void>((resolve) => {
    process.once("SIGTERM", () => resolve());
    process.once("SIGINT", () => resolve());
  });
  log.info("shutting down");
  await app.close();
  return 0;
}

runIfMain(import.meta.url, "api", main);
