/**
 * npm run versions [-- --as-of YYYY-MM-DD]
 *
 * Every part the stack pins (infra/images.ts), its release line, the day that line's support ends
 * (policies/release-lines.json) and the days left, soonest first, so a maintainer sees what moves
 * next. Exits 1 when a pinned part is past its end of life or below its floor.
 */
import { appImage, pinnedImages } from "../infra/images.js";
import { assessImage } from "../policies/release-lines.js";
import { runIfMain } from "../services/core/run-main.js";

export interface VersionRow {
  part: string;
  ref: string;
  line: string;
  endOfLife: string;
  daysLeft: number | null;
  verdict: string;
}

export function versionReport(asOf: Date): VersionRow[] {
  const parts: [string, string][] = [...Object.entries(pinnedImages).map(([part, p]): [string, string] => [part, p.ref]), ["nodeBase", appImage.nodeBase]];
  const rows = parts.map(([part, ref]): VersionRow => {
    const a = assessImage(ref, asOf);
    if (!a) return { part, ref, line: "-", endOfLife: "-", daysLeft: null, verdict: "not in policies/release-lines.json" };
    return {
      part,
      ref,
      line: a.line?.line ?? "-",
      endOfLife: a.line?.endOfLife ?? "no date (newest release only)",
      daysLeft: a.daysLeft ?? null,
      verdict: a.problem ? `UNSUPPORTED: ${a.problem}` : "supported",
    };
  });
  return rows.sort((x, y) => (x.daysLeft ?? Infinity) - (y.daysLeft ?? Infinity));
}

export function formatReport(rows: VersionRow[]): string {
  const table = [["part", "image", "line", "end of life", "days left", "status"], ...rows.map((r) => [r.part, r.ref, r.line, r.endOfLife, r.daysLeft === null ? "-" : String(r.daysLeft), r.verdict])];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  return table.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  ")).join("\n");
}

async function main(args: string[]): Promise<number> {
  const i = args.indexOf("--as-of");
  const day = i === -1 ? new Date().toISOString().slice(0, 10) : args[i + 1];
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error("--as-of needs a day as YYYY-MM-DD");
  const rows = versionReport(new Date(`${day}T00:00:00Z`));
  console.log(`Pinned parts as of ${day}\n${formatReport(rows)}`);
  return rows.every((r) => r.verdict === "supported") ? 0 : 1;
}

runIfMain(import.meta.url, "versions", main);
