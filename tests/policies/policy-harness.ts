/**
 * Calls policies the way @pulumi/policy's analyzer server does, without starting it: resource props
 * go through the framework's own deserializer (the engine's wire form in, `args.props` out, secrets
 * unwrapped) and its unknown-checking proxy; `getConfig` returns the policy's config; `notApplicable`
 * throws like the framework's.
 */
import { createRequire } from "node:module";
import type { JavaScriptValue, Struct } from "google-protobuf/google/protobuf/struct_pb.js";
import {
  unknownCheckingProxy,
  type EnforcementLevel,
  type Policies,
  type PolicyResource,
  type PolicyResourceOptions,
  type ResourceValidationArgs,
  type ResourceValidationPolicy,
  type StackValidationPolicy,
} from "@pulumi/policy";

const require = createRequire(import.meta.url);
const { Struct: StructClass } = require("google-protobuf/google/protobuf/struct_pb.js") as { Struct: typeof Struct };
// Internal to the framework (not in its typings): the function its server applies to every request.
const { deserializeProperties } = require("@pulumi/policy/deserialize.js") as {
  deserializeProperties(props: Struct, proxySecrets: boolean): Record<string, unknown>;
};

export const project = "llm-observatory";

/** A resource as a test states it: `props` in the engine's wire form (secrets may be wrapped). */
export interface TestResource {
  type: string;
  name: string;
  props: Record<string, unknown>;
  stack?: string;
  /** Defaults to a top-level URN in `stack` (dev unless given). */
  urn?: string;
  opts?: Partial<PolicyResourceOptions> & { dependsOn?: string[] };
}

export const urnOf = (r: Pick<TestResource, "type" | "name" | "stack" | "urn">) =>
  r.urn ?? `urn:pulumi:${r.stack ?? "dev"}::${project}::${r.type}::${r.name}`;

/** What a policy receives as `props` for these wire-form properties. */
export function asPolicySees(props: Record<string, unknown>): Record<string, any> {
  return unknownCheckingProxy(deserializeProperties(StructClass.fromJavaScript(props as Record<string, JavaScriptValue>), false));
}

export class NotApplicable extends Error {}

const notApplicable = (reason?: string): never => {
  throw new NotApplicable(reason);
};

const typeOf = (resourceClass: unknown) => (resourceClass as { __pulumiType?: string }).__pulumiType;

function options(r: TestResource): PolicyResourceOptions {
  return {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: r.opts?.additionalSecretOutputs ?? [],
    ...(r.opts?.parent ? { parent: r.opts.parent } : {}),
  };
}

export function resourceArgs(r: TestResource, config: object = {}): ResourceValidationArgs {
  const props = asPolicySees(r.props);
  return {
    type: r.type,
    props,
    urn: urnOf(r),
    name: r.name,
    opts: options(r),
    stackTags: new Map(),
    isType: (resourceClass) => typeOf(resourceClass) === r.type,
    asType: ((resourceClass: unknown) => (typeOf(resourceClass) === r.type ? props : undefined)) as ResourceValidationArgs["asType"],
    getConfig: <T extends object>() => config as T,
    notApplicable,
  };
}

/** The messages a resource policy reports; validations for other resource types are not applicable. */
export async function resourceViolations(policy: ResourceValidationPolicy, r: TestResource, config: object = {}): Promise<string[]> {
  const messages: string[] = [];
  const validations = [policy.validateResource ?? []].flat();
  for (const validate of validations) {
    try {
      await validate(resourceArgs(r, config), (message) => messages.push(message));
    } catch (error) {
      if (!(error instanceof NotApplicable)) throw error;
    }
  }
  return messages;
}

function stackResources(resources: TestResource[]): PolicyResource[] {
  const byUrn = new Map<string, PolicyResource>();
  for (const r of resources) {
    const { type, name, urn, props, opts, isType, asType } = resourceArgs(r);
    byUrn.set(urn, { type, name, urn, props, opts, isType, asType: asType as PolicyResource["asType"], dependencies: [], propertyDependencies: {} });
  }
  for (const r of resources) {
    const resource = byUrn.get(urnOf(r))!;
    resource.dependencies = (r.opts?.dependsOn ?? []).flatMap((urn) => byUrn.get(urn) ?? []);
    const parent = r.opts?.parent && byUrn.get(r.opts.parent);
    if (parent) resource.parent = parent;
  }
  return [...byUrn.values()];
}

export interface StackViolation {
  message: string;
  urn?: string;
}

/** What a stack policy reports; throws NotApplicable when the policy says so. */
export async function stackViolations(policy: StackValidationPolicy, resources: TestResource[], config: object = {}): Promise<StackViolation[]> {
  const found: StackViolation[] = [];
  await policy.validateStack(
    { resources: stackResources(resources), stackTags: new Map(), getConfig: <T extends object>() => config as T, notApplicable },
    (message, urn) => found.push(urn === undefined ? { message } : { message, urn }),
  );
  return found;
}

export interface PackViolation {
  policy: string;
  level: EnforcementLevel;
  message: string;
  urn: string | undefined;
}

/** A `--policy-pack-config` file: per policy, an enforcement level or settings with an optional one. */
export type PackConfig = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;

/** Every policy of a pack over a stack's resources, as `pulumi preview --policy-pack` would run it. */
export async function packViolations(policies: Policies, resources: TestResource[], packConfig: PackConfig = {}): Promise<PackViolation[]> {
  const found: PackViolation[] = [];
  for (const policy of policies) {
    const entry = packConfig[policy.name];
    const { enforcementLevel, ...config } = typeof entry === "string" ? { enforcementLevel: entry } : (entry ?? {});
    const level = enforcementLevel ?? policy.enforcementLevel ?? "mandatory";
    if (level === "disabled") continue;
    const at = (message: string, urn?: string) => found.push({ policy: policy.name, level, message, urn });
    if ("validateStack" in policy) {
      try {
        for (const v of await stackViolations(policy, resources, config)) at(v.message, v.urn);
      } catch (error) {
        if (!(error instanceof NotApplicable)) throw error;
      }
      continue;
    }
    for (const r of resources) {
      for (const message of await resourceViolations(policy, r, config)) at(message, urnOf(r));
    }
  }
  return found;
}
