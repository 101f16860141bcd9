import type { AddressInfo } from "node:net";
import * as grpc from "@grpc/grpc-js";
import type pg from "pg";
import { ApiKeyResolver } from "../core/api-keys.js";
import { ReachabilityProbe, createPool } from "../core/db.js";
import { createLogger, type Logger } from "../core/logger.js";
import { IngestPipeline } from "../core/pipeline.js";
import { PriceBook } from "../core/pricing.js";
import { SpanWriter } from "../core/span-writer.js";
import type { CollectorConfig } from "./config.js";
import { ExportHandler } from "./export-handler.js";
import { createGrpcServer } from "./grpc-server.js";
import { createHttpServer } from "./http-server.js";
import { collectorMetrics, pipelineMetrics } from "./metrics.js";

export interface RunningCollector {
  grpcPort: number;
  httpPort: number;
  pipeline: IngestPipeline;
  /** Stops accepting, answers every export in flight (after its spans are committed), then stops. */
  close(): Promise<void>;
}

function bindGrpc(server: grpc.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(`${host}:${port}`, grpc.ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound)));
  });
}

export async function startCollector(config: CollectorConfig, deps: { pool?: pg.Pool; log?: Logger } = {}): Promise<RunningCollector> {
  const log = deps.log ?? createLogger("collector", config.LOG_LEVEL);
  // Writers plus room for key lookups, price reloads and readiness checks.
  const pool =
    deps.pool ??
    createPool(config.DATABASE_URL, { max: config.COLLECTOR_WRITERS + 3, applicationName: "observatory-collector", statementTimeoutMs: config.COLLECTOR_STATEMENT_TIMEOUT_MS });
  const probe = new ReachabilityProbe(pool);
  const pipeline = new IngestPipeline({
    writer: new SpanWriter(pool),
    prices: new PriceBook(pool, config.COLLECTOR_PRICE_REFRESH_SECONDS * 1000),
    capacitySpans: config.COLLECTOR_QUEUE_MAX_SPANS,
    batchMaxSpans: config.COLLECTOR_BATCH_MAX_SPANS,
    batchMaxWaitMs: config.COLLECTOR_BATCH_MAX_WAIT_MS,
    writers: config.COLLECTOR_WRITERS,
    log,
    hooks: pipelineMetrics,
  });
  collectorMetrics.queueCapacity.set(config.COLLECTOR_QUEUE_MAX_SPANS);
  if (config.COLLECTOR_AUTH_DISABLED) log.warn("authentication is disabled: every export goes to the default project (dev only)");
  const keys = config.COLLECTOR_AUTH_DISABLED ? null : new ApiKeyResolver(pool, config.COLLECTOR_KEY_CACHE_SECONDS * 1000);
  const handler = new ExportHandler(pipeline, keys, config.COLLECTOR_DEFAULT_PROJECT, log);

  let draining = false;
  const httpServer = createHttpServer({
    handler,
    draining: () => draining,
    maxBodyBytes: config.COLLECTOR_MAX_BODY_BYTES,
    log,
    readiness: async () => {
      const database = await probe.reachable();
      return { ready: database && !pipeline.saturated, database, queueSaturated: pipeline.saturated };
    },
  });
  const grpcServer = createGrpcServer(handler, config.COLLECTOR_MAX_BODY_BYTES);
  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(config.OTLP_HTTP_PORT, config.COLLECTOR_HOST, () => resolve());
  });
  const grpcPort = await bindGrpc(grpcServer, config.COLLECTOR_HOST, config.OTLP_GRPC_PORT);
  const httpPort = (httpServer.address() as AddressInfo).port;
  log.info({ grpcPort, httpPort, authDisabled: config.COLLECTOR_AUTH_DISABLED }, "collector listening");

  return {
    grpcPort,
    httpPort,
    pipeline,
    close: async () => {
      // No new connections; exports already submitted are answered once committed, later ones get
      // backpressure (the pipeline is closing) so their clients retry elsewhere or later.
      draining = true;
      await Promise.all([
        new Promise<void>((resolve) => httpServer.close(() => resolve())),
        new Promise<void>((resolve) => grpcServer.tryShutdown(() => resolve())),
        pipeline.close(),
      ]);
      if (!deps.pool) await pool.end();
      log.info("collector stopped");
    },
  };
}
