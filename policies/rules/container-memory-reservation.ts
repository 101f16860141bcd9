import * as docker from "@pulumi/docker";
import { validateResourceOfType, type ResourceValidationPolicy } from "@pulumi/policy";
import { subject } from "../container.js";

export const containerMemoryReservation: ResourceValidationPolicy = {
  name: "docker-container-memory-reservation",
  description: "Every container reserves memory below its limit, so the host keeps that much for it under pressure.",
  enforcementLevel: "advisory",
  remediationSteps: "Set memoryReservation (MB) to what the service needs in steady state, below its memory limit.",
  validateResource: validateResourceOfType(docker.Container, (c, args, report) => {
    const name = subject("docker.Container", args.name);
    if (c.memoryReservation === undefined || c.memoryReservation <= 0) {
      report(`${name} has no memory reservation; set memoryReservation (MB) below its memory limit.`);
    } else if (c.memory !== undefined && c.memoryReservation >= c.memory) {
      report(`${name} reserves ${c.memoryReservation} MB, not below its memory limit of ${c.memory} MB; lower memoryReservation.`);
    }
  }),
};
