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
      description: "Regular expression (case-insensitive) for environment variable names and uploaded-file keys that carry a secret.",
    },
  },
};

/** A secret found in a container's environment or uploaded files, and the value it holds. */
interface Finding {
  input: "envs" | "uploads";
  /** The variable or file that carries it. */
  carrier: string;
  /** What a violation says, e.g. `sets DATABASE_URL to a URL with a literal password`. */
  says: string;
  value: string;
}

/** The password of every `user:password@host` in a text: URLs (postgres://, redis://:p@) and DSNs without a scheme. */
function urlPasswords(text: string): string[] {
  return [...text.matchAll(/(?:^|[\s"'=(,]|:\/\/)[^\s:/@"'=(,]*:([^\s@/"']+)@[^\s@/"']/g)].map((m) => m[1]!);
}

/**
 * `key: value`, `key = value` and `"key": "value"` lines of a file (YAML, INI, JSON) whose key is
 * sensitive, and Redis's password directives (`requirepass`, `masterauth`). A value that is a
 * reference (`$VAR`, `${VAR}`, Grafana's `$__file{...}`) is not a literal.
 */
function fileSecrets(content: string, sensitive: RegExp): { key: string; value: string }[] {
  return content.split("\n").flatMap((line) => {
    const directive = /^\s*(requirepass|masterauth)\s+(\S+)/.exec(line);
    if (directive) return [{ key: directive[1]!, value: directive[2]! }];
    const pair = /^\s*["']?([A-Za-z0-9_.-]+)["']?\s*[:=]\s*["']?(.*?)["']?\s*,?\s*$/.exec(line);
    if (!pair || !sensitive.test(pair[1]!) || pair[2] === "" || pair[2]!.startsWith("$")) return [];
    return [{ key: pair[1]!, value: pair[2]! }];
  });
}

/** Every secret a container carries, in its environment and in the files uploaded into it. */
function containerSecrets(container: { envs?: string[]; uploads?: { file: string; content?: string }[] }, sensitive: RegExp): Finding[] {
  // An entry unknown during preview is computed from an output, so it is not a literal.
  // Index access only: iterating a proxied list itself would read the unknown entries.
  const listed = <T>(list: T[] | undefined) => Array.from({ length: list?.length ?? 0 }, (_, i) => known(() => list![i])).filter((e) => e !== undefined);
  const envs = listed(known(() => container.envs)).flatMap((entry): Finding[] => {
    const [variable = "", ...rest] = entry.split("=");
    const value = rest.join("=");
    const env = (says: string, secret: string): Finding => ({ input: "envs", carrier: variable, says: `sets ${variable} to ${says}`, value: secret });
    return [...(sensitive.test(variable) ? [env("a literal value", value)] : []), ...urlPasswords(value).map((p) => env("a URL with a literal password", p))];
  });
  const uploads = listed(known(() => container.uploads)).flatMap((upload): Finding[] => {
    const file = known(() => upload.file) ?? "a file";
    const content = known(() => upload.content);
    if (content === undefined) return [];
    const up = (says: string, secret: string): Finding => ({ input: "uploads", carrier: file, says: `uploads ${file} with ${says}`, value: secret });
    return [
      ...fileSecrets(content, sensitive).map(({ key, value }) => up(`a literal ${key}`, value)),
      ...urlPasswords(content).map((p) => up("a URL with a literal password", p)),
    ];
  });
  return [...envs, ...uploads];
}

/**
 * Policies receive Pulumi secrets as plain values with no marker (@pulumi/policy unwraps them before
 * calling a policy), so a secret cannot be told from a literal by its value. What a policy can see
 * is where a value came from: a generated password's result appears in the stack's resources, and
 * a value computed from an output is unknown during preview. Every secret a container carries (a
 * sensitive variable, a password inside a URL, a password in an uploaded file) must carry one of
 * those, and the container must declare `envs` / `uploads` in additionalSecretOutputs.
 */
export const secretEnv: StackValidationPolicy = {
  name: "docker-container-no-literal-secret-env",
  description: "No environment variable, URL or uploaded file of a container carries a literal password, secret, token or key.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Generate the value with random.RandomPassword, pass its result, and list \"envs\" (or \"uploads\") in the container's additionalSecretOutputs.",
  configSchema,
  validateStack: (args, report) => {
    const sensitive = new RegExp(readConfig<Config>(configSchema, args).sensitiveNamePattern, "i");
    const generated = args.resources
      .filter((r) => r.isType(random.RandomPassword))
      .flatMap((r) => {
        const result: unknown = known(() => r.props["result"]);
        return typeof result === "string" && result !== "" ? [result] : [];
      });
    const isGenerated = (value: string) => generated.some((secret) => value.includes(secret));
    for (const { resource, container } of stackContainers(args.resources)) {
      const name = subject("docker.Container", resource.name);
      const found = containerSecrets(container, sensitive);
      for (const f of found) {
        if (isGenerated(f.value)) continue;
        report(`${name} ${f.says}; pass a random.RandomPassword result instead of a value written in the program or config.`, resource.urn);
      }
      for (const input of ["envs", "uploads"] as const) {
        const carriers = [...new Set(found.filter((f) => f.input === input).map((f) => f.carrier))];
        if (carriers.length === 0 || resource.opts.additionalSecretOutputs.includes(input)) continue;
        report(
          `${name} carries secrets in ${input} (${carriers.join(", ")}) but does not list "${input}" in additionalSecretOutputs; add it so they stay encrypted in the state.`,
          resource.urn,
        );
      }
    }
  },
};
