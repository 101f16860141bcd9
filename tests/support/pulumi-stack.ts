/**
 * Runs the Pulumi program (infra/index.ts) against Pulumi's own mocks, once per stack, and records
 * every resource it registers. The Pulumi CLI cannot run on this machine; this is how the
 * infrastructure tests and the policy-pack tests see the declared stack.
 *
 * How inputs are represented (what a policy would see):
 * - `inputs` are deserialized with @pulumi/policy's own deserializer, exactly as `validateResource`
 *   receives `args.props` during `pulumi preview/up --policy-pack`: Pulumi secrets arrive
 *   **unwrapped to plaintext**, with no marker (pulumi/pulumi-policy#163, #241). A policy therefore
 *   cannot tell a secret from a literal by value alone.
 * - `secretInputs` lists the top-level input keys whose value (or any part of it) was a Pulumi
 *   secret in the program: what the engine knows and stores encrypted, but a policy cannot see.
 * - `opts.additionalSecretOutputs` is what a policy does see (PolicyResourceOptions): the program
 *   lists there every input that carries a secret, so a policy can require it.
 * - `opts.dependsOn` holds every direct dependency URN the program sent (explicit `dependsOn` and
 *   the resources whose outputs feed an input), as the engine records them; `opts.parent` is the
 *   parent URN (the root stack for top-level components); `propertyDependencies` says which input
 *   came from which resources (what the engine uses to find dependents of a replaced resource).
 * - Config comes from the checked-in Pulumi.<stack>.yaml; the random passwords resolve to mock values.
 * - The mocked providers answer as the real ones would where the program reads an output: the app
 *   image's repoDigest is its image ID (a hash of its inputs and of the build context's contents,
 *   `appSourceDigest`), and the migrations run fails the way pulumi-command's local.Command fails.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import type { ObservatoryOutputs } from "../../infra/outputs.js";

export type StackName = "dev" | "prod";

export interface RecordedResource {
  type: string;
  name: string;
  urn: string;
  inputs: Record<string, unknown>;
  opts?: {
    dependsOn?: string[];
    parent?: string;
    additionalSecretOutputs?: string[];
    replaceOnChanges?: string[];
    propertyDependencies?: Record<string, string[]>;
  };
  secretInputs?: string[];
}

export interface StackRun {
  resources: RecordedResource[];
  outputs: ObservatoryOutputs;
  /** The build context's contents as the Docker provider's Image.Check hashes them (contextDigest). */
  appSourceDigest: string;
}

export interface RunOptions {
  /** Config values that replace (or, with `undefined`, remove) keys of Pulumi.<stack>.yaml. */
  config?: Record<string, unknown>;
  /** Exit code of the migrations job when `docker start --attach` runs it (default 0). */
  migrationsExitCode?: number;
  /** Stands for the contents of the app image's build context (default "source-1"). */
  appSourceDigest?: string;
}

/** What the migrations job prints when it fails in the mocked runs. */
export const failedMigrationLog = 'migrate: 0012_span_links failed: ERROR: relation "span_links" already exists (42P07)';

export const projectName = "llm-observatory";
const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const secretSig = "1b47061264138c4ac30d75fd1eb44270";

// @pulumi/policy's own deserializer (its typings mark it internal): `proxySecrets: false` is how the
// policy server builds `args.props` for validateResource.
const { deserializeProperties } = createRequire(import.meta.url)("@pulumi/policy/deserialize") as {
  deserializeProperties(struct: unknown, proxySecrets: boolean): Record<string, unknown>;
};

/** The mock value of a generated password: recognisable, so tests can search inputs for it. */
export const mockSecretValue = (name: string) => `mock-secret-${name}-0123456789abcdef`;

/**
 * What a user sets with `pulumi config set` before the first preview: prod refuses to run until it
 * names its Docker daemon and the host clients use (Pulumi.prod.yaml says so).
 */
export const userSettings: Record<StackName, Record<string, unknown>> = {
  dev: {},
  prod: {
    "docker:host": "ssh://deploy@observatory.example.com",
    proxy: { enabled: true, host: "observatory.example.com", tls: "internal" },
  },
};

/**
 * The stack's config as the CLI would pass it once the user has set what the stack asks for
 * (`userSettings`): Pulumi.<stack>.yaml, objects as JSON strings. `checkedIn` leaves those out.
 */
export function stackConfig(stack: StackName, overrides: Record<string, unknown> = {}, { checkedIn = false } = {}): Record<string, string> {
  const file = parse(readFileSync(`${repoRoot}Pulumi.${stack}.yaml`, "utf8")) as { config?: Record<string, unknown> };
  const merged: Record<string, unknown> = { ...file.config };
  for (const [key, value] of Object.entries({ ...(checkedIn ? {} : userSettings[stack]), ...overrides })) {
    const full = key.includes(":") ? key : `${projectName}:${key}`;
    if (value === undefined) delete merged[full];
    else merged[full] = value;
  }
  return Object.fromEntries(
    Object.entries(merged).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
  );
}

function containsSecret(raw: unknown): boolean {
  if (Array.isArray(raw)) return raw.some(containsSecret);
  if (raw === null || typeof raw !== "object") return false;
  if (Object.values(raw).includes(secretSig)) return true;
  return Object.values(raw).some(containsSecret);
}

/** What each mocked resource reports back: its inputs plus the outputs the program reads. */
function mockState(args: pulumi.runtime.MockResourceArgs, options: Required<Pick<RunOptions, "migrationsExitCode" | "appSourceDigest">>): Record<string, unknown> {
  const inputs = args.inputs as Record<string, unknown>;
  switch (args.type) {
    case "random:index/randomPassword:RandomPassword":
      return { ...inputs, result: mockSecretValue(args.name) };
    case "docker:index/container:Container":
      // The provider reads exit_code from a stopped container: one it attached to ran the job to its end.
      return { ...inputs, exitCode: inputs["attach"] === true ? options.migrationsExitCode : 0 };
    case "docker:index/image:Image": {
      const id = createHash("sha256").update(JSON.stringify([inputs, options.appSourceDigest])).digest("hex");
      return { ...inputs, repoDigest: `sha256:${id}`, baseImageName: inputs["imageName"] };
    }
    case "command:local:Command": {
      // pulumi-command local/commandOutputs.go run(): `%w: running %q:\n<stdout and stderr>`.
      if (options.migrationsExitCode !== 0) {
        throw new Error(`exit status ${options.migrationsExitCode}: running "${inputs["create"]}":\n${failedMigrationLog}`);
      }
      return { ...inputs, stdout: "", stderr: "" };
    }
    default:
      return { ...inputs, name: inputs["name"] ?? args.name };
  }
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getObject(): { toJavaScript(): Record<string, unknown> };
  getDependenciesList(): string[];
  getAdditionalsecretoutputsList(): string[];
  getReplaceonchangesList(): string[];
  getPropertydependenciesMap(): { forEach(f: (deps: { getUrnsList(): string[] }, key: string) => void): void };
}
interface RegisterResponse {
  getUrn(): string;
}
type Callback = (err: unknown, res?: RegisterResponse) => void;
interface MonitorLike {
  registerResource(req: RegisterRequest, cb: Callback): void;
}

/** Runs the program for one stack under fresh mocks; safe to call repeatedly in one process. */
export async function runStack(stack: StackName, options: RunOptions = {}): Promise<StackRun> {
  const mocked = { migrationsExitCode: options.migrationsExitCode ?? 0, appSourceDigest: options.appSourceDigest ?? "source-1" };
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: `${args.name}-id`, state: mockState(args, mocked) }),
      call: (args) => args.inputs as Record<string, unknown>,
    },
    projectName,
    stack,
    false,
  );
  pulumi.runtime.setAllConfig(stackConfig(stack, options.config));

  const resources: RecordedResource[] = [];
  const monitor = pulumi.runtime.getMonitor() as unknown as MonitorLike;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) =>
    register(req, (err, res) => {
      if (!err && res) {
        const raw = req.getObject().toJavaScript();
        const secretInputs = Object.keys(raw).filter((k) => containsSecret([raw[k]]));
        const dependsOn = req.getDependenciesList();
        const additionalSecretOutputs = req.getAdditionalsecretoutputsList();
        const replaceOnChanges = req.getReplaceonchangesList();
        const propertyDependencies: Record<string, string[]> = {};
        req.getPropertydependenciesMap().forEach((deps, key) => {
          if (deps.getUrnsList().length > 0) propertyDependencies[key] = deps.getUrnsList();
        });
        resources.push({
          type: req.getType(),
          name: req.getName(),
          urn: res.getUrn(),
          inputs: deserializeProperties(req.getObject(), false),
          opts: {
            ...(dependsOn.length ? { dependsOn } : {}),
            ...(req.getParent() ? { parent: req.getParent() } : {}),
            ...(additionalSecretOutputs.length ? { additionalSecretOutputs } : {}),
            ...(replaceOnChanges.length ? { replaceOnChanges } : {}),
            ...(Object.keys(propertyDependencies).length ? { propertyDependencies } : {}),
          },
          ...(secretInputs.length ? { secretInputs } : {}),
        });
      }
      cb(err, res);
    });

  // Imported after setMocks (ESM pitfall); the program is a function, so each call is a fresh run.
  const { default: observatory } = await import("../../infra/index.js");
  let outputs: ObservatoryOutputs | undefined;
  const failures = await asLanguageHost(async () => {
    await pulumi.runtime.runInPulumiStack(async () => {
      outputs = await observatory();
      return outputs;
    });
    // Let in-flight registrations (children registered after the outputs resolved) finish.
    await settle(resources);
  });
  if (failures[0]) throw Object.assign(failures[0] as Error, { registered: resources });
  if (!outputs) throw new Error(`stack ${stack}: the program returned no outputs`);
  return { resources, outputs, appSourceDigest: mocked.appSourceDigest };
}

/**
 * Pulumi's language host fails the update when a registration rejects unhandled (for example an
 * input whose `apply` throws); this collects those rejections for the duration of one run
 * instead of letting the test runner report them as stray errors.
 */
async function asLanguageHost(run: () => Promise<void>): Promise<unknown[]> {
  const failures: unknown[] = [];
  const previous = process.listeners("unhandledRejection");
  process.removeAllListeners("unhandledRejection");
  process.on("unhandledRejection", (reason) => failures.push(reason));
  try {
    await run();
  } catch (err) {
    failures.unshift(err);
  } finally {
    process.removeAllListeners("unhandledRejection");
    for (const listener of previous) process.on("unhandledRejection", listener);
  }
  return failures;
}

async function settle(resources: RecordedResource[]): Promise<void> {
  let seen = -1;
  while (seen !== resources.length) {
    seen = resources.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The resources the mocked program registers for `stack`, with inputs as a policy sees them. */
export async function recordStack(stack: StackName): Promise<RecordedResource[]> {
  return (await runStack(stack)).resources;
}

/** Resolves an Output for assertions (mocks resolve every value; preview-unknowns never occur). */
export function resolve<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((done) => output.apply(done));
}
