import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { traceSummaryQuery } from "../../services/api/queries/trace-summary.js";
import { type Harness, FIXTURES, get, startHarness } from "./support/api-harness.js";

/** The endpoints the web UI added: who a key is, the project's keys, and trace-list totals. */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const RANGE = "from=2025-03-10T00:00:00Z&to=2025-03-11T00:00:00Z";

describe("GET /api/v1/keys/current", () => {
  test("names the key's project and scopes; needs the read scope", async () => {
    const r = await get(h.app, "/api/v1/keys/current", h.keys.beta.admin);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ project_id: "beta", scopes: ["admin"] });
    expect((await get(h.app, "/api/v1/keys/current", h.keys.beta.ingest)).status).toBe(403);
    expect((await get(h.app, "/api/v1/keys/current", "lok_unknown")).status).toBe(401);
  });
});

describe("GET /api/v1/keys", () => {
  test("lists the admin's own project's keys, prefixes only, revoked ones marked", async () => {
    const r = await get(h.app, "/api/v1/keys", h.keys.alpha.admin);
    expect(r.status).toBe(200);
    expect(r.body.keys.map((k: { name: string }) => k.name).sort()).toEqual(["admin", "ingest", "read"]);
    for (const k of r.body.keys) {
      expect(Object.keys(k).sort()).toEqual(["created_at", "id", "key_prefix", "name", "revoked_at", "scopes"]);
      expect(Object.values(h.keys.alpha).some((key) => key.startsWith(k.key_prefix) && key !== k.key_prefix)).toBe(true);
    }
    const read = r.body.keys.find((k: { name: string }) => k.name === "read");
    const del = await h.app.inject({ method: "DELETE", url: `/api/v1/keys/${read.id}`, headers: { authorization: `Bearer ${h.keys.alpha.admin}` } });
    expect(del.statusCode).toBe(204);
    const after = await get(h.app, "/api/v1/keys", h.keys.alpha.admin);
    expect(after.body.keys.find((k: { id: string }) => k.id === read.id).revoked_at).not.toBeNull();
    expect((await get(h.app, "/api/v1/keys", h.keys.alpha.ingest)).status).toBe(403);
    expect((await get(h.app, "/api/v1/keys", h.keys.beta.admin)).body.keys.map((k: { name: string }) => k.name).sort()).toEqual(["admin", "ingest", "read"]);
  });
});

describe("GET /api/v1/traces/summary", () => {
  test("totals the traces the same filter lists, for the key's project only", async () => {
    for (const filter of ["", "status=error", "provider=openai", "user_id=u1", "name=chat"]) {
      const list = await get(h.app, `/api/v1/traces?${RANGE}&limit=1000&${filter}`, h.keys.beta.read);
      const summary = await get(h.app, `/api/v1/traces/summary?${RANGE}&${filter}`, h.keys.beta.read);
      expect(summary.status, filter).toBe(200);
      const traces = list.body.traces as { span_count: number; error_count: number; input_tokens: number; cost_usd: number | null }[];
      expect(summary.body, filter).toMatchObject({
        traces: traces.length,
        spans: traces.reduce((a, t) => a + t.span_count, 0),
        error_traces: traces.filter((t) => t.error_count > 0).length,
        input_tokens: traces.reduce((a, t) => a + t.input_tokens, 0),
        capped: false,
      });
      expect(summary.body.cost_usd).toBeCloseTo(traces.reduce((a, t) => a + (t.cost_usd ?? 0), 0), 9);
    }
    const all = await get(h.app, `/api/v1/traces/summary?${RANGE}`, h.keys.beta.read);
    expect(all.body.spans).toBe(FIXTURES.beta.length);
  });

  test("counts at most its cap of traces, and says so", async () => {
    const f = { projectId: "alpha", from: new Date("2025-03-10T00:00:00Z"), to: new Date("2025-03-11T00:00:00Z") };
    const [full] = (await h.pool.query(traceSummaryQuery(f, 10_000))).rows;
    const [capped] = (await h.pool.query(traceSummaryQuery(f, 1))).rows;
    expect(full.traces).toBeGreaterThan(1);
    expect(full.capped).toBe(false);
    expect(capped).toMatchObject({ traces: 1, capped: true });
  });

  test("refuses what the list refuses", async () => {
    const r = await get(h.app, "/api/v1/traces/summary?cursor=abc", h.keys.beta.read);
    expect(r.status).toBe(400);
    expect(r.body.parameter).toBe("cursor");
  });
});
