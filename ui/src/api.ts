import type { paths } from "./api-schema";
import { currentKey } from "./session";

/** Paths with a GET, the JSON of their 200 answer and their query parameters, from the OpenAPI types. */
type GetPath = { [P in keyof paths]: paths[P] extends { get: object } ? P : never }[keyof paths];
type Json<R> = R extends { content: { "application/json": infer B } } ? B : never;
export type Answer<P extends GetPath, M extends "get" | "post" = "get"> = paths[P] extends Record<M, { responses: infer R }>
  ? R extends { 200: infer A } ? Json<A> : R extends { 201: infer A } ? Json<A> : never
  : never;
export type Query<P extends GetPath> = paths[P] extends { get: { parameters: { query?: infer Q } } } ? NonNullable<Q> : never;

/** An answer other than 2xx/304, with the API's message (and the parameter a 400 names). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly parameter?: string,
  ) {
    super(message);
  }
}

const unauthorizedListeners = new Set<(e: ApiError) => void>();
/** Told when the API refuses the key (revoked meanwhile): the app then asks for one again. */
export function onUnauthorized(listener: (e: ApiError) => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

/** Last answer per URL with its ETag: a refresh that finds nothing new costs the API a 304. */
const byEtag = new Map<string, { etag: string; body: unknown }>();

export function queryString(query: Record<string, unknown> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : "";
}

async function request(method: string, url: string, key: string | null, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = {};
  if (key) headers["x-api-key"] = key;
  if (body !== undefined) headers["content-type"] = "application/json";
  const cached = method === "GET" ? byEtag.get(url) : undefined;
  if (cached) headers["if-none-match"] = cached.etag;
  // no-store: this map, not the browser's cache, decides what is reused (the key is per tab).
  return fetch(url, { method, headers, cache: "no-store", ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
}

async function fail(res: Response): Promise<never> {
  const problem = (await res.json().catch(() => ({}))) as { message?: string; parameter?: string };
  const error = new ApiError(res.status, problem.message ?? `${res.status} ${res.statusText}`, problem.parameter);
  if (res.status === 401) for (const l of unauthorizedListeners) l(error);
  throw error;
}

/** GET a JSON answer of the API with the tab's key (or the one given, to try it). */
export async function get<P extends GetPath>(path: P, query?: Query<P>, key = currentKey()): Promise<Answer<P>> {
  const url = path + queryString(query as Record<string, unknown>);
  const res = await request("GET", url, key);
  if (res.status === 304) return byEtag.get(url)!.body as Answer<P>;
  if (!res.ok) return fail(res);
  const body = await res.json();
  const etag = res.headers.get("etag");
  if (etag) byEtag.set(url, { etag, body });
  return body as Answer<P>;
}

/** POST or DELETE with the tab's key; JSON back when there is a body. */
export async function send<T>(method: "POST" | "DELETE", url: string, body?: unknown): Promise<T | undefined> {
  const res = await request(method, url, currentKey(), body);
  if (!res.ok) return fail(res);
  return res.status === 204 ? undefined : ((await res.json()) as T);
}
