import { beforeAll, describe, expect, test } from "vitest";
import { appImage, pinnedImages } from "../../infra/images.js";
import { runStack, type RecordedResource, type StackName } from "../support/pulumi-stack.js";
import { containerOf, containers, healthCheckBinaries, type ContainerInputs } from "./stack-queries.js";

/** Which image's binaries apply: the pinned third-party table, or ours (run by its image ID) for the app containers. */
function binariesOf(inputs: ContainerInputs, appImageId: string): readonly string[] {
  const pinned = Object.values(pinnedImages).find((p) => p.ref === inputs.image);
  if (pinned) return pinned.binaries;
  if (inputs.image === appImageId) return appImage.binaries;
  throw new Error(`no binaries table for image ${inputs.image}`);
}

test("the command parser finds every program of a shell check", () => {
  expect(healthCheckBinaries(["CMD-SHELL", `redis-cli -a "$(sed -n 's/^x //p' /f)" ping | grep -q PONG`])).toEqual(["redis-cli", "sed", "grep"]);
  expect(healthCheckBinaries(["CMD", "pg_isready", "-h", "127.0.0.1"])).toEqual(["pg_isready"]);
});

describe.each(["dev", "prod"] as const)("the %s stack's health checks", (stack: StackName) => {
  let resources: RecordedResource[];
  beforeAll(async () => {
    resources = (await runStack(stack)).resources;
  });

  test("call only binaries that exist in the container's image", () => {
    const checked = containers(resources).filter((c) => c.inputs.healthcheck);
    expect(checked.length).toBe(stack === "dev" ? 8 : 12);
    const appImageId = containerOf(resources, "migrations").inputs.image;
    for (const c of checked) {
      const available = binariesOf(c.inputs, appImageId);
      for (const binary of healthCheckBinaries(c.inputs.healthcheck!.tests)) expect(available, `${c.name}: ${binary}`).toContain(binary);
    }
  });

  test("use the image-appropriate probe per service", () => {
    const probe = (name: string) => containers(resources).find((c) => c.name === name)!.inputs.healthcheck!.tests.slice(0, 2).join(" ");
    expect(probe("timescaledb-container")).toBe("CMD pg_isready");
    expect(probe("redis-container")).toBe(`CMD-SHELL redis-cli -p 6379 --no-auth-warning -a "$(sed -n 's/^requirepass //p' /usr/local/etc/redis/redis.conf)" ping | grep -q PONG`);
    for (const name of ["prometheus-container", "grafana-container", "postgres-exporter-container", "redis-exporter-container"]) {
      expect(probe(name)).toBe("CMD wget");
    }
    expect(probe("api-1")).toBe("CMD node");
    expect(probe("collector-1")).toBe("CMD node");
  });
});

test("a health check calling a binary the image lacks is caught", () => {
  expect(pinnedImages.redisExporter.binaries).not.toContain("curl");
  expect(healthCheckBinaries(["CMD", "curl", "-f", "http://127.0.0.1:9121/metrics"]).every((b) => pinnedImages.redisExporter.binaries.includes(b as never))).toBe(false);
});
