import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { ContainerKind, StackConfig } from "./config.js";
import { containerReplaceOnChanges, goDuration } from "./provider-semantics.js";

/**
 * What differs between the stack's containers; everything every container must carry (limits,
 * log rotation, restart policy, health-gated start, no privilege escalation) is filled in by
 * `containerArgs`, so no component can forget it.
 */
export interface ContainerSpec {
  kind: ContainerKind;
  /** Docker container name suffix and the label value: `api-1`, `timescaledb`... */
  instance: string;
  image: pulumi.Input<string>;
  command?: pulumi.Input<string>[];
  env?: Record<string, pulumi.Input<string> | undefined>;
  networks: { name: pulumi.Input<string>; aliases: string[] }[];
  /** Docker HEALTHCHECK test (`["CMD", ...]` or `["CMD-SHELL", ...]`); absent only for jobs. */
  healthcheck?: string[];
  /** Seconds the service may take to start before failed checks count (default 20). */
  healthStartSeconds?: number;
  /**
   * Seconds between the stop signal and SIGKILL, on `pulumi destroy`/replace (destroyGraceSeconds;
   * unset, the provider kills at once) and on `docker stop` or a daemon shutdown (stopTimeout).
   */
  stopGraceSeconds: number;
  /** Published ports (host port → container port), bound to the stack's bindAddress. */
  ports?: { internal: number; external: number }[];
  volumes?: { volumeName: pulumi.Input<string>; containerPath: string; readOnly?: boolean }[];
  /** Host bind mounts (dev hot reload only); data never lives in one. */
  binds?: { hostPath: string; containerPath: string }[];
  uploads?: { file: string; content: pulumi.Input<string> }[];
  readOnly: boolean;
  /** Extra tmpfs mounts (writable scratch space for read-only containers). */
  tmpfs?: Record<string, string>;
  /** Drop every Linux capability (images that need none, e.g. ours and the exporters). */
  dropAllCapabilities?: boolean;
  user?: string;
  workingDir?: string;
  /** One-shot: created but not started by the provider (whoever runs it waits for its exit); never restarted. */
  job?: boolean;
}

/** Docker-side names (containers, volumes, networks) are prefixed per stack, so stacks coexist. */
export const dockerName = (suffix: string) => `llm-observatory-${pulumi.getStack()}-${suffix}`;

/** Inputs that carry generated secrets; the program lists them in `additionalSecretOutputs`. */
export type SecretInput = "envs" | "uploads";

/** `KEY=value` entries, skipping unset values; secret values keep the whole list secret. */
export function envList(env: Record<string, pulumi.Input<string> | undefined>): pulumi.Output<string[]> {
  const entries = Object.entries(env).filter((e): e is [string, pulumi.Input<string>] => e[1] !== undefined);
  return pulumi.all(entries.map(([k, v]) => pulumi.interpolate`${k}=${v}`));
}

export function containerArgs(config: StackConfig, spec: ContainerSpec): docker.ContainerArgs {
  const limit = config.limits[spec.kind];
  const job = spec.job === true;
  return {
    name: dockerName(spec.instance),
    image: spec.image,
    command: spec.command,
    envs: spec.env ? envList(spec.env) : undefined,
    labels: [
      { label: "org.llm-observatory.service", value: spec.kind },
      { label: "org.llm-observatory.stack", value: pulumi.getStack() },
    ],
    networksAdvanced: spec.networks.map((n) => ({ name: n.name, aliases: n.aliases })),
    ports: spec.ports?.map((p) => ({ internal: p.internal, external: p.external, ip: config.bindAddress, protocol: "tcp" })),
    volumes: [
      ...(spec.volumes ?? []),
      ...(spec.binds ?? []).map((b) => ({ hostPath: b.hostPath, containerPath: b.containerPath, readOnly: true })),
    ],
    uploads: spec.uploads,
    tmpfs: spec.tmpfs,
    readOnly: spec.readOnly,
    user: spec.user,
    workingDir: spec.workingDir,
    capabilities: spec.dropAllCapabilities ? { drops: ["ALL"] } : undefined,
    securityOpts: ["no-new-privileges:true"],
    privileged: false,
    memory: limit.memoryMb,
    memoryReservation: Math.floor(limit.memoryMb / 2),
    // No swap beyond the limit (unset, Docker allows as much swap again).
    memorySwap: limit.memoryMb,
    cpus: limit.cpus,
    logDriver: "json-file",
    logOpts: { "max-size": config.logs.maxSize, "max-file": String(config.logs.maxFiles) },
    restart: job ? "no" : config.restart,
    // Durations in the form the provider reads back (Go's time.Duration.String()).
    healthcheck: spec.healthcheck
      ? { tests: spec.healthcheck, interval: goDuration(10), timeout: goDuration(5), retries: 5, startPeriod: goDuration(spec.healthStartSeconds ?? 20) }
      : undefined,
    destroyGraceSeconds: spec.stopGraceSeconds,
    stopTimeout: spec.stopGraceSeconds,
    // Long-running containers: `pulumi up` waits until healthy, so dependents start on a ready service.
    // Jobs: only created; mustRun false, or every refresh of the exited job would start it again.
    start: !job,
    wait: !job,
    waitTimeout: job ? undefined : 180,
    mustRun: !job,
  };
}

/**
 * Creates the container with the shared defaults; secret-carrying inputs are declared as such, and a
 * change the provider would accept without applying it (health check, tmpfs) replaces the container.
 */
export function stackContainer(
  name: string,
  config: StackConfig,
  spec: ContainerSpec,
  opts: pulumi.CustomResourceOptions & { secrets?: SecretInput[] },
): docker.Container {
  const { secrets, ...rest } = opts;
  return new docker.Container(name, containerArgs(config, spec), {
    ...rest,
    replaceOnChanges: containerReplaceOnChanges,
    ...(secrets?.length ? { additionalSecretOutputs: secrets } : {}),
  });
}
