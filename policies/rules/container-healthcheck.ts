import * as docker from "@pulumi/docker";
import { validateResourceOfType, type ResourceValidationPolicy } from "@pulumi/policy";
import { subject } from "../container.js";

export const containerHealthcheck: ResourceValidationPolicy = {
  name: "docker-container-healthcheck",
  description: "Every long-running container (restart policy other than no) has a health check.",
  enforcementLevel: "mandatory",
  remediationSteps: "Add healthcheck.tests calling a binary the image has, e.g. [\"CMD\", \"wget\", \"-q\", \"--spider\", \"http://localhost:8080/health\"].",
  validateResource: validateResourceOfType(docker.Container, (c, args, report) => {
    // A missing restart policy is the restart-policy rule's finding; here it means a one-shot run.
    if (c.restart === undefined || c.restart === "no") return;
    const tests = c.healthcheck?.tests ?? [];
    if (tests.length > 0 && tests[0] !== "NONE") return;
    report(`${subject("docker.Container", args.name)} restarts ("${c.restart}") but has no health check; add healthcheck.tests calling a binary the image has.`);
  }),
};
