import * as docker from "@pulumi/docker";
import type { PolicyConfigSchema, PolicyResource, ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { readConfig } from "../config.js";
import { subject } from "../container.js";
import { productionStack, productionStacksProperty, stackOf } from "../production.js";
import { assessImage } from "../release-lines.js";

interface Config {
  productionStacks: string[];
  asOf: string;
}

const configSchema: PolicyConfigSchema = {
  properties: {
    productionStacks: productionStacksProperty,
    asOf: { type: "string", default: "", description: "Day (YYYY-MM-DD) end-of-life dates are compared with; empty: today." },
  },
};

/** Every image reference the stack names: containers', pulled images' and build arguments (our Node base). */
function namedImages(resources: PolicyResource[]): { resource: PolicyResource; who: string; ref: string }[] {
  return resources.flatMap((resource) => {
    const container = resource.asType(docker.Container);
    if (container) return [{ resource, who: subject("docker.Container", resource.name), ref: container.image }];
    const pulled = resource.asType(docker.RemoteImage);
    if (pulled) return [{ resource, who: subject("docker.RemoteImage", resource.name), ref: pulled.name }];
    // Build arguments are inputs the typed outputs of docker.Image do not declare.
    const args = resource.isType(docker.Image) ? ((resource.props as { build?: { args?: Record<string, string> } }).build?.args ?? {}) : {};
    return Object.entries(args).map(([arg, ref]) => ({ resource, who: `docker.Image "${resource.name}" build argument ${arg}`, ref }));
  });
}

function check(args: StackValidationArgs, report: ReportViolation, stack: string, config: Config): void {
  const asOf = config.asOf ? new Date(`${config.asOf}T00:00:00Z`) : new Date();
  for (const { resource, who, ref } of namedImages(args.resources)) {
    const problem = typeof ref === "string" ? assessImage(ref, asOf)?.problem : undefined;
    if (problem) report(`${who} uses image "${ref}", which ${problem}, in stack "${stack}"; pin a supported release (npm run versions).`, resource.urn);
  }
}

const shared = {
  description: "Images are on a release line that is still supported and not older than the floor in policies/release-lines.json.",
  remediationSteps: "Move the image to a supported release line (docs/versions.md); update policies/release-lines.json when a project publishes new dates.",
  configSchema,
};

/** Refuses, in production stacks, an image past its line's end of life or below its floor. */
export const imageSupportedRelease: StackValidationPolicy = {
  ...shared,
  name: "docker-image-supported-release",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const config = readConfig<Config>(configSchema, args);
    check(args, report, productionStack(args, config.productionStacks), config);
  },
};

/** The same check everywhere else, as advice: a dev stack may try a release before production takes it. */
export const imageSupportedReleaseOutsideProduction: StackValidationPolicy = {
  ...shared,
  name: "docker-image-supported-release-outside-production",
  enforcementLevel: "advisory",
  validateStack: (args, report) => {
    const config = readConfig<Config>(configSchema, args);
    const stack = stackOf(args.resources[0]?.urn ?? "");
    if (config.productionStacks.includes(stack)) return args.notApplicable(`stack "${stack}" is a production stack`);
    check(args, report, stack, config);
  },
};
