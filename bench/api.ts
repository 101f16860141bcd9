/**
 * npm run bench:api [-- SPANS]   (or BENCH_SPANS; default 1,000,000; BENCH_DATABASE, see bench/database.ts)
 *
 * In one fresh database: SPANS spans over 30 days for 3 projects (written by the real span
 * writer, rollups included). The API runs as deployed, its entry point in a process of its own.
 * For each endpoint the same query runs directly with pg, then through HTTP uncached (the cache
 * emptied before each request) and cached, in rounds of blocks (see measured()) once every
 * endpoint is warm (see warmUp()). Each ratio is printed with whether it is within reach at all
 * (see the legend printed below). On TimescaleDB the history older than COMPRESSED_AFTER_DAYS is
 * compressed before the API starts, and each direct query is also timed before that, so the
 * compressed/uncompressed ratio of the same query is printed too.
 */
import http from "node:http";
import { Redis } from "ioredis";
import { costSummaryQuery } from "../services/api/queries/costs.js";
import { latencySlots } from "../services/api/queries/latency.js";
import { priceListQuery } from "../services/api/queries/prices.js";
import { type Query, isoMicros } from "../services/api/queries/sql.js";
import { traceSpansQuery } from "../services/api/queries/trace-tree.js";
import { timeseriesQuery } from "../services/api/queries/timeseries.js";
import type { TraceListFilters } from "../services/api/queries/traces.js";
import { CompressedHistory } from "../services/api/compressed-history.js";
import { listTraces, summarizeTraces } from "../services/api/trace-rounds.js";
import { SUMMARY_MAX_TRACES } from "../services/api/routes/trace-summary.js";
import { HISTORY_TTL_MS, READ_SETTINGS } from "../services/api/app.js";
import { createApiKey } from "../services/core/api-keys.js";
import { createPool } from "../services/core/db.js";
import { treeWindow } from "../ui/src/tree-window.js";
import { migratedDatabase } from "../tests/support/database.js";
import { traceId, writeDataset } from "./api-dataset.js";
import { compressHistory } from "./compress-history.js";
import { benchDatabase } from "./database.js";
import { spawnApi } from "./api-process.js";
import { teardown } from "./teardown.js";
import { type Percentiles, percentiles } from "./percentiles.js";

const SPANS = Number(process.argv[2] ?? process.env.BENCH_SPANS ?? 1_000_000);
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const PROJECTS = ["bench_a", "bench_b", "bench_c"];
const PREFIX = `obs:bench:${process.pid}:`;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TARGET = { uncached: 1.5, cached: 0.2, listP99Ms: 20 };
/** TimescaleDB: chunks ending before this many days ago are compressed (the spans' policy says 7). */
const COMPRESSED_AFTER_DAYS = 3;

interface Way {
  run: () => Promise<unknown>;
  /** Untimed preparation of each sample. */
  before?: () => Promise<unknown>;
}

async function sample(w: Way): Promise<number> {
  await w.before?.();
  const t = performance.now();
  await w.run();
  return performance.now() - t;
}

/**
 * Untimed, until steady: plans, connections, and the JIT of the fresh API process (20 requests
 * per way left the HTTP figures up to twice as slow as a warm process answers them).
 */
async function warmUp(ways: Way[]): Promise<void> {
  for (const w of ways) for (let i = 0, start = performance.now(); i < 1_000 && performance.now() - start < 2_000; i++) await sample(w);
}

/**
 * Samples of each way in rounds: each round runs every way for a block of consecutive requests
 * (as a busy API serves them), so a slow moment of the machine falls on all ways alike. Fast
 * queries get more samples; slow ones stay within seconds.
 */
async function measured(ways: Way[], rounds = 5): Promise<{ stats: Percentiles[]; n: number }> {
  const once = await sample(ways[0]!);
  const perRound = Math.max(4, Math.min(60, Math.floor(600 / Math.max(once, 0.01))));
  const samples = ways.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) {
    for (const [k, w] of ways.entries()) {
      await sample(w); // the first of a block follows another way's; not counted
      for (let i = 0; i < perRound; i++) samples[k]!.push(await sample(w));
    }
  }
  return { stats: samples.map((s) => percentiles(s)), n: perRound * rounds };
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

/** A ratio and its verdict: ok, MISS, or floor when even the floor's bound misses the target. */
function verdict(ratio: number, bound: number, target: number, strict: boolean): string {
  const met = strict ? ratio < target : ratio <= target;
  const reachable = strict ? bound < target : bound <= target;
  return `${ratio.toFixed(2)} ${met ? "ok" : reachable ? "MISS" : "floor"}`;
}

async function main(): Promise<void> {
  const target = benchDatabase();
  console.log(`database: ${target.kind}`);
  const db = await migratedDatabase("obs_bench_api", target.adminUrl);
  // Direct queries run with the API's read settings, so the ratios compare the same plans.
  const pool = createPool(db.url, { max: 4, applicationName: "bench-api", settings: READ_SETTINGS });
  const redis = new Redis(REDIS_URL);
  let stopApi: (() => Promise<unknown>) | undefined;
  try {
    const end = new Date(Math.floor(Date.now() / HOUR) * HOUR);
    for (const p of PROJECTS) await pool.query("INSERT INTO projects (id, name) VALUES ($1, $1)", [p]);
    let t = performance.now();
    await writeDataset(pool, { spans: SPANS, projects: PROJECTS, end, days: 30 }, (done) => process.stderr.write(`  written ${done}\n`));
    const { rows } = await pool.query("SELECT (SELECT count(*) FROM spans) AS spans, (SELECT count(*) FROM span_rollups_1m) AS m, (SELECT count(*) FROM span_rollups_1h) AS h");
    console.log(`dataset: ${rows[0].spans} spans, ${rows[0].m} 1m and ${rows[0].h} 1h rollup rows, written in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    await pool.query("VACUUM ANALYZE");
    // Flush what the load dirtied now rather than under the measurements (needs a superuser, as
    // the benchmark's database server gives; elsewhere the background writer does it later).
    await pool.query("CHECKPOINT").catch((err: Error) => console.log(`no checkpoint before measuring: ${err.message}`));
    const project = PROJECTS[0]!;

    const key = (await createApiKey(pool, project, "bench", ["read"])).key;
    const slots = await latencySlots(pool);
    const iso = (ms: number) => new Date(ms).toISOString();
    const dayBack = (days: number) => ({ from: new Date(end.getTime() - (days + 1) * DAY), to: new Date(end.getTime() - days * DAY) });
    const day = dayBack(0);
    const week = { from: new Date(end.getTime() - 7 * DAY), to: end };
    const month = { from: new Date(end.getTime() - 30 * DAY), to: end };
    const range = (r: { from: Date; to: Date }) => `from=${iso(r.from.getTime())}&to=${iso(r.to.getTime())}`;
    const base = { projectId: project };
    // The list as the API reads it: in rounds where the page lies in compressed history.
    let history = new CompressedHistory(pool, HISTORY_TTL_MS);
    const listed = (f: TraceListFilters) => () => listTraces((q) => pool.query(q), history, f);
    const totals = (f: Omit<TraceListFilters, "limit">) => () => summarizeTraces((q) => pool.query(q), history, f, SUMMARY_MAX_TRACES);
    const query = (q: Query) => () => pool.query(q);
    // Trees as the UI opens them from the list (within treeWindow of the listed root), a recent one
    // and one 14 days back (compressed on TimescaleDB), and the recent one by its id alone.
    const listedTree = async (g: number) => {
      const id = traceId(0, g);
      const { rows: [root] } = await pool.query(
        `SELECT ${isoMicros("start_time")} AS start_time, duration_ms FROM spans WHERE trace_id = $1 AND parent_span_id IS NULL`,
        [id],
      );
      const { from, to } = treeWindow(root) as { from: string; to: string };
      return { id, path: `/api/v1/traces/${id}?from=${from}&to=${to}`, direct: query(traceSpansQuery(project, id, { from: new Date(from), to: new Date(to) })) };
    };
    const recent = await listedTree(3 * 1000);
    const old = await listedTree(3 * Math.round((SPANS / 9) * (14 / 30))); // a trace of project 0: g divisible by 3

    const cases: { name: string; path: string; direct: () => Promise<unknown>; p99Target?: boolean }[] = [
      { name: "trace list (24 h)", path: `/api/v1/traces?${range(day)}&limit=50`, direct: listed({ ...base, ...day, limit: 51 }), p99Target: true },
      {
        name: "trace list (24 h, 14 d back)",
        path: `/api/v1/traces?${range(dayBack(14))}&limit=50`,
        direct: listed({ ...base, ...dayBack(14), limit: 51 }),
        p99Target: true,
      },
      // Filtered lists of a compressed day: each listed trace is looked up on its own, and a filter
      // that refuses most traces makes the list look up many more of them than it shows.
      {
        name: "trace list (24 h, 14 d back, model filter)",
        path: `/api/v1/traces?${range(dayBack(14))}&model=gpt-4o&limit=50`,
        direct: listed({ ...base, ...dayBack(14), model: "gpt-4o", limit: 51 }),
        p99Target: true,
      },
      {
        name: "trace list (24 h, 14 d back, errors)",
        path: `/api/v1/traces?${range(dayBack(14))}&status=error&limit=50`,
        direct: listed({ ...base, ...dayBack(14), status: "error", limit: 51 }),
        p99Target: true,
      },
      {
        name: "trace list (7 d, model filter)",
        path: `/api/v1/traces?${range(week)}&model=gpt-4o&limit=50`,
        direct: listed({ ...base, ...week, model: "gpt-4o", limit: 51 }),
        p99Target: true,
      },
      // The web UI's totals over the list's filter (its newest 10,000 traces at most).
      { name: "trace totals (24 h)", path: `/api/v1/traces/summary?${range(day)}`, direct: totals({ ...base, ...day }) },
      { name: "trace totals (24 h, 14 d back)", path: `/api/v1/traces/summary?${range(dayBack(14))}`, direct: totals({ ...base, ...dayBack(14) }) },
      { name: "trace tree (as listed)", path: recent.path, direct: recent.direct, p99Target: true },
      { name: "trace tree (as listed, 14 d back)", path: old.path, direct: old.direct, p99Target: true },
      { name: "trace tree (id alone)", path: `/api/v1/traces/${recent.id}`, direct: query(traceSpansQuery(project, recent.id)), p99Target: true },
      {
        name: "timeseries cost 1h by model (30 d)",
        path: `/api/v1/metrics/timeseries?metric=cost&interval=1h&group_by=model&${range(month)}`,
        direct: query(timeseriesQuery({ ...base, metric: "cost", interval: "1h", groupBy: "model", range: month, filters: {}, slots })),
      },
      {
        name: "timeseries p95 1m (24 h)",
        path: `/api/v1/metrics/timeseries?metric=latency_p95&interval=1m&${range(day)}`,
        direct: query(timeseriesQuery({ ...base, metric: "latency_p95", interval: "1m", range: day, filters: {}, slots })),
      },
      {
        name: "timeseries requests 1h, user (raw, 7 d)",
        path: `/api/v1/metrics/timeseries?metric=requests&interval=1h&user_id=user_42&${range(week)}`,
        direct: query(timeseriesQuery({ ...base, metric: "requests", interval: "1h", range: week, filters: { user_id: "user_42" }, slots })),
      },
      {
        name: "costs by model (30 d + previous)",
        path: `/api/v1/costs/summary?group_by=model&${range(month)}`,
        direct: query(costSummaryQuery({ ...base, groupBy: "model", range: month, filters: {}, limit: 100 })),
      },
      {
        name: "costs by user (raw, 7 d + previous)",
        path: `/api/v1/costs/summary?group_by=user&${range(week)}`,
        direct: query(costSummaryQuery({ ...base, groupBy: "user", range: week, filters: {}, limit: 100 })),
      },
      { name: "prices", path: "/api/v1/prices?provider=openai", direct: query(priceListQuery({ provider: "openai" })) },
    ];

    // The same direct queries on uncompressed history first, then the history compressed (TimescaleDB).
    let uncompressed: Percentiles[] | undefined;
    if (target.kind === "timescaledb") {
      const direct = cases.map((c): Way => ({ run: c.direct }));
      for (const w of direct) await warmUp([w]);
      uncompressed = [];
      for (const w of direct) uncompressed.push((await measured([w])).stats[0]!);
      t = performance.now();
      const compressed = await compressHistory(pool, COMPRESSED_AFTER_DAYS);
      await pool.query("VACUUM ANALYZE");
      history = new CompressedHistory(pool, HISTORY_TTL_MS);
      console.log(`compressed the chunks ending more than ${COMPRESSED_AFTER_DAYS} days ago, in ${((performance.now() - t) / 1000).toFixed(1)} s:`);
      const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MiB`;
      for (const c of compressed) console.log(`  ${c.table}: ${c.chunks} chunk(s), ${mb(c.beforeBytes)} -> ${mb(c.afterBytes)}`);
    }

    const api = await spawnApi({
      DATABASE_URL: db.url,
      REDIS_URL,
      LOG_LEVEL: "warn",
      API_REDIS_KEY_PREFIX: PREFIX,
      API_RATE_LIMIT_PER_MINUTE: "100000000",
      API_MAX_SERIES_POINTS: "50000",
    });
    stopApi = api.stop;
    const port = api.port;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const clearCache = async () => {
      const keys = await redis.keys(`${PREFIX}resp:*`);
      if (keys.length > 0) await redis.del(...keys);
    };
    const results: { name: string; p99Target?: boolean; direct: Percentiles; uncached: Percentiles; cached: Percentiles; n: number }[] = [];
    const waysOf = (c: (typeof cases)[number]): Way[] => [
      { run: c.direct },
      { run: () => httpGet(agent, port, c.path, key), before: clearCache },
      { run: () => httpGet(agent, port, c.path, key) },
    ];
    // Every endpoint warm before any is measured, as in an API that has been serving for a while.
    for (const c of cases) await warmUp(waysOf(c));
    process.stderr.write("  warmed up\n");
    for (const c of cases) {
      const { stats: byWay, n } = await measured(waysOf(c));
      const [direct, uncached, cached] = byWay as [Percentiles, Percentiles, Percentiles];
      results.push({ name: c.name, p99Target: c.p99Target, direct, uncached, cached, n });
      process.stderr.write(`  ${c.name} done\n`);
    }
    // Measured last, with the API process warm: what every read pays whatever its query, HTTP
    // through this client and fastify plus one Redis round trip (rate limit and cache lookup are one script call).
    const floorWays: Way[] = [{ run: () => httpGet(agent, port, "/health") }, { run: () => redis.ping() }];
    await warmUp(floorWays);
    const floorRun = await measured(floorWays);
    const [health, ping] = floorRun.stats as [Percentiles, Percentiles];
    const floor = health.p50 + ping.p50;

    const f = (ms: number) => ms.toFixed(2);
    const table = results.map((r) => [
      r.name,
      `${f(r.direct.p50)} / ${f(r.direct.p99)}`,
      `${f(r.uncached.p50)} / ${f(r.uncached.p99)}`,
      `${f(r.cached.p50)} / ${f(r.cached.p99)}`,
      verdict(r.uncached.p50 / r.direct.p50, (r.direct.p50 + r.cached.p50) / r.direct.p50, TARGET.uncached, false),
      verdict(r.cached.p50 / r.direct.p50, floor / r.direct.p50, TARGET.cached, true),
      String(r.n),
    ]);
    const verdicts = results
      .filter((r) => r.p99Target)
      .map((r) => {
        const worst = Math.max(r.uncached.p99, r.cached.p99);
        return `${r.name}: HTTP p99 ${f(worst)} ms ${worst < TARGET.listP99Ms ? "ok" : "MISS"} (target < ${TARGET.listP99Ms} ms)`;
      });
    const header = ["endpoint", "direct pg p50/p99 ms", "HTTP uncached p50/p99", "HTTP cached p50/p99", "uncached/direct", "cached/direct", "n"];
    const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
    const line = (r: string[]) => r.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join("  ");
    console.log(`\n${line(header)}\n${widths.map((w) => "-".repeat(w)).join("  ")}\n${table.map(line).join("\n")}\n`);
    console.log(
      `floor: GET /health p50 ${f(health.p50)} ms (p99 ${f(health.p99)}) + Redis PING p50 ${f(ping.p50)} ms = ${f(floor)} ms`,
    );
    console.log(
      `ratios are of p50; targets: uncached <= ${TARGET.uncached}x direct, cached < ${TARGET.cached}x direct. ` +
        "ok: met; MISS: missed though within reach; floor: out of reach. An uncached answer does all a cached one does " +
        "(HTTP, key, validation, one Redis round trip, sending the body) plus the query, so (direct + cached) / direct bounds it; " +
        "no answer costs less than the floor, so floor / direct bounds the cached ratio",
    );
    for (const v of verdicts) console.log(v);
    if (uncompressed) {
      const width = Math.max(...results.map((r) => r.name.length));
      console.log(`\ndirect pg p50 ms, history uncompressed -> compressed (ratio compressed/uncompressed)`);
      for (const [i, r] of results.entries()) {
        const before = uncompressed[i]!.p50;
        console.log(`${r.name.padEnd(width)}  ${f(before)} -> ${f(r.direct.p50)}  (${(r.direct.p50 / before).toFixed(2)})`);
      }
    }
    agent.destroy();
  } finally {
    await teardown({ stopApi, redis, prefix: PREFIX, pool, db });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
