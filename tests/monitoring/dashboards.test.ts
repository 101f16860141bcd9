import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { parse, stringify } from "yaml";
import { pinnedImages } from "../../infra/images.js";
import { datasourceTypes } from "../../infra/monitoring/datasource-uids.js";
import { grafanaPaths } from "../../infra/monitoring/grafana-provisioning.js";
import { containerOf, uploadOf } from "../infra/stack-queries.js";
import { runStack } from "../support/pulumi-stack.js";
import type { Dashboard } from "./support/dashboard-queries.js";
import { panelTargets, promTargets } from "./support/dashboard-queries.js";
import { promtool } from "./support/promtool.js";
import { writeUploads } from "./support/stack-files.js";

interface Datasource { name: string; uid: string; type: string; user?: string; jsonData?: Record<string, unknown>; secureJsonData?: Record<string, string> }

describe("Grafana's provisioning files as the prod stack uploads them", () => {
  let datasources: Datasource[];
  let providerPath: string;
  let dashboards: Dashboard[];

  beforeAll(async () => {
    const { resources } = await runStack("prod");
    const grafana = containerOf(resources, "grafana");
    datasources = (parse(uploadOf(grafana, grafanaPaths.datasources)) as { datasources: Datasource[] }).datasources;
    providerPath = (parse(uploadOf(grafana, grafanaPaths.dashboardProviders)) as { providers: { options: { path: string } }[] }).providers[0]!.options.path;
    dashboards = grafana.inputs.uploads!.filter((u) => u.file.startsWith(`${providerPath}/`)).map((u) => JSON.parse(u.content as string) as Dashboard);
  });

  test("the provider's directory holds the two dashboards, each with its own uid", () => {
    expect(dashboards.map((d) => [d.uid, d.title, d.schemaVersion])).toEqual([
      ["observatory-llm-usage", "LLM usage", 39],
      ["observatory-stack-health", "Stack health", 39],
    ]);
  });

  test("TimescaleDB is read through the readonly role with the secret password, macros expanded without time_bucket", () => {
    const pg = datasources.find((d) => d.type === datasourceTypes.postgres)!;
    expect(pg).toMatchObject({ user: "observatory_readonly", jsonData: { database: "observatory", timescaledb: false } });
    // Grafana picks SQL features by this number: the major of the pinned image (timescaledb:...-pg16 -> 1600).
    expect(pg.jsonData?.["postgresVersion"]).toBe(Number(/-pg(\d+)/.exec(pinnedImages.timescaledb.ref)![1]) * 100);
    expect(pg.secureJsonData?.password).toBe("mock-secret-secrets-db-readonly-0123456789abcdef");
  });

  test("every panel, target and variable refers to a provisioned datasource by uid and type", () => {
    const provisioned = new Set(datasources.map((d) => `${d.type}/${d.uid}`));
    const refs = [
      ...dashboards.flatMap((d) => d.panels.map((p) => ({ where: `${d.title} / ${p.title}`, ref: p.datasource }))),
      ...panelTargets(dashboards).map((t) => ({ where: t.where, ref: t.target.datasource })),
      ...dashboards.flatMap((d) => d.templating.list.filter((v) => v.datasource).map((v) => ({ where: `${d.title} / $${v.name}`, ref: v.datasource! }))),
    ];
    expect(refs.length).toBeGreaterThan(30);
    expect(refs.filter((r) => !provisioned.has(`${r.ref.type}/${r.ref.uid}`)).map((r) => r.where)).toEqual([]);
    // Each target queries the panel's own datasource, SQL only TimescaleDB, PromQL only Prometheus.
    for (const t of panelTargets(dashboards)) {
      expect(t.target.datasource, t.where).toEqual(t.panel.datasource);
      expect(t.target.datasource.type, t.where).toBe(t.target.rawSql !== undefined ? "grafana-postgresql-datasource" : "prometheus");
    }
  });

  test("every panel is a core panel of Grafana 12 (its AngularJS panels such as graph and singlestat are gone)", () => {
    const types = new Set(dashboards.flatMap((d) => d.panels.map((p) => p.type)));
    expect([...types].sort()).toEqual(["stat", "table", "timeseries"]);
  });

  test("panel ids are unique and panels tile the 24-column grid without overlapping", () => {
    for (const d of dashboards) {
      expect(new Set(d.panels.map((p) => p.id)).size, d.title).toBe(d.panels.length);
      const cells = new Set<string>();
      for (const { gridPos: g, title } of d.panels) {
        expect(g.x + g.w, title).toBeLessThanOrEqual(24);
        for (let x = g.x; x < g.x + g.w; x++) for (let y = g.y; y < g.y + g.h; y++) {
          expect(cells.has(`${x},${y}`), `${d.title} / ${title} overlaps at ${x},${y}`).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
    }
  });

  test("every PromQL expression of the dashboards parses (promtool check rules, each as a recording rule)", async () => {
    const targets = promTargets(dashboards);
    const rules = targets.map((t, i) => ({ record: `dashboard:expression_${i}`, expr: t.target.expr! }));
    const root = await writeUploads([]);
    const file = join(root, "dashboard-expressions.yml");
    await writeFile(file, stringify({ groups: [{ name: "dashboards", rules }] }));
    const result = await promtool(["check", "rules", file]);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain(`SUCCESS: ${targets.length} rules found`);
  });
});
