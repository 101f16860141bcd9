/**
 * The API key lives in this tab's sessionStorage only: closing the tab forgets it, and other tabs
 * sign in on their own. `npm start` prints a link carrying the local key in the URL fragment,
 * which browsers never send to a server; it is taken from there once and removed from the address.
 */
const STORAGE = "observatory.key";

export function currentKey(): string | null {
  return sessionStorage.getItem(STORAGE);
}

export function keepKey(key: string): void {
  sessionStorage.setItem(STORAGE, key);
}

export function forgetKey(): void {
  sessionStorage.removeItem(STORAGE);
}

/** A key from `#key=…`, removed from the address bar and history at once. */
export function keyFromFragment(): string | null {
  const match = /^#key=([^&]+)/.exec(location.hash);
  if (!match) return null;
  history.replaceState(null, "", `${location.pathname}${location.search}#/traces`);
  return decodeURIComponent(match[1]!);
}
