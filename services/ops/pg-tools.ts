import { spawn } from "node:child_process";

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
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = "";
  return new Promise((resolve, reject) => {
    const child = spawn(tool, [...args, "--dbname", url.toString()], {
      env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let tail = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      tail = (tail + chunk).slice(-4000);
      for (const line of chunk.split("\n")) if (line.trim()) onStderrLine?.(line);
    });
    child.on("error", (err) => reject(new Error(`${tool} could not start: ${err.message}`)));
    child.on("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`${tool} exited with ${code}: ${tail.trim().split("\n").slice(-3).join(" | ")}`)),
    );
  });
}
