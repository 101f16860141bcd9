/** A parameterized statement, runnable as `pool.query(q)`. */
export interface Query {
  text: string;
  values: unknown[];
  /** A prepared statement's name: planned once per connection instead of at every call. */
  name?: string;
}

/** Collects bind values while SQL text is assembled; user input only ever enters as `$n`. */
export class Params {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * A timestamptz column as the API answers it: RFC 3339 UTC with the microseconds PostgreSQL keeps
 * ("2025-01-01T00:00:00.123456Z"; a JavaScript Date would cut them to milliseconds).
 */
export function isoMicros(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** A timestamptz column as microseconds since the epoch, in text (the list's keys; exact, unlike a double). */
export function microsText(column: string): string {
  return `(extract(epoch FROM ${column}) * 1000000)::bigint::text`;
}

/** The timestamptz of a bind parameter holding microseconds since the epoch (microsText's inverse). */
export function atMicros(param: string): string {
  return `TIMESTAMPTZ 'epoch' + ${param}::bigint * INTERVAL '1 microsecond'`;
}

/** A LIKE pattern matching `text` anywhere, its wildcards taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, "\\$&")}%`;
}
