const DAY_MS = 86_400_000;

/**
 * Where the tree of a listed trace is looked for: from its start minus its duration (every span
 * the list counted starts in there) to a day after its start (the list's own bound, which leaves
 * room for spans still arriving), a millisecond wider each side than the microseconds given. The
 * API then reads the chunks around the trace instead of the whole retention (docs/api.md).
 */
export function treeWindow(t: { start_time?: string; duration_ms?: number }): { from?: string; to?: string } {
  const start = Date.parse(t.start_time ?? "");
  if (Number.isNaN(start)) return {};
  return { from: new Date(start - Math.ceil(t.duration_ms ?? 0) - 1).toISOString(), to: new Date(start + DAY_MS + 1).toISOString() };
}
