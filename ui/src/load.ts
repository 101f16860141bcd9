import { useEffect, useState } from "preact/hooks";
import { ApiError } from "./api";

export interface Loaded<T> {
  data?: T;
  error?: ApiError | Error;
  loading: boolean;
}

/**
 * Runs `load` whenever a dependency changes and keeps the last answer on screen while the next
 * one loads (a live refresh does not blank the page). Answers to stale requests are dropped.
 */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ loading: true });
  useEffect(() => {
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => current && setState({ data, loading: false }),
      (error: Error) => current && setState((s) => ({ ...s, error, loading: false })),
    );
    return () => void (current = false);
  }, deps);
  return state;
}
