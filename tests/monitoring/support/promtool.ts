import { execFile } from "node:child_process";

export interface ToolResult {
  code: number;
  output: string;
}

/** Runs Debian's promtool (2.42), `input` on its stdin; a missing binary rejects, so the test fails rather than skips. */
export function promtool(args: string[], input = ""): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = execFile("promtool", args, { timeout: 60_000 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== "number") reject(err);
      else resolve({ code: err ? Number(err.code) : 0, output: `${stdout}${stderr}` });
    });
    child.stdin?.end(input);
  });
}
