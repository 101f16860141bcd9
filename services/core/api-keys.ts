import { createHash, randomBytes } from "node:crypto";
import type pg from "pg";

export type Scope = "ingest" | "read" | "admin";
export const SCOPES: readonly Scope[] = ["ingest", "read", "admin"];

export interface Principal {
  keyId: string;
  projectId: string;
  scopes: Scope[];
}

const PREFIX = "lok_";

/** Admin includes every other scope, on every service. */
export function hasScope(p: Pick<Principal, "scopes">, scope: Scope): boolean {
  return p.scopes.includes(scope) || p.scopes.includes("admin");
}

/** A new random key; only its hash is ever stored. */
export function generateApiKey(): string {
  return PREFIX + randomBytes(32).toString("base64url");
}

export function hashApiKey(key: string): Buffer {
  return createHash("sha256").update(key).digest();
}

/** The first characters of a key, safe to show in listings and logs. */
export function keyPrefix(key: string): string {
  return key.slice(0, PREFIX.length + 6);
}

/** The key from `Authorization: Bearer <key>` or `x-api-key: <key>`. */
export function keyFromHeaders(headers: Record<string, string | string[] | undefined>): string | undefined {
  const auth = headers["authorization"];
  const bearer = typeof auth === "string" ? /^Bearer\s+(\S+)$/i.exec(auth)?.[1] : undefined;
  const direct = headers["x-api-key"];
  return bearer ?? (typeof direct === "string" && direct.length > 0 ? direct : undefined);
}

export async function createApiKey(
  db: pg.Pool | pg.PoolClient,
  projectId: string,
  name: string,
  scopes: Scope[],
): Promise<{ id: string; key: string }> {
  const key = generateApiKey();
  const { rows } = await db.query(
    "INSERT INTO api_keys (project_id, name, key_hash, key_prefix, scopes) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    [projectId, name, hashApiKey(key), keyPrefix(key), scopes],
  );
  return { id: rows[0].id, key };
}

/**
 * Looks keys up by hash and remembers answers (including "no such key") for `ttlMs`, so a busy
 * exporter costs one query per key per TTL. A revoked key stops working within one TTL.
 */
export class ApiKeyResolver {
  private readonly cache = new Map<string, { principal: Principal | null; expires: number }>();

  constructor(
    private readonly db: pg.Pool,
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  async resolve(key: string): Promise<Principal | null> {
    const hash = hashApiKey(key);
    const cacheKey = hash.toString("hex");
    const hit = this.cache.get(cacheKey);
    if (hit && hit.expires > Date.now()) return hit.principal;
    const { rows } = await this.db.query(
      "SELECT id, project_id, scopes FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL",
      [hash],
    );
    const row = rows[0];
    const principal: Principal | null = row ? { keyId: row.id, projectId: row.project_id, scopes: row.scopes } : null;
    if (this.cache.size >= this.maxEntries) this.cache.clear();
    this.cache.set(cacheKey, { principal, expires: Date.now() + this.ttlMs });
    return principal;
  }
}
