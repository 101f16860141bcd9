import * as docker from "@pulumi/docker";
import type { PolicyResource } from "@pulumi/policy";

/**
 * What the policies read from a `docker.Container`, in the shape shared by its inputs (resource
 * policies) and its outputs (stack policies).
 */
export interface ContainerProps {
  name?: string;
  image: string;
  envs?: string[];
  ports?: { internal: number; external?: number; ip?: string }[];
  volumes?: { hostPath?: string; containerPath?: string; volumeName?: string }[];
  mounts?: { type: string; source?: string; target: string }[];
}

/** How every violation names the resource: its type and its Pulumi name. */
export const subject = (type: "docker.Container" | "docker.RemoteImage", name: string) => `${type} "${name}"`;

export interface HostBind {
  hostPath: string;
  containerPath: string;
}

/** Host paths the container sees: `volumes` with a hostPath and `mounts` of type bind. */
export function hostBinds(container: ContainerProps): HostBind[] {
  const volumes = (container.volumes ?? []).flatMap((v) =>
    v.hostPath ? [{ hostPath: v.hostPath, containerPath: v.containerPath ?? "" }] : [],
  );
  const mounts = (container.mounts ?? []).flatMap((m) =>
    m.type === "bind" && m.source ? [{ hostPath: m.source, containerPath: m.target }] : [],
  );
  return [...volumes, ...mounts];
}

export interface PublishedPort {
  /** `ip:external->internal`, as `docker ps` shows it. */
  binding: string;
  /** Docker binds an unset address on every interface. */
  onAllInterfaces: boolean;
}

const allInterfaces = new Set(["", "0.0.0.0", "::", "[::]"]);

export function publishedPorts(container: ContainerProps): PublishedPort[] {
  return (container.ports ?? []).map((p) => {
    const ip = p.ip ?? "0.0.0.0";
    const host = ip.includes(":") && !ip.startsWith("[") ? `[${ip}]` : ip;
    return { binding: `${host}:${p.external ?? "*"}->${p.internal}`, onAllInterfaces: allInterfaces.has(ip) };
  });
}

/** The stack's containers with their outputs (stack policies). */
export function stackContainers(resources: PolicyResource[]): { resource: PolicyResource; container: ContainerProps }[] {
  return resources.flatMap((resource) => {
    const container = resource.asType(docker.Container);
    return container ? [{ resource, container }] : [];
  });
}
