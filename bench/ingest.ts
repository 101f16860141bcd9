/**
 * npm run bench:ingest [-- N]   (or BENCH_SPANS=N; BENCH_CLIENTS, default 16; BENCH_DATABASE, see bench/database.ts)
 *
 * In one fresh database: (a) raw COPY of N pre-generated span rows into `spans`, the machine's
 * ceiling; then, with the table emptied, (b) the same N spans exported to the collector (its real
 * entry point, in a child process) as OTLP/HTTP protobuf bodies of 512 spans from concurrent
 * clients, timed until the last export is acknowledged (acknowledged = committed). On TimescaleDB
 * both go into the hypertables: the baseline is raw COPY into the spans hypertable.
 */
import { readFileSync, readdirSync } from "node:fs";
import http from "node:http";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { migratedDatabase } from "../tests/support/database.js";
import { spawnCollector } from "../tests/collector/support/collector-process.js";
import { benchDatabase } from "./database.js";
import { copyChunks, exportBodies } from "./ingest-spans.js";

const N = Number(process.argv[2] ?? process.env.BENCH_SPANS ?? 500_000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
const BATCH = 512;
const PROJECT = "default";

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** CPU seconds (user + system) used so far by every local PostgreSQL process (0 where not visible). */
function postgresCpuSeconds(): number {
  let ticks = 0;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, "utf8").trim() !== "postgres") continue;
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended while being read.
    }
  }
  return ticks / 100;
}

async function rawCopy(client: pg.Client, columns: readonly string[], chunks: Buffer[]): Promise<number> {
  const started = performance.now();
  await pipeline(Readable.from(chunks), client.query(copyFrom(`COPY spans (${columns.join(", ")}) FROM STDIN`)));
  return (performance.now() - started) / 1000;
}

function postBody(agent: http.Agent, port: number, body: Buffer): Promise<{ status: number; retryAfter: number }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { agent, port, host: "127.0.0.1", method: "POST", path: "/v1/traces", headers: { "content-type": "application/x-protobuf", "content-length": body.length } },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, retryAfter: Number(res.headers["retry-after"] ?? 1) }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** CLIENTS loops share the bodies; backpressure answers are retried after Retry-After. */
async function exportAll(port: number, bodies: Buffer[]): Promise<{ seconds: number; latencies: number[]; retries: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
  const latencies: number[] = [];
  let next = 0;
  let retries = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        for (;;) {
          const t = performance.now();
          const { status, retryAfter } = await postBody(agent, port, body);
          latencies.push(performance.now() - t);
          if (status === 200) break;
          if (status !== 429 && status !== 503) throw new Error(`export answered ${status}`);
          retries++;
          await new Promise((r) => setTimeout(r, retryAfter * 1000));
        }
      }
    }),
  );
  agent.destroy();
  return { seconds: (performance.now() - started) / 1000, latencies: latencies.sort((a, b) => a - b), retries };
}

const target = benchDatabase();
const db = await migratedDatabase("obs_bench", target.adminUrl);
const client = new pg.Client({ connectionString: db.url });
await client.connect();
try {
  console.log(`database: ${target.kind} (${target.kind === "timescaledb" ? "spans and rollups are hypertables; raw COPY goes into the spans hypertable" : "plain tables"})`);
  console.log(`generating ${N} spans (${Math.ceil(N / BATCH)} bodies of ${BATCH}) ...`);
  const bodies = exportBodies(N, BATCH);
  const { columns, chunks } = copyChunks(bodies, PROJECT);

  const pgBeforeCopy = postgresCpuSeconds();
  const copySeconds = await rawCopy(client, columns, chunks);
  const pgCopy = postgresCpuSeconds() - pgBeforeCopy;
  const copied = (await client.query("SELECT count(*)::int AS n FROM spans")).rows[0].n;
  await client.query("TRUNCATE spans, span_rollups_1m, span_rollups_1h");
  await client.query("CHECKPOINT");

  const collector = await spawnCollector({ DATABASE_URL: db.url, COLLECTOR_AUTH_DISABLED: "true", COLLECTOR_DEFAULT_PROJECT: PROJECT });
  const cpuBefore = collector.cpuSeconds();
  const pgBefore = postgresCpuSeconds();
  const clientBefore = process.cpuUsage();
  const run = await exportAll(collector.httpPort, bodies);
  const clientUsage = process.cpuUsage(clientBefore);
  const pgCpu = postgresCpuSeconds() - pgBefore;
  const peakRss = collector.peakRssBytes();
  const cpu = collector.cpuSeconds() - cpuBefore;
  const clientCpu = (clientUsage.user + clientUsage.system) / 1e6;
  const exitCode = await collector.stop();
  const stored = (await client.query("SELECT count(*)::int AS n FROM spans")).rows[0].n;
  const rollup = (await client.query("SELECT sum(requests)::int AS n FROM span_rollups_1m")).rows[0].n;

  const copyRate = N / copySeconds;
  const ingestRate = N / run.seconds;
  const mib = peakRss / 1024 / 1024;
  console.log(`
spans                     ${N} (copy stored ${copied}, collector stored ${stored}, rollup requests ${rollup})
raw COPY                  ${copyRate.toFixed(0)} spans/s (${copySeconds.toFixed(2)} s)
collector OTLP/HTTP       ${ingestRate.toFixed(0)} spans/s (${run.seconds.toFixed(2)} s, ${CLIENTS} clients, ${BATCH} spans/export, ${run.retries} backpressure retries)
ratio                     ${((100 * ingestRate) / copyRate).toFixed(1)} % of raw COPY (target >= 60 %)
export latency            p50 ${percentile(run.latencies, 50).toFixed(1)} ms, p99 ${percentile(run.latencies, 99).toFixed(1)} ms
collector peak RSS        ${mib.toFixed(0)} MiB (target < 300 MiB)
collector CPU             ${cpu.toFixed(1)} s over ${run.seconds.toFixed(1)} s (${(cpu / run.seconds).toFixed(2)} cores, ${((1e6 * cpu) / N).toFixed(0)} µs per span)
PostgreSQL CPU            COPY ${((1e6 * pgCopy) / N).toFixed(0)} µs per span, collector run ${((1e6 * pgCpu) / N).toFixed(0)} µs per span (${(pgCpu / run.seconds).toFixed(2)} cores)
bench clients CPU         ${((1e6 * clientCpu) / N).toFixed(0)} µs per span (${(clientCpu / run.seconds).toFixed(2)} cores)
collector exit on SIGTERM ${exitCode}`);
  if (copied !== N || stored !== N || rollup !== N) process.exitCode = 1;
} finally {
  await client.end();
  await db.drop();
}
