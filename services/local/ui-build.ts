import { readdirSync, statSync } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Logger } from "../core/logger.js";
import { UI_DIR } from "../api/routes/ui.js";

/** The UI's sources, the lock file that pins its libraries, and its build. */
export interface UiPaths {
  sources: string;
  lockFile: string;
  out: string;
}

const PATHS: UiPaths = { sources: resolve("ui"), lockFile: resolve("package-lock.json"), out: UI_DIR };

/** Newest modification time of the files under `dir`, builds (`skip`, `skip.*`) and node_modules aside. */
function newestFile(dir: string, skip: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (path.startsWith(skip) || entry.name === "node_modules") continue;
    newest = Math.max(newest, entry.isDirectory() ? newestFile(path, skip) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Whether the build is missing or older than a source or the lock file. */
export function uiBuildIsStale(p: UiPaths = PATHS): boolean {
  let built = 0;
  try {
    built = statSync(join(p.out, "index.html")).mtimeMs;
  } catch {
    // not built
  }
  return built < Math.max(statSync(p.lockFile).mtimeMs, newestFile(p.sources, p.out));
}

/**
 * `npm start` on a fresh clone or after a pull: builds the web UI when it is missing or older than
 * its sources. The build goes to a folder of its own and is swapped in whole, so a server (or a
 * second `npm start`) never serves a half-written one.
 */
export async function ensureUiBuilt(log: Logger): Promise<void> {
  if (!uiBuildIsStale()) return;
  log.info("building the web UI");
  const { build } = await import("vite");
  const fresh = `${UI_DIR}.${process.pid}`;
  await build({ configFile: resolve(PATHS.sources, "vite.config.ts"), logLevel: "warn", build: { outDir: fresh } });
  const old = `${UI_DIR}.${process.pid}.old`;
  await rename(UI_DIR, old).catch(() => undefined);
  await rename(fresh, UI_DIR).catch(() => undefined); // another start swapped its own build in first
  await Promise.all([old, fresh].map((dir) => rm(dir, { recursive: true, force: true })));
}
