import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";

/** A port the OS reports free on 127.0.0.1 (released before the process that will bind it starts). */
function freePort(): Promise<number> {
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
function start(command: string, args: string[], env: Record<string, string> = {}): Running {
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

/**
 * Starts a server that must be given its port (the exporters, Prometheus) on a free one, and
 * returns once that port answers `GET path` with `marker` in the body, i.e. as this server.
 * Between freePort() releasing a port and the server binding it, another process may take it:
 * then the server exits (address in use) while the port answers as someone else, so it is
 * started again on another port.
 */
export async function startOnFreePort(
  command: string,
  args: (port: number) => string[],
  { env = {}, path = "/metrics", marker }: { env?: Record<string, string>; path?: string; marker: string },
): Promise<{ running: Running; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const running = start(command, args(port), env);
    const outcome = await until(`${command} answering on port ${port}\n${running.output().slice(-400)}`, async () => {
      if (running.child.exitCode !== null || running.child.signalCode !== null) return "exited";
      const body = await (await fetch(`http://127.0.0.1:${port}${path}`)).text();
      return body.includes(marker) ? "ready" : undefined;
    });
    if (outcome === "ready") return { running, port };
    if (attempt === 3) throw new Error(`${command} exited three times: ${running.output().slice(-400)}`);
  }
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
