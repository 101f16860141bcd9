import { PolicyPack } from "@pulumi/policy";
import { policies } from "./rules/index.js";

// The pack entry: constructing the PolicyPack starts the analyzer's gRPC server and reads
// ./package.json for the pack version, so nothing but the Pulumi policy runner imports this file.
new PolicyPack("llm-observatory", {
  description: "Pinned images, limits, health checks, log rotation and secret hygiene for the LLM Observatory stacks.",
  enforcementLevel: "mandatory",
  policies,
});
