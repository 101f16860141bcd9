/**
 * Runs the Pulumi program the way `pulumi preview` does, minus the CLI (which cannot run here):
 * `@pulumi/pulumi/cmd/run` (the script the Node language host starts) in a child process, with the
 * node arguments from Pulumi.yaml, the working directory the CLI chooses from Pulumi.yaml `main`,
 * the stack's config in PULUMI_CONFIG and the engine and monitor addresses as flags, against a
 * small in-process gRPC Engine and ResourceMonitor (the services generated in @pulumi/pulumi/proto).
 *
 * Sources (pulumi/pulumi at pkg/v3.259.0-14-g1b5949891b):
 * - pkg/engine/project.go getPwdMain: `main` naming a file runs the program in that file's folder
 *   with the file's base name as entry point; no `main` runs it in the project root with entry ".".
 * - pkg/engine/deployment.go ProjectInfoContext + sdk/go/common/resource/plugin/provider_plugin.go:
 *   provider plugins start in that same folder (ctx.Pwd).
 * - sdk/nodejs/cmd/pulumi-language-nodejs/main.go execRuntime/constructArguments/constructConfig:
 *   `node <nodeargs> <run> --monitor --engine --organization --project --root-directory --stack
 *   --pwd [--dry-run] --parallel <entry>`, config keys as `<namespace>:config:<name>` in PULUMI_CONFIG.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

const require = createRequire(import.meta.url);
const protoDir = dirname(require.resolve("@pulumi/pulumi/proto/resource_grpc_pb.js"));
// The gRPC module the generated services were built against (a second copy would not match).
const grpc = createRequire(join(protoDir, "resource_grpc_pb.js"))("@grpc/grpc-js") as typeof import("@grpc/grpc-js");
const resourceGrpc = require(join(protoDir, "resource_grpc_pb.js"));
const engineGrpc = require(join(protoDir, "engine_grpc_pb.js"));
const resourcePb = require(join(protoDir, "resource_pb.js"));
const enginePb = require(join(protoDir, "engine_pb.js"));
const { Struct } = require("google-protobuf/google/protobuf/struct_pb.js");
const { Empty } = require("google-protobuf/google/protobuf/empty_pb.js");

export const repoRoot = resolve(fileURLToPath(new URL("../../", import.meta.url)));

export interface Registration {
  type: string;
  name: string;
  urn: string;
  custom: boolean;
  /** Inputs as sent on the wire (secrets still wrapped). */
  inputs: Record<string, unknown>;
  dependencies: string[];
}

export interface LogEntry {
  severity: "debug" | "info" | "warning" | "error";
  message: string;
}

export interface CliRun {
  exitCode: number | null;
  /** The folder the program and the provider plugins run in. */
  programDir: string;
  registrations: Registration[];
  logs: LogEntry[];
  stderr: string;
}

/** A provider's own check of a registration (what it would refuse); returns the error it would give. */
export type ProviderCheck = (registration: Registration, providerCwd: string) => string | undefined;

/** Where the CLI runs the program and what it names as the entry point (pkg/engine/project.go getPwdMain). */
export function programLocation(projectRoot: string, main: string | undefined): { pwd: string; entryPoint: string } {
  if (!main) return { pwd: projectRoot, entryPoint: "." };
  const full = isAbsolute(main) ? main : resolve(projectRoot, main);
  return statSync(full).isDirectory() ? { pwd: full, entryPoint: "." } : { pwd: dirname(full), entryPoint: basename(full) };
}

/** Splits `nodeargs` like the language host's shlex.Split (quotes and backslashes, no expansion). */
export function splitArgs(line: string): string[] {
  return [...line.matchAll(/"((?:\\.|[^"\\])*)"|'([^']*)'|((?:\\.|[^\s"'\\])+)/g)].map((m) => (m[1] ?? m[2] ?? m[3]!).replace(/\\(.)/g, "$1"));
}

const severities = ["debug", "info", "warning", "error"] as const;

/** Starts the engine and monitor, runs the program once for `stack`, and collects what it registered. */
export async function runAsCli(options: {
  stack: string;
  /** `namespace:key` → value, as in Pulumi.<stack>.yaml (objects as JSON strings). */
  config: Record<string, string>;
  dryRun: boolean;
  checks?: ProviderCheck[];
  timeoutMs?: number;
}): Promise<CliRun> {
  const project = parse(readFileSync(join(repoRoot, "Pulumi.yaml"), "utf8")) as { name: string; main?: string; runtime: { options?: { nodeargs?: string } } };
  const { pwd, entryPoint } = programLocation(repoRoot, project.main);
  const registrations: Registration[] = [];
  const logs: LogEntry[] = [];
  let rootUrn = "";

  const urnOf = (type: string, name: string, parent: string) => {
    const parentType = parent ? parent.split("::")[2]! : "";
    const qualified = parentType && !parentType.startsWith("pulumi:pulumi:Stack") ? `${parentType}$${type}` : type;
    return `urn:pulumi:${options.stack}::${project.name}::${qualified}::${name}`;
  };
  const reply = <T>(cb: (err: unknown, res?: T) => void, build: () => T) => {
    try {
      cb(null, build());
    } catch (err) {
      cb({ code: grpc.status.UNKNOWN, details: (err as Error).message });
    }
  };

  const server = new grpc.Server();
  server.addService(engineGrpc.EngineService, {
    log: (call: any, cb: any) => {
      logs.push({ severity: severities[call.request.getSeverity()] ?? "info", message: call.request.getMessage() });
      cb(null, new Empty());
    },
    getRootResource: (_call: any, cb: any) => reply(cb, () => new enginePb.GetRootResourceResponse().setUrn(rootUrn)),
    setRootResource: (call: any, cb: any) => {
      rootUrn = call.request.getUrn();
      cb(null, new enginePb.SetRootResourceResponse());
    },
    requirePulumiVersion: (_call: any, cb: any) => cb(null, new enginePb.RequirePulumiVersionResponse()),
  });
  const supported = new Set(["secrets", "resourceReferences", "deletedWith", "aliasSpecs"]);
  server.addService(resourceGrpc.ResourceMonitorService, {
    supportsFeature: (call: any, cb: any) => reply(cb, () => new resourcePb.SupportsFeatureResponse().setHassupport(supported.has(call.request.getId()))),
    registerResource: (call: any, cb: any) => {
      const req = call.request;
      const registration: Registration = {
        type: req.getType(),
        name: req.getName(),
        urn: urnOf(req.getType(), req.getName(), req.getParent()),
        custom: req.getCustom(),
        inputs: req.getObject()?.toJavaScript() ?? {},
        dependencies: req.getDependenciesList(),
      };
      registrations.push(registration);
      const refused = (options.checks ?? []).map((check) => check(registration, pwd)).find((e) => e !== undefined);
      if (refused) return cb({ code: grpc.status.UNKNOWN, details: refused });
      // A preview answers with the checked inputs; outputs not among them stay unknown to the program.
      const res = new resourcePb.RegisterResourceResponse().setUrn(registration.urn).setObject(Struct.fromJavaScript(registration.inputs));
      if (!options.dryRun && registration.custom) res.setId(`${registration.name}-id`);
      cb(null, res);
    },
    registerResourceOutputs: (_call: any, cb: any) => cb(null, new Empty()),
    signalAndWaitForShutdown: (_call: any, cb: any) => cb(null, new Empty()),
  });
  const port = await new Promise<number>((done, fail) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? fail(err) : done(p))),
  );
  const address = `127.0.0.1:${port}`;

  // locateModule resolves the run script from the program's folder.
  const runPath = createRequire(join(pwd, "noop.js")).resolve("@pulumi/pulumi/cmd/run");
  const args = [
    ...splitArgs(project.runtime.options?.nodeargs ?? ""),
    runPath, "--monitor", address, "--engine", address, "--organization", "organization", "--project", project.name,
    "--root-directory", repoRoot, "--stack", options.stack, "--pwd", pwd, ...(options.dryRun ? ["--dry-run"] : []),
    "--parallel", "16", entryPoint,
  ];
  const config = Object.fromEntries(Object.entries(options.config).map(([k, v]) => [k.replace(":", ":config:"), v]));
  const child = spawn(process.execPath, args, {
    cwd: pwd,
    env: { ...process.env, PULUMI_CONFIG: JSON.stringify(config), PULUMI_CONFIG_SECRET_KEYS: "[]" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stdout.resume();
  child.stderr.on("data", (chunk) => (stderr += chunk));
  // Pulumi's runtime formats an unhandled error slowly (minutes on a busy machine); never hang past this.
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 240_000);
  const exitCode = await new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  clearTimeout(timer);
  await new Promise<void>((done) => server.tryShutdown(() => done()));
  return { exitCode, programDir: pwd, registrations, logs, stderr };
}

/**
 * What the Docker provider's Image.Check refuses (pulumi-docker provider/provider.go Check: it stats
 * `build.dockerfile` relative to its own working directory on every preview, then hashes the
 * context), plus what our Dockerfile needs in the context (`COPY package.json package-lock.json`).
 */
export const dockerImageCheck: ProviderCheck = (r, providerCwd) => {
  if (r.type !== "docker:index/image:Image") return undefined;
  const build = r.inputs["build"] as { context?: string; dockerfile?: string } | undefined;
  const context = build?.context ?? ".";
  const dockerfile = build?.dockerfile ?? join(context, "Dockerfile");
  if (!existsSync(resolve(providerCwd, dockerfile))) return `could not open dockerfile at relative path "${dockerfile}" (from ${providerCwd})`;
  if (!existsSync(resolve(providerCwd, context, "package.json"))) return `build context "${context}" (from ${providerCwd}) has no package.json for the Dockerfile's COPY`;
  return undefined;
};
