import type { FastifyReply, FastifyRequest } from "fastify";
import type pg from "pg";
import { CONNECT_TIMEOUT_MS } from "../core/db.js";
import { Unavailable } from "./errors.js";
import type { Query } from "./queries/sql.js";

export interface ProjectReadsOptions {
  /** Connections of the pool for reads over spans (traces, time series, costs). */
  pool: pg.Pool;
  /** Another pool, to cancel a read whose client left (pg_cancel_backend). */
  control: pg.Pool;
  /** Reads one project may run at once; the rest of the pool stays free for other projects. */
  perProject: number;
}

interface Turns {
  running: number;
  waiting: Array<() => void>;
}

/**
 * Reads over spans, in turns per project: a project running `perProject` reads waits for one of
 * them to finish (at most CONNECT_TIMEOUT_MS, then 503 + Retry-After), so one key flooding the
 * heaviest reads cannot take every connection from other projects. A read whose HTTP client
 * leaves is cancelled on the server, so abandoned work does not hold a connection either.
 */
export class ProjectReads {
  private readonly turns = new Map<string, Turns>();

  constructor(private readonly o: ProjectReadsOptions) {}

  async query<R extends pg.QueryResultRow = pg.QueryResultRow>(request: FastifyRequest, reply: FastifyReply, q: Query): Promise<pg.QueryResult<R>> {
    const projectId = request.principal!.projectId;
    let running: pg.PoolClient | undefined;
    let left = false;
    const cancel = () => {
      if (reply.raw.writableFinished) return;
      left = true;
      const pid = (running as unknown as { processID?: number } | undefined)?.processID;
      if (pid) void this.o.control.query("SELECT pg_cancel_backend($1)", [pid]).catch(() => undefined);
    };
    reply.raw.once("close", cancel);
    await this.take(projectId);
    try {
      const client = await this.o.pool.connect();
      let failed: Error | undefined;
      try {
        if (left) throw new Unavailable("the client left before its read started", 1);
        running = client;
        return await client.query<R>(q);
      } catch (err) {
        failed = err as Error;
        throw err;
      } finally {
        running = undefined;
        // A connection whose statement was cancelled or failed to answer is not reused.
        client.release(failed);
      }
    } finally {
      reply.raw.off("close", cancel);
      this.give(projectId);
    }
  }

  private async take(projectId: string): Promise<void> {
    let t = this.turns.get(projectId);
    if (!t) this.turns.set(projectId, (t = { running: 0, waiting: [] }));
    if (t.running < this.o.perProject) {
      t.running++;
      return;
    }
    const turns = t;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        turns.waiting.splice(turns.waiting.indexOf(go), 1);
        reject(new Unavailable(`this project already runs ${this.o.perProject} heavy reads: retry when one has finished`, 1));
      }, CONNECT_TIMEOUT_MS);
      const go = () => {
        clearTimeout(timer);
        resolve();
      };
      turns.waiting.push(go);
    });
  }

  /** Hands the turn to the next waiting read of the project, or frees it. */
  private give(projectId: string): void {
    const t = this.turns.get(projectId)!;
    const next = t.waiting.shift();
    if (next) return next();
    if (--t.running === 0) this.turns.delete(projectId);
  }
}
