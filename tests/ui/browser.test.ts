import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestDatabase, freshDatabase } from "../support/database.js";
import { type Running, startObservatory, stopObservatory } from "../support/observatory.js";
import { AGENT_SPANS, COMPLETION, PROMPT, exportTraces } from "./support/agent-trace.js";
import { DESKTOP, PHONE, launchChromium, screenshots } from "./support/browser.js";

/** Browser globals used inside page.evaluate (the tests are type-checked without the DOM library). */
declare const document: any, sessionStorage: any, localStorage: any, getComputedStyle: any;

/** The UI's money format for the values compared with the API's (ui/src/format.ts). */
function usd(n: number): string {
  if (n === 0) return "$0";
  const digits = Math.abs(n) >= 1 ? 2 : Math.min(8, 2 - Math.floor(Math.log10(Math.abs(n))) + 1);
  return `$${n.toFixed(digits)}`;
}

describe("the web UI in Chromium, on `npm start` with spans from the OTLP exporter", () => {
  let db: TestDatabase;
  let dataDir: string;
  let obs: Running;
  let browser: Browser;
  let ctx: BrowserContext;
  let shopKey: string;
  let pagesKey: string;
  let agentTrace: string;
  const foreignRequests: string[] = [];
  const pageErrors: string[] = [];

  const api = async <T>(path: string, key = obs.key, init: RequestInit = {}): Promise<{ status: number; body: T }> => {
    const res = await fetch(obs.apiUrl + path, { ...init, headers: { "x-api-key": key, "cache-control": "no-cache", "content-type": "application/json", ...init.headers } });
    return { status: res.status, body: (res.status === 204 ? undefined : await res.json()) as T };
  };

  /** A tab of its own: records requests leaving the origin, console errors and CSP violations. */
  async function newTab(context = ctx): Promise<Page> {
    const page = await context.newPage();
    page.on("request", (r) => void (r.url().startsWith(obs.apiUrl) || r.url().startsWith("data:") || foreignRequests.push(r.url())));
    page.on("console", (m) => void (m.type() === "error" && !/status of 40[134]/.test(m.text()) && pageErrors.push(m.text())));
    page.on("pageerror", (e) => void pageErrors.push(e.message));
    return page;
  }

  async function signedIn(key = obs.key, context = ctx): Promise<Page> {
    const page = await newTab(context);
    await page.goto(`${obs.apiUrl}/#key=${key}`);
    await page.getByTestId("project").waitFor();
    return page;
  }

  beforeAll(async () => {
    db = await freshDatabase("obs_ui");
    dataDir = await mkdtemp(join(tmpdir(), "obs-ui-"));
    // Revoked keys stop working after a second, so the test need not wait out the usual 30.
    obs = await startObservatory(dataDir, { DATABASE_URL: db.url, API_KEY_CACHE_SECONDS: "1" });
    const ids = await exportTraces(obs.otlpHttpUrl, obs.key, { service: "support-bot", others: ["nightly batch #0", "nightly batch #1"] });
    agentTrace = ids[0]!;
    const shop = await api<{ key: string }>("/api/v1/keys", obs.key, { method: "POST", body: JSON.stringify({ name: "shop", scopes: ["ingest", "read"], project_id: "shop" }) });
    shopKey = shop.body.key;
    await exportTraces(obs.otlpHttpUrl, shopKey, { service: "shop-web", others: ["shop checkout"] });
    pagesKey = (await api<{ key: string }>("/api/v1/keys", obs.key, { method: "POST", body: JSON.stringify({ name: "pages", scopes: ["ingest", "read"], project_id: "pages" }) })).body.key;
    await exportTraces(obs.otlpHttpUrl, pagesKey, { service: "batch", others: Array.from({ length: 51 }, (_, i) => `job ${i}`) });
    browser = await launchChromium();
    ctx = await browser.newContext({ viewport: DESKTOP, colorScheme: "light" });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    if (obs) await stopObservatory(obs);
    await db?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("refuses a wrong key, and a key without the read scope, with clear messages", async () => {
    const page = await newTab();
    await page.goto(`${obs.apiUrl}/`);
    await page.getByLabel("API key").fill("lok_not-a-key-of-this-observatory");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toBe("This key is not known (or was revoked). Check it and try again.");
    await screenshots(page, "sign-in");
    const ingestOnly = await api<{ key: string }>("/api/v1/keys", obs.key, { method: "POST", body: JSON.stringify({ name: "exporter", scopes: ["ingest"] }) });
    await page.getByLabel("API key").fill(ingestOnly.body.key);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toBe("This key cannot read: sign in with a key that has the read scope.");
    await page.close();
  });

  it("signs in from the banner's link and keeps the key in this tab only", async () => {
    expect(obs.uiUrl).toBe(`${obs.apiUrl}/#key=${obs.key}`);
    const page = await signedIn();
    expect(page.url()).not.toContain(obs.key);
    expect(await page.getByTestId("project").textContent()).toBe("default");
    expect(await page.evaluate(() => [sessionStorage.getItem("observatory.key"), localStorage.length, document.cookie])).toEqual([obs.key, 0, ""]);
    const other = await newTab();
    await other.goto(`${obs.apiUrl}/`);
    await other.getByLabel("API key").waitFor();
    await Promise.all([page.close(), other.close()]);
  });

  it("finds the agent trace by filter, with the filter's totals from the API", async () => {
    const page = await signedIn();
    const names = () => page.locator("table.traces tbody td:nth-child(2)").allTextContents();
    await expect.poll(names).toEqual(["nightly batch #1", "nightly batch #0", "support agent"]);
    await page.getByLabel("Status").selectOption("error");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect.poll(names).toEqual(["support agent"]);
    expect(page.url()).toContain("status=error");
    const summary = await api<{ traces: number; cost_usd: number }>("/api/v1/traces/summary?status=error");
    expect(summary.body.traces).toBe(1);
    await expect.poll(() => page.getByTestId("total-cost").textContent()).toBe(usd(summary.body.cost_usd));
    expect(await page.getByTestId("total-traces").textContent()).toBe("1");

    await page.getByLabel("Name contains").fill("nightly");
    await page.getByLabel("Status").selectOption("");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect.poll(names).toEqual(["nightly batch #1", "nightly batch #0"]);
    await page.close();
  });

  it("pages through traces by cursor, 50 at a time", async () => {
    const page = await signedIn(pagesKey);
    const names = () => page.locator("table.traces tbody td:nth-child(2)").allTextContents();
    await expect.poll(async () => (await names()).length).toBe(50);
    const first = await names();
    expect(first[0]).toBe("job 50");
    expect(await page.getByTestId("total-traces").textContent()).toBe("52");
    await page.getByRole("button", { name: "Older" }).click();
    await expect.poll(names).toEqual(["job 0", "support agent"]);
    expect(await page.getByRole("button", { name: "Older" }).isDisabled()).toBe(true);
    await page.getByRole("button", { name: "Newer" }).click();
    await expect.poll(names).toEqual(first);
    await page.close();
  });

  it("opens the trace: spans in waterfall order, the error marked, a span's tokens, cost, price and chat", async () => {
    const page = await signedIn();
    const treeRequest = page.waitForRequest((r) => r.url().includes(`/api/v1/traces/${agentTrace}`));
    await page.getByRole("link", { name: "support agent" }).click();
    await page.waitForURL((url) => url.hash.startsWith(`#/traces/${agentTrace}?from=`));
    // The tree is looked for around the listed trace (its chunks), not over the whole retention.
    const asked = new URL((await treeRequest).url()).searchParams;
    const listed = (await api<{ traces: { trace_id: string; start_time: string }[] }>("/api/v1/traces")).body.traces.find((t) => t.trace_id === agentTrace)!;
    expect(Date.parse(asked.get("from")!)).toBeLessThan(Date.parse(listed.start_time));
    expect(Date.parse(asked.get("to")!)).toBeGreaterThan(Date.parse(listed.start_time) + 86_400_000);
    const rows = page.locator(".span-row");
    await expect.poll(() => rows.locator(".span-name").allTextContents()).toEqual(AGENT_SPANS.map(([name]) => name));
    const indents = await rows.locator(".span-name").evaluateAll((els) => els.map((e) => parseFloat(getComputedStyle(e).paddingLeft)));
    expect(indents.map((px) => Math.round(px / indents[1]!))).toEqual(AGENT_SPANS.map(([, depth]) => depth));
    expect(await rows.evaluateAll((els) => els.map((e) => e.classList.contains("failed")))).toEqual(AGENT_SPANS.map(([name]) => name === "search orders"));
    const bars = await rows.locator(".bar").evaluateAll((els) => els.map((e) => e.getBoundingClientRect().left));
    expect(bars).toEqual([...bars].sort((a, b) => a - b));

    const tree = await api<{ spans: { children: { span_id: string; name: string; cost_usd: number }[] }[] }>(`/api/v1/traces/${agentTrace}`);
    const plan = tree.body.spans[0]!.children.find((s) => s.name === "plan gpt-4o-mini")!;
    expect(plan.cost_usd).toBeGreaterThan(0);
    await page.getByRole("link", { name: /plan gpt-4o-mini/ }).click();
    await page.waitForURL((url) => url.hash.startsWith(`#/traces/${agentTrace}?`) && url.hash.endsWith(`&span=${plan.span_id}`));
    const field = (name: string) => page.locator(`.panel dd[data-field="${name}"]`).textContent();
    expect(await field("Input tokens")).toBe("1,200");
    expect(await field("Output tokens")).toBe("300");
    expect(await field("Cached input tokens")).toBe("200");
    expect(await field("Cost")).toBe(usd(plan.cost_usd));
    expect(await field("Finish reasons")).toBe("stop");
    await expect.poll(() => page.getByTestId("price-row").textContent()).toMatch(/openai \/ gpt-4o-mini from \d{4}-\d\d-\d\d/);
    expect(await page.locator(".panel section[aria-label=Prompt] .message.user").textContent()).toContain(PROMPT);

    // Deep link: the span's address opens the same span in a fresh tab.
    const link = page.url().replace(/^.*#/, "#");
    await page.getByRole("link", { name: /answer claude/ }).click();
    await expect.poll(() => page.locator(".panel section[aria-label=Completion]").textContent()).toContain(COMPLETION);
    await screenshots(page, "trace");
    const again = await signedIn();
    await again.goto(`${obs.apiUrl}/${link}`);
    await expect.poll(() => again.locator(".panel h2").textContent()).toBe("plan gpt-4o-mini");
    await Promise.all([page.close(), again.close()]);
  });

  it("switches the usage charts' grouping and shows the API's numbers", async () => {
    const page = await signedIn();
    await page.getByRole("link", { name: "Usage" }).click();
    const costGroups = () => page.locator("[data-chart=Cost] .legend tbody tr").evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-group")).sort());
    // Spans without a model (the agent's root, its tool call) are a group of their own.
    await expect.poll(costGroups).toEqual(["(none)", "claude-3-5-haiku-20241022", "gpt-4o-mini"]);
    await page.getByLabel("Group by").selectOption("provider");
    await expect.poll(costGroups).toEqual(["(none)", "anthropic", "openai"]);
    expect(page.url()).toContain("group_by=provider");

    const now = Date.now();
    const to = new Date(Math.ceil((now + 1) / 60_000) * 60_000);
    const from = new Date(to.getTime() - 24 * 3_600_000);
    const series = await api<{ series: { group: string; points: { v: number }[] }[] }>(
      `/api/v1/metrics/timeseries?metric=cost&group_by=provider&interval=1h&from=${from.toISOString()}&to=${to.toISOString()}`,
    );
    const openai = series.body.series.find((s) => s.group === "openai")!.points.reduce((a, p) => a + p.v, 0);
    expect(openai).toBeGreaterThan(0);
    expect(await page.locator("[data-chart=Cost] .legend tr[data-group=openai] td").textContent()).toBe(usd(openai));
    await expect.poll(() => page.locator("[data-attribution=user] tr[data-group=user-42]").count()).toBe(1);
    await expect.poll(() => page.locator("canvas").count()).toBeGreaterThanOrEqual(5);
    await screenshots(page, "usage");
    await page.close();
  });

  it("creates a key shown once, and revokes it", async () => {
    const page = await signedIn();
    page.on("dialog", (d) => void d.accept());
    await page.getByRole("link", { name: "Keys" }).click();
    await page.getByLabel("Name").fill("ci reader");
    await page.getByRole("button", { name: "Create key" }).click();
    const key = (await page.getByTestId("new-key").textContent())!;
    expect((await api("/api/v1/keys/current", key)).status).toBe(200);
    const row = page.locator("table.keys tbody tr", { hasText: "ci reader" });
    expect(await row.locator("td").nth(2).textContent()).toBe("read");
    expect(await page.locator("table.keys").textContent()).not.toContain(key);
    await screenshots(page, "keys");
    await row.getByRole("button", { name: "Revoke" }).click();
    await expect.poll(() => row.locator("td").nth(4).textContent()).toMatch(/^revoked/);
    await expect.poll(async () => (await api("/api/v1/keys/current", key)).status, { timeout: 5_000 }).toBe(401);
    await page.reload();
    await page.getByTestId("project").waitFor();
    expect(await page.getByTestId("new-key").count()).toBe(0);
    await page.close();
  });

  it("shows a project's own data only", async () => {
    const page = await signedIn(shopKey);
    expect(await page.getByTestId("project").textContent()).toBe("shop");
    await expect.poll(() => page.locator("table.traces tbody td:nth-child(2)").allTextContents()).toEqual(["shop checkout", "support agent"]);
    expect(await page.locator("table.traces tbody td:nth-child(3)").allTextContents()).toEqual(["shop-web", "shop-web"]);
    expect(await page.getByRole("link", { name: "Keys" }).count()).toBe(0);
    await page.goto(`${obs.apiUrl}/#/traces/${agentTrace}`);
    await expect.poll(() => page.getByRole("alert").textContent()).toBe("no such trace in this project");
    await page.close();
  });

  it("works with the keyboard alone", async () => {
    const page = await newTab();
    await page.goto(`${obs.apiUrl}/`);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("key"); // focused on load
    await page.keyboard.type(obs.key);
    await page.keyboard.press("Enter");
    await page.getByTestId("project").waitFor();
    const focusOn = async (text: string) => {
      for (let i = 0; i < 80; i++) {
        await page.keyboard.press("Tab");
        if ((await page.evaluate(() => document.activeElement?.textContent?.trim()))?.startsWith(text)) return;
      }
      throw new Error(`Tab never reached "${text}"`);
    };
    await expect.poll(() => page.locator("table.traces tbody tr").count()).toBe(3);
    await focusOn("support agent");
    await page.keyboard.press("Enter");
    await page.waitForURL((url) => url.hash.startsWith(`#/traces/${agentTrace}?from=`));
    await page.locator(".span-row").first().waitFor();
    await focusOn("search orders");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator(".panel h2").textContent()).toBe("search orders");
    expect(await page.locator(".panel .status").textContent()).toContain("error: orders service timed out");
    await page.close();
  });

  it("reads in light and dark, and fits a phone's width", async () => {
    const page = await signedIn();
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(await background()).toBe("rgb(255, 255, 255)");
    await page.emulateMedia({ colorScheme: "dark" });
    expect(await background()).toBe("rgb(13, 17, 23)");
    await screenshots(page, "traces-dark");
    await page.emulateMedia({ colorScheme: "light" });
    await screenshots(page, "traces");
    await page.setViewportSize(PHONE);
    for (const to of ["#/traces", `#/traces/${agentTrace}`, "#/usage", "#/keys"]) {
      await page.goto(`${obs.apiUrl}/${to}`);
      await page.waitForLoadState("networkidle");
      expect(await page.evaluate(() => document.documentElement.scrollWidth), to).toBeLessThanOrEqual(PHONE.width);
    }
    await page.close();
  });

  it("refreshes on its own when live, revalidating with ETags", async () => {
    const page = await signedIn();
    await expect.poll(() => page.locator("table.traces tbody tr").count()).toBe(3);
    const revalidated: number[] = [];
    page.on("response", async (r) => {
      if (r.url().includes("/api/v1/traces?") && (await r.request().headerValue("if-none-match"))) revalidated.push(r.status());
    });
    await page.getByRole("switch", { name: "Live" }).check();
    // Refreshes every 10 s; one that crosses a minute asks for a new window (no ETag yet), the next revalidates.
    await expect.poll(() => revalidated.length, { timeout: 35_000, interval: 500 }).toBeGreaterThan(0);
    expect(revalidated[0]).toBe(304);
    await page.close();
  }, 60_000);

  it("made no request outside its origin and met no script error or CSP violation", () => {
    expect(foreignRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
