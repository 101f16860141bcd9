import type pg from "pg";
import type { ApiConfig } from "../config.js";
import type { History } from "../compressed-history.js";
import type { ProjectReads } from "../project-reads.js";

/** What every route plugin is registered with. */
export interface RouteDeps {
  /** Short statements: keys, prices. */
  pool: pg.Pool;
  /** Reads over spans, in turns per project and cancelled when their client leaves. */
  reads: ProjectReads;
  /** Where compressed history ends: the trace list reads it in rounds. */
  history: History;
  config: ApiConfig;
}
