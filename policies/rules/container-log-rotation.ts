import * as docker from "@pulumi/docker";
import { validateResourceOfType, type PolicyConfigSchema, type ResourceValidationPolicy } from "@pulumi/policy";
import { readConfig } from "../config.js";
import { subject } from "../container.js";

interface Config {
  rotatingLogDrivers: string[];
}

const configSchema: PolicyConfigSchema = {
  properties: {
    rotatingLogDrivers: {
      type: "array",
      items: { type: "string" },
      // Docker's "local" driver rotates by default (20m x 5 files).
      default: ["local"],
      description: "Log drivers accepted as they are (they rotate or ship logs off the host); json-file needs max-size and max-file.",
    },
  },
};

export const containerLogRotation: ResourceValidationPolicy = {
  name: "docker-container-log-rotation",
  description: "Every container rotates its logs: json-file with max-size and max-file, or a configured driver.",
  enforcementLevel: "mandatory",
  remediationSteps: "Set logDriver \"json-file\" and logOpts {\"max-size\": \"10m\", \"max-file\": \"3\"}.",
  configSchema,
  validateResource: validateResourceOfType(docker.Container, (c, args, report) => {
    const { rotatingLogDrivers } = readConfig<Config>(configSchema, args);
    const name = subject("docker.Container", args.name);
    if (c.logDriver === "json-file") {
      const missing = ["max-size", "max-file"].filter((opt) => !c.logOpts?.[opt]);
      if (missing.length > 0) report(`${name} logs with json-file without ${missing.join(" and ")}; set logOpts {"max-size": "10m", "max-file": "3"}.`);
    } else if (c.logDriver === undefined || !rotatingLogDrivers.includes(c.logDriver)) {
      const driver = c.logDriver === undefined ? "no log driver" : `log driver "${c.logDriver}"`;
      report(`${name} sets ${driver}; set logDriver "json-file" with logOpts max-size and max-file, or one of: ${rotatingLogDrivers.join(", ")}.`);
    }
  }),
};
