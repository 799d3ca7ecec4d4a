import type { ReactNode } from "react";
import { SEVERITIES, type Severity } from "./api";
import type { Loaded } from "./hooks";

/** Renders a fetch's three states; `children` gets the data once it is there. */
export function Show<T>({ loaded, children }: { loaded: Loaded<T>; children: (data: T) => ReactNode }) {
  if (loaded.state === "loading") return <p className="muted">Loading…</p>;
  if (loaded.state === "error")
    return (
      <p className="error" role="alert">
        {loaded.message}
      </p>
    );
  return <>{children(loaded.data)}</>;
}

export function Badge({ value }: { value: string }) {
  return <span className={`badge badge-${value}`}>{value}</span>;
}

export function SeverityCounts({ counts }: { counts: Record<Severity, number> }) {
  const shown = SEVERITIES.filter((s) => counts[s] > 0);
  if (shown.length === 0) return <span className="muted">no findings</span>;
  return (
    <span className="counts">
      {shown.map((s) => (
        <span key={s} className={`sev sev-${s}`} title={s}>
          {counts[s]} {s}
        </span>
      ))}
    </span>
  );
}

export function When({ iso }: { iso: string | null | undefined }) {
  if (!iso) return <span className="muted">—</span>;
  const d = new Date(iso);
  return <time dateTime={iso}>{d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" })}</time>;
}

export function Digest({ value, length = 12 }: { value: string; length?: number }) {
  return (
    <code className="digest" title={value}>
      {value.slice(0, length)}
    </code>
  );
}
