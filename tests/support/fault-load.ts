import { expect } from "vitest";
import type { FaultProxy } from "./fault-proxy.js";

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One request a load loop sends: the span ids it carries (none for a read) and its answer. */
export type Send = () => Promise<{ ids: string[]; res: Response }>;

/**
 * Clients sending requests in loops while faults come and go. Every answer is recorded: the spans
 * of each 200 as acknowledged, and any answer that is neither 200 nor backpressure with a
 * Retry-After (a 500, a 503 without Retry-After, a dropped connection) as wrong.
 */
export class LoadLoops {
  readonly acknowledged: string[] = [];
  readonly sent: string[] = [];
  readonly wrong: string[] = [];
  readonly statuses = new Map<number, number>();
  private running = true;
  private readonly loops: Promise<void>[];

  constructor(sends: Send[]) {
    this.loops = sends.map((send) => this.loop(send));
  }

  /** Requests answered 200 so far. */
  get ok(): number {
    return this.statuses.get(200) ?? 0;
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  private async loop(send: Send): Promise<void> {
    while (this.running) {
      try {
        const { ids, res } = await send();
        this.sent.push(...ids);
        this.statuses.set(res.status, (this.statuses.get(res.status) ?? 0) + 1);
        const body = await res.text();
        if (res.status === 200) this.acknowledged.push(...ids);
        else if (!((res.status === 503 || res.status === 429) && Number(res.headers.get("retry-after")) >= 1)) {
          this.wrong.push(`${res.status} ${body.slice(0, 200)}`);
        }
        if (res.status !== 200) await sleep(100);
      } catch (err) {
        this.wrong.push(`no answer: ${(err as Error).message}`);
        await sleep(100);
      }
    }
  }
}

/** Answered within one second, whatever the database does (a readiness probe must not hang). */
export async function readyWithinASecond(url: string): Promise<number> {
  const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
  await res.arrayBuffer();
  return res.status;
}

/**
 * Resets every connection through the proxies `cycles` times, for `downMs` each, traffic flowing
 * `upMs` in between; while down, readiness must answer 503 within a second.
 */
export async function resetCycles(proxies: FaultProxy[], readyUrl: string, { cycles = 5, downMs = 1_500, upMs = 1_500 } = {}): Promise<void> {
  for (let i = 0; i < cycles; i++) {
    for (const p of proxies) p.reset();
    await sleep(downMs / 2);
    expect(await readyWithinASecond(readyUrl)).toBe(503);
    await sleep(downMs / 2);
    for (const p of proxies) p.restore();
    await sleep(upMs);
  }
}

/**
 * While the proxy black-holes the database: readiness 503 within a second, and `probe` answered
 * 503 + Retry-After once a statement has timed out (`probe` gets an AbortSignal: a request taken
 * in before that is held until its spans are stored, and is abandoned here).
 */
export async function blackholePhase(proxy: FaultProxy, readyUrl: string, probe: (signal: AbortSignal) => Promise<Response>): Promise<void> {
  proxy.blackhole();
  try {
    await sleep(300);
    expect(await readyWithinASecond(readyUrl)).toBe(503);
    await expect
      .poll(
        async () => {
          try {
            const res = await probe(AbortSignal.timeout(8_000));
            await res.arrayBuffer();
            return `${res.status} retry-after=${Number(res.headers.get("retry-after")) >= 1}`;
          } catch {
            return "held";
          }
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe("503 retry-after=true");
    expect(await readyWithinASecond(readyUrl)).toBe(503);
  } finally {
    proxy.restore();
  }
}
