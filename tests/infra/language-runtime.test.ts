/**
 * `pulumi preview` minus the CLI: the program through @pulumi/pulumi's own language runtime, started
 * as the CLI's Node language host starts it, against an in-process engine (tests/support/pulumi-engine.ts).
 * Mocks import the program's default export directly and never see how the CLI loads it: an entry
 * module with named exports besides the default, or a Pulumi.yaml `main` that moves the program (and
 * the Docker provider) into infra/, only fail here.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { dockerImageCheck, repoRoot, runAsCli, type CliRun } from "../support/pulumi-engine.js";
import { stackConfig, type StackName } from "../support/pulumi-stack.js";

const stacks = ["dev", "prod"] as const;
const runs = new Map<StackName, CliRun>();

beforeAll(async () => {
  // Both stacks at once: each run is a node process of its own.
  const done = await Promise.all(stacks.map((stack) => runAsCli({ stack, config: stackConfig(stack), dryRun: true, checks: [dockerImageCheck] })));
  stacks.forEach((stack, i) => runs.set(stack, done[i]!));
}, 300_000);

describe.each(stacks)("pulumi preview of the %s stack, through the Node language runtime", (stack: StackName) => {
  test("loads the entry module and runs the program to the end", () => {
    const run = runs.get(stack)!;
    expect(run.logs.filter((l) => l.severity === "error").map((l) => l.message), run.stderr).toEqual([]);
    expect(run.exitCode).toBe(0);
  });

  test("runs in the project root, where the Docker provider finds the Dockerfile and the build context", () => {
    const run = runs.get(stack)!;
    expect(run.programDir).toBe(repoRoot);
    const image = run.registrations.find((r) => r.type === "docker:index/image:Image")!;
    expect(image.inputs["build"]).toMatchObject({ context: ".", dockerfile: "Dockerfile" });
  });

  test("registers the whole stack", () => {
    const types = runs.get(stack)!.registrations.map((r) => r.type);
    expect(types[0]).toBe("pulumi:pulumi:Stack");
    expect(types.filter((t) => t === "docker:index/container:Container")).toHaveLength(stack === "dev" ? 9 : 13);
    expect(types.filter((t) => t === "command:local:Command")).toHaveLength(1);
  });
});
