import pg from "pg";

/**
 * SQLSTATE classes worth retrying: connection exception (08), transaction rollback such as a
 * deadlock or serialization failure (40), insufficient resources (53), operator intervention such
 * as a shutdown (57), system error (58).
 */
const RETRYABLE_CLASSES = new Set(["08", "40", "53", "57", "58"]);

/**
 * True when a failed write may succeed later unchanged. Errors from the server carry a SQLSTATE;
 * anything else that is not a programming error (a refused or dropped connection, a connect
 * timeout) is the database being unreachable.
 */
export function isTransientDbError(err: unknown): boolean {
  if (err instanceof pg.DatabaseError) return RETRYABLE_CLASSES.has(String(err.code).slice(0, 2));
  return !(err instanceof TypeError || err instanceof RangeError || err instanceof SyntaxError);
}

/** What pg says, without a SQLSTATE, when it cannot reach the server or the server went silent. */
const UNREACHABLE = /timeout exceeded when trying to connect|Connection terminated|Query read timeout|not queryable|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE/;

/**
 * True when a read failed because the database is unreachable, overloaded or cancelled the
 * statement (statement_timeout is SQLSTATE 57014): the same request may succeed later, so the
 * caller is told 503 with Retry-After rather than 500. Programming errors stay false.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (err instanceof pg.DatabaseError) return RETRYABLE_CLASSES.has(String(err.code).slice(0, 2));
  if (!(err instanceof Error)) return false;
  return UNREACHABLE.test(`${(err as NodeJS.ErrnoException).code ?? ""} ${err.message}`);
}
