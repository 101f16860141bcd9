import { pino, type Logger } from "pino";

export type { Logger };

/**
 * Structured JSON logs on stdout. Credentials never reach a log line: connection strings are
 * logged through `redactUrl`, and request headers that carry keys are redacted.
 */
export function createLogger(name: string, level: string = process.env.LOG_LEVEL ?? "info"): Logger {
  return pino({
    name,
    level,
    redact: {
      paths: ["req.headers.authorization", 'req.headers["x-api-key"]', "password", "*.password"],
      censor: "[redacted]",
    },
  });
}

/** A connection string without its password, for logs and error messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparseable url)";
  }
}
