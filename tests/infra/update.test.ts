/**
 * Later updates under mocks: the program run twice, the second time after a change, and what
 * `pulumi up` would do between the two (tests/support/pulumi-plan.ts applies the engine's and the
 * providers' rules to what the program registers).
 */
import { beforeAll, describe, expect, test } from "vitest";
import { plan, type Step } from "../support/pulumi-plan.js";
import { parseStackConfig } from "../../infra/config.js";
import { failedMigrationLog, runStack, stackConfig, type RecordedResource, type StackName, type StackRun } from "../support/pulumi-stack.js";

/** The resources a plan does something to, by step. */
function changes(steps: Map<string, Step>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, step] of steps) if (step !== "same") (out[step] ??= []).push(name);
  for (const names of Object.values(out)) names.sort();
  return out;
}

describe.each(["dev", "prod"] as const)("updating the %s stack", (stack: StackName) => {
  const replicas = (service: string) => Array.from({ length: stack === "dev" ? 1 : 2 }, (_, i) => `${service}-${i + 1}`);

  let before: StackRun;
  beforeAll(async () => {
    before = await runStack(stack, { appSourceDigest: "source-1" });
  });

  test("a run without changes changes nothing", async () => {
    expect(changes(plan(before, await runStack(stack, { appSourceDigest: "source-1" })))).toEqual({});
  });

  test("a code change rebuilds the image and replaces the migrations job, the API and the collector, and nothing else", async () => {
    const after = await runStack(stack, { appSourceDigest: "source-2" });
    expect(changes(plan(before, after))).toEqual({
      update: ["app-build"],
      replace: [...replicas("api"), ...replicas("collector"), "migrations-container", "migrations-run"].sort(),
    });
  });

  test("a migrations-only change (retention) runs the job again and replaces nothing that reads the schema", async () => {
    const { database } = parseStackConfig(stackConfig(stack));
    const after = await runStack(stack, { config: { database: { ...database, retentionDays: 90 } } });
    expect(changes(plan(before, after))).toEqual({ replace: ["migrations-container", "migrations-run"] });
  });
});

test("a failed migrations job is run again by the next `pulumi up`, and its output reaches the user", async () => {
  const failed = (await runStack("dev", { migrationsExitCode: 3 }).catch((e: unknown) => e)) as Error & { registered: RecordedResource[] };
  expect(failed.message).toContain(failedMigrationLog);
  // The state after the failed update: what was created before the failure.
  const state = { resources: failed.registered, appSourceDigest: "source-1" };
  const retried = plan(state, await runStack("dev"));
  expect(retried.get("migrations-container")).toBe("same");
  expect(retried.get("migrations-run")).toBe("create");
  expect(changes(retried).create).toEqual(expect.arrayContaining(["migrations-run", "api-1", "collector-1", "grafana-container"]));
});
