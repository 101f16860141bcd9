import type { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import { readConfig } from "../config.js";
import { hostBinds, stackContainers, subject } from "../container.js";
import { productionStack, productionStacksProperty } from "../production.js";

interface Config {
  productionStacks: string[];
}

const configSchema: PolicyConfigSchema = { properties: { productionStacks: productionStacksProperty } };

export const productionNamedVolumes: StackValidationPolicy = {
  name: "production-named-volumes",
  description: "In production stacks data lives in named volumes, never in host bind mounts.",
  enforcementLevel: "mandatory",
  remediationSteps: "Create a docker.Volume and mount it with volumeName instead of hostPath.",
  configSchema,
  validateStack: (args, report) => {
    const stack = productionStack(args, readConfig<Config>(configSchema, args).productionStacks);
    for (const { resource, container } of stackContainers(args.resources)) {
      for (const bind of hostBinds(container)) {
        report(
          `${subject("docker.Container", resource.name)} bind-mounts host path ${bind.hostPath} at ${bind.containerPath} in production stack "${stack}"; keep data in a named docker.Volume (volumeName) instead.`,
          resource.urn,
        );
      }
    }
  },
};
