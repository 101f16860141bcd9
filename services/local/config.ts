import { z } from "zod";
import { logLevel, postgresUrl } from "../core/env.js";

/** Environment of `npm start`, beyond what the collector and API read themselves. */
export const localEnv = z.object({
  /** Unset: an embedded PostgreSQL under OBSERVATORY_DATA_DIR. */
  DATABASE_URL: postgresUrl.optional(),
  LOG_LEVEL: logLevel,
  /** Embedded database, local API key; ignored by git. */
  OBSERVATORY_DATA_DIR: z.string().min(1).default(".data"),
});
