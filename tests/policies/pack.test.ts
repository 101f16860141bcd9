/**
 * The whole pack over the resource graphs the mocked dev and prod programs register (the same
 * recording the infrastructure tests use), then over mutations of the prod graph.
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { policies } from "../../policies/rules/index.js";
import { mockSecretValue, recordStack, type RecordedResource, type StackName } from "../support/pulumi-stack.js";
import { packViolations, type PackConfig, type PackViolation, type TestResource } from "./policy-harness.js";
import { randomPasswordType } from "./resources.js";

/** A recorded resource as the pack sees it; a stack policy also sees a generated password's result output. */
function asTestResource(r: RecordedResource): TestResource {
  const outputs = r.type === randomPasswordType ? { result: mockSecretValue(r.name) } : {};
  return {
    type: r.type,
    name: r.name,
    urn: r.urn,
    props: { ...r.inputs, ...outputs },
    opts: {
      additionalSecretOutputs: r.opts?.additionalSecretOutputs ?? [],
      dependsOn: r.opts?.dependsOn ?? [],
      ...(r.opts?.parent ? { parent: r.opts.parent } : {}),
    },
  };
}

const graphs = new Map<StackName, TestResource[]>();

beforeAll(async () => {
  for (const stack of ["dev", "prod"] as const) graphs.set(stack, (await recordStack(stack)).map(asTestResource));
}, 120_000);

const graph = (stack: StackName) => graphs.get(stack)!;
const mandatory = (found: PackViolation[]) => found.filter((v) => v.level === "mandatory");

/** The prod graph with one container's props changed. */
function mutated(name: string, change: (props: Record<string, unknown>) => Record<string, unknown>): TestResource[] {
  const resources = graph("prod");
  expect(resources.filter((r) => r.name === name)).toHaveLength(1);
  return resources.map((r) => (r.name === name ? { ...r, props: change(r.props) } : r));
}

const urnOf = (name: string) => graph("prod").find((r) => r.name === name)!.urn;

describe.each(["dev", "prod"] as const)("the %s stack", (stack) => {
  it("has containers, pulled images and generated passwords for the pack to check", () => {
    const types = new Set(graph(stack).map((r) => r.type));
    expect([...types]).toEqual(expect.arrayContaining(["docker:index/container:Container", "docker:index/remoteImage:RemoteImage", randomPasswordType]));
  });

  it("passes every mandatory policy", async () => {
    expect(mandatory(await packViolations(policies, graph(stack)))).toEqual([]);
  });

  it("is advised only to pin its images by digest", async () => {
    const advisories = (await packViolations(policies, graph(stack))).filter((v) => v.level === "advisory");
    // Our own containers run the built image by its ID, which names its content already.
    const imageNames = graph(stack).filter(
      (r) => (r.type.startsWith("docker:index/container") && !String(r.props["image"]).startsWith("sha256:")) || r.type.startsWith("docker:index/remoteImage"),
    );
    expect(new Set(advisories.map((v) => v.policy))).toEqual(new Set(["docker-image-pinned-by-digest"]));
    expect(advisories.map((v) => v.urn).sort()).toEqual(imageNames.map((r) => r.urn).sort());
  });
});

describe("mutations of the prod graph", () => {
  it("an unpinned image", async () => {
    const found = await packViolations(policies, mutated("timescaledb-container", (p) => ({ ...p, image: "timescale/timescaledb:latest" })));
    expect(mandatory(found)).toEqual([
      {
        policy: "docker-image-pinned",
        level: "mandatory",
        message:
          'docker.Container "timescaledb-container" uses image "timescale/timescaledb:latest" whose tag "latest" is not an exact version; pin a tag matching ^v?\\d+\\.\\d+\\.\\d+([.-][0-9A-Za-z.-]+)?$ or a digest (name@sha256:...).',
        urn: urnOf("timescaledb-container"),
      },
    ]);
  });

  it("a dropped memory limit", async () => {
    const found = await packViolations(policies, mutated("api-1", ({ memory: _, ...rest }) => rest));
    expect(mandatory(found)).toEqual([
      {
        policy: "docker-container-resource-limits",
        level: "mandatory",
        message: 'docker.Container "api-1" has no memory limit; set memory (MB) to at most 8192.',
        urn: urnOf("api-1"),
      },
    ]);
  });

  it("the database published on 0.0.0.0", async () => {
    const found = await packViolations(policies, mutated("timescaledb-container", (p) => ({ ...p, ports: [{ internal: 5432, external: 5432, ip: "0.0.0.0" }] })));
    expect(mandatory(found)).toEqual([
      {
        policy: "production-data-stores-unpublished",
        level: "mandatory",
        message:
          'docker.Container "timescaledb-container" runs data store timescale/timescaledb and publishes 0.0.0.0:5432->5432 in production stack "prod"; remove its ports and reach it over the stack network.',
        urn: urnOf("timescaledb-container"),
      },
      {
        policy: "production-public-bindings",
        level: "mandatory",
        message:
          'docker.Container "timescaledb-container" publishes 0.0.0.0:5432->5432 on all interfaces in production stack "prod"; bind it to 127.0.0.1 or list the container in publicServices.',
        urn: urnOf("timescaledb-container"),
      },
    ]);
  });

  it("a literal password in an environment variable", async () => {
    const found = await packViolations(policies, mutated("api-1", (p) => ({ ...p, envs: [...(p["envs"] as string[]), "SMTP_PASSWORD=hunter2"] })));
    expect(mandatory(found)).toEqual([
      {
        policy: "docker-container-no-literal-secret-env",
        level: "mandatory",
        message: 'docker.Container "api-1" sets SMTP_PASSWORD to a literal value; pass a random.RandomPassword result instead of a value written in the program or config.',
        urn: urnOf("api-1"),
      },
    ]);
  });
});

describe("policies/config.example.json (the documented --policy-pack-config)", () => {
  const example = JSON.parse(readFileSync(new URL("../../policies/config.example.json", import.meta.url), "utf8")) as PackConfig;

  it("configures only policies of the pack, with settings their configSchema declares", () => {
    const declared = Object.fromEntries(policies.map((p) => [p.name, Object.keys(p.configSchema?.properties ?? {}).concat("enforcementLevel")]));
    for (const [policy, entry] of Object.entries(example)) {
      expect(declared[policy], policy).toBeDefined();
      if (typeof entry === "object") expect(declared[policy]).toEqual(expect.arrayContaining(Object.keys(entry)));
    }
  });

  it.each(["dev", "prod"] as const)("lets the %s stack pass every mandatory policy", async (stack) => {
    expect(mandatory(await packViolations(policies, graph(stack), example))).toEqual([]);
  });

  it("tightens what it says: a 4096 MB maximum rejects a larger limit", async () => {
    const found = await packViolations(policies, mutated("api-1", (p) => ({ ...p, memory: 6144 })), example);
    expect(mandatory(found).map((v) => v.message)).toEqual([
      'docker.Container "api-1" has a memory limit of 6144 MB, above the maximum of 4096 MB; lower memory.',
    ]);
  });
});
