import { z } from "zod";
import { logLevel, positiveInt, postgresUrl } from "../services/core/env.js";

/** Environment of the migrations runner (the stack's one-shot job and `npm run migrate`). */
export const migrateEnv = z.object({
  /** Connects as the owner role: migrations create and alter tables. */
  DATABASE_URL: postgresUrl,
  LOG_LEVEL: logLevel,
  /** Login passwords set (as SCRAM verifiers) for the app and readonly roles; unset leaves them NOLOGIN. */
  DB_APP_PASSWORD: z.string().min(12).optional(),
  DB_READONLY_PASSWORD: z.string().min(12).optional(),
  /** The postgres exporter's role (pg_monitor). */
  DB_MONITOR_PASSWORD: z.string().min(12).optional(),
  /** TimescaleDB only: raw spans older than this are dropped by the retention policy. */
  RETENTION_DAYS: positiveInt(30),
  /** Rollups (what dashboards read) older than this are dropped: by the policy on TimescaleDB, by `ops retention apply` elsewhere. */
  ROLLUP_RETENTION_DAYS: positiveInt(400),
  /** How long to wait for the database to accept connections. */
  MIGRATE_WAIT_SECONDS: positiveInt(60),
});

export type MigrateConfig = z.output<typeof migrateEnv>;
