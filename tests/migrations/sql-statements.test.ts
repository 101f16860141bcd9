import { describe, expect, it } from "vitest";
import { splitStatements } from "../../migrations/sql-statements.js";

describe("splitStatements", () => {
  it("keeps semicolons inside strings, identifiers, dollar quotes and comments", () => {
    const sql = [
      "-- leading comment; not a statement",
      "SELECT 'a;b', 'it''s;';",
      'SELECT "odd;name" FROM t;',
      "DO $fn$ BEGIN PERFORM 1; END $fn$;",
      "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;",
      "/* block; comment */ SELECT 2",
    ].join("\n");
    expect(splitStatements(sql)).toEqual([
      { sql: "SELECT 'a;b', 'it''s;';", line: 2 },
      { sql: 'SELECT "odd;name" FROM t;', line: 3 },
      { sql: "DO $fn$ BEGIN PERFORM 1; END $fn$;", line: 4 },
      { sql: "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;", line: 5 },
      { sql: "/* block; comment */ SELECT 2", line: 6 },
    ]);
  });

  it("ignores a file of comments only", () => {
    expect(splitStatements("-- nothing here\n-- at all\n")).toEqual([]);
  });
});
