import { describe, expect, it } from "vitest";
import { appImage, pinnedImages } from "../../infra/images.js";
import { assessImage, releaseTable } from "../../policies/release-lines.js";
import { imageSupportedRelease, imageSupportedReleaseOutsideProduction } from "../../policies/rules/image-supported-release.js";
import { policies } from "../../policies/rules/index.js";
import { NotApplicable, packViolations, stackViolations, urnOf, type TestResource } from "./policy-harness.js";
import { container, remoteImage } from "./resources.js";

const asOf = { asOf: "2026-12-02" };
const prod = { stack: "prod" };
const builtImage = (nodeImage: string, more: Partial<TestResource> = {}): TestResource => ({
  type: "docker:index/image:Image",
  name: "app-build",
  props: { imageName: "llm-observatory/app:0.1.0", build: { context: ".", args: { NODE_IMAGE: nodeImage } } },
  ...more,
});

/** The stack as it was before this change (early-2024 pins). */
const oldPins = [
  remoteImage("timescaledb-image", "timescale/timescaledb:2.14.2-pg16", prod),
  remoteImage("redis-image", "redis:7.2.4-alpine", prod),
  remoteImage("prometheus-image", "prom/prometheus:v2.51.2", prod),
  remoteImage("grafana-image", "grafana/grafana:10.4.2", prod),
  container("proxy", { image: "caddy:2.7.6-alpine" }, prod),
  builtImage("node:20.12.2-bookworm-slim", prod),
];

describe("the release table", () => {
  it("governs every image the stack pins, and each pin is supported and at its floor on 2026-12-02", () => {
    const refs = [...Object.values(pinnedImages).map((p) => p.ref), appImage.nodeBase];
    const found = refs.map((ref) => [ref, assessImage(ref, new Date("2026-12-02T00:00:00Z"))?.verdict]);
    expect(found).toEqual(refs.map((ref) => [ref, "supported"]));
  });

  it("has an end-of-life date or an explicit null, a floor and a source for every line", () => {
    for (const r of releaseTable) {
      expect(r.floor, r.image).toMatch(/^\d+\.\d+$/);
      expect(r.source, r.image).toMatch(/^https:\/\//);
      for (const l of r.lines) expect(l.endOfLife === null || /^\d{4}-\d{2}-\d{2}$/.test(l.endOfLife), `${r.image} ${l.line}`).toBe(true);
    }
  });

  it.each([
    ["timescale/timescaledb:2.28.3-pg14", "past-end-of-life", "is on line PostgreSQL 14, past its end of life on 2026-11-12"],
    ["prom/prometheus:v3.14.0", "past-end-of-life", "is on line 3.14, past its end of life on 2026-09-30"],
    ["grafana/grafana:12.3.11", "below-floor", "is older than the floor 12.4"],
    ["redis:8.12.0-alpine", "unknown-line", "is on a release line policies/release-lines.json does not list"],
    ["redis@sha256:" + "a".repeat(64), "no-version", "names no version (a digest without its tag)"],
  ])("%s: %s", (ref, verdict, problem) => {
    const a = assessImage(ref, new Date("2026-12-02T00:00:00Z"))!;
    expect(a.verdict).toBe(verdict);
    expect(a.problem).toContain(problem);
  });

  it("counts days to the end of life, and leaves images it does not list alone", () => {
    expect(assessImage("grafana/grafana:12.4.11", new Date("2027-05-23T00:00:00Z"))).toMatchObject({ verdict: "supported", daysLeft: 1 });
    expect(assessImage("grafana/grafana:12.4.11", new Date("2027-05-25T00:00:00Z"))).toMatchObject({ verdict: "past-end-of-life", daysLeft: -1 });
    expect(assessImage("llm-observatory/app:0.1.0", new Date())).toBeUndefined();
    // docker-image-pinned refuses these; this table does not judge them twice.
    expect(assessImage("redis:latest", new Date())).toBeUndefined();
    expect(assessImage("redis", new Date())).toBeUndefined();
  });
});

describe("docker-image-supported-release (mandatory in production)", () => {
  it("accepts the current pins", async () => {
    const resources = [
      ...Object.entries(pinnedImages).map(([k, p]) => remoteImage(`${k}-image`, p.ref, prod)),
      builtImage(appImage.nodeBase, prod),
    ];
    expect(await stackViolations(imageSupportedRelease, resources, asOf)).toEqual([]);
  });

  it("refuses the early-2024 pins: end-of-life lines and versions below the floors, the Node base included", async () => {
    const found = await stackViolations(imageSupportedRelease, oldPins, asOf);
    expect(found.map((v) => v.message)).toEqual([
      'docker.RemoteImage "timescaledb-image" uses image "timescale/timescaledb:2.14.2-pg16", which is older than the floor 2.28 (2.28.3 is the release the tests run and the first whose update path from 2.14.2 is tested; the image\'s life is its PostgreSQL major\'s.), in stack "prod"; pin a supported release (npm run versions).',
      'docker.RemoteImage "redis-image" uses image "redis:7.2.4-alpine", which is older than the floor 8.2 (8.2 is the Redis 8 line with a published end of life; 7.x lines still get fixes but are a major behind.), in stack "prod"; pin a supported release (npm run versions).',
      'docker.RemoteImage "prometheus-image" uses image "prom/prometheus:v2.51.2", which is older than the floor 3.13 (3.13 is the current LTS line; Prometheus 2 is past its end of life.), in stack "prod"; pin a supported release (npm run versions).',
      'docker.RemoteImage "grafana-image" uses image "grafana/grafana:10.4.2", which is older than the floor 12.4 (12.4 is Grafana 12\'s last minor, with 15 months of support; 12.0 to 12.3 have ended or end sooner.), in stack "prod"; pin a supported release (npm run versions).',
      'docker.Container "proxy" uses image "caddy:2.7.6-alpine", which is older than the floor 2.11 (Caddy supports only its newest release, 2.11.x.), in stack "prod"; pin a supported release (npm run versions).',
      'docker.Image "app-build" build argument NODE_IMAGE uses image "node:20.12.2-bookworm-slim", which is older than the floor 24.0 (The base of our image: an LTS line (24 maintenance, 26 active).), in stack "prod"; pin a supported release (npm run versions).',
    ]);
    expect(found.map((v) => v.urn)).toEqual(oldPins.map(urnOf));
  });

  it("refuses a line above the floor once its end of life has passed", async () => {
    const pg = remoteImage("timescaledb-image", "timescale/timescaledb:2.28.3-pg16", prod);
    expect(await stackViolations(imageSupportedRelease, [pg], { asOf: "2028-11-09" })).toEqual([]);
    expect((await stackViolations(imageSupportedRelease, [pg], { asOf: "2028-11-10" })).map((v) => v.message)).toEqual([
      'docker.RemoteImage "timescaledb-image" uses image "timescale/timescaledb:2.28.3-pg16", which is on line PostgreSQL 16, past its end of life on 2028-11-09, in stack "prod"; pin a supported release (npm run versions).',
    ]);
  });

  it("is not applicable outside production stacks", async () => {
    await expect(stackViolations(imageSupportedRelease, [remoteImage("r", "redis:7.2.4-alpine")], asOf)).rejects.toThrow(NotApplicable);
  });
});

describe("docker-image-supported-release-outside-production (advisory)", () => {
  const dev = oldPins.map((r) => ({ ...r, stack: "dev" }));

  it("reports the same findings in dev", async () => {
    expect(await stackViolations(imageSupportedReleaseOutsideProduction, dev, asOf)).toHaveLength(oldPins.length);
  });

  it("is not applicable in production stacks, where the mandatory policy holds", async () => {
    await expect(stackViolations(imageSupportedReleaseOutsideProduction, oldPins, asOf)).rejects.toThrow(NotApplicable);
  });

  it("in the pack: mandatory findings in prod, advisory in dev", async () => {
    const config = { "docker-image-supported-release": asOf, "docker-image-supported-release-outside-production": asOf };
    const levels = async (resources: TestResource[]) =>
      (await packViolations(policies, resources, config)).filter((v) => v.policy.startsWith("docker-image-supported-release")).map((v) => `${v.policy}:${v.level}`);
    expect(new Set(await levels(oldPins))).toEqual(new Set(["docker-image-supported-release:mandatory"]));
    expect(new Set(await levels(dev))).toEqual(new Set(["docker-image-supported-release-outside-production:advisory"]));
  });
});
