import { useState } from "react";
import { api, type LedgerAudit, type LedgerLog } from "../api";
import { useApi } from "../hooks";
import { Show, When } from "../ui";

export function LedgerPage() {
  const [logs, reload] = useApi<{ logs: LedgerLog[] }>("/api/ledger");
  return (
    <section>
      <h1>Audit ledger</h1>
      <p className="muted">
        Every attestation, gate decision, review and promotion is an entry of an append-only Merkle log. Checkpoints are signed by the log and cosigned by witnesses; auditors check
        them offline with rampart verify-bundle.
      </p>
      <button type="button" onClick={reload}>
        Refresh
      </button>
      <Show loaded={logs}>
        {({ logs }) => (logs.length === 0 ? <p className="muted">No ledger yet: a pipeline run creates one.</p> : logs.map((l) => <Log key={l.origin} log={l} />))}
      </Show>
    </section>
  );
}

function Log({ log }: { log: LedgerLog }) {
  const [audit, setAudit] = useState<LedgerAudit | { error: string } | "running" | null>(null);
  const run = () => {
    setAudit("running");
    api<LedgerAudit>("/api/ledger/audit", { origin: log.origin }).then(setAudit, (e: Error) => setAudit({ error: e.message }));
  };
  return (
    <article className="log" data-origin={log.origin}>
      <h2>{log.origin}</h2>
      <dl>
        <dt>Entries</dt>
        <dd className="size">{log.size.toLocaleString()}</dd>
        <dt>Root</dt>
        <dd>
          <code className="digest">{log.root}</code>
        </dd>
        <dt>Latest checkpoint</dt>
        <dd>
          {log.checkpoint ? (
            <>
              size {log.checkpoint.size.toLocaleString()}, <When iso={log.checkpoint.createdAt} />, {log.checkpoint.signatures} signature
              {log.checkpoint.signatures === 1 ? "" : "s"}
            </>
          ) : (
            "none yet"
          )}
        </dd>
      </dl>
      {log.checkpoint && <pre className="note">{log.checkpoint.note}</pre>}
      <button type="button" onClick={run} disabled={audit === "running"}>
        {audit === "running" ? "Auditing…" : "Audit the whole log"}
      </button>
      {audit && audit !== "running" && "error" in audit && <p className="error">{audit.error}</p>}
      {audit && audit !== "running" && "ok" in audit && (
        <div className={audit.ok ? "audit ok" : "audit bad"} role="status">
          {audit.ok
            ? `Verified: ${audit.size.toLocaleString()} entries against ${audit.checkpoints} checkpoint${audit.checkpoints === 1 ? "" : "s"}.`
            : `${audit.problems.length} problem${audit.problems.length === 1 ? "" : "s"} found (verified up to ${audit.verifiedUpTo}):`}
          {!audit.ok && (
            <ul>
              {audit.problems.map((p) => (
                <li key={`${p.kind}-${p.index ?? ""}-${p.message}`}>
                  <code>{p.kind}</code> {p.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </article>
  );
}
