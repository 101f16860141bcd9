import * as random from "@pulumi/random";
import type { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import { readConfig } from "../config.js";
import { stackContainers, subject } from "../container.js";
import { known } from "../unknown-values.js";

interface Config {
  sensitiveNamePattern: string;
}

const configSchema: PolicyConfigSchema = {
  properties: {
    sensitiveNamePattern: {
      type: "string",
      // The name ends in what it holds: DB_PASSWORD, PGPASSWORD, BOOTSTRAP_ADMIN_KEY, DATA_SOURCE_PASS; not *_FILE or KEY_CACHE_SECONDS.
      default: "(PASSWORD|PASSWD|SECRET|TOKEN|KEY|_PASS)$",
      description: "Regular expression (case-insensitive) for environment variable names that carry a secret.",
    },
  },
};

/**
 * Policies receive Pulumi secrets as plain values with no marker (@pulumi/policy unwraps them before
 * calling a policy), so a secret cannot be told from a literal by its value. What a policy can see
 * is where a value came from: a generated password's result appears in the stack's resources, and
 * a value computed from an output is unknown during preview. A sensitive variable must carry one of
 * those, and its container must declare `envs` in additionalSecretOutputs.
 */
export const secretEnv: StackValidationPolicy = {
  name: "docker-container-no-literal-secret-env",
  description: "No environment variable named for a password, secret, token or key carries a literal value.",
  enforcementLevel: "mandatory",
  remediationSteps: "Generate the value with random.RandomPassword, pass its result, and list \"envs\" in the container's additionalSecretOutputs.",
  configSchema,
  validateStack: (args, report) => {
    const sensitive = new RegExp(readConfig<Config>(configSchema, args).sensitiveNamePattern, "i");
    const generated = args.resources
      .filter((r) => r.isType(random.RandomPassword))
      .flatMap((r) => {
        const result: unknown = known(() => r.props["result"]);
        return typeof result === "string" && result !== "" ? [result] : [];
      });
    for (const { resource, container } of stackContainers(args.resources)) {
      const name = subject("docker.Container", resource.name);
      const envs = known(() => container.envs) ?? [];
      // An entry unknown during preview is computed from an output, so it is not a literal.
      // Index access only: iterating the proxied list itself would read the unknown entries.
      const entries = Array.from({ length: envs.length }, (_, i) => known(() => envs[i])).filter((e) => e !== undefined);
      const secretNames: string[] = [];
      for (const entry of entries) {
        const [variable = "", ...rest] = entry.split("=");
        if (!sensitive.test(variable)) continue;
        secretNames.push(variable);
        const value = rest.join("=");
        if (generated.some((secret) => value.includes(secret))) continue;
        report(`${name} sets ${variable} to a literal value; pass a random.RandomPassword result instead of a value written in the program or config.`, resource.urn);
      }
      if (secretNames.length > 0 && !resource.opts.additionalSecretOutputs.includes("envs")) {
        report(`${name} carries secrets in envs (${secretNames.join(", ")}) but does not list "envs" in additionalSecretOutputs; add it so they stay encrypted in the state.`, resource.urn);
      }
    }
  },
};
