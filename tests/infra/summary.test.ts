import { expect, test } from "vitest";
import { runStack } from "../support/pulumi-stack.js";
import { stackSummary } from "./stack-summary.js";

// Checked in: a pull request that changes the declared stack shows the change here, as a preview would.
test.each(["dev", "prod"] as const)("the %s stack's summary matches the checked-in snapshot", async (stack) => {
  const { resources, outputs } = await runStack(stack);
  const summary = stackSummary(stack, resources, outputs);
  expect(summary).not.toMatch(/mock-secret-/);
  await expect(summary).toMatchFileSnapshot(`./__snapshots__/${stack}.summary.txt`);
});
