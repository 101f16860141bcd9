import * as docker from "@pulumi/docker";
import { validateResourceOfType, type ResourceValidationPolicy } from "@pulumi/policy";
import { subject } from "../container.js";

export const containerRestartPolicy: ResourceValidationPolicy = {
  name: "docker-container-restart-policy",
  description: "Every container states its restart policy.",
  enforcementLevel: "mandatory",
  remediationSteps: "Set restart to \"unless-stopped\" (or \"always\"/\"on-failure\") for a service, \"no\" for a one-shot job.",
  validateResource: validateResourceOfType(docker.Container, (c, args, report) => {
    if (c.restart) return;
    report(`${subject("docker.Container", args.name)} has no restart policy; set restart to "unless-stopped" for a service or "no" for a one-shot job.`);
  }),
};
