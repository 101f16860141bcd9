import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { type Browser, type Page, chromium } from "playwright-core";

/** Debian's Chromium (`apt-get install chromium`, as .ci/run does); CHROMIUM_PATH names another. */
const CANDIDATES = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(Boolean) as string[];

export async function launchChromium(): Promise<Browser> {
  const executablePath = CANDIDATES.find((p) => existsSync(p));
  if (!executablePath) throw new Error(`no Chromium at ${CANDIDATES.join(", ")}: install Debian's chromium (see .ci/run)`);
  // --no-sandbox: CI runs as root, where Chromium's sandbox cannot start.
  return chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
}

export const SCREENSHOTS = new URL("../screenshots/", import.meta.url).pathname;
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/**
 * Full-page screenshots (ignored by git) at desktop and phone width, then back to desktop; and the
 * desktop's first screen alone (`-screen`), the size docs/images/ takes its pictures at.
 */
export async function screenshots(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  for (const [size, viewport] of [["desktop", DESKTOP], ["phone", PHONE]] as const) {
    await page.setViewportSize(viewport);
    await page.waitForTimeout(150); // charts resize on the next frame
    await page.screenshot({ path: `${SCREENSHOTS}${name}-${size}.png`, fullPage: true });
    if (size === "desktop") await page.screenshot({ path: `${SCREENSHOTS}${name}-screen.png` });
  }
  await page.setViewportSize(DESKTOP);
}
