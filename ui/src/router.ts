import { useEffect, useState } from "preact/hooks";

/** Where the tab is: `#/<page>/<id>?<params>`; every trace, span and filter has an address. */
export interface Route {
  page: string;
  id?: string;
  params: URLSearchParams;
}

export function parseRoute(hash: string): Route {
  const [path = "", search = ""] = hash.replace(/^#\/?/, "").split("?", 2);
  const [page = "traces", id] = path.split("/").filter(Boolean);
  return { page, ...(id ? { id } : {}), params: new URLSearchParams(search) };
}

export function href(page: string, id?: string, params: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const search = q.toString();
  return `#/${page}${id ? `/${id}` : ""}${search ? `?${search}` : ""}`;
}

export function navigate(to: string, replace = false): void {
  if (replace) {
    history.replaceState(null, "", to);
    dispatchEvent(new HashChangeEvent("hashchange"));
  } else location.hash = to;
}

export function useRoute(): Route {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const update = () => setHash(location.hash);
    addEventListener("hashchange", update);
    return () => removeEventListener("hashchange", update);
  }, []);
  return parseRoute(hash);
}
