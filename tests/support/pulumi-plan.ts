/**
 * What `pulumi up` would do to a stack whose state is `previous` when the program now registers
 * `next`: per resource, create, same, update or replace. Mocks record what the program declares; this
 * applies the rules the engine and the providers apply to it, so an update test can show what a
 * change replaces:
 * - a property differs when its value differs, or when it came from a resource being replaced (its
 *   output is unknown until the replacement exists: pulumi/pulumi pkg/resource/deploy/step_generator.go);
 * - per provider, a changed field replaces or updates as infra/provider-semantics.ts records, and
 *   `replaceOnChanges` turns a change into a replacement (applyReplaceOnChanges);
 * - the Docker provider's Image.Check adds the build context's digest to the inputs, so a code change
 *   is a change of the image (pulumi-docker provider/provider.go).
 * A resource whose create failed is not in `previous` (it was never recorded), so it is created again.
 */
import { isDeepStrictEqual } from "node:util";
import {
  commandFields, containerFields, cpusReadBack, goDuration, imageFields, networkFields, remoteImageFields, volumeFields,
  type FieldSemantics,
} from "../../infra/provider-semantics.js";
import type { RecordedResource } from "./pulumi-stack.js";

export type Step = "create" | "same" | "update" | "replace";

export interface StackState {
  resources: RecordedResource[];
  appSourceDigest: string;
}

const tables: Record<string, Record<string, FieldSemantics>> = {
  "docker:index/container:Container": containerFields,
  "docker:index/image:Image": imageFields,
  "docker:index/remoteImage:RemoteImage": remoteImageFields,
  "docker:index/volume:Volume": volumeFields,
  "docker:index/network:Network": networkFields,
  "command:local:Command": commandFields,
};
/** terraform-provider-random: every input of a RandomPassword forces a new one. */
const randomPassword = "random:index/randomPassword:RandomPassword";

/** The inputs a provider diffs: the program's, plus what its Check adds. */
function checkedInputs(r: RecordedResource, state: StackState): Record<string, unknown> {
  if (r.type !== "docker:index/image:Image") return r.inputs;
  return { ...r.inputs, build: { ...(r.inputs["build"] as object), contextDigest: state.appSourceDigest } };
}

/** The resource's semantics for one changed field; every field the program sets must be in the table. */
function fieldUpdate(r: RecordedResource, field: string): FieldSemantics["update"] {
  if (r.type === randomPassword) return "replace";
  const semantics = tables[r.type]?.[field];
  if (!semantics) throw new Error(`${r.name} (${r.type}) sets ${field}, which infra/provider-semantics.ts does not describe`);
  return semantics.update;
}

export function plan(previous: StackState, next: StackState): Map<string, Step> {
  const before = new Map(previous.resources.map((r) => [r.urn, r]));
  const replaced = new Set<string>();
  const steps = new Map<string, Step>();
  for (const r of next.resources) {
    if (!r.type.includes(":index/") && !r.type.startsWith("command:") && !r.type.startsWith("random:")) continue; // components
    const old = before.get(r.urn);
    if (!old) {
      steps.set(r.name, "create");
      continue;
    }
    const oldInputs = checkedInputs(old, previous);
    const newInputs = checkedInputs(r, next);
    const keys = new Set([...Object.keys(oldInputs), ...Object.keys(newInputs)]);
    const changed = [...keys].filter(
      (k) => !isDeepStrictEqual(oldInputs[k], newInputs[k]) || (r.opts?.propertyDependencies?.[k] ?? []).some((u) => replaced.has(u)),
    );
    const replace = changed.some((k) => fieldUpdate(r, k) === "replace" || (r.opts?.replaceOnChanges ?? []).includes(k));
    const step: Step = changed.length === 0 ? "same" : replace ? "replace" : "update";
    if (step === "replace") replaced.add(r.urn);
    steps.set(r.name, step);
  }
  return steps;
}

/** Seconds of a Go duration string ("1m30s", "60s", "5m"). */
function goSeconds(duration: string): number {
  const units: Record<string, number> = { h: 3600, m: 60, s: 1 };
  const parts = [...duration.matchAll(/(\d+)([hms])/g)];
  if (parts.map((p) => p[0]).join("") !== duration) throw new Error(`not a Go duration of whole seconds: ${duration}`);
  return parts.reduce((sum, [, n, unit]) => sum + Number(n) * units[unit!]!, 0);
}

/**
 * A container's inputs after `pulumi refresh`: the fields the provider reads back, in its form
 * (resourceDockerContainerRead; memory swap as Docker 20.10.24 reports it when unset: twice the
 * memory limit). Everything else keeps the value the state holds.
 */
export function refreshedContainer(inputs: Record<string, any>): Record<string, any> {
  const out = { ...inputs };
  if (inputs["healthcheck"]) {
    const h = inputs["healthcheck"];
    out["healthcheck"] = { ...h, ...Object.fromEntries(["interval", "timeout", "startPeriod"].filter((k) => h[k] !== undefined).map((k) => [k, goDuration(goSeconds(h[k]))])) };
  }
  if (inputs["cpus"] !== undefined) out["cpus"] = cpusReadBack(inputs["cpus"]) ?? `unreadable ${inputs["cpus"]}`;
  if (inputs["memory"] !== undefined) out["memorySwap"] = inputs["memorySwap"] ?? inputs["memory"] * 2;
  return out;
}
