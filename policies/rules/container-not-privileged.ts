import * as docker from "@pulumi/docker";
import { validateResourceOfType, type ResourceValidationPolicy } from "@pulumi/policy";
import { subject } from "../container.js";

export const containerNotPrivileged: ResourceValidationPolicy = {
  name: "docker-container-not-privileged",
  description: "No container runs privileged.",
  enforcementLevel: "mandatory",
  remediationSteps: "Remove privileged: true; add only the capabilities the service needs (capabilities.adds).",
  validateResource: validateResourceOfType(docker.Container, (c, args, report) => {
    if (c.privileged !== true) return;
    report(`${subject("docker.Container", args.name)} runs privileged; remove privileged: true and add only the capabilities it needs.`);
  }),
};
