import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { pinnedImages } from "../../infra/images.js";

const run = (...args: string[]) =>
  promisify(execFile)("npx", ["tsx", "scripts/versions.ts", ...args], { cwd: new URL("../..", import.meta.url).pathname }).then(
    (r) => ({ code: 0, out: r.stdout }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: `${e.stdout}${e.stderr}` }),
  );

describe("npm run versions", () => {
  it("prints every pinned part with its line, end of life and days left, soonest first", async () => {
    const { code, out } = await run("--as-of", "2026-12-02");
    expect(code, out).toBe(0);
    const lines = out.trim().split("\n");
    expect(lines[0]).toBe("Pinned parts as of 2026-12-02");
    expect(lines[1]).toMatch(/^part\s+image\s+line\s+end of life\s+days left\s+status$/);
    const rows = lines.slice(2).map((l) => l.split(/\s{2,}/));
    expect(rows.map((r) => r[0]).sort()).toEqual([...Object.keys(pinnedImages), "nodeBase"].sort());
    // Dated lines first, by days left; then those whose project publishes no date.
    expect(rows.slice(0, 5).map((r) => [r[0], r[2], r[3], r[4], r[5]])).toEqual([
      ["grafana", "12.4", "2027-05-24", "173", "supported"],
      ["prometheus", "3.13 LTS", "2027-07-31", "241", "supported"],
      ["nodeBase", "24", "2028-04-30", "515", "supported"],
      ["timescaledb", "PostgreSQL 16", "2028-11-09", "708", "supported"],
      ["redis", "8.2", "2030-09-01", "1369", "supported"],
    ]);
    expect(rows.slice(5).every((r) => r[3] === "no date (newest release only)" && r[4] === "-")).toBe(true);
  });

  it("exits 1 and names the part once a pinned line is past its end of life", async () => {
    const { code, out } = await run("--as-of", "2027-06-01");
    expect(code).toBe(1);
    expect(out).toMatch(/^grafana\s+grafana\/grafana:12\.4\.11\s+12\.4\s+2027-05-24\s+-8\s+UNSUPPORTED: is on line 12\.4, past its end of life on 2027-05-24$/m);
  });

  it("refuses a malformed day", async () => {
    expect(await run("--as-of", "tomorrow")).toMatchObject({ code: 1, out: expect.stringContaining("versions: --as-of needs a day as YYYY-MM-DD") });
  });
});
