import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * Runs a command-line `main` when its module is the process entry (not when a test imports it),
 * and turns its outcome into the exit status: a thrown error prints one line prefixed by `name`.
 */
export function runIfMain(moduleUrl: string, name: string, main: (args: string[]) => Promise<number>): void {
  const entry = process.argv[1];
  if (!entry || realpathSync(entry) !== realpathSync(fileURLToPath(moduleUrl))) return;
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: Error) => {
      console.error(`${name}: ${err.message}`);
      process.exit(1);
    },
  );
}
