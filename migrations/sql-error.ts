import type { Statement } from "./sql-statements.js";

/** A failed migration, named with the statement (and its line in the file) that failed. */
export class MigrationError extends Error {
  override name = "MigrationError";
  constructor(
    readonly migration: string,
    readonly direction: "up" | "down",
    readonly statement: Statement | undefined,
    cause: unknown,
  ) {
    const where = statement ? ` at line ${statement.line}, in statement: ${statement.sql.replace(/\s+/g, " ").slice(0, 300)}` : "";
    super(`migration ${migration} (${direction}) failed${where}: ${(cause as Error).message ?? String(cause)}`, { cause });
  }
}
