import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import type { StackConfig } from "../config.js";
import { topology } from "../topology.js";
import { llmUsageDashboard } from "./dashboards/llm-usage.js";
import { stackHealthDashboard } from "./dashboards/stack-health.js";
import { datasourceTypes, datasourceUids } from "./datasource-uids.js";

/** Where Grafana reads provisioning files and the dashboards they point at. */
export const grafanaPaths = {
  datasources: "/etc/grafana/provisioning/datasources/observatory.yml",
  dashboardProviders: "/etc/grafana/provisioning/dashboards/observatory.yml",
  dashboardsDir: "/etc/grafana/dashboards",
} as const;

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
        { name: "Prometheus", uid: datasourceUids.prometheus, type: datasourceTypes.prometheus, access: "proxy", url: prometheusUrl, isDefault: true, editable: false },
        {
          name: "TimescaleDB",
          uid: datasourceUids.timescaledb,
          type: datasourceTypes.postgres,
          access: "proxy",
          url: postgresHost,
          user: args.readonlyUser,
          editable: false,
          // timescaledb off: $__timeGroup then expands to floor(extract(epoch ...)), which the panels' tests
          // run on plain PostgreSQL; the panels read per-minute rollups, so time_bucket would gain nothing.
          jsonData: { database: args.database, sslmode: "disable", timescaledb: false, postgresVersion: 1600 },
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

/** Dashboards as `{ fileName: json }`, the files the provider above loads. */
export function grafanaDashboards(monitoring: StackConfig["monitoring"]): Record<string, string> {
  const json = (d: object) => `${JSON.stringify(d, null, 2)}\n`;
  return { "llm-usage.json": json(llmUsageDashboard(monitoring)), "stack-health.json": json(stackHealthDashboard()) };
}
