import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { topology } from "../topology.js";

/** Where Grafana reads provisioning files and the dashboards they point at. */
export const grafanaPaths = {
  datasources: "/etc/grafana/provisioning/datasources/observatory.yml",
  dashboardProviders: "/etc/grafana/provisioning/dashboards/observatory.yml",
  dashboardsDir: "/etc/grafana/dashboards",
} as const;

/** Datasource uids dashboards refer to (issue 7's dashboards use these). */
export const datasourceUids = { prometheus: "observatory-prometheus", timescaledb: "observatory-timescaledb" } as const;

export interface DatasourceArgs {
  database: string;
  readonlyUser: string;
  readonlyPassword: pulumi.Input<string>;
}

/** The datasources file: Prometheus, and TimescaleDB through the readonly role (secret password). */
export function grafanaDatasources(args: DatasourceArgs): pulumi.Output<string> {
  const prometheusUrl = `http://${topology.prometheus.alias}:${topology.prometheus.ports.http.port}`;
  const postgresHost = `${topology.timescaledb.alias}:${topology.timescaledb.ports.postgres.port}`;
  return pulumi.secret(args.readonlyPassword).apply((password) =>
    stringify({
      apiVersion: 1,
      datasources: [
        { name: "Prometheus", uid: datasourceUids.prometheus, type: "prometheus", access: "proxy", url: prometheusUrl, isDefault: true, editable: false },
        {
          name: "TimescaleDB",
          uid: datasourceUids.timescaledb,
          type: "postgres",
          access: "proxy",
          url: postgresHost,
          user: args.readonlyUser,
          editable: false,
          jsonData: { database: args.database, sslmode: "disable", timescaledb: true, postgresVersion: 1600 },
          secureJsonData: { password },
        },
      ],
    }),
  );
}

/** The dashboard provider: every JSON file under the dashboards directory, read-only in the UI. */
export function grafanaDashboardProviders(): string {
  return stringify({
    apiVersion: 1,
    providers: [
      { name: "observatory", folder: "LLM Observatory", type: "file", disableDeletion: true, allowUiUpdates: false, options: { path: grafanaPaths.dashboardsDir } },
    ],
  });
}

/** Dashboards as `{ fileName: json }`; issue 7 adds "LLM usage" and "Stack health". */
export function grafanaDashboards(): Record<string, string> {
  return {};
}
