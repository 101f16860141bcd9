import { BadParameter } from "./errors.js";
import { canonical, digest } from "./canonical.js";
import type { TraceKey } from "./queries/traces.js";

/**
 * Opaque page cursor: base64url JSON of the last row's key plus a fingerprint of the filters it
 * was made for, so a cursor is refused (400) when reused with other filters or tampered with.
 */
export function filterFingerprint(filters: Record<string, unknown>): string {
  return digest(canonical(filters), 16);
}

export function encodeCursor(key: TraceKey, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ t: key.startUs, id: key.traceId, f: fingerprint })).toString("base64url");
}

export function decodeCursor(cursor: string, fingerprint: string): TraceKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw new BadParameter("cursor", "is not a cursor this API issued");
  }
  const c = parsed as { t?: unknown; id?: unknown; f?: unknown } | null;
  if (
    typeof c !== "object" ||
    c === null ||
    typeof c.t !== "string" ||
    !/^\d{1,17}$/.test(c.t) ||
    typeof c.id !== "string" ||
    !/^[0-9a-f]{32}$/.test(c.id)
  ) {
    throw new BadParameter("cursor", "is not a cursor this API issued");
  }
  if (c.f !== fingerprint) throw new BadParameter("cursor", "belongs to a query with other filters");
  return { startUs: c.t, traceId: c.id };
}
