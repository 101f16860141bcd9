/**
 * .github/workflows/preview.yml: the test suite on every pull request, then a preview per stack against
 * Pulumi Cloud or a self-managed backend, skipped with a notice (not failed) when the run has no
 * credentials, as pull requests from forks never do. GitHub Actions cannot run here: the workflow's
 * structure is read, and its backend step's shell runs with the environments those cases give it.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, expect, test } from "vitest";
import { parse } from "yaml";

interface Step {
  id?: string;
  if?: string;
  run?: string;
  uses?: string;
}
interface Job {
  needs?: string;
  env?: Record<string, string>;
  steps: Step[];
}
const workflow = parse(readFileSync(new URL("../../.github/workflows/preview.yml", import.meta.url), "utf8")) as { jobs: Record<string, Job> };
const dir = mkdtempSync(join(tmpdir(), "obs-workflow-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("every pull request runs the test suite as CI does (.ci/run: installs, then npm test) before any preview", () => {
  expect(workflow.jobs["test"]!.steps.map((s) => s.run).filter(Boolean)).toContain("bash .ci/run");
  expect(readFileSync(new URL("../../.ci/run", import.meta.url), "utf8")).toMatch(/^npm test$/m);
  expect(workflow.jobs["preview"]!.needs).toBe("test");
});

test("the preview reaches Pulumi Cloud or a self-managed backend (PULUMI_BACKEND_URL + PULUMI_CONFIG_PASSPHRASE)", () => {
  expect(workflow.jobs["preview"]!.env).toMatchObject({
    PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}",
    PULUMI_BACKEND_URL: "${{ vars.PULUMI_BACKEND_URL }}",
    PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}",
  });
  const runs = workflow.jobs["preview"]!.steps.map((s) => s.run ?? "");
  expect(runs).toContain("pulumi login");
  expect(runs).toContain("pulumi preview --stack ${{ matrix.stack }} --policy-pack policies --diff --non-interactive");
});

/** Runs the backend step's script as the runner would (bash -e), with GITHUB_OUTPUT and the given secrets. */
async function backendStep(env: Record<string, string>): Promise<{ code: number; kind: string; stdout: string }> {
  const step = workflow.jobs["preview"]!.steps.find((s) => s.id === "backend")!;
  const output = join(dir, `output-${Math.random().toString(16).slice(2)}`);
  const result = await promisify(execFile)("bash", ["-e", "-c", step.run!], { env: { PATH: process.env.PATH, GITHUB_OUTPUT: output, ...env } }).then(
    (r) => ({ code: 0, stdout: r.stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
  );
  const kind = existsSync(output) ? (/kind=(.*)/.exec(readFileSync(output, "utf8"))?.[1] ?? "") : "";
  return { ...result, kind };
}

test("a run without credentials (a fork's pull request) skips the preview with a notice and stays green", async () => {
  const fork = await backendStep({ PULUMI_ACCESS_TOKEN: "", PULUMI_BACKEND_URL: "", PULUMI_CONFIG_PASSPHRASE: "" });
  expect(fork).toMatchObject({ code: 0, kind: "none" });
  expect(fork.stdout).toContain("::notice title=preview skipped::");
  const steps = workflow.jobs["preview"]!.steps;
  for (const s of steps.slice(steps.findIndex((s) => s.id === "backend") + 1)) expect(s.if, s.run ?? s.uses).toBe("steps.backend.outputs.kind != 'none'");
});

test("credentials choose the backend; a self-managed backend without its passphrase fails clearly", async () => {
  expect(await backendStep({ PULUMI_ACCESS_TOKEN: "pul-token" })).toMatchObject({ code: 0, kind: "pulumi-cloud" });
  expect(await backendStep({ PULUMI_BACKEND_URL: "s3://observatory-state", PULUMI_CONFIG_PASSPHRASE: "passphrase" })).toMatchObject({ code: 0, kind: "self-managed" });
  const noPassphrase = await backendStep({ PULUMI_BACKEND_URL: "s3://observatory-state" });
  expect(noPassphrase.code).toBe(1);
  expect(noPassphrase.stdout).toContain("::error::PULUMI_BACKEND_URL is set but the secret PULUMI_CONFIG_PASSPHRASE is not");
});
