import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The first page's JavaScript, brotli-compressed as the API serves it: Preact, the sign-in, the
 * trace list and the trace view (13.7 kB when this budget was set). The usage page and its chart
 * library load when first opened and are not counted.
 */
const FIRST_PAGE_JS_BUDGET_BYTES = 20 * 1024;

const run = promisify(execFile);

describe("the web UI's build", () => {
  let out: string;
  let html: string;
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), "obs-ui-build-"));
    await build({ configFile: "ui/vite.config.ts", logLevel: "silent", build: { outDir: out } });
    html = await readFile(join(out, "index.html"), "utf8");
  }, 120_000);
  afterAll(() => rm(out, { recursive: true, force: true }));

  it("type-checks against the API's generated types", async () => {
    await run(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "ui"]);
  }, 120_000);

  it("loads no inline script or style, only files of its own origin", () => {
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const s of scripts) expect(s).toMatch(/\bsrc="\/assets\/[\w.-]+\.js"/);
    expect(html).not.toMatch(/<style\b|\sstyle=|\son\w+=/);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it(`keeps the first page's compressed JavaScript within ${FIRST_PAGE_JS_BUDGET_BYTES / 1024} kB`, async () => {
    const files = [...html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="\/([^"]+\.js)"/g)].map((m) => m[1]!);
    expect(files.length).toBeGreaterThan(0);
    let bytes = 0;
    for (const f of files) bytes += (await stat(join(out, `${f}.br`))).size;
    console.log(`first page JavaScript: ${files.length} file(s), ${bytes} bytes brotli (budget ${FIRST_PAGE_JS_BUDGET_BYTES})`);
    expect(bytes).toBeLessThanOrEqual(FIRST_PAGE_JS_BUDGET_BYTES);
  });
});
