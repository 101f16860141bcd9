import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";

/** A port the OS reports free on 127.0.0.1 (released before the process that will bind it starts). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface Running {
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Starts a binary; a missing one makes `stop`/`output` report it and the test's waits fail with its error. */
export function start(command: string, args: string[], env: Record<string, string> = {}): Running {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (d: Buffer) => void (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => void (out += d.toString()));
  child.on("error", (err) => void (out += `\nspawn ${command}: ${err.message}`));
  return {
    child,
    output: () => out,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** Polls `probe` until it returns a value, for at most `seconds`; the error names what was awaited (read when giving up). */
export async function until<T>(what: string | (() => string), probe: () => Promise<T | undefined>, seconds = 30): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`gave up waiting for ${typeof what === "string" ? what : what()}${last ? `: ${(last as Error).message}` : ""}`);
}
