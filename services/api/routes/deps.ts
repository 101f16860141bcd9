import type pg from "pg";
import type { ApiConfig } from "../config.js";

/** What every route plugin is registered with. */
export interface RouteDeps {
  pool: pg.Pool;
  config: ApiConfig;
}
