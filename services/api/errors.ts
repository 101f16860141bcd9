import { STATUS_CODES } from "node:http";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { isDatabaseUnavailable } from "../core/db-errors.js";

/** Every error body has fastify's shape: statusCode, error (the status text), message. */
export function sendProblem(reply: FastifyReply, status: number, message: string, extra: Record<string, unknown> = {}): FastifyReply {
  return reply.code(status).send({ statusCode: status, error: STATUS_CODES[status] ?? "Error", message, ...extra });
}

/** The request cannot be served now but may be later: 503 with Retry-After. */
export class Unavailable extends Error {
  readonly statusCode = 503;
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** Seconds a client is asked to wait when the database is unreachable, busy or cancelled a statement. */
const DATABASE_RETRY_SECONDS = 5;

/** A parameter that passed its schema but not a rule across parameters (e.g. from after to). */
export class BadParameter extends Error {
  readonly statusCode = 400;
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(`${parameter}: ${message}`);
  }
}

interface AjvIssue {
  keyword: string;
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
}

/** The parameter an ajv error is about: `limit`, `traceId`, or a body path such as `0.latency`. */
function parameterOf(issue: AjvIssue, context: string | undefined): string {
  const path = issue.instancePath.replace(/^\//, "").replace(/\//g, ".");
  const child = issue.params.missingProperty ?? issue.params.additionalProperty;
  const name = [path, typeof child === "string" ? child : ""].filter(Boolean).join(".");
  return name || (context ?? "request");
}

/**
 * Every error as JSON; a 400 also names the parameter at fault. Server
 * errors are logged and answered without details, so no SQL or stack reaches a client.
 */
export function sendError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const issue = (error.validation as AjvIssue[] | undefined)?.[0];
  if (issue) {
    const parameter = parameterOf(issue, error.validationContext);
    return sendProblem(reply, 400, `${parameter} ${issue.message ?? "is invalid"}`, { parameter });
  }
  if (error instanceof BadParameter) return sendProblem(reply, 400, error.message, { parameter: error.parameter });
  if (error instanceof Unavailable) return sendProblem(reply.header("retry-after", String(error.retryAfterSeconds)), 503, error.message);
  if (isDatabaseUnavailable(error)) {
    request.log.warn({ err: error }, "database unavailable");
    return sendProblem(reply.header("retry-after", String(DATABASE_RETRY_SECONDS)), 503, "the database is unavailable or too slow to answer now, retry later");
  }
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
  if (status >= 500) {
    request.log.error({ err: error }, "request failed");
    return sendProblem(reply, status, "internal error");
  }
  return sendProblem(reply, status, error.message);
}
