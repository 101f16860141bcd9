/**
 * The login roles the migrations create (besides the owner, who runs them). The runner sets their
 * passwords; infra/ connects each service as one of them.
 */
export const dbRoles = {
  /** The collector and the API: DML only. */
  app: "observatory_app",
  /** Grafana: SELECT on everything but api_keys. */
  readonly: "observatory_readonly",
  /** The postgres exporter: pg_monitor and backup_runs. */
  monitor: "observatory_monitor",
} as const;
