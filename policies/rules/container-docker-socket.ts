import * as docker from "@pulumi/docker";
import { validateResourceOfType, type ResourceValidationPolicy } from "@pulumi/policy";
import { hostBinds, subject } from "../container.js";

export const containerDockerSocket: ResourceValidationPolicy = {
  name: "docker-container-no-docker-socket",
  description: "No container mounts the Docker socket (it grants root on the host).",
  enforcementLevel: "mandatory",
  remediationSteps: "Remove the docker.sock volume or bind mount.",
  validateResource: validateResourceOfType(docker.Container, (c, args, report) => {
    for (const bind of hostBinds(c).filter((b) => b.hostPath.endsWith("/docker.sock"))) {
      report(`${subject("docker.Container", args.name)} mounts the Docker socket ${bind.hostPath}, which grants root on the host; remove the mount.`);
    }
  }),
};
