/**
 * npm run bench:noisy-neighbour [-- SPANS]   (or BENCH_SPANS; default 300,000)
 *
 * Can one API key stall everyone else's reads? In one fresh database whose tables are never
 * analysed (autovacuum off for them: no planner statistics, as a new project or a burst has):
 * a noisy project of SPANS spans (3-span traces over 30 days, written by the real span writer,
 * plus HUGE_TRACES traces of HUGE_ROOTS root spans each in the last hour) and a quiet project of
 * QUIET_SPANS. The API runs as deployed (its entry point in a process of its own), with Redis.
 *
 * The quiet project's key reads one request at a time (a price lookup, a trace list, a costs
 * summary, in turn), in rounds of two windows: alone (the baseline), then while the noisy key
 * floods the heaviest reads (trace lists of 1,000 over 7 days, trees of the huge traces, costs by
 * user over 7 days) with FLOOD requests in flight, more than both pools hold, each sent again as
 * soon as it is answered whatever the answer. Every request's parameters differ (a range start a
 * millisecond apart, a model name) and the tree cache lives 1 s, so the reads reach the database.
 * All of it twice: with per-project turns as deployed (API_READS_PER_PROJECT=2) and without them
 * (API_READS_PER_PROJECT=1000), to show what the turns buy.
 */
import http from "node:http";
import { Redis } from "ioredis";
import pg from "pg";
import { createApiKey } from "../services/core/api-keys.js";
import { migratedDatabase } from "../tests/support/database.js";
import { writeDataset } from "./api-dataset.js";
import { spawnApi } from "./api-process.js";
import { teardown } from "./teardown.js";
import { type Percentiles, percentiles } from "./percentiles.js";

const SPANS = Number(process.argv[2] ?? process.env.BENCH_SPANS ?? 300_000);
const QUIET_SPANS = 3_000;
const HUGE_TRACES = 4;
const HUGE_ROOTS = 8_000;
const FLOOD = Number(process.env.BENCH_FLOOD ?? 32);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WINDOW_MS = 8_000;
/** Time the flood gets to fill the pools before the quiet reads are timed. */
const RAMP_MS = 1_000;
/** The quiet project's p50 with the flood, as a multiple of its p50 alone, with turns. */
const BOUND = 3;
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const PREFIX = `obs:bench:${process.pid}:`;
const DAY = 86_400_000;

const CONFIGS: { name: string; env: Record<string, string> }[] = [
  { name: "per-project turns (API_READS_PER_PROJECT=2)", env: {} },
  { name: "no turns (API_READS_PER_PROJECT=1000)", env: { API_READS_PER_PROJECT: "1000" } },
];

const hugeTraceId = (k: number) => "ee".repeat(12) + k.toString(16).padStart(8, "0");

/** HUGE_TRACES traces of HUGE_ROOTS root spans each, a millisecond apart in the last hour. */
async function insertHugeTraces(pool: pg.Pool, project: string, now: Date): Promise<void> {
  await pool.query(
    `INSERT INTO spans (project_id, trace_id, span_id, name, start_time, end_time, duration_ms)
     SELECT $1, $2 || lpad(to_hex(g / $4), 8, '0'), lpad(to_hex(g), 16, '0'), 'huge',
            $5::timestamptz - interval '30 minutes' - g * interval '1 ms', $5::timestamptz - interval '30 minutes' - g * interval '1 ms' + interval '5 ms', 5
     FROM generate_series(0, $3::int * $4::int - 1) g`,
    [project, "ee".repeat(12), HUGE_TRACES, HUGE_ROOTS, now],
  );
}

interface Answer {
  status: number;
  ms: number;
}

/** One GET; status 0 when the connection failed (counted apart from HTTP errors). */
function get(agent: http.Agent, port: number, path: string, key: string): Promise<Answer> {
  const t = performance.now();
  return new Promise((resolve) => {
    const req = http.get({ agent, port, host: "127.0.0.1", path, headers: { authorization: `Bearer ${key}` } }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode!, ms: performance.now() - t }));
    });
    req.on("error", () => resolve({ status: 0, ms: performance.now() - t }));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const count = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
const statusClass = (s: number) => (s === 0 ? "no answer" : s >= 500 ? `${s}` : s >= 400 ? "4xx" : "2xx");

interface Window {
  /** Latencies per quiet endpoint. */
  samples: Map<string, number[]>;
  statuses: Map<string, number>;
}

async function main(): Promise<void> {
  const db = await migratedDatabase("obs_bench_noisy");
  const pool = new pg.Pool({ connectionString: db.url, max: 4 });
  const redis = new Redis(REDIS_URL);
  let stopApi: (() => Promise<unknown>) | undefined;
  try {
    // No statistics for the planner, ever: every table of the schema out of autovacuum's reach.
    const { rows: tables } = await pool.query<{ name: string }>("SELECT format('%I', tablename) AS name FROM pg_tables WHERE schemaname = 'public'");
    for (const t of tables) await pool.query(`ALTER TABLE ${t.name} SET (autovacuum_enabled = false)`);
    for (const p of ["noisy", "quiet"]) await pool.query("INSERT INTO projects (id, name) VALUES ($1, $1)", [p]);
    const now = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const t = performance.now();
    await writeDataset(pool, { spans: SPANS, projects: ["noisy"], end: now, days: 30 }, (done) => process.stderr.write(`  written ${done}\n`));
    await writeDataset(pool, { spans: QUIET_SPANS, projects: ["quiet"], end: now, days: 30 }, () => undefined);
    await insertHugeTraces(pool, "noisy", now);
    const { rows: sizes } = await pool.query(
      `SELECT project_id, count(*)::int AS spans FROM spans GROUP BY 1 ORDER BY 1`,
    );
    const { rows: stats } = await pool.query(
      "SELECT (SELECT count(*)::int FROM pg_stats WHERE schemaname = 'public' AND tablename = 'spans') AS columns, (SELECT reltuples FROM pg_class WHERE oid = 'spans'::regclass) AS reltuples",
    );
    console.log(
      `dataset: ${sizes.map((r) => `${r.project_id} ${r.spans} spans`).join(", ")} (noisy: ${HUGE_TRACES} traces of ${HUGE_ROOTS} roots among them), ` +
        `written in ${((performance.now() - t) / 1000).toFixed(1)} s; planner statistics on spans: ${stats[0].columns} columns, reltuples ${stats[0].reltuples}`,
    );
    await pool.query("CHECKPOINT").catch((err: Error) => console.log(`no checkpoint before measuring: ${err.message}`));
    const noisyKey = (await createApiKey(pool, "noisy", "bench", ["read"])).key;
    const quietKey = (await createApiKey(pool, "quiet", "bench", ["read"])).key;

    let n = 0;
    const iso = (ms: number) => new Date(ms).toISOString();
    const quietPaths: [string, () => string][] = [
      ["prices", () => `/api/v1/prices?model=quiet-${n++}`],
      ["trace list", () => `/api/v1/traces?limit=20&from=${iso(now.getTime() - DAY - n++)}`],
      ["costs summary", () => `/api/v1/costs/summary?from=${iso(now.getTime() - 7 * DAY - n++)}`],
    ];
    const floodPaths = [
      () => `/api/v1/traces?limit=1000&from=${iso(now.getTime() - 7 * DAY - n++)}`,
      () => `/api/v1/traces/${hugeTraceId(n++ % HUGE_TRACES)}`,
      () => `/api/v1/costs/summary?group_by=user&from=${iso(now.getTime() - 7 * DAY - n++)}`,
      () => `/api/v1/traces?limit=1000&name=huge&from=${iso(now.getTime() - DAY - n++)}`,
    ];

    const results: { name: string; alone: Window; flooded: Window; noisy: Map<string, number> }[] = [];
    for (const config of CONFIGS) {
      const api = await spawnApi({
        DATABASE_URL: db.url,
        REDIS_URL,
        LOG_LEVEL: "error",
        API_REDIS_KEY_PREFIX: PREFIX,
        API_RATE_LIMIT_PER_MINUTE: "100000000",
        API_CACHE_TTL_TRACE_SECONDS: "1",
        ...config.env,
      });
      stopApi = api.stop;
      const quietAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      const noisyAgent = new http.Agent({ keepAlive: true, maxSockets: FLOOD });
      const window = (): Window => ({ samples: new Map(quietPaths.map(([name]) => [name, []])), statuses: new Map() });

      /** The quiet key's reads, one at a time, for `ms`. */
      const quietReads = async (w: Window, ms: number) => {
        for (let i = 0, end = performance.now() + ms; performance.now() < end; i++) {
          const [name, path] = quietPaths[i % quietPaths.length]!;
          const a = await get(quietAgent, api.port, path(), quietKey);
          w.samples.get(name)!.push(a.ms);
          count(w.statuses, statusClass(a.status));
        }
      };
      // Untimed: plans, connections and the JIT of the fresh process, for both keys' reads.
      await quietReads(window(), 2_000);
      for (const path of floodPaths) await get(noisyAgent, api.port, path(), noisyKey);

      const alone = window();
      const flooded = window();
      const noisy = new Map<string, number>();
      for (let r = 0; r < ROUNDS; r++) {
        await quietReads(alone, WINDOW_MS);
        let flooding = true;
        const loops = Array.from({ length: FLOOD }, async (_, i) => {
          for (let k = i; flooding; k++) count(noisy, statusClass((await get(noisyAgent, api.port, floodPaths[k % floodPaths.length]!(), noisyKey)).status));
        });
        await sleep(RAMP_MS);
        await quietReads(flooded, WINDOW_MS);
        flooding = false;
        await Promise.all(loops);
        process.stderr.write(`  ${config.name}: round ${r + 1} of ${ROUNDS} done\n`);
      }
      results.push({ name: config.name, alone, flooded, noisy });
      quietAgent.destroy();
      noisyAgent.destroy();
      await api.stop();
      stopApi = undefined;
    }
    report(results.map((r) => ({ ...r, alone: summary(r.alone), flooded: summary(r.flooded) })));
  } finally {
    await teardown({ stopApi, redis, prefix: PREFIX, pool, db });
  }
}

interface Summary {
  all: Percentiles & { n: number };
  byEndpoint: Map<string, Percentiles>;
  statuses: Map<string, number>;
}

function summary(w: Window): Summary {
  const all = [...w.samples.values()].flat();
  return {
    all: { ...percentiles(all), n: all.length },
    byEndpoint: new Map([...w.samples].map(([name, s]) => [name, percentiles(s)])),
    statuses: w.statuses,
  };
}

function report(results: { name: string; alone: Summary; flooded: Summary; noisy: Map<string, number> }[]): void {
  const f = (p: Percentiles) => `${p.p50.toFixed(1)} / ${p.p99.toFixed(1)}`;
  const answers = (m: Map<string, number>) => [...m].sort().map(([k, v]) => `${k}: ${v}`).join(", ");
  const fivexx = (m: Map<string, number>) => [...m].filter(([k]) => k.startsWith("5") || k === "no answer").reduce((s, [, v]) => s + v, 0);
  const rows = results.map((r, i) => {
    const ratio50 = r.flooded.all.p50 / r.alone.all.p50;
    const verdict = i === 0 ? ` ${ratio50 <= BOUND ? "ok" : "MISS"}` : "";
    return [
      r.name,
      `${f(r.alone.all)} (n ${r.alone.all.n})`,
      `${f(r.flooded.all)} (n ${r.flooded.all.n})`,
      `${ratio50.toFixed(2)}${verdict}`,
      (r.flooded.all.p99 / r.alone.all.p99).toFixed(2),
      String(fivexx(r.flooded.statuses)),
    ];
  });
  const header = ["configuration", "quiet alone p50/p99 ms", "quiet flooded p50/p99 ms", "ratio p50", "ratio p99", "quiet 5xx flooded"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join("  ");
  console.log(`\n${line(header)}\n${widths.map((w) => "-".repeat(w)).join("  ")}\n${rows.map(line).join("\n")}\n`);
  console.log(`bound: with turns, the quiet project's p50 under the flood <= ${BOUND}x its p50 alone (ok / MISS); no quiet request answered 5xx`);
  for (const r of results) {
    const each = [...r.alone.byEndpoint.keys()].map((e) => `${e} ${f(r.alone.byEndpoint.get(e)!)} -> ${f(r.flooded.byEndpoint.get(e)!)}`);
    console.log(`${r.name}:\n  quiet per endpoint, alone -> flooded (p50 / p99 ms): ${each.join("; ")}`);
    console.log(`  quiet answers alone: ${answers(r.alone.statuses)}; flooded: ${answers(r.flooded.statuses)}`);
    console.log(`  noisy answers (${FLOOD} in flight): ${answers(r.noisy)}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
