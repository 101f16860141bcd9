/** Time range presets and custom ranges, as the address carries them (`range=1h`, or `from`/`to`). */
export const PRESETS: Record<string, number> = { "15m": 15, "1h": 60, "6h": 360, "24h": 1440, "7d": 10_080, "30d": 43_200 };
export const DEFAULT_PRESET = "24h";

/**
 * The window a preset means now, ending at the next whole minute as the API's default does: the
 * same address asked again within the minute is the same query, which the API answers from its
 * cache (a 304 when nothing changed).
 */
export function resolveWindow(params: URLSearchParams, now = Date.now()): { from: string; to: string } {
  const from = params.get("from");
  const to = params.get("to");
  if (params.get("range") === "custom" && from && to) return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
  const minutes = PRESETS[params.get("range") ?? DEFAULT_PRESET] ?? PRESETS[DEFAULT_PRESET]!;
  const end = Math.ceil((now + 1) / 60_000) * 60_000;
  return { from: new Date(end - minutes * 60_000).toISOString(), to: new Date(end).toISOString() };
}

/** An ISO time as a datetime-local input shows it (local time, minutes). */
export function localInput(iso: string | null): string {
  if (!iso) return "";
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}
