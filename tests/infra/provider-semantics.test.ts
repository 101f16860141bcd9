/**
 * The program against what the Docker provider does with each field it sets (infra/provider-semantics.ts,
 * cited there): values sent in read-back form, so a refresh changes nothing; fields the provider
 * would accept and not apply replace the container instead.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { containerFields, containerReplaceOnChanges, cpusReadBack, goDuration } from "../../infra/provider-semantics.js";
import { plan, refreshedContainer } from "../support/pulumi-plan.js";
import { runStack, type StackName, type StackRun } from "../support/pulumi-stack.js";
import { containers, containerType } from "./stack-queries.js";

test("durations are written as Go's time.Duration.String() prints them", () => {
  expect([5, 10, 20, 59, 60, 90, 300, 3600, 3661].map(goDuration)).toEqual(["5s", "10s", "20s", "59s", "1m0s", "1m30s", "5m0s", "1h0m0s", "1h1m1s"]);
});

test("cpus read back as the provider's nanoInt64ToDecimalString prints them (its helpers_test.go cases, and the rounding it does)", () => {
  expect(["1", "1.5", "2", "2.25"].map(cpusReadBack)).toEqual(["1.0", "1.5", "2.0", "2.25"]);
  expect(["0.50", "0.5", "1.0", "0.25", "0.125"].map(cpusReadBack)).toEqual(["0.5", "0.5", "1.0", "0.25", "0.125"]);
  // 0.05 CPUs prints as nine digits with exactly nine zeros, so it comes back rounded to "0.1"; 10 as "10.".
  expect(["0.05", "10", "0", "1.0000000001", "abc"].map(cpusReadBack)).toEqual([undefined, undefined, undefined, undefined, undefined]);
});

describe.each(["dev", "prod"] as const)("the %s stack against the provider's semantics", (stack: StackName) => {
  let run: StackRun;
  beforeAll(async () => {
    run = await runStack(stack);
  });

  test("every field the program sets is one the table describes", () => {
    expect(() => plan(run, run)).not.toThrow();
    for (const c of containers(run.resources)) {
      for (const field of Object.keys(c.inputs)) expect(Object.keys(containerFields), `${c.name}.${field}`).toContain(field);
    }
  });

  test("a change the provider would not apply in place replaces the container (health check, tmpfs)", () => {
    expect(containerReplaceOnChanges.sort()).toEqual(["healthcheck", "tmpfs"]);
    for (const c of containers(run.resources)) expect(c.opts?.replaceOnChanges, c.name).toEqual(containerReplaceOnChanges);
    const api = containers(run.resources).find((c) => c.name === "api-1")!;
    const edited = (change: (inputs: Record<string, any>) => Record<string, any>) => ({
      ...run,
      resources: run.resources.map((r) => (r === api ? { ...r, inputs: change(r.inputs) } : r)),
    });
    expect(plan(edited((i) => ({ ...i, healthcheck: { ...i["healthcheck"], interval: "30s" } })), run).get("api-1")).toBe("replace");
    expect(plan(edited((i) => ({ ...i, tmpfs: { "/tmp": "rw,size=8m" } })), run).get("api-1")).toBe("replace");
    expect(plan(edited((i) => ({ ...i, memory: 2048 })), run).get("api-1")).toBe("update");
  });

  test("what a refresh reads back equals what the program sends: no diff after `pulumi refresh`", () => {
    const refreshed = {
      ...run,
      resources: run.resources.map((r) => (r.type === containerType ? { ...r, inputs: refreshedContainer(r.inputs) } : r)),
    };
    const changed = [...plan(refreshed, run)].filter(([, step]) => step !== "same");
    expect(changed).toEqual([]);
  });

  test("values the provider normalises are sent normalised: durations, cpus, swap, ports", () => {
    for (const c of containers(run.resources)) {
      const { healthcheck, cpus, memory, memorySwap, ports } = c.inputs;
      if (healthcheck) for (const d of [healthcheck.interval, healthcheck.timeout, healthcheck.startPeriod]) expect(d, c.name).toMatch(/^(\d+h)?(\d+m)?\d+s$/);
      expect(cpusReadBack(cpus), c.name).toBe(cpus);
      expect(memorySwap, c.name).toBe(memory);
      for (const p of ports ?? []) expect(Object.keys(p).sort(), c.name).toEqual(["external", "internal", "ip", "protocol"]);
    }
  });
});
