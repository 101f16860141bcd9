import type { FastifyRequest } from "fastify";
import { BadParameter } from "./errors.js";

/**
 * ajv coerces "1e400" (query) and accepts 1e400 (JSON body) as Infinity, which then passes
 * `maximum`; no parameter of this API may be infinite, so such values are refused here.
 */
export async function rejectNonFinite(request: FastifyRequest): Promise<void> {
  for (const values of [request.query, request.body]) {
    if (values === null || typeof values !== "object" || Array.isArray(values)) continue;
    for (const [name, value] of Object.entries(values)) {
      if (typeof value === "number" && !Number.isFinite(value)) throw new BadParameter(name, "must be a finite number");
    }
  }
}
