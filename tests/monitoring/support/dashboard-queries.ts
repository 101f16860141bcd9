import { grafanaDashboards } from "../../../infra/monitoring/grafana-provisioning.js";
import type { StackConfig } from "../../../infra/config.js";

export interface Target {
  refId: string;
  datasource: { type: string; uid: string };
  expr?: string;
  rawSql?: string;
  format?: string;
}

export interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource: { type: string; uid: string };
  targets: Target[];
}

export interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: { name: string; type: string; query: string; datasource?: { type: string; uid: string } }[] };
}

/** The dashboards exactly as the Grafana component uploads them, parsed. */
export function dashboardsOf(monitoring: StackConfig["monitoring"]): Dashboard[] {
  return Object.values(grafanaDashboards(monitoring)).map((json) => JSON.parse(json) as Dashboard);
}

export interface PanelTarget {
  where: string;
  panel: Panel;
  target: Target;
}

export function panelTargets(dashboards: Dashboard[]): PanelTarget[] {
  return dashboards.flatMap((d) => d.panels.flatMap((panel) => panel.targets.map((target) => ({ where: `${d.title} / ${panel.title} / ${target.refId}`, panel, target }))));
}

export const promTargets = (dashboards: Dashboard[]) => panelTargets(dashboards).filter((t) => t.target.expr !== undefined);
export const sqlTargets = (dashboards: Dashboard[]) => panelTargets(dashboards).filter((t) => t.target.rawSql !== undefined);
