import { describe, expect, it } from "vitest";
import { parseImageReference } from "../../policies/image-reference.js";
import { imageDigest } from "../../policies/rules/image-digest.js";
import { imagePinned } from "../../policies/rules/image-pinned.js";
import { imageRegistry } from "../../policies/rules/image-registry.js";
import { resourceViolations } from "./policy-harness.js";
import { container, remoteImage } from "./resources.js";

const digest = "sha256:" + "0123456789abcdef".repeat(4);
const tagPattern = "^v?\\d+\\.\\d+\\.\\d+([.-][0-9A-Za-z.-]+)?$";

describe("parseImageReference", () => {
  it.each([
    ["redis:7.2.4-alpine", { kind: "name", registry: "docker.io", repository: "redis", tag: "7.2.4-alpine" }],
    ["library/redis", { kind: "name", registry: "docker.io", repository: "redis" }],
    [`ghcr.io/acme/api:1.0.0@${digest}`, { kind: "name", registry: "ghcr.io", repository: "acme/api", tag: "1.0.0", digest }],
    ["localhost:5000/api:1.0.0", { kind: "name", registry: "localhost:5000", repository: "api", tag: "1.0.0" }],
    ["index.docker.io/timescale/timescaledb:2.14.2-pg16", { kind: "name", registry: "docker.io", repository: "timescale/timescaledb", tag: "2.14.2-pg16" }],
    [digest, { kind: "id" }],
  ])("%s", (ref, expected) => {
    expect(parseImageReference(ref)).toEqual(expected);
  });
});

describe("docker-image-pinned", () => {
  it.each(["timescale/timescaledb:2.14.2-pg16", "prom/prometheus:v2.51.2", `postgres@${digest}`, `postgres:16@${digest}`, digest])(
    "accepts %s",
    async (image) => {
      expect(await resourceViolations(imagePinned, container("db", { image }))).toEqual([]);
    },
  );

  it.each([
    ["postgres", 'without a tag, so Docker pulls latest'],
    ["postgres:latest", 'whose tag "latest" is not an exact version'],
    ["postgres:16", 'whose tag "16" is not an exact version'],
    ["redis:7-alpine", 'whose tag "7-alpine" is not an exact version'],
    ["postgres:16@sha256:short", 'whose tag "16" is not an exact version'],
  ])("rejects container image %s", async (image, problem) => {
    expect(await resourceViolations(imagePinned, container("db", { image }))).toEqual([
      `docker.Container "db" uses image "${image}" ${problem}; pin a tag matching ${tagPattern} or a digest (name@sha256:...).`,
    ]);
  });

  it("checks docker.RemoteImage names too", async () => {
    expect(await resourceViolations(imagePinned, remoteImage("redis-image", "redis:latest"))).toEqual([
      `docker.RemoteImage "redis-image" uses image "redis:latest" whose tag "latest" is not an exact version; pin a tag matching ${tagPattern} or a digest (name@sha256:...).`,
    ]);
  });

  it("takes the tag pattern from its config", async () => {
    const config = { tagPattern: "^\\d+$" };
    expect(await resourceViolations(imagePinned, container("db", { image: "postgres:16" }), config)).toEqual([]);
    expect(await resourceViolations(imagePinned, container("db", { image: "postgres:16.2.0" }), config)).toEqual([
      'docker.Container "db" uses image "postgres:16.2.0" whose tag "16.2.0" is not an exact version; pin a tag matching ^\\d+$ or a digest (name@sha256:...).',
    ]);
  });
});

describe("docker-image-allowed-registry", () => {
  it("accepts Docker Hub by default, and image IDs", async () => {
    expect(await resourceViolations(imageRegistry, container("db", { image: "timescale/timescaledb:2.14.2-pg16" }))).toEqual([]);
    expect(await resourceViolations(imageRegistry, container("db", { image: digest }))).toEqual([]);
  });

  it("rejects a registry not in allowedRegistries", async () => {
    expect(await resourceViolations(imageRegistry, remoteImage("api-image", "quay.io/acme/api:1.0.0"))).toEqual([
      'docker.RemoteImage "api-image" pulls image "quay.io/acme/api:1.0.0" from registry "quay.io", which is not in allowedRegistries (docker.io); ' +
        'mirror the image into an allowed registry or add "quay.io" to allowedRegistries.',
    ]);
  });

  it("takes the allowed registries from its config", async () => {
    const config = { allowedRegistries: ["registry.internal:5000"] };
    expect(await resourceViolations(imageRegistry, container("api", { image: "registry.internal:5000/api:1.0.0" }), config)).toEqual([]);
    expect(await resourceViolations(imageRegistry, container("db", { image: "redis:7.2.4" }), config)).toEqual([
      'docker.Container "db" pulls image "redis:7.2.4" from registry "docker.io", which is not in allowedRegistries (registry.internal:5000); ' +
        'mirror the image into an allowed registry or add "docker.io" to allowedRegistries.',
    ]);
  });
});

describe("docker-image-pinned-by-digest (advisory)", () => {
  it("accepts a digest or an image ID", async () => {
    expect(await resourceViolations(imageDigest, container("db", { image: `redis:7.2.4-alpine@${digest}` }))).toEqual([]);
    expect(await resourceViolations(imageDigest, container("db", { image: digest }))).toEqual([]);
  });

  it("flags a tag without a digest", async () => {
    expect(await resourceViolations(imageDigest, container("db", { image: "redis:7.2.4-alpine" }))).toEqual([
      'docker.Container "db" uses image "redis:7.2.4-alpine" pinned by tag only; append its digest (redis:7.2.4-alpine@sha256:...).',
    ]);
  });
});
