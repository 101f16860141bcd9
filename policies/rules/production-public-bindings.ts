import type { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import { readConfig } from "../config.js";
import { publishedPorts, stackContainers, subject } from "../container.js";
import { productionStack, productionStacksProperty } from "../production.js";

interface Config {
  productionStacks: string[];
  publicServices: string[];
}

const configSchema: PolicyConfigSchema = {
  properties: {
    productionStacks: productionStacksProperty,
    publicServices: {
      type: "array",
      items: { type: "string" },
      // The stack's reverse proxy, the one container prod publishes (infra/reverse-proxy.ts).
      default: ["proxy-container"],
      description: "Containers (Pulumi resource name or Docker container name) allowed to publish on all interfaces.",
    },
  },
};

export const productionPublicBindings: StackValidationPolicy = {
  name: "production-public-bindings",
  description: "In production stacks nothing publishes on 0.0.0.0 except the configured public services.",
  enforcementLevel: "mandatory",
  remediationSteps: "Bind the port to 127.0.0.1 (ports[].ip), or add the container to publicServices if users must reach it.",
  configSchema,
  validateStack: (args, report) => {
    const { productionStacks, publicServices } = readConfig<Config>(configSchema, args);
    const stack = productionStack(args, productionStacks);
    for (const { resource, container } of stackContainers(args.resources)) {
      if (publicServices.includes(resource.name) || (container.name !== undefined && publicServices.includes(container.name))) continue;
      for (const port of publishedPorts(container).filter((p) => p.onAllInterfaces)) {
        report(
          `${subject("docker.Container", resource.name)} publishes ${port.binding} on all interfaces in production stack "${stack}"; bind it to 127.0.0.1 or list the container in publicServices.`,
          resource.urn,
        );
      }
    }
  },
};
