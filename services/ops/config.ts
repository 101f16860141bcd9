import { z } from "zod";
import { logLevel, positiveInt, postgresUrl } from "../core/env.js";

/** Environment of `npm run ops` (and the stack's backup job). */
export const opsEnv = z.object({
  /** Owner connection: restore recreates tables, maintenance vacuums them. */
  DATABASE_URL: postgresUrl,
  LOG_LEVEL: logLevel,
  BACKUP_DIR: z.string().min(1).default("backups"),
  /** Backups kept in BACKUP_DIR; older ones are deleted after each backup. */
  BACKUP_KEEP: positiveInt(7),
});

export type OpsConfig = z.output<typeof opsEnv>;
