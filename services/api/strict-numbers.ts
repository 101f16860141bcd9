import type { FastifyRequest } from "fastify";
import { BadParameter } from "./errors.js";

/** Decimal notation only: ajv's coercion would also take "0x1A", " 12", "" or "1_0". */
const DECIMAL = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

interface QuerySchema {
  properties?: Record<string, { type?: string }>;
}

/**
 * Types are not coerced (a body's "1" is not a number, "admin" is not ["admin"]), so the query
 * string's numeric parameters are parsed here, before validation. A value that is not a decimal
 * number stays a string, which the schema then refuses.
 */
export async function parseQueryNumbers(request: FastifyRequest): Promise<void> {
  const properties = (request.routeOptions.schema?.querystring as QuerySchema | undefined)?.properties;
  const query = request.query as Record<string, unknown> | undefined;
  if (!properties || !query) return;
  for (const [name, value] of Object.entries(query)) {
    const type = properties[name]?.type;
    if ((type === "integer" || type === "number") && typeof value === "string" && DECIMAL.test(value)) query[name] = Number(value);
  }
}

/**
 * JSON bodies may carry 1e400, which parses as Infinity and passes `maximum` (as "1e400" in a
 * query would); no parameter of this API may be infinite, so such values are refused here.
 */
export async function rejectNonFinite(request: FastifyRequest): Promise<void> {
  for (const values of [request.query, request.body]) {
    if (values === null || typeof values !== "object" || Array.isArray(values)) continue;
    for (const [name, value] of Object.entries(values)) {
      if (typeof value === "number" && !Number.isFinite(value)) throw new BadParameter(name, "must be a finite number");
    }
  }
}
