import type { RecordedResource } from "../support/pulumi-stack.js";

/** The docker.Container inputs the tests read (as recorded: plain JSON). */
export interface ContainerInputs {
  name: string;
  image: string;
  command?: string[];
  envs?: string[];
  healthcheck?: { tests: string[]; interval: string; timeout: string; retries: number; startPeriod: string };
  tmpfs?: Record<string, string>;
  ports?: { internal: number; external: number; ip: string; protocol: string }[];
  networksAdvanced: { name: string; aliases: string[] }[];
  volumes?: { volumeName?: string; hostPath?: string; containerPath: string; readOnly?: boolean }[];
  uploads?: { file: string; content: string }[];
  labels: { label: string; value: string }[];
  memory: number;
  memoryReservation: number;
  memorySwap: number;
  cpus: string;
  restart: string;
  logDriver: string;
  logOpts: Record<string, string>;
  readOnly: boolean;
  privileged: boolean;
  start: boolean;
  wait: boolean;
  mustRun: boolean;
  destroyGraceSeconds: number;
  stopTimeout: number;
}

export const containerType = "docker:index/container:Container";

export function containers(resources: RecordedResource[]): (RecordedResource & { inputs: ContainerInputs })[] {
  return resources.filter((r) => r.type === containerType) as (RecordedResource & { inputs: ContainerInputs })[];
}

/** The container whose label org.llm-observatory.service names `kind` (replicas: every one). */
export function containersOf(resources: RecordedResource[], kind: string) {
  return containers(resources).filter((c) => c.inputs.labels.some((l) => l.label === "org.llm-observatory.service" && l.value === kind));
}

export function containerOf(resources: RecordedResource[], kind: string) {
  const found = containersOf(resources, kind);
  if (found.length !== 1) throw new Error(`expected one ${kind} container, found ${found.length}`);
  return found[0]!;
}

/** `KEY=value` entries as an environment object. */
export function envOf(container: { inputs: ContainerInputs }): Record<string, string> {
  return Object.fromEntries((container.inputs.envs ?? []).map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));
}

export function uploadOf(container: { inputs: ContainerInputs }, file: string): string {
  const upload = container.inputs.uploads?.find((u) => u.file === file);
  if (!upload) throw new Error(`${container.inputs.name} has no upload ${file}`);
  return upload.content;
}

/** The executables a health check runs: CMD's program, or each command word of a CMD-SHELL line. */
export function healthCheckBinaries(tests: string[]): string[] {
  const [form, ...rest] = tests;
  if (form === "CMD") return [rest[0]!];
  if (form !== "CMD-SHELL") throw new Error(`unexpected health check form ${form}`);
  return rest[0]!
    .split(/\|\||&&|\||;|\$\(/)
    .map((segment) => segment.trim().split(/\s+/)[0]!)
    .filter(Boolean);
}
