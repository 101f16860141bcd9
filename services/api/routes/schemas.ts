/** Schema pieces shared by the routes (each route's own schema sits beside its handler). */

/** Free text in a query: bounded, without control characters (PostgreSQL rejects NUL). */
export const text = { type: "string", minLength: 1, maxLength: 256, pattern: "^[^\\u0000-\\u001f\\u007f]+$" } as const;

export const dateTime = { type: "string", format: "date-time", maxLength: 64 } as const;

export const range = {
  from: { ...dateTime, description: "Start (RFC 3339, inclusive); defaults to a window before `to`" },
  to: { ...dateTime, description: "End (RFC 3339, exclusive); defaults to the end of the current minute" },
} as const;

export const dimensionFilters = {
  service: { ...text, description: "service.name equals" },
  environment: { ...text, description: "deployment environment equals" },
  provider: { ...text, description: "GenAI provider equals (gen_ai.provider.name values, e.g. openai)" },
  model: { ...text, description: "model equals (response model, else request model)" },
} as const;

export const spanFilters = {
  user_id: { ...text, description: "user id equals (raw spans)" },
  session_id: { ...text, description: "session id equals (raw spans)" },
} as const;

export const limit = (fallback: number, max = 1000) => ({ type: "integer", minimum: 1, maximum: max, default: fallback }) as const;

export const problem = {
  type: "object",
  properties: {
    statusCode: { type: "integer" },
    error: { type: "string" },
    message: { type: "string" },
    parameter: { type: "string" },
  },
} as const;

export const security: { [scheme: string]: string[] }[] = [{ bearer: [] }, { apiKey: [] }];

/** Error answers every authenticated route may give. */
export const errorResponses = { 400: problem, 401: problem, 403: problem, 429: problem } as const;

/** The TypeScript side of `range`, `dimensionFilters` and `spanFilters`. */
export type RangeQuery = Partial<Record<keyof typeof range, string>>;
export type DimensionQuery = Partial<Record<keyof typeof dimensionFilters, string>>;
export type SpanFilterQuery = Partial<Record<keyof typeof spanFilters, string>>;
