import { navigate, href } from "./router";
import { DEFAULT_PRESET, PRESETS, localInput } from "./time-range";

/** Text filters of the trace list, by the API's parameter names. */
const FIELDS: [name: string, label: string, type?: "number"][] = [
  ["name", "Name contains"],
  ["service", "Service"],
  ["environment", "Environment"],
  ["provider", "Provider"],
  ["model", "Model"],
  ["user_id", "User"],
  ["session_id", "Session"],
  ["min_duration_ms", "Min duration (ms)", "number"],
  ["min_cost_usd", "Min cost (USD)", "number"],
];

/** The filters that apply to traces, from the address. */
export const FILTER_NAMES = [...FIELDS.map(([n]) => n), "status"];

/**
 * A form over the address: applying it navigates, so every filtered list has a URL. Fields are
 * uncontrolled (a live refresh must not undo typing); the list remounts it on navigation.
 */
export function TraceFilters({ params, page = "traces" }: { params: URLSearchParams; page?: string }) {
  const range = params.get("range") ?? DEFAULT_PRESET;
  const submit = (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    const next: Record<string, string> = {};
    for (const [k, v] of form) if (typeof v === "string" && v.trim()) next[k] = v.trim();
    if (next.range !== "custom") {
      delete next.from;
      delete next.to;
    }
    if (next.range === DEFAULT_PRESET) delete next.range;
    navigate(href(page, undefined, next));
  };
  return (
    <form class="filters" onSubmit={submit} aria-label="Trace filters">
      <label>
        Time range
        <select name="range">
          {Object.keys(PRESETS).map((p) => (
            <option value={p} selected={p === range}>
              Last {p}
            </option>
          ))}
          <option value="custom" selected={range === "custom"}>
            Custom
          </option>
        </select>
      </label>
      <label>
        From <input type="datetime-local" name="from" defaultValue={localInput(params.get("from"))} />
      </label>
      <label>
        To <input type="datetime-local" name="to" defaultValue={localInput(params.get("to"))} />
      </label>
      <label>
        Status
        <select name="status">
          {["", "ok", "error"].map((s) => (
            <option value={s} selected={s === (params.get("status") ?? "")}>
              {s || "any"}
            </option>
          ))}
        </select>
      </label>
      {FIELDS.map(([name, label, type]) => (
        <label>
          {label}
          {type ? (
            <input name={name} type="number" step="any" min={0} defaultValue={params.get(name) ?? ""} />
          ) : (
            <input name={name} type="text" defaultValue={params.get(name) ?? ""} />
          )}
        </label>
      ))}
      <button type="submit">Apply</button>
    </form>
  );
}
