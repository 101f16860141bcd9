export interface Statement {
  sql: string;
  /** 1-based line of the statement's first character in the file. */
  line: number;
}

/**
 * Splits a migration file into its statements, so each runs on its own and a failure can be
 * named. Understands what may hide a semicolon: quoted strings and identifiers, dollar-quoted
 * bodies ($$ … $$, $fn$ … $fn$) and comments.
 */
export function splitStatements(sql: string): Statement[] {
  const out: Statement[] = [];
  let start = 0;
  let i = 0;
  const push = (end: number) => {
    const raw = sql.slice(start, end);
    const lead = /^(\s|--[^\n]*(\n|$))*/.exec(raw)![0];
    const body = raw.slice(lead.length).trim();
    if (body && body !== ";") out.push({ sql: body, line: sql.slice(0, start + lead.length).split("\n").length });
  };
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "-" && sql[i + 1] === "-") {
      const nl = sql.indexOf("\n", i);
      i = nl === -1 ? sql.length : nl + 1;
    } else if (c === "/" && sql[i + 1] === "*") {
      const close = sql.indexOf("*/", i + 2);
      i = close === -1 ? sql.length : close + 2;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < sql.length && !(sql[j] === c && sql[j + 1] !== c)) j += sql[j] === c ? 2 : 1;
      i = j + 1;
    } else if (c === "$") {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i))?.[0];
      if (tag) {
        const close = sql.indexOf(tag, i + tag.length);
        i = close === -1 ? sql.length : close + tag.length;
      } else i++;
    } else if (c === ";") {
      push(i + 1);
      start = ++i;
    } else i++;
  }
  push(sql.length);
  return out;
}
