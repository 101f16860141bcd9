import { datasourceTypes, datasourceUids } from "../datasource-uids.js";

/** Datasource references as dashboards carry them; the uids are those the provisioning file declares. */
export const prometheusSource = { type: datasourceTypes.prometheus, uid: datasourceUids.prometheus } as const;
export const postgresSource = { type: datasourceTypes.postgres, uid: datasourceUids.timescaledb } as const;

export interface PromQuery {
  expr: string;
  legend?: string;
}

/** Raw SQL with Grafana's macros; `table` for rows, `time_series` for a time column plus values. */
export interface SqlQuery {
  sql: string;
  format: "table" | "time_series";
}

export type PanelQuery = PromQuery | SqlQuery;

export interface PanelSpec {
  title: string;
  description: string;
  type: "timeseries" | "stat" | "table";
  queries: PanelQuery[];
  unit?: string;
  /** Grid width of 24 columns; rows fill left to right. */
  width?: number;
  /** A red line (timeseries) or threshold (stat) at this value. */
  threshold?: number;
  /** Shortest interval Grafana picks for $__interval (the rollups are per minute). */
  minInterval?: string;
}

const isSql = (q: PanelQuery): q is SqlQuery => "sql" in q;

function target(q: PanelQuery, i: number) {
  const refId = String.fromCharCode(65 + i);
  return isSql(q)
    ? { refId, datasource: postgresSource, editorMode: "code", rawQuery: true, format: q.format, rawSql: q.sql }
    : { refId, datasource: prometheusSource, editorMode: "code", range: true, expr: q.expr, legendFormat: q.legend ?? "__auto" };
}

function thresholds(value: number | undefined) {
  const steps: { color: string; value: number | null }[] = [{ color: "green", value: null }];
  if (value !== undefined) steps.push({ color: "red", value });
  return { mode: "absolute", steps };
}

/** Grafana panel JSON for each spec, laid out in rows of 24 columns, 8 units high. */
export function panels(specs: PanelSpec[]): object[] {
  let x = 0;
  let y = 0;
  return specs.map((spec, i) => {
    const w = spec.width ?? 12;
    if (x + w > 24) {
      x = 0;
      y += 8;
    }
    const gridPos = { x, y, w, h: 8 };
    x += w;
    const sql = spec.queries.every(isSql);
    return {
      id: i + 1,
      type: spec.type,
      title: spec.title,
      description: spec.description,
      gridPos,
      datasource: sql ? postgresSource : prometheusSource,
      ...(spec.minInterval ? { interval: spec.minInterval } : {}),
      targets: spec.queries.map(target),
      fieldConfig: {
        defaults: {
          unit: spec.unit ?? "short",
          thresholds: thresholds(spec.threshold),
          ...(spec.type === "timeseries" && spec.threshold !== undefined ? { custom: { thresholdsStyle: { mode: "line" } } } : {}),
        },
        overrides: [],
      },
      options: spec.type === "table" ? { showHeader: true } : spec.type === "stat" ? { reduceOptions: { calcs: ["lastNotNull"], fields: "", values: false } } : {},
    };
  });
}

/** A dashboard in Grafana's JSON model, ready for the file provisioner. */
export function dashboard(uid: string, title: string, specs: PanelSpec[], templating: object[] = []): object {
  return {
    uid,
    title,
    tags: ["llm-observatory"],
    timezone: "utc",
    editable: false,
    schemaVersion: 39,
    version: 1,
    refresh: "1m",
    time: { from: "now-24h", to: "now" },
    annotations: { list: [] },
    templating: { list: templating },
    panels: panels(specs),
  };
}
