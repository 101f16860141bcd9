/**
 * Package mirrors are the machine's business (its apt configuration), not the project's: a recipe
 * that names one breaks where that host is unreachable and bypasses the mirror the machine trusts.
 * scripts/docker-node-base.sh reads the mirror from the apt configuration instead.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../..", import.meta.url).pathname;
/** Where recipes and commands a reader copies live. */
const PATHSPECS = ["README.md", "docs/", "scripts/", "Dockerfile*", ".ci/", ".github/"];

const MIRROR_PATTERNS = [
  /\b(?:[\w-]+\.)*(?:deb|ftp|security|snapshot|archive|httpredir)\.debian\.org\b/gi,
  /\b(?:[\w-]+\.)*(?:archive|security|ports)\.ubuntu\.com\b/gi,
  // Any http(s) URL whose path ends in a Debian/Ubuntu archive root (a mirror of any host).
  /https?:\/\/[^\s"'`<>)]+\/(?:debian|ubuntu)(?:-security|-ports)?\/?(?=[\s"'`<>)]|$)/gim,
];

/** Every mirror address `text` names. */
function mirrorsIn(text: string): string[] {
  return MIRROR_PATTERNS.flatMap((p) => [...text.matchAll(p)].map((m) => m[0]));
}

describe("no committed recipe names a package mirror", () => {
  it("recognises the addresses it looks for", () => {
    expect(mirrorsIn("debootstrap bookworm /tmp/rootfs http://deb.debian.org/debian")).toEqual(["deb.debian.org", "http://deb.debian.org/debian"]);
    expect(mirrorsIn("URIs: https://mirror.example.net/debian/\n")).toEqual(["https://mirror.example.net/debian/"]);
    expect(mirrorsIn("deb http://de.archive.ubuntu.com/ubuntu jammy main")).toEqual(["de.archive.ubuntu.com", "http://de.archive.ubuntu.com/ubuntu"]);
    expect(mirrorsIn("see https://www.debian.org/releases/ and /usr/share/debian")).toEqual([]);
  });

  it("README, docs, scripts, Dockerfiles and CI name none", () => {
    const files = execFileSync("git", ["ls-files", "-z", "--", ...PATHSPECS], { cwd: ROOT, encoding: "utf8" }).split("\0").filter(Boolean);
    expect(files).toContain("scripts/docker-node-base.sh");
    const found = files
      .filter((f) => !/\.(png|jpe?g|gif|ico|woff2?)$/.test(f))
      .flatMap((f) => mirrorsIn(readFileSync(join(ROOT, f), "utf8")).map((m) => `${f}: ${m}`));
    expect(found).toEqual([]);
  });
});
