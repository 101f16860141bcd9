/**
 * What Grafana sends to PostgreSQL for a panel's raw SQL: template variables substituted, then
 * $__interval, then the macros of Grafana's PostgreSQL datasource with `timescaledb: false`
 * (pkg/tsdb/grafana-postgresql-datasource/macros.go), reproduced for the macros panels may use.
 */
export interface GrafanaQueryContext {
  from: Date;
  to: Date;
  /** $__interval as Grafana formats it ("1m", "1h"). */
  interval: string;
  /** Single-valued variables, substituted as raw text like Grafana does for SQL. */
  variables: Record<string, string>;
}

const unitSeconds: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

function intervalSeconds(text: string): number {
  const m = /^'?(\d+)([smhd])'?$/.exec(text.trim());
  if (!m) throw new Error(`error parsing interval ${text}`);
  return Number(m[1]) * unitSeconds[m[2]!]!;
}

/** Go's time.RFC3339Nano in UTC: fractional seconds without trailing zeros. */
const rfc3339Nano = (d: Date) => d.toISOString().replace(/\.(\d*?)0*Z$/, (_, digits: string) => (digits ? `.${digits}Z` : "Z"));

function macro(name: string, args: string[], ctx: GrafanaQueryContext): string {
  const column = () => {
    if (!args[0]) throw new Error(`missing time column argument for macro ${name}`);
    return args[0];
  };
  switch (name) {
    case "__time": return `${column()} AS "time"`;
    case "__timeEpoch": return `extract(epoch from ${column()}) as "time"`;
    case "__timeFilter": return `${column()} BETWEEN '${rfc3339Nano(ctx.from)}' AND '${rfc3339Nano(ctx.to)}'`;
    case "__timeFrom": return `'${rfc3339Nano(ctx.from)}'`;
    case "__timeTo": return `'${rfc3339Nano(ctx.to)}'`;
    case "__timeGroup": {
      if (args.length < 2) throw new Error(`macro ${name} needs time column and interval and optional fill value`);
      const s = intervalSeconds(args[1]!);
      return `floor(extract(epoch from ${args[0]})/${s})*${s}`;
    }
    case "__timeGroupAlias": return `${macro("__timeGroup", args, ctx)} AS "time"`;
    default: throw new Error(`unknown macro "${name}"`);
  }
}

export function expandGrafanaSql(sql: string, ctx: GrafanaQueryContext): string {
  let out = sql;
  for (const [name, value] of Object.entries(ctx.variables)) out = out.replaceAll(`\${${name}}`, value).replace(new RegExp(`\\$${name}\\b`, "g"), value);
  out = out.replaceAll("$__interval_ms", String(intervalSeconds(ctx.interval) * 1000)).replaceAll("$__interval", ctx.interval);
  const original = out;
  return out.replace(/\$([_a-zA-Z0-9]+)\(([^)]*)\)/g, (whole, name: string, rawArgs: string) => {
    // Grafana's pre-5.3 compatibility: $__timeGroup directly followed by a comma gets the alias.
    const at = original.indexOf(whole);
    const effective = name === "__timeGroup" && original[at + whole.length] === "," ? "__timeGroupAlias" : name;
    return macro(effective, rawArgs.split(",").map((a) => a.trim()), ctx);
  });
}
