import { useEffect, useState } from "preact/hooks";

/** Seconds between refreshes while live: the API's shortest cache lifetime (the trace list's). */
export const LIVE_SECONDS = 10;

let live = sessionStorage.getItem("observatory.live") === "1";
const listeners = new Set<(on: boolean) => void>();

export function setLive(on: boolean): void {
  live = on;
  sessionStorage.setItem("observatory.live", on ? "1" : "0");
  for (const l of listeners) l(on);
}

export function useLive(): boolean {
  const [on, setOn] = useState(live);
  useEffect(() => {
    listeners.add(setOn);
    return () => void listeners.delete(setOn);
  }, []);
  return on;
}

/**
 * A tick that advances every LIVE_SECONDS while live and the tab is visible; loaders list it
 * among their dependencies. Each refresh sends the last ETag, so an unchanged answer is a 304.
 */
export function useLiveTick(): number {
  const on = useLive();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!on) return;
    const timer = setInterval(() => document.visibilityState === "visible" && setTick((t) => t + 1), LIVE_SECONDS * 1000);
    return () => clearInterval(timer);
  }, [on]);
  return tick;
}
