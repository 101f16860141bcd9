import { z } from "zod";

/** Verbosity accepted by LOG_LEVEL (pino's levels). */
export const logLevel = z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info");

/** A TCP port given as a string in the environment; 0 asks the OS for a free one (tests). */
export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/** A positive integer given as a string in the environment. */
export const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** "true"/"false" (also 1/0, yes/no) from the environment; anything else is an error. */
export const flag = (fallback: boolean) =>
  z
    .enum(["true", "false", "1", "0", "yes", "no"])
    .default(fallback ? "true" : "false")
    .transform((v) => v === "true" || v === "1" || v === "yes");

export const postgresUrl = z
  .string()
  .url()
  .refine((u) => /^postgres(ql)?:\/\//.test(u), "must start with postgres:// or postgresql://");

export const redisUrl = z
  .string()
  .url()
  .refine((u) => /^rediss?:\/\//.test(u), "must start with redis:// or rediss://");

export class ConfigError extends Error {
  override name = "ConfigError";
}

/**
 * Parses `env` with `schema`; on failure throws one error naming every bad variable
 * (never its value, which may be a secret).
 */
export function parseEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.output<S> {
  const defined = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const result = schema.safeParse(defined);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join(".") || "(environment)"}: ${i.message}`);
  throw new ConfigError(`invalid configuration: ${problems.join("; ")}`);
}

/** The environment a container needs for a schema: every key typed, values as strings (or Pulumi inputs). */
export type EnvFor<S extends z.ZodObject, V = string> = { [K in keyof z.input<S>]?: V };
