import * as docker from "@pulumi/docker";
import { validateResourceOfType, type PolicyConfigSchema, type ResourceValidationPolicy } from "@pulumi/policy";
import { readConfig } from "../config.js";
import { subject } from "../container.js";

interface Config {
  maxMemoryMb: number;
  maxCpus: number;
}

const configSchema: PolicyConfigSchema = {
  properties: {
    maxMemoryMb: { type: "integer", minimum: 1, default: 8192, description: "Largest memory limit (MB) one container may have." },
    maxCpus: { type: "number", exclusiveMinimum: 0, default: 4, description: "Largest CPU limit one container may have." },
  },
};

/** The CPU limit in CPUs: `cpus`, else the CFS quota over its period (Docker's default period is 100ms). */
function cpuLimit(c: { cpus?: string; cpuQuota?: number; cpuPeriod?: number }): number | undefined {
  const cpus = c.cpus === undefined ? Number.NaN : Number(c.cpus);
  if (cpus > 0) return cpus;
  if (c.cpuQuota !== undefined && c.cpuQuota > 0) return c.cpuQuota / (c.cpuPeriod ?? 100_000);
  return undefined;
}

export const containerLimits: ResourceValidationPolicy = {
  name: "docker-container-resource-limits",
  description: "Every container has a memory limit and a CPU limit within the configured maxima.",
  enforcementLevel: "mandatory",
  remediationSteps: "Set memory (MB) and cpus (e.g. \"0.5\") on the container, within maxMemoryMb and maxCpus.",
  configSchema,
  validateResource: validateResourceOfType(docker.Container, (c, args, report) => {
    const { maxMemoryMb, maxCpus } = readConfig<Config>(configSchema, args);
    const name = subject("docker.Container", args.name);
    if (c.memory === undefined || c.memory <= 0) report(`${name} has no memory limit; set memory (MB) to at most ${maxMemoryMb}.`);
    else if (c.memory > maxMemoryMb) report(`${name} has a memory limit of ${c.memory} MB, above the maximum of ${maxMemoryMb} MB; lower memory.`);
    const cpus = cpuLimit(c);
    if (cpus === undefined) report(`${name} has no CPU limit; set cpus (e.g. "0.5") to at most ${maxCpus}.`);
    else if (cpus > maxCpus) report(`${name} has a CPU limit of ${cpus} CPUs, above the maximum of ${maxCpus}; lower cpus.`);
  }),
};
