import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";

export interface ServiceProcess {
  child: ChildProcess;
  /** The port the service said it listens on. */
  port: number;
  /** Exit code once exited, null while it runs. */
  exitCode(): number | null;
  /** Lines the service wrote to stderr (an uncaught error's stack lands there). */
  stderr: string[];
  /** Peak resident set size so far (VmHWM), in bytes. */
  peakRssBytes(): number;
  /** CPU time used so far (user + system), in seconds. */
  cpuSeconds(): number;
  stop(): Promise<number | null>;
}

/**
 * A service's real entry point in a process of its own (its memory measured alone, its crash its
 * own): `listening` reads the port from the log line that announces it.
 */
export async function spawnService(entry: string, env: Record<string, string>, listening: (line: string) => number | undefined): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", entry], {
    env: { ...process.env, LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on("line", (line) => {
    stderr.push(line);
    process.stderr.write(`${line}\n`);
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`${entry} exited with ${code} before listening`)));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const found = listening(line);
      if (found !== undefined) resolve(found);
    });
  });
  return {
    child,
    port,
    exitCode: () => child.exitCode,
    stderr,
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
