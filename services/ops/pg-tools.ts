import { spawn } from "node:child_process";

/** A tool's connection: the URL without its password, which travels in PGPASSWORD instead. */
function connection(databaseUrl: string): { url: string; env: NodeJS.ProcessEnv } {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = "";
  return { url: url.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

/** Resolves when the child exits 0; otherwise rejects with the last lines of its stderr. */
function exited(tool: string, child: ReturnType<typeof spawn>, onStderrLine?: (line: string) => void): Promise<void> {
  let tail = "";
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    tail = (tail + chunk).slice(-4000);
    for (const line of chunk.split("\n")) if (line.trim()) onStderrLine?.(line);
  });
  return new Promise((resolve, reject) => {
    child.on("error", (err) => reject(new Error(`${tool} could not start: ${err.message}`)));
    child.on("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`${tool} exited with ${code}: ${tail.trim().split("\n").slice(-3).join(" | ")}`)),
    );
  });
}

/**
 * Runs a PostgreSQL client tool (pg_dump, pg_restore) against `databaseUrl` without putting the
 * password on the command line (where `ps` would show it): it travels in PGPASSWORD.
 */
export function runPgTool(
  tool: "pg_dump" | "pg_restore",
  databaseUrl: string,
  args: string[],
  onStderrLine?: (line: string) => void,
): Promise<void> {
  const { url, env } = connection(databaseUrl);
  return exited(tool, spawn(tool, [...args, "--dbname", url], { env, stdio: ["ignore", "ignore", "pipe"] }), onStderrLine);
}

/**
 * A custom-format dump as SQL (pg_restore to stdout) between `before` and `after`, run by psql in
 * one transaction that stops at the first error: all of it is restored, or nothing changes.
 */
export async function restoreInOneTransaction(databaseUrl: string, file: string, before: string, after: string): Promise<void> {
  const { url, env } = connection(databaseUrl);
  const psql = spawn("psql", ["-X", "-q", "--single-transaction", "-v", "ON_ERROR_STOP=1", "-f", "-", "--dbname", url], {
    env,
    stdio: ["pipe", "ignore", "pipe"],
  });
  const script = spawn("pg_restore", ["--no-owner", "-f", "-", file], { env, stdio: ["ignore", "pipe", "pipe"] });
  const done = Promise.all([exited("psql", psql), exited("pg_restore", script)]);
  psql.stdin!.on("error", () => undefined); // psql stopped at an error: its exit says which
  psql.stdin!.write(`${before}\n`);
  script.stdout!.pipe(psql.stdin!, { end: false });
  script.stdout!.on("end", () => psql.stdin!.end(`\n${after}\n`));
  await done;
}
