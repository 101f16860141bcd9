import { afterEach, describe, expect, it } from "vitest";
import { runLoad } from "../../scripts/load.js";
import { type CollectorUnderTest, startTestCollector } from "../collector/support/collector.js";

describe("the open-loop load generator", () => {
  let c: CollectorUnderTest | undefined;
  afterEach(async () => c?.stop());

  it("sends rate × duration exports on schedule, all accepted and stored by a healthy collector", async () => {
    c = await startTestCollector();
    const report = await runLoad({ url: c.httpUrl, key: c.key, rate: 40, durationSeconds: 1, batch: 5, maxInFlight: 64 });
    expect(report).toMatchObject({
      sent: { exports: 40, spans: 200 },
      accepted: { exports: 40, spans: 200 },
      backPressured: 0,
      failed: 0,
      skipped: 0,
    });
    expect(report.latencyMs!.p50).toBeLessThanOrEqual(report.latencyMs!.p99);
    const { rows } = await c.pool.query(
      "SELECT count(*)::int AS spans, count(DISTINCT trace_id)::int AS traces, count(*) FILTER (WHERE parent_span_id IS NULL)::int AS roots FROM spans",
    );
    expect(rows[0]).toEqual({ spans: 200, traces: 40, roots: 40 });
  });

  it("counts back-pressured exports when the collector cannot write", async () => {
    // Its database is unreachable: the collector answers every export with 503 and Retry-After.
    c = await startTestCollector({}, (url) => url.replace(/:\d+\//, ":1/"));
    const report = await runLoad({ url: c.httpUrl, key: c.key, rate: 20, durationSeconds: 0.5, batch: 2, maxInFlight: 8 });
    expect(report).toMatchObject({ sent: { exports: 10 }, accepted: { exports: 0 }, backPressured: 10, failed: 0 });
  });

  it("counts refused exports (a wrong key) as failed, not as back-pressured", async () => {
    c = await startTestCollector();
    const report = await runLoad({ url: c.httpUrl, key: "lok_wrong", rate: 20, durationSeconds: 0.5, batch: 2, maxInFlight: 8 });
    expect(report).toMatchObject({ sent: { exports: 10 }, accepted: { exports: 0 }, backPressured: 0, failed: 10 });
  });
});
