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
