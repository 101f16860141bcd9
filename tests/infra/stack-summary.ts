import * as pulumi from "@pulumi/pulumi";
import type { ObservatoryOutputs } from "../../infra/outputs.js";
import type { RecordedResource } from "../support/pulumi-stack.js";
import { containers, envOf } from "./stack-queries.js";

const short = (urn: string) => urn.split("::").pop()!;

/**
 * A reviewer's view of a declared stack, like a preview: every network, volume, image and
 * container with its limits, ports, health check and wiring. Environment variables and uploads
 * are listed by name only; secret outputs as [secret].
 */
export function stackSummary(stack: string, resources: RecordedResource[], outputs: ObservatoryOutputs): string {
  const lines = [`# ${stack}: the stack declared by infra/ (tested with Pulumi's mocks; update: npx vitest run tests/infra -u)`];
  // Sorted: registration order is asynchronous, the summary must not be.
  const byName = (a: RecordedResource, b: RecordedResource) => a.name.localeCompare(b.name);
  const of = (type: string) => resources.filter((r) => r.type === type).sort(byName);
  lines.push("", "networks");
  for (const n of of("docker:index/network:Network")) lines.push(`  ${n.inputs["name"]}${n.inputs["internal"] ? "  (internal: no route out, nothing published)" : ""}`);
  lines.push("", "volumes");
  for (const v of of("docker:index/volume:Volume")) lines.push(`  ${v.inputs["name"]}`);
  lines.push("", "images");
  for (const i of of("docker:index/remoteImage:RemoteImage")) lines.push(`  pulled  ${i.inputs["name"]}`);
  for (const i of of("docker:index/image:Image")) {
    const build = i.inputs["build"] as { dockerfile: string; args: Record<string, string> };
    lines.push(`  built   ${i.inputs["imageName"]}  (${build.dockerfile}, ${Object.entries(build.args).map(([k, v]) => `${k}=${v}`).join(", ")})`);
  }
  lines.push("", "containers");
  for (const c of containers(resources).sort((a, b) => a.inputs.name.localeCompare(b.inputs.name))) {
    const i = c.inputs;
    const health = i.healthcheck ? `${i.healthcheck.tests.slice(1).join(" ")}  (every ${i.healthcheck.interval}, start ${i.healthcheck.startPeriod})` : "none (job)";
    lines.push(
      `  ${i.name}`,
      `    image     ${i.image.startsWith("sha256:") ? "(the built image, by its ID)" : i.image}${i.command ? `  ${i.command.join(" ").replace(/\s+/g, " ").slice(0, 100)}` : ""}`,
      `    limits    ${i.memory} MB (reserve ${i.memoryReservation} MB, no swap), ${i.cpus} CPU; restart ${i.restart}; stop grace ${i.destroyGraceSeconds}s; ${i.readOnly ? "read-only root" : "writable root"}; logs ${i.logOpts["max-size"]} x ${i.logOpts["max-file"]}`,
      `    health    ${health}`,
      `    networks  ${i.networksAdvanced.map((n) => `${n.name.replace(`llm-observatory-${stack}-`, "")}${n.aliases.length ? `(${n.aliases.join(", ")})` : ""}`).join("  ")}`,
    );
    if (i.ports?.length) lines.push(`    ports     ${i.ports.map((p) => `${p.ip}:${p.external}->${p.internal}/${p.protocol}`).join("  ")}`);
    if (i.volumes?.length) lines.push(`    volumes   ${i.volumes.map((v) => `${v.volumeName ?? v.hostPath}:${v.containerPath}`).join("  ")}`);
    if (i.uploads?.length) lines.push(`    uploads   ${i.uploads.map((u) => u.file).join("  ")}`);
    if (i.envs?.length) lines.push(`    env       ${Object.keys(envOf(c)).join(" ")}`);
    if (c.secretInputs) lines.push(`    secret    ${c.secretInputs.join(", ")}`);
    const after = (c.opts?.dependsOn ?? []).filter((u) => u.includes("docker:index/container:Container") || u.includes("command:local:Command")).map(short);
    if (after.length) lines.push(`    after     ${after.join(", ")}`);
  }
  lines.push("", "commands (run by pulumi up)");
  for (const r of of("command:local:Command")) lines.push(`  ${r.name}  ${r.inputs["create"]}  (again when ${(r.opts?.propertyDependencies?.["triggers"] ?? []).map(short).join(", ")} is replaced)`);
  lines.push("", "outputs");
  for (const [k, v] of Object.entries(outputs)) lines.push(`  ${k.padEnd(20)} ${pulumi.Output.isInstance(v) ? "[secret]" : String(v)}`);
  return `${lines.join("\n")}\n`;
}
