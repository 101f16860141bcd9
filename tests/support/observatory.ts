import { type ChildProcess, spawn } from "node:child_process";

/** `npm start`'s program running as a child process. */
export interface Running {
  child: ChildProcess;
  apiUrl: string;
  uiUrl: string;
  otlpHttpUrl: string;
  key: string;
  output: () => string;
}

/**
 * Starts `npm start`'s program on a data folder and resolves once its banner says where it listens.
 * API and OTLP ports are 0 (the OS picks free ones; the banner reports them). Without DATABASE_URL
 * in `env` it runs the embedded database.
 */
export async function startObservatory(dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<Running> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, OBSERVATORY_DATA_DIR: dataDir, API_PORT: "0", OTLP_GRPC_PORT: "0", OTLP_HTTP_PORT: "0", LOG_LEVEL: "warn" };
  delete childEnv.DATABASE_URL;
  delete childEnv.REDIS_URL;
  const child = spawn(process.execPath, ["--import", "tsx", "services/start.ts"], { env: { ...childEnv, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner within 90 s:\n${out}`)), 90_000);
    child.once("exit", (code) => reject(new Error(`exited with ${code} before listening:\n${out}`)));
    const poll = setInterval(() => {
      if (/Ctrl-C drains/.test(out)) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve();
      }
    }, 100);
  });
  const apiUrl = /API\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!;
  const uiUrl = /Web UI\s+(\S+)/.exec(out)![1]!;
  const otlpHttpUrl = /OTEL_EXPORTER_OTLP_ENDPOINT=(\S+)/.exec(out)![1]!;
  const key = /OTEL_EXPORTER_OTLP_HEADERS=x-api-key=(\S+)/.exec(out)![1]!;
  return { child, apiUrl, uiUrl, otlpHttpUrl, key, output: () => out };
}

/** Ctrl-C, and the exit code once it has drained. */
export async function stopObservatory(r: Running): Promise<number | null> {
  if (r.child.exitCode !== null) return r.child.exitCode;
  const exited = new Promise<number | null>((resolve) => r.child.once("exit", (code) => resolve(code)));
  r.child.kill("SIGINT");
  return exited;
}
