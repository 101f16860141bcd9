import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync } from "node:zlib";
import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { UI_CSP, uiRoutes } from "../../services/api/routes/ui.js";

/** The web UI's static files as the API serves them, from a built folder of the same layout. */
describe("UI routes", () => {
  let root: string;
  const app = Fastify();
  const INDEX = '<!doctype html><script type="module" src="/assets/index-AbC123.js"></script>';
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "obs-ui-root-"));
    await mkdir(join(root, "assets"));
    await writeFile(join(root, "index.html"), INDEX);
    await writeFile(join(root, "index.html.br"), brotliCompressSync(INDEX));
    await writeFile(join(root, "assets", "index-AbC123.js"), "export {};\n");
    await app.register(uiRoutes, { root });
  });
  afterAll(async () => {
    await app.close();
    await rm(root, { recursive: true, force: true });
  });

  test("/ is the index, compressed for browsers that accept it, revalidated on every load, under the CSP", async () => {
    for (const encoding of ["gzip, deflate, br, zstd", "identity"]) {
      const res = await app.inject({ url: "/", headers: { "accept-encoding": encoding } });
      expect(res.statusCode, encoding).toBe(200);
      expect(res.headers["content-type"]).toMatch(/^text\/html/);
      expect(res.headers["content-encoding"]).toBe(encoding === "identity" ? undefined : "br");
      expect(res.headers["cache-control"]).toBe("no-cache");
      expect(res.headers["content-security-policy"]).toBe(UI_CSP);
      expect(res.headers["x-content-type-options"]).toBe("nosniff");
    }
    expect(UI_CSP).toMatch(/script-src 'self'(;|$)/);
    expect(UI_CSP).not.toMatch(/unsafe|https?:|\*/);
  });

  test("hashed assets are cached for a year as immutable", async () => {
    const res = await app.inject({ url: "/assets/index-AbC123.js" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(res.headers["content-security-policy"]).toBe(UI_CSP);
  });

  test("an unbuilt UI says how to build it", async () => {
    const bare = Fastify();
    await bare.register(uiRoutes, { root: join(root, "missing") });
    const res = await bare.inject({ url: "/" });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain("npm run build");
    await bare.close();
  });
});
