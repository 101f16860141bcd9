import { z } from "zod";
import { migrateEnv } from "../../migrations/config.js";
import { logLevel, positiveInt, postgresUrl } from "../core/env.js";

/** Environment of `npm run ops` (and the stack's backup job). */
export const opsEnv = z.object({
  /** Owner connection: restore recreates tables, maintenance vacuums them. */
  DATABASE_URL: postgresUrl,
  LOG_LEVEL: logLevel,
  BACKUP_DIR: z.string().min(1).default("backups"),
  /** Backups kept in BACKUP_DIR; older ones are deleted after each backup. */
  BACKUP_KEEP: positiveInt(7),
  /** `retention apply`'s window for rollups unless --rollup-days; the same variable (and default) the migrations' policy reads. */
  ROLLUP_RETENTION_DAYS: migrateEnv.shape.ROLLUP_RETENTION_DAYS,
});

export type OpsConfig = z.output<typeof opsEnv>;
