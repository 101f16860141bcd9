import { mkdir, mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type UiPaths, uiBuildIsStale } from "../../services/local/ui-build.js";

/** `npm start` rebuilds the UI when its build is missing or older than a source or the lock file. */
let root: string;
let p: UiPaths;
const at = (path: string, seconds: number) => utimes(path, seconds, seconds);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "obs-ui-stale-"));
  p = { sources: join(root, "ui"), lockFile: join(root, "package-lock.json"), out: join(root, "ui", "dist") };
  await mkdir(join(p.sources, "src"), { recursive: true });
  await writeFile(join(p.sources, "src", "app.tsx"), "");
  await writeFile(p.lockFile, "{}");
  await at(join(p.sources, "src", "app.tsx"), 1_000);
  await at(p.lockFile, 1_000);
});
afterAll(() => rm(root, { recursive: true, force: true }));

it("builds when there is no build, and not when the build is newer than everything", async () => {
  expect(uiBuildIsStale(p)).toBe(true);
  await mkdir(p.out, { recursive: true });
  await writeFile(join(p.out, "index.html"), "");
  await at(join(p.out, "index.html"), 2_000);
  // Files of the build itself (and of a build being swapped in) are not sources.
  await writeFile(join(p.out, "newer.js"), "");
  await mkdir(`${p.out}.123`);
  expect(uiBuildIsStale(p)).toBe(false);
});

it("builds again after a source or the lock file changed", async () => {
  await at(join(p.sources, "src", "app.tsx"), 3_000);
  expect(uiBuildIsStale(p)).toBe(true);
  await at(join(p.sources, "src", "app.tsx"), 1_000);
  await at(p.lockFile, 3_000);
  expect(uiBuildIsStale(p)).toBe(true);
});
