import type { PolicyConfigSchema, PolicyResource, StackValidationArgs } from "@pulumi/policy";

/** The config property every production-only policy shares. */
export const productionStacksProperty: PolicyConfigSchema["properties"][string] = {
  type: "array",
  items: { type: "string" },
  default: ["prod"],
  description: "Stack names held to the production rules.",
};

/** The stack name, read from a URN (`urn:pulumi:<stack>::<project>::<type>::<name>`). */
export const stackOf = (urn: string) => urn.slice("urn:pulumi:".length).split("::")[0] ?? "";

/**
 * The production stack's name; marks the policy not applicable elsewhere. Policies are not told the
 * stack name, but every resource URN carries it.
 */
export function productionStack(args: StackValidationArgs, productionStacks: string[]): string {
  const first: PolicyResource | undefined = args.resources[0];
  const stack = first && stackOf(first.urn);
  if (stack === undefined || !productionStacks.includes(stack)) {
    return args.notApplicable(`stack "${stack ?? ""}" is not one of productionStacks (${productionStacks.join(", ")})`);
  }
  return stack;
}
