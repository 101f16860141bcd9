import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Where the SQL lives; the built image copies this folder beside the compiled runner. */
export const defaultSqlDir = fileURLToPath(new URL("./sql/", import.meta.url));

/** One migration as plain data: `NNNN_name.sql` and its `NNNN_name.down.sql`. */
export interface SqlMigration {
  name: string;
  up: string;
  down: string;
  /** From a `-- requires-extension: X` header: applied only where extension X is usable. */
  requiresExtension?: string;
  /** From a `-- without-it: ...` header: what a database without the extension goes without. */
  withoutIt?: string;
}

const upFile = /^(\d{4}_[a-z0-9_]+)\.sql$/;

export function loadSqlMigrations(dir = defaultSqlDir): SqlMigration[] {
  return readdirSync(dir)
    .filter((f) => upFile.test(f))
    .sort()
    .map((file) => {
      const name = file.replace(/\.sql$/, "");
      let down: string;
      try {
        down = readFileSync(join(dir, `${name}.down.sql`), "utf8");
      } catch {
        throw new Error(`migration ${name} has no ${name}.down.sql beside it`);
      }
      return parseSqlMigration(name, readFileSync(join(dir, file), "utf8"), down);
    });
}

/** A migration from its SQL, with what its header comments declare. */
export function parseSqlMigration(name: string, up: string, down: string): SqlMigration {
  const requiresExtension = /^--\s*requires-extension:\s*(\w+)/m.exec(up)?.[1];
  const withoutIt = /^--\s*without-it:\s*(.+)$/m.exec(up)?.[1]?.trim();
  return { name, up, down, ...(requiresExtension ? { requiresExtension } : {}), ...(withoutIt ? { withoutIt } : {}) };
}

/** The next free migration number, for `create`. */
export function nextMigrationNumber(dir = defaultSqlDir): string {
  const numbers = readdirSync(dir).map((f) => Number(upFile.exec(f)?.[1]?.slice(0, 4) ?? 0));
  return String(Math.max(0, ...numbers) + 1).padStart(4, "0");
}
