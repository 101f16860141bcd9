/** Datasource uids: the provisioning file declares them, every dashboard panel refers to them. */
export const datasourceUids = { prometheus: "observatory-prometheus", timescaledb: "observatory-timescaledb" } as const;
