import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "./config.js";
import type { ContainerSpec } from "./container-spec.js";
import { appCommands, healthPath, sourceCommands } from "./topology.js";

export interface AppContainerArgs {
  config: StackConfig;
  program: "api" | "collector";
  image: pulumi.Input<string>;
  /** Port the health endpoint is served on inside the container. */
  healthPort: number;
}

const workspace = "/workspace";

/**
 * What the API and collector containers share: our image, the command that selects the program,
 * a `node`-only health check (the image has no curl or wget), a read-only root with a /tmp tmpfs,
 * no capabilities; in dev with hotReload, this checkout mounted read-only and run with tsx --watch.
 */
export function appContainerSpec(args: AppContainerArgs): Pick<
  ContainerSpec, "image" | "command" | "healthcheck" | "readOnly" | "tmpfs" | "dropAllCapabilities" | "user" | "binds" | "workingDir"
> {
  const hot = args.config.hotReload;
  const probe = `fetch('http://127.0.0.1:${args.healthPort}${healthPath}').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`;
  return {
    image: args.image,
    command: hot ? [...sourceCommands[args.program]] : [...appCommands[args.program]],
    healthcheck: ["CMD", "node", "-e", probe],
    readOnly: true,
    tmpfs: { "/tmp": "rw,noexec,nosuid,size=64m" },
    dropAllCapabilities: true,
    user: "node",
    ...(hot ? { binds: [{ hostPath: hot.hostPath, containerPath: workspace }], workingDir: workspace } : {}),
  };
}
