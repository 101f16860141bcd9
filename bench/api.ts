/**
 * npm run bench:api [-- SPANS]   (or BENCH_SPANS; default 1,000,000)
 *
 * In one fresh database: SPANS spans over 30 days for 3 projects (written by the real span
 * writer, rollups included); then for each endpoint, p50/p99 of the same query run directly
 * with pg, and through HTTP uncached (the cache emptied before each request) and cached.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Redis } from "ioredis";
import pg from "pg";
import { buildApi } from "../services/api/app.js";
import { apiEnv } from "../services/api/config.js";
import { costSummaryQuery } from "../services/api/queries/costs.js";
import { latencySlots } from "../services/api/queries/latency.js";
import { priceListQuery } from "../services/api/queries/prices.js";
import type { Query } from "../services/api/queries/sql.js";
import { traceSpansQuery } from "../services/api/queries/trace-tree.js";
import { timeseriesQuery } from "../services/api/queries/timeseries.js";
import { traceListQuery } from "../services/api/queries/traces.js";
import { createApiKey } from "../services/core/api-keys.js";
import { parseEnv } from "../services/core/env.js";
import { migratedDatabase, silentLog } from "../tests/support/database.js";
import { traceId, writeDataset } from "./api-dataset.js";

const SPANS = Number(process.argv[2] ?? process.env.BENCH_SPANS ?? 1_000_000);
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const PROJECTS = ["bench_a", "bench_b", "bench_c"];
const PREFIX = `obs:bench:${process.pid}:`;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

async function timed(run: () => Promise<unknown>, before?: () => Promise<unknown>): Promise<{ p50: number; p99: number; n: number }> {
  await run(); // warm-up (plans, connections)
  const probe = performance.now();
  await run();
  // Fast queries get more samples; slow ones stay within a few seconds.
  const n = Math.max(20, Math.min(300, Math.floor(3_000 / Math.max(performance.now() - probe, 0.01))));
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    if (before) await before();
    const t = performance.now();
    await run();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return { p50: pct(samples, 0.5), p99: pct(samples, 0.99), n };
}

function httpGet(agent: http.Agent, port: number, path: string, key?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ agent, port, host: "127.0.0.1", path, headers: key ? { authorization: `Bearer ${key}` } : {} }, (res) => {
      res.resume();
      res.on("end", () => (res.statusCode === 200 ? resolve(res.statusCode) : reject(new Error(`${path}: HTTP ${res.statusCode}`))));
    });
    req.on("error", reject);
  });
}

async function main(): Promise<void> {
  const db = await migratedDatabase("obs_bench_api");
  const pool = new pg.Pool({ connectionString: db.url, max: 4 });
  const redis = new Redis(REDIS_URL);
  try {
    const end = new Date(Math.floor(Date.now() / HOUR) * HOUR);
    for (const p of PROJECTS) await pool.query("INSERT INTO projects (id, name) VALUES ($1, $1)", [p]);
    let t = performance.now();
    await writeDataset(pool, { spans: SPANS, projects: PROJECTS, end, days: 30 }, (done) => process.stderr.write(`  written ${done}\n`));
    const { rows } = await pool.query("SELECT (SELECT count(*) FROM spans) AS spans, (SELECT count(*) FROM span_rollups_1m) AS m, (SELECT count(*) FROM span_rollups_1h) AS h");
    console.log(`dataset: ${rows[0].spans} spans, ${rows[0].m} 1m and ${rows[0].h} 1h rollup rows, written in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    await pool.query("VACUUM ANALYZE");

    const project = PROJECTS[0]!;
    const key = (await createApiKey(pool, project, "bench", ["read"])).key;
    const config = parseEnv(apiEnv, {
      DATABASE_URL: db.url,
      REDIS_URL,
      LOG_LEVEL: "silent",
      API_PORT: "0",
      API_REDIS_KEY_PREFIX: PREFIX,
      API_RATE_LIMIT_PER_MINUTE: "100000000",
      API_MAX_SERIES_POINTS: "50000",
    });
    const app = await buildApi(config, { log: silentLog });
    await app.listen({ host: "127.0.0.1", port: 0 });
    const port = (app.server.address() as AddressInfo).port;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const slots = await latencySlots(pool);
    const iso = (ms: number) => new Date(ms).toISOString();
    const day = { from: new Date(end.getTime() - DAY), to: end };
    const week = { from: new Date(end.getTime() - 7 * DAY), to: end };
    const month = { from: new Date(end.getTime() - 30 * DAY), to: end };
    const range = (r: { from: Date; to: Date }) => `from=${iso(r.from.getTime())}&to=${iso(r.to.getTime())}`;
    const tree = traceId(0, 3 * 1000);
    const base = { projectId: project };

    const cases: { name: string; path: string; query: Query }[] = [
      { name: "trace list (24 h)", path: `/api/v1/traces?${range(day)}&limit=50`, query: traceListQuery({ ...base, ...day, limit: 51 }) },
      {
        name: "trace list (7 d, model filter)",
        path: `/api/v1/traces?${range(week)}&model=gpt-4o&limit=50`,
        query: traceListQuery({ ...base, ...week, model: "gpt-4o", limit: 51 }),
      },
      { name: "trace tree", path: `/api/v1/traces/${tree}`, query: traceSpansQuery(project, tree) },
      {
        name: "timeseries cost 1h by model (30 d)",
        path: `/api/v1/metrics/timeseries?metric=cost&interval=1h&group_by=model&${range(month)}`,
        query: timeseriesQuery({ ...base, metric: "cost", interval: "1h", groupBy: "model", range: month, filters: {}, slots }),
      },
      {
        name: "timeseries p95 1m (24 h)",
        path: `/api/v1/metrics/timeseries?metric=latency_p95&interval=1m&${range(day)}`,
        query: timeseriesQuery({ ...base, metric: "latency_p95", interval: "1m", range: day, filters: {}, slots }),
      },
      {
        name: "timeseries requests 1h, user (raw, 7 d)",
        path: `/api/v1/metrics/timeseries?metric=requests&interval=1h&user_id=user_42&${range(week)}`,
        query: timeseriesQuery({ ...base, metric: "requests", interval: "1h", range: week, filters: { user_id: "user_42" }, slots }),
      },
      {
        name: "costs by model (30 d + previous)",
        path: `/api/v1/costs/summary?group_by=model&${range(month)}`,
        query: costSummaryQuery({ ...base, groupBy: "model", range: month, filters: {}, limit: 100 }),
      },
      {
        name: "costs by user (raw, 7 d + previous)",
        path: `/api/v1/costs/summary?group_by=user&${range(week)}`,
        query: costSummaryQuery({ ...base, groupBy: "user", range: week, filters: {}, limit: 100 }),
      },
      { name: "prices", path: "/api/v1/prices?provider=openai", query: priceListQuery({ provider: "openai" }) },
    ];

    const clearCache = async () => {
      const keys = await redis.keys(`${PREFIX}resp:*`);
      if (keys.length > 0) await redis.del(...keys);
    };
    const table: string[][] = [];
    for (const c of cases) {
      const direct = await timed(() => pool.query(c.query));
      const uncached = await timed(() => httpGet(agent, port, c.path, key), clearCache);
      const cached = await timed(() => httpGet(agent, port, c.path, key));
      const f = (ms: number) => ms.toFixed(2);
      table.push([
        c.name,
        `${f(direct.p50)} / ${f(direct.p99)}`,
        `${f(uncached.p50)} / ${f(uncached.p99)}`,
        `${f(cached.p50)} / ${f(cached.p99)}`,
        (uncached.p50 / direct.p50).toFixed(2),
        (cached.p50 / direct.p50).toFixed(2),
        String(direct.n),
      ]);
      process.stderr.write(`  ${c.name} done\n`);
    }
    // The fixed cost of any request through this client and fastify (no key, no Redis, no query):
    // a query faster than a third of this cannot be within 1.5x of itself through HTTP.
    const floor = await timed(() => httpGet(agent, port, "/health"));
    const header = ["endpoint", "direct pg p50/p99 ms", "HTTP uncached p50/p99", "HTTP cached p50/p99", "uncached/direct", "cached/direct", "n"];
    const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
    const line = (r: string[]) => r.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join("  ");
    console.log(`\n${line(header)}\n${widths.map((w) => "-".repeat(w)).join("  ")}\n${table.map(line).join("\n")}`);
    console.log(`\nHTTP floor (GET /health, same client): p50 ${floor.p50.toFixed(2)} ms, p99 ${floor.p99.toFixed(2)} ms (n ${floor.n})`);
    console.log("ratios are of p50; targets: uncached <= 1.5x direct, cached < 0.2x, trace list and tree p99 < 20 ms");
    agent.destroy();
    await app.close();
  } finally {
    const keys = await redis.keys(`${PREFIX}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await pool.end();
    await db.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
