/** Datasource uids: the provisioning file declares them, every dashboard panel refers to them. */
export const datasourceUids = { prometheus: "observatory-prometheus", timescaledb: "observatory-timescaledb" } as const;

/**
 * Datasource plugin ids. Grafana's PostgreSQL plugin is `grafana-postgresql-datasource`; `postgres`
 * survives only as an alias (aliasIDs in its plugin.json), so files use the id Grafana 12 exports.
 */
export const datasourceTypes = { prometheus: "prometheus", postgres: "grafana-postgresql-datasource" } as const;
