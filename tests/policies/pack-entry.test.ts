/**
 * The pack entry as `pulumi preview --policy-pack policies` starts it: Pulumi's run-policy-pack with
 * policies/ as its working directory, printing the port of the analyzer it serves. The Pulumi CLI is
 * not installed here, so the engine's calls are made with Pulumi's own generated gRPC client.
 */
import { spawn, type ChildProcessByStdio } from "node:child_process";
import { createRequire } from "node:module";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import type * as analyzerGrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb.js";
import type * as analyzerProto from "@pulumi/pulumi/proto/analyzer_pb.js";
import type { JavaScriptValue, Struct } from "google-protobuf/google/protobuf/struct_pb.js";
import type { Empty } from "google-protobuf/google/protobuf/empty_pb.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { policies } from "../../policies/rules/index.js";
import { container, secret } from "./resources.js";
import { urnOf, type TestResource } from "./policy-harness.js";

const require = createRequire(import.meta.url);
const { AnalyzerClient } = require("@pulumi/pulumi/proto/analyzer_grpc_pb.js") as typeof analyzerGrpc;
const proto = require("@pulumi/pulumi/proto/analyzer_pb.js") as typeof analyzerProto;
const { Struct: StructClass } = require("google-protobuf/google/protobuf/struct_pb.js") as { Struct: typeof Struct };
const { Empty: EmptyClass } = require("google-protobuf/google/protobuf/empty_pb.js") as { Empty: typeof Empty };

const policiesDir = fileURLToPath(new URL("../../policies/", import.meta.url));
let pack: ChildProcessByStdio<null, Readable, Readable>;
let client: analyzerGrpc.AnalyzerClient;

/** The port the pack prints on its first stdout line; rejects with its stderr if it exits first. */
function servedPort(child: ChildProcessByStdio<null, Readable, Readable>): Promise<number> {
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.stdout.once("data", (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
    child.once("exit", (code) => reject(new Error(`the pack exited with ${code}: ${stderr}`)));
  });
}

beforeAll(async () => {
  const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack");
  pack = spawn(process.execPath, [runner, "127.0.0.1:0", "."], { cwd: policiesDir, stdio: ["ignore", "pipe", "pipe"] });
  client = new AnalyzerClient(`127.0.0.1:${await servedPort(pack)}`, grpc.credentials.createInsecure());
}, 60_000);

afterAll(() => {
  client?.close();
  pack?.kill();
});

const call = <Req, Res>(method: (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown, req: Req) =>
  new Promise<Res>((resolve, reject) => method.call(client, req, (err, res) => (err ? reject(err) : resolve(res))));

interface ResourceMessage<M> {
  setType(v: string): M;
  setName(v: string): M;
  setUrn(v: string): M;
  setProperties(v: Struct): M;
  setOptions(v: analyzerProto.AnalyzerResourceOptions): M;
}

/** Fills an AnalyzeRequest or an AnalyzerResource the way the engine does, props in wire form. */
function describeResource<M extends ResourceMessage<M>>(message: M, r: TestResource): M {
  const options = new proto.AnalyzerResourceOptions().setAdditionalsecretoutputsList(r.opts?.additionalSecretOutputs ?? []);
  return message
    .setType(r.type)
    .setName(r.name)
    .setUrn(urnOf(r))
    .setProperties(StructClass.fromJavaScript(r.props as Record<string, JavaScriptValue>))
    .setOptions(options);
}

const diagnostics = (res: analyzerProto.AnalyzeResponse) =>
  res.getDiagnosticsList().map((d) => ({ policy: d.getPolicyname(), message: d.getMessage(), urn: d.getUrn() }));

describe("the pack entry under Pulumi's policy runner", () => {
  it("serves the pack, named and versioned from policies/package.json, with every policy", async () => {
    const info = await call<Empty, analyzerProto.AnalyzerInfo>(client.getAnalyzerInfo, new EmptyClass());
    expect([info.getName(), info.getVersion()]).toEqual(["llm-observatory", "0.1.0"]);
    expect(info.getPoliciesList().map((p) => p.getName())).toEqual(policies.map((p) => p.name));
  });

  it("judges a resource sent the way the engine sends it, secret inputs included", async () => {
    const r = container("api", { privileged: true, envs: secret(["LOG_LEVEL=info"]) });
    const req = describeResource(new proto.AnalyzeRequest(), r);
    expect(diagnostics(await call(client.analyze, req))).toEqual([
      {
        policy: "docker-container-not-privileged",
        // The framework prefixes each message with the policy's description.
        message: 'No container runs privileged.\ndocker.Container "api" runs privileged; remove privileged: true and add only the capabilities it needs.',
        // A resource policy's finding names no URN: the engine attaches it to the resource it sent.
        urn: "",
      },
    ]);
  });

  it("sees through a secret-wrapped literal password in a stack analysis", async () => {
    const r = container("api", { envs: secret(["LOG_LEVEL=info", "DB_PASSWORD=hunter2"]) }, { opts: { additionalSecretOutputs: ["envs"] } });
    const req = new proto.AnalyzeStackRequest().setResourcesList([describeResource(new proto.AnalyzerResource(), r)]);
    expect(diagnostics(await call(client.analyzeStack, req))).toEqual([
      {
        policy: "docker-container-no-literal-secret-env",
        message:
          "No environment variable, URL or uploaded file of a container carries a literal password, secret, token or key.\n" +
          'docker.Container "api" sets DB_PASSWORD to a literal value; pass a random.RandomPassword result instead of a value written in the program or config.',
        urn: urnOf(r),
      },
    ]);
  });
});
