import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parse, stringify } from "yaml";
import { recordBackupCommand } from "../../infra/backup-job.js";
import { alertRules } from "../../infra/monitoring/alert-rules.js";
import { exporterMetrics } from "../../infra/monitoring/exporter-metrics.js";
import { postgresExporterQueriesFile } from "../../infra/monitoring/postgres-exporter-queries.js";
import { prometheusPaths } from "../../infra/monitoring/prometheus-config.js";
import { recordingRules } from "../../infra/monitoring/recording-rules.js";
import { prometheusUploads } from "../../infra/prometheus.js";
import { topology } from "../../infra/topology.js";
import { buildApi, type Api } from "../../services/api/app.js";
import { apiConfig, deleteRedisKeys, REDIS_URL } from "../api/support/api-harness.js";
import { type CollectorUnderTest, startTestCollector } from "../collector/support/collector.js";
import { jsonBody, post } from "../collector/support/otlp-bodies.js";
import { silentLog } from "../support/database.js";
import { dashboardsOf, promTargets } from "./support/dashboard-queries.js";
import { type Running, startOnFreePort, until } from "./support/processes.js";
import { configOf, writeUploads } from "./support/stack-files.js";

/**
 * The real Prometheus (Debian's 2.42) with the dev stack's generated configuration and rules,
 * targets rewritten to local addresses: an in-process collector and API, and Debian's postgres
 * and redis exporters (0.11.1 and 1.45.0, standing in for the pinned images, whose metric names
 * metric-names.test.ts holds against their sources) on the host's PostgreSQL and Redis. Scrape and
 * evaluation every second; every wait is bounded.
 */
const config = configOf("dev");
const pricedSpan = { attributes: { "gen_ai.provider.name": "openai", "gen_ai.request.model": "gpt-4o", "gen_ai.usage.input_tokens": 1000, "gen_ai.usage.output_tokens": 200 } };
const prefix = "obs:test:live-prometheus:";

interface Sample { metric: Record<string, string>; value: [number, string] }

describe("Prometheus scraping the stack's services with the generated configuration", () => {
  let c: CollectorUnderTest;
  let api: Api;
  const processes: Running[] = [];
  let promUrl: string;
  let apiPort: number;
  let exporterUrls: { postgres: string; redis: string };
  const backupRecorded = { from: 0, to: 0 };

  const query = async (expr: string): Promise<Sample[]> => {
    const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const body = (await res.json()) as { status: string; error?: string; data: { result: Sample[] } };
    if (body.status !== "success") throw new Error(`${expr}: ${body.error}`);
    return body.data.result;
  };
  const exportSpans = async (spans: object[]) => {
    const res = await post(c.httpUrl, jsonBody(spans), { "content-type": "application/json", "x-api-key": c.key });
    expect(res.status).toBe(200);
  };

  beforeAll(async () => {
    c = await startTestCollector();
    api = await buildApi(apiConfig(c.db.url, prefix), { log: silentLog });
    apiPort = Number(new URL(await api.listen({ host: "127.0.0.1", port: 0 })).port);
    const root = await mkdtemp(join(tmpdir(), "obs-live-prometheus-"));

    // A finished backup, recorded by the backup job's own command line.
    await writeFile(join(root, "observatory-20250310T000000Z.dump"), "dump");
    const env = { PGHOST: "127.0.0.1", PGPORT: "5432", PGUSER: "postgres", PGDATABASE: c.db.name };
    backupRecorded.from = Date.now() / 1000;
    await promisify(execFile)("sh", ["-c", `f=${join(root, "observatory-20250310T000000Z.dump")}; ${recordBackupCommand(7)}`], { env: { ...process.env, ...env } });
    backupRecorded.to = Date.now() / 1000;

    const queries = join(root, "queries.yaml");
    await writeFile(queries, postgresExporterQueriesFile());
    const postgresExporter = await startOnFreePort(
      "prometheus-postgres-exporter",
      (port) => [`--web.listen-address=127.0.0.1:${port}`, `--extend.query-path=${queries}`],
      { env: { DATA_SOURCE_NAME: `postgresql://postgres@127.0.0.1:5432/${c.db.name}?sslmode=disable` }, marker: "postgres_exporter_build_info" },
    );
    const redisExporter = await startOnFreePort("prometheus-redis-exporter", (port) => ["-redis.addr", REDIS_URL, "-web.listen-address", `127.0.0.1:${port}`], {
      marker: "redis_exporter_build_info",
    });
    processes.push(postgresExporter.running, redisExporter.running);
    exporterUrls = { postgres: `http://127.0.0.1:${postgresExporter.port}/metrics`, redis: `http://127.0.0.1:${redisExporter.port}/metrics` };

    const uploads = await writeUploads(prometheusUploads(config));
    const generated = parse(prometheusUploads(config).find((u) => u.file === prometheusPaths.config)!.content) as {
      rule_files: string[];
      scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
    };
    // Prometheus scrapes itself too, so its configuration names the port it is started on.
    const configAt = (port: number) => {
      const local: Record<string, number> = {
        [topology.collector.alias]: c.collector.httpPort,
        [topology.api.alias]: apiPort,
        [topology.prometheus.alias]: port,
        [topology.postgresExporter.alias]: postgresExporter.port,
        [topology.redisExporter.alias]: redisExporter.port,
      };
      const file = join(root, `prometheus-${port}.yml`);
      writeFileSync(file, stringify({
        ...generated,
        global: { scrape_interval: "1s", evaluation_interval: "1s" },
        rule_files: generated.rule_files.map((f) => join(uploads, f)),
        scrape_configs: generated.scrape_configs.map((j) => ({ ...j, static_configs: [{ targets: [`127.0.0.1:${local[j.job_name]}`] }] })),
      }));
      return file;
    };
    const prometheus = await startOnFreePort(
      "prometheus",
      (port) => [`--config.file=${configAt(port)}`, `--storage.tsdb.path=${join(root, `data-${port}`)}`, `--web.listen-address=127.0.0.1:${port}`],
      { marker: "prometheus_build_info" },
    );
    processes.push(prometheus.running);
    promUrl = `http://127.0.0.1:${prometheus.port}`;

    await exportSpans([pricedSpan, { spanId: "" }]);
    expect((await fetch(`http://127.0.0.1:${apiPort}/api/v1/traces`)).status).toBe(401);
    await until(() => `every target up\n${processes.map((p) => p.output().slice(-400)).join("\n")}`, async () =>
      (await query("up == 1")).length === 5 ? true : undefined);
    // A second priced span once Prometheus has seen the first, so the hourly increase is visible.
    await until("the first cost sample", async () => ((await query("observatory_collector_cost_usd_total")).length === 1 ? true : undefined));
    await exportSpans([pricedSpan]);
  });

  afterAll(async () => {
    for (const p of processes) await p.stop();
    await api?.close();
    await c?.stop();
    await deleteRedisKeys(prefix);
  });

  test("every job of the generated configuration is scraped", async () => {
    const up = await query("up");
    expect(Object.fromEntries(up.map((s) => [s.metric["job"], s.value[1]]))).toEqual({
      collector: "1", api: "1", prometheus: "1", "postgres-exporter": "1", "redis-exporter": "1",
    });
  });

  test("the services answer /metrics with the text format's Content-Type, which Prometheus 3 requires to scrape", async () => {
    for (const port of [c.collector.httpPort, apiPort]) {
      const type = (await fetch(`http://127.0.0.1:${port}/metrics`)).headers.get("content-type") ?? "";
      expect(type.replace(/\s/g, "")).toMatch(/^text\/plain;version=0\.0\.4(;|$)/);
    }
  });

  test("the collector's and the API's metrics arrive with their values", async () => {
    const value = async (expr: string, expected: string) =>
      until(`${expr} = ${expected}`, async () => ((await query(expr))[0]?.value[1] === expected ? true : undefined));
    await value("observatory_collector_spans_accepted_total", "2");
    await value('observatory_collector_spans_rejected_total{reason="invalid_span_id"}', "1");
    await value('observatory_collector_cost_usd_total{provider="openai",model="gpt-4o"}', "0.009");
    await value('observatory_api_requests_total{route="/api/v1/traces",method="GET",status_code="401"}', "1");
    const backup = await until("the backup timestamp", async () => (await query("observatory_backup_last_success_timestamp_seconds"))[0]);
    expect(Number(backup.value[1])).toBeGreaterThanOrEqual(Math.floor(backupRecorded.from));
    expect(Number(backup.value[1])).toBeLessThanOrEqual(backupRecorded.to);
  });

  test("the recording rules produce results", async () => {
    // An idle collector's queue is empty (a scrape may still catch a span in flight).
    const utilization = await until("an empty queue", async () => (await query("instance:observatory_collector_queue:utilization == 0"))[0]);
    expect(utilization.metric).toEqual({ __name__: "instance:observatory_collector_queue:utilization", instance: `127.0.0.1:${c.collector.httpPort}`, job: "collector" });
    const cost = await until("hourly cost", async () => (await query("observatory:ingested_cost_usd:increase1h > 0"))[0]);
    expect(cost.metric).toEqual({ __name__: "observatory:ingested_cost_usd:increase1h", provider: "openai", model: "gpt-4o" });
  });

  test("every expression of the dashboards and rules returns data, except those whose cause did not happen", async () => {
    const expressions = [
      ...Object.keys(recordingRules),
      ...Object.values(recordingRules),
      ...promTargets(dashboardsOf(config.monitoring)).map((t) => t.target.expr!),
    ];
    // Give every rate() its second sample: every target scraped well twice (a slow exporter too),
    // and the rules that read them evaluated since.
    await until("every target scraped twice", async () => ((await query("sum_over_time(up[5m]) >= 2")).length === 5 ? true : undefined));
    for (const rate of ["observatory:collector_spans_accepted:rate5m", "observatory:api_request_duration_seconds:p99_5m"]) {
      await until(rate, async () => ((await query(rate)).length ? true : undefined));
    }
    const empty: string[] = [];
    for (const expr of new Set(expressions)) if ((await query(expr)).length === 0) empty.push(expr);
    expect(empty.sort(), empty.join("\n")).toEqual([
      // No export was refused with backpressure.
      "observatory:collector_backpressure:rate5m",
      recordingRules["observatory:collector_backpressure:rate5m"],
      // The host's Redis runs without maxmemory: no ratio to a limit.
      "observatory:redis_memory:ratio",
      recordingRules["observatory:redis_memory:ratio"],
      // No request was cacheable.
      "sum(rate(observatory_api_cache_hits_total[5m]))",
      "sum(rate(observatory_api_cache_misses_total[5m]))",
    ].sort());
    // Alerts' expressions are evaluated too: none of them errors.
    for (const r of alertRules(config)) await query(r.expr);
  });

  test("the real exporters export every metric the rules and dashboards may name", async () => {
    const names = async (url: string) => new Set((await (await fetch(url)).text()).split("\n").filter((l) => l && !l.startsWith("#")).map((l) => l.split(/[{ ]/)[0]!));
    const pg = await names(exporterUrls.postgres);
    const redis = await names(exporterUrls.redis);
    expect(exporterMetrics.postgresExporter.filter((m) => !pg.has(m))).toEqual([]);
    expect(exporterMetrics.redisExporter.filter((m) => !redis.has(m))).toEqual([]);
  });
});
