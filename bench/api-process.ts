import { type ChildProcess, spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface ApiProcess {
  port: number;
  stop(): Promise<number | null>;
}

async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function ready(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    http
      .get({ host: "127.0.0.1", port, path: "/ready" }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      })
      .on("error", () => resolve(false));
  });
}

/** The API's real entry point (the image's command) in a process of its own, once /ready says so. */
export async function spawnApi(env: Record<string, string>): Promise<ApiProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "services/api/main.ts"], {
    env: { ...process.env, API_HOST: "127.0.0.1", API_PORT: String(port), ...env },
    stdio: ["ignore", "inherit", "inherit"],
  });
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      exitCode = code;
      resolve(code);
    }),
  );
  for (const started = Date.now(); !(await ready(port)); ) {
    if (exitCode !== undefined) throw new Error(`the API exited with ${exitCode} before it was ready`);
    if (Date.now() - started > 30_000) {
      child.kill("SIGKILL");
      throw new Error("the API was not ready within 30 s");
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    port,
    stop: async () => {
      if (exitCode === undefined) child.kill("SIGTERM");
      return exited;
    },
  };
}
