import type { PolicyConfigSchema, ResourceValidationPolicy } from "@pulumi/policy";
import { readConfig } from "../config.js";
import { isContentAddressed, parseImageReference } from "../image-reference.js";
import { validateImages } from "../image-subjects.js";

interface Config {
  tagPattern: string;
}

const configSchema: PolicyConfigSchema = {
  properties: {
    tagPattern: {
      type: "string",
      // Exact versions (2.28.3-pg16, v3.13.4, 8.2.9-alpine); not latest, 16 or 7-alpine.
      default: "^v?\\d+\\.\\d+\\.\\d+([.-][0-9A-Za-z.-]+)?$",
      description: "Regular expression an image tag must match to count as an exact version.",
    },
  },
};

export const imagePinned: ResourceValidationPolicy = {
  name: "docker-image-pinned",
  description: "Every container and pulled image names an exact version tag or a digest.",
  enforcementLevel: "mandatory",
  remediationSteps: "Use an exact published version tag (e.g. timescale/timescaledb:2.28.3-pg16) or append a digest (name@sha256:...).",
  configSchema,
  validateResource: validateImages((ref, subject, args, report) => {
    const image = parseImageReference(ref);
    if (image.kind === "id" || isContentAddressed(image)) return;
    const { tagPattern } = readConfig<Config>(configSchema, args);
    if (image.tag !== undefined && new RegExp(tagPattern).test(image.tag)) return;
    const problem = image.tag === undefined ? "without a tag, so Docker pulls latest" : `whose tag "${image.tag}" is not an exact version`;
    report(`${subject} uses image "${ref}" ${problem}; pin a tag matching ${tagPattern} or a digest (name@sha256:...).`);
  }),
};
