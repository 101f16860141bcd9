import { readFileSync } from "node:fs";
import { parseImageReference } from "./image-reference.js";

/** One release line of an image: the tags it covers and the day its support ends (null: no date published). */
export interface ReleaseLine {
  line: string;
  tags: string;
  endOfLife: string | null;
}

export interface ImageReleases {
  image: string;
  /** Lowest accepted version, `major.minor`. */
  floor: string;
  why: string;
  source: string;
  lines: ReleaseLine[];
}

/** The table in release-lines.json (data, so that updating a date is a one-line change). */
export const releaseTable: ImageReleases[] = (
  JSON.parse(readFileSync(new URL("./release-lines.json", import.meta.url), "utf8")) as { images: ImageReleases[] }
).images;

export type Verdict = "supported" | "past-end-of-life" | "below-floor" | "unknown-line" | "no-version";

export interface Assessment {
  verdict: Verdict;
  releases: ImageReleases;
  tag?: string;
  line?: ReleaseLine;
  /** Days from `asOf` to the line's end of life (negative once past); undefined without a date. */
  daysLeft?: number;
  /** Why the image is not supported; undefined when it is. */
  problem?: string;
}

const dayMs = 86_400_000;
const versionOf = (tag: string) => /^v?(\d+)\.(\d+)/.exec(tag);
const majorMinor = (text: string) => text.split(".").map(Number) as [number, number];
const below = ([a, b]: [number, number], [c, d]: [number, number]) => a < c || (a === c && b < d);

/** Where an image reference stands in the table; undefined for an image the table does not govern. */
export function assessImage(ref: string, asOf: Date, table: ImageReleases[] = releaseTable): Assessment | undefined {
  // Only what can be judged: an image the table lists, named by a version tag or by a bare digest.
  const parsed = parseImageReference(ref);
  if (parsed.kind !== "name") return undefined;
  const releases = table.find((r) => r.image === parsed.repository);
  if (!releases) return undefined;
  const { tag } = parsed;
  const version = tag === undefined ? null : versionOf(tag);
  if (!version || tag === undefined) {
    // `latest` or no tag at all: docker-image-pinned refuses those; a bare digest hides the version.
    if (parsed.digest === undefined || tag !== undefined) return undefined;
    return { verdict: "no-version", releases, problem: "names no version (a digest without its tag), so its release line cannot be told" };
  }
  if (below([Number(version[1]), Number(version[2])], majorMinor(releases.floor))) {
    return { verdict: "below-floor", releases, tag, problem: `is older than the floor ${releases.floor} (${releases.why})` };
  }
  const line = releases.lines.find((l) => new RegExp(l.tags).test(tag));
  if (!line) return { verdict: "unknown-line", releases, tag, problem: "is on a release line policies/release-lines.json does not list" };
  if (line.endOfLife === null) return { verdict: "supported", releases, tag, line };
  const daysLeft = Math.floor((Date.parse(`${line.endOfLife}T00:00:00Z`) - asOf.getTime()) / dayMs);
  return daysLeft < 0
    ? { verdict: "past-end-of-life", releases, tag, line, daysLeft, problem: `is on line ${line.line}, past its end of life on ${line.endOfLife}` }
    : { verdict: "supported", releases, tag, line, daysLeft };
}
