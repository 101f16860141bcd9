import { createHash } from "node:crypto";

/** JSON with object keys sorted, so equal parameters in any order give one string. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

/** A short, URL-safe digest of text or bytes. */
export function digest(text: string | Buffer, length = 43): string {
  return createHash("sha256").update(text).digest("base64url").slice(0, length);
}
