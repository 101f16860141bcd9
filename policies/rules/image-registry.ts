import type { PolicyConfigSchema, ResourceValidationPolicy } from "@pulumi/policy";
import { readConfig } from "../config.js";
import { parseImageReference } from "../image-reference.js";
import { validateImages } from "../image-subjects.js";

interface Config {
  allowedRegistries: string[];
}

const configSchema: PolicyConfigSchema = {
  properties: {
    allowedRegistries: {
      type: "array",
      items: { type: "string" },
      default: ["docker.io"],
      description: "Registry hosts images may come from; an image without a host comes from docker.io.",
    },
  },
};

export const imageRegistry: ResourceValidationPolicy = {
  name: "docker-image-allowed-registry",
  description: "Every container and pulled image comes from an allowed registry.",
  enforcementLevel: "mandatory",
  remediationSteps: "Mirror the image into an allowed registry, or add its registry to allowedRegistries in the pack config.",
  configSchema,
  validateResource: validateImages((ref, subject, args, report) => {
    const image = parseImageReference(ref);
    // An image ID names content already pulled by a docker.RemoteImage, which this policy checks.
    if (image.kind === "id") return;
    const { allowedRegistries } = readConfig<Config>(configSchema, args);
    if (allowedRegistries.includes(image.registry)) return;
    report(
      `${subject} pulls image "${ref}" from registry "${image.registry}", which is not in allowedRegistries (${allowedRegistries.join(", ")}); ` +
        `mirror the image into an allowed registry or add "${image.registry}" to allowedRegistries.`,
    );
  }),
};
