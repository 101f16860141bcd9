import * as docker from "@pulumi/docker";
import type { PolicyConfigSchema, PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { readConfig } from "../config.js";
import { publishedPorts, stackContainers, subject } from "../container.js";
import { parseImageReference } from "../image-reference.js";
import { productionStack, productionStacksProperty } from "../production.js";

interface Config {
  productionStacks: string[];
  dataStoreImages: string[];
}

const configSchema: PolicyConfigSchema = {
  properties: {
    productionStacks: productionStacksProperty,
    dataStoreImages: {
      type: "array",
      items: { type: "string" },
      default: ["timescale/timescaledb", "timescale/timescaledb-ha", "postgres", "redis"],
      description: "Image repositories of the database and cache, which production never publishes.",
    },
  },
};

/** The repository an image reference names; an image ID is looked up among the stack's pulled images. */
function repositoryOf(ref: string, resources: PolicyResource[]): string | undefined {
  const image = parseImageReference(ref);
  if (image.kind === "name") return image.repository;
  const pulled = resources.map((r) => r.asType(docker.RemoteImage)).find((i) => i?.imageId === ref);
  const named = pulled && parseImageReference(pulled.name);
  return named?.kind === "name" ? named.repository : undefined;
}

export const productionDataStores: StackValidationPolicy = {
  name: "production-data-stores-unpublished",
  description: "In production stacks the database and Redis publish no port.",
  enforcementLevel: "mandatory",
  remediationSteps: "Remove the data store's ports; the services reach it by its alias on the stack network.",
  configSchema,
  validateStack: (args, report) => {
    const { productionStacks, dataStoreImages } = readConfig<Config>(configSchema, args);
    const stack = productionStack(args, productionStacks);
    for (const { resource, container } of stackContainers(args.resources)) {
      const repository = repositoryOf(container.image, args.resources);
      if (repository === undefined || !dataStoreImages.includes(repository)) continue;
      for (const port of publishedPorts(container)) {
        report(
          `${subject("docker.Container", resource.name)} runs data store ${repository} and publishes ${port.binding} in production stack "${stack}"; remove its ports and reach it over the stack network.`,
          resource.urn,
        );
      }
    }
  },
};
