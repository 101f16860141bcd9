import { createHash, createHmac, pbkdf2Sync, randomBytes } from "node:crypto";

/**
 * A PostgreSQL SCRAM-SHA-256 password verifier (RFC 5802/7677), the form PostgreSQL stores.
 * Sending the verifier instead of the plaintext keeps the password out of server logs
 * (log_statement) and pg_stat_activity, as psql's \password does.
 */
export function scramVerifier(password: string, iterations = 4096, salt = randomBytes(16)): string {
  const salted = pbkdf2Sync(password.normalize("NFKC"), salt, iterations, 32, "sha256");
  const clientKey = createHmac("sha256", salted).update("Client Key").digest();
  const storedKey = createHash("sha256").update(clientKey).digest();
  const serverKey = createHmac("sha256", salted).update("Server Key").digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString("base64")}$${storedKey.toString("base64")}:${serverKey.toString("base64")}`;
}
