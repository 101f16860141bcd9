import { readdirSync, statSync } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Logger } from "../core/logger.js";
import { UI_DIR } from "../api/routes/ui.js";

const UI_SOURCES = resolve("ui");

/** Newest modification time of the UI's sources and of the lock file that pins its libraries. */
function newestSource(dir = UI_SOURCES): number {
  let newest = statSync(resolve("package-lock.json")).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (path.startsWith(UI_DIR) || entry.name === "node_modules") continue;
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function builtAt(): number {
  try {
    return statSync(join(UI_DIR, "index.html")).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * `npm start` on a fresh clone or after a pull: builds the web UI when it is missing or older than
 * its sources. The build goes to a folder of its own and is swapped in whole, so a server (or a
 * second `npm start`) never serves a half-written one.
 */
export async function ensureUiBuilt(log: Logger): Promise<void> {
  if (builtAt() >= newestSource()) return;
  log.info("building the web UI");
  const { build } = await import("vite");
  const fresh = `${UI_DIR}.${process.pid}`;
  await build({ configFile: resolve(UI_SOURCES, "vite.config.ts"), logLevel: "warn", build: { outDir: fresh } });
  const old = `${UI_DIR}.${process.pid}.old`;
  await rename(UI_DIR, old).catch(() => undefined);
  await rename(fresh, UI_DIR).catch(() => undefined); // another start swapped its own build in first
  await Promise.all([old, fresh].map((dir) => rm(dir, { recursive: true, force: true })));
}
