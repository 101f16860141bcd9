import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, test } from "vitest";
import type { ObservatoryOutputs } from "../../infra/outputs.js";
import { mockSecretValue, resolve, runStack, type RecordedResource, type StackName } from "../support/pulumi-stack.js";
import { containers } from "./stack-queries.js";

const generated = ["db-owner", "db-app", "db-readonly", "redis", "grafana-admin", "bootstrap-admin-key", "db-monitor"].map((n) => mockSecretValue(`secrets-${n}`));
const containsGenerated = (value: unknown) => generated.some((secret) => (JSON.stringify(value) ?? "").includes(secret));

describe.each(["dev", "prod"] as const)("the %s stack's secrets", (stack: StackName) => {
  let resources: RecordedResource[];
  let outputs: ObservatoryOutputs;
  beforeAll(async () => {
    ({ resources, outputs } = await runStack(stack));
  });

  test("every credential is a RandomPassword", () => {
    const passwords = resources.filter((r) => r.type === "random:index/randomPassword:RandomPassword");
    expect(passwords.map((r) => [r.name, r.inputs["length"], r.inputs["special"]])).toEqual([
      ["secrets-db-owner", 32, false], ["secrets-db-app", 32, false], ["secrets-db-readonly", 32, false],
      ["secrets-redis", 32, false], ["secrets-grafana-admin", 24, false], ["secrets-bootstrap-admin-key", 40, false],
      ["secrets-db-monitor", 32, false],
    ]);
  });

  test("every password, key and connection-string output is secret; the URLs are plain", async () => {
    for (const key of ["grafanaAdminPassword", "bootstrapAdminKey", "appDatabaseUrl", "readonlyDatabaseUrl", "redisUrl"] as const) {
      expect(pulumi.Output.isInstance(outputs[key]), key).toBe(true);
      expect(await pulumi.isSecret(outputs[key]), key).toBe(true);
    }
    expect(await resolve(outputs.readonlyDatabaseUrl)).toBe(`postgres://observatory_readonly:${generated[2]}@timescaledb:5432/observatory`);
    expect(await resolve(outputs.redisUrl)).toBe(`redis://:${generated[3]}@redis:6379/0`);
    const plain = Object.entries(outputs).filter(([, v]) => !pulumi.Output.isInstance(v));
    expect(plain.map(([k]) => k)).toEqual([
      "profile", "apiUrl", "otlpGrpcEndpoint", "otlpHttpEndpoint", "grafanaUrl", ...(stack === "dev" ? ["prometheusUrl"] : []), "grafanaAdminUser",
    ]);
    expect(containsGenerated(Object.fromEntries(plain))).toBe(false);
  });

  test("no input outside a secret-typed field carries a generated secret", () => {
    let carriers = 0;
    for (const r of resources) {
      for (const [key, value] of Object.entries(r.inputs)) {
        if (!containsGenerated(value)) continue;
        carriers++;
        expect(r.secretInputs, `${r.name}.${key}`).toContain(key);
      }
    }
    // dev: db, redis (upload), migrations, collector, api, grafana (env + upload), two exporters; prod adds replicas and backup.
    expect(carriers).toBe(stack === "dev" ? 9 : 12);
  });

  test("every secret input is declared in additionalSecretOutputs, which is what a policy can see", () => {
    for (const r of resources) {
      for (const key of r.secretInputs ?? []) expect(r.opts?.additionalSecretOutputs, `${r.name}.${key}`).toContain(key);
    }
  });

  test("labels, commands, health checks and build args never carry a secret", () => {
    for (const c of containers(resources)) {
      for (const field of ["labels", "command", "healthcheck", "name", "image"] as const) expect(containsGenerated(c.inputs[field]), `${c.name}.${field}`).toBe(false);
    }
    const image = resources.find((r) => r.type === "docker:index/image:Image")!;
    expect(containsGenerated(image.inputs)).toBe(false);
    expect(image.secretInputs).toBeUndefined();
  });
});
