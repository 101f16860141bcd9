/** A parameterized statement, runnable as `pool.query(q.text, q.values)`. */
export interface Query {
  text: string;
  values: unknown[];
}

/** Collects bind values while SQL text is assembled; user input only ever enters as `$n`. */
export class Params {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** A LIKE pattern matching `text` anywhere, its wildcards taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, "\\$&")}%`;
}
