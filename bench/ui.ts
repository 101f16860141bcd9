/**
 * npm run bench:ui [-- SPANS]   (or BENCH_SPANS; default 1,000,000)
 *
 * In one fresh database: SPANS spans over 30 days in ONE project (written by the real span writer),
 * and an empty project beside it. The API runs as deployed (its entry point in a process of its own,
 * serving the built UI); Debian's Chromium opens the trace list (the UI's first page: last 24 h,
 * newest 50 traces, the filter's totals) in a fresh browser context each time (nothing cached,
 * the API's response cache emptied), and then one trace. Printed: p50 / worst of 7 loads for each
 * project and the ratio of the large project to the empty one (the same page and code path with
 * nothing to read). Target: the list usable (rows on screen) in under a second.
 */
import { Redis } from "ioredis";
import pg from "pg";
import { createApiKey } from "../services/core/api-keys.js";
import { createLogger } from "../services/core/logger.js";
import { ensureUiBuilt } from "../services/local/ui-build.js";
import { migratedDatabase } from "../tests/support/database.js";
import { launchChromium } from "../tests/ui/support/browser.js";
import { writeDataset } from "./api-dataset.js";
import { spawnApi } from "./api-process.js";
import { deleteKeys } from "./redis-keys.js";

const SPANS = Number(process.argv[2] ?? process.env.BENCH_SPANS ?? 1_000_000);
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const PREFIX = `obs:bench-ui:${process.pid}:`;
const LOADS = 7;

interface Load {
  rows: number;
  totals: number;
  trace: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const f = (ms: number) => ms.toFixed(0).padStart(5);

async function main(): Promise<void> {
  const db = await migratedDatabase("obs_bench_ui");
  const pool = new pg.Pool({ connectionString: db.url, max: 4 });
  const redis = new Redis(REDIS_URL);
  let stopApi: (() => Promise<unknown>) | undefined;
  const browser = await launchChromium();
  try {
    await ensureUiBuilt(createLogger("bench", "warn"));
    for (const p of ["bench_ui", "bench_empty"]) await pool.query("INSERT INTO projects (id, name) VALUES ($1, $1)", [p]);
    const t = performance.now();
    await writeDataset(pool, { spans: SPANS, projects: ["bench_ui"], end: new Date(), days: 30 }, (done) => process.stderr.write(`  written ${done}\n`));
    await pool.query("VACUUM ANALYZE");
    await pool.query("CHECKPOINT").catch((err: Error) => console.log(`no checkpoint before measuring: ${err.message}`));
    const { rows } = await pool.query("SELECT count(*)::int AS spans, count(*) FILTER (WHERE start_time > now() - interval '24 hours')::int AS day FROM spans");
    console.log(`dataset: ${rows[0].spans} spans in project bench_ui (${rows[0].day} in the last 24 h), written in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const keys = { large: (await createApiKey(pool, "bench_ui", "bench", ["read"])).key, empty: (await createApiKey(pool, "bench_empty", "bench", ["read"])).key };
    const api = await spawnApi({ DATABASE_URL: db.url, REDIS_URL, LOG_LEVEL: "warn", API_REDIS_KEY_PREFIX: PREFIX, API_RATE_LIMIT_PER_MINUTE: "100000000" });
    stopApi = api.stop;
    const origin = `http://127.0.0.1:${api.port}`;

    async function load(key: string, withTrace: boolean): Promise<Load> {
      await deleteKeys(redis, PREFIX);
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await ctx.newPage();
      const start = performance.now();
      await page.goto(`${origin}/#key=${key}`);
      await page.locator("table.traces tbody tr, p.empty").first().waitFor();
      const rowsAt = performance.now() - start;
      await page.waitForFunction(() => !(globalThis as any).document.querySelector("[data-testid=total-traces]").textContent.includes("…"));
      const totalsAt = performance.now() - start;
      let trace = 0;
      if (withTrace) {
        const open = performance.now();
        await page.locator("table.traces tbody a").first().click();
        await page.locator(".span-row").first().waitFor();
        trace = performance.now() - open;
      }
      await ctx.close();
      return { rows: rowsAt, totals: totalsAt, trace };
    }

    await load(keys.large, true); // warm: plans, the API process's JIT, Chromium's startup
    await load(keys.empty, false);
    const large: Load[] = [];
    const empty: Load[] = [];
    for (let i = 0; i < LOADS; i++) {
      empty.push(await load(keys.empty, false));
      large.push(await load(keys.large, true));
    }
    const row = (name: string, xs: number[], base: number[]) =>
      `${name.padEnd(34)} ${f(median(xs))} / ${f(Math.max(...xs))}   empty project ${f(median(base))} / ${f(Math.max(...base))}   ratio ${(median(xs) / median(base)).toFixed(2)}`;
    console.log(`\nms, p50 / worst of ${LOADS} loads in a fresh browser context, API cache emptied before each:`);
    console.log(row("trace list rows on screen", large.map((l) => l.rows), empty.map((l) => l.rows)));
    console.log(row("totals of the filter on screen", large.map((l) => l.totals), empty.map((l) => l.totals)));
    const tr = large.map((l) => l.trace);
    console.log(`${"a trace opened from the list".padEnd(34)} ${f(median(tr))} / ${f(Math.max(...tr))}`);
    console.log(`target: rows on screen under 1000 ms: ${median(large.map((l) => l.rows)) < 1000 ? "ok" : "MISS"}`);
  } finally {
    await browser.close();
    await stopApi?.();
    await deleteKeys(redis, PREFIX);
    redis.disconnect();
    await pool.end();
    await db.drop();
  }
}

await main();
