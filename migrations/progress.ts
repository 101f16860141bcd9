import type { ProgressEvent } from "./runner.js";

/**
 * Progress for migrations on an interactive terminal (stderr): the running migration, its
 * current statement and the elapsed time, so a long migration visibly moves. Silent when stderr
 * is not a TTY (CI, containers), where the JSON logs suffice.
 */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr) {
  if (!stream.isTTY) return undefined;
  const frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
  let timer: NodeJS.Timeout | undefined;
  let started = 0;
  let step = "";
  return (e: ProgressEvent) => {
    if (e.phase === "start") {
      started = Date.now();
      step = "";
      let i = 0;
      const verb = e.direction === "up" ? "applying" : "reverting";
      timer = setInterval(() => {
        const secs = ((Date.now() - started) / 1000).toFixed(1);
        stream.write(`\r\x1b[2K${frames[i++ % frames.length]} ${verb} ${e.name} ${step} ${secs}s`);
      }, 100);
      timer.unref();
    } else if (e.phase === "statement") {
      step = `statement ${e.statement}/${e.statements}`;
    } else {
      clearInterval(timer);
      stream.write(`\r\x1b[2K✓ ${e.name} (${((Date.now() - started) / 1000).toFixed(1)}s)\n`);
    }
  };
}
