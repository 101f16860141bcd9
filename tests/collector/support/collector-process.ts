import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";

export interface CollectorProcess {
  child: ChildProcess;
  httpPort: number;
  /** Peak resident set size so far (VmHWM), in bytes. */
  peakRssBytes(): number;
  /** CPU time used so far (user + system), in seconds. */
  cpuSeconds(): number;
  stop(): Promise<number | null>;
}

/** The collector's real entry point in a process of its own, so its memory is measured alone. */
export async function spawnCollector(env: Record<string, string>): Promise<CollectorProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "services/collector/main.ts"], {
    env: { ...process.env, OTLP_GRPC_PORT: "0", OTLP_HTTP_PORT: "0", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const httpPort = await new Promise<number>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`collector exited with ${code} before listening`)));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      if (line.includes('"collector listening"')) resolve(JSON.parse(line).httpPort);
    });
  });
  return {
    child,
    httpPort,
    peakRssBytes: () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))![1]) * 1024,
    cpuSeconds: () => {
      // Fields 14 and 15 of /proc/PID/stat, after the parenthesized command name; clock ticks of 1/100 s.
      const fields = readFileSync(`/proc/${child.pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      return (Number(fields[11]) + Number(fields[12])) / 100;
    },
    stop: async () => {
      child.kill("SIGTERM");
      return exited;
    },
  };
}
