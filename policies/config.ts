import type { PolicyConfigSchema } from "@pulumi/policy";

/**
 * A policy's configuration with the schema's defaults filled in: `getConfig()` returns only what the
 * user set in `--policy-pack-config`, so the defaults live once, in the schema the CLI also shows.
 */
export function readConfig<T extends object>(schema: PolicyConfigSchema, args: { getConfig<C extends object>(): C }): T {
  const defaults = Object.entries(schema.properties).flatMap(([key, property]) =>
    property.default === undefined ? [] : [[key, property.default] as const],
  );
  return { ...Object.fromEntries(defaults), ...args.getConfig<Partial<T>>() } as T;
}
