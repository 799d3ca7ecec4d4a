import { useEffect, useState } from "react";
import { api } from "./api";

export type Loaded<T> = { state: "loading" } | { state: "error"; message: string } | { state: "ready"; data: T };

/** Fetches `path` whenever it changes; `reload` fetches again. */
export function useApi<T>(path: string | null): [Loaded<T>, () => void] {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: "loading" });
  const [tick, setTick] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new tick is a reload, so it must re-run the fetch
  useEffect(() => {
    if (path === null) return;
    let live = true;
    setLoaded({ state: "loading" });
    api<T>(path).then(
      (data) => live && setLoaded({ state: "ready", data }),
      (e: Error) => live && setLoaded({ state: "error", message: e.message }),
    );
    return () => {
      live = false;
    };
  }, [path, tick]);
  return [loaded, () => setTick((t) => t + 1)];
}

/** The page named by the URL fragment: #/runs/ID -> ["runs", "ID"]. */
const readRoute = () => window.location.hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);

export function useRoute(): string[] {
  const [route, setRoute] = useState(readRoute);
  useEffect(() => {
    const on = () => setRoute(readRoute());
    window.addEventListener("hashchange", on);
    return () => window.removeEventListener("hashchange", on);
  }, []);
  return route;
}
