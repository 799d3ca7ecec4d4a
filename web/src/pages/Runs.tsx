import { useState } from "react";
import { type Finding, type RunDetail, type RunSummary, SEVERITIES } from "../api";
import { useApi } from "../hooks";
import { Badge, Digest, SeverityCounts, Show, When } from "../ui";

export function RunsPage() {
  const [runs] = useApi<{ runs: RunSummary[] }>("/api/runs");
  return (
    <section>
      <h1>Pipeline runs</h1>
      <Show loaded={runs}>
        {({ runs }) =>
          runs.length === 0 ? (
            <p className="muted">No runs yet. Run a project: rampart run examples/credit-risk</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th>Started</th>
                  <th>Project</th>
                  <th>Status</th>
                  <th>Stages</th>
                  <th>Findings</th>
                </tr>
              </thead>
              <tbody>
                {runs.map((r) => (
                  <tr key={r.id}>
                    <td>
                      <a href={`#/runs/${encodeURIComponent(r.id)}`}>
                        <When iso={r.startedAt} />
                      </a>
                    </td>
                    <td>{r.project}</td>
                    <td>
                      <Badge value={r.status} />
                    </td>
                    <td className="stages">
                      {r.stages.map((s) => (
                        <span key={s.label} className={`pill pill-${s.status}`} title={`${s.label}: ${s.status}${s.worst ? ` (worst ${s.worst})` : ""}`}>
                          {s.label}
                        </span>
                      ))}
                    </td>
                    <td>
                      <SeverityCounts counts={r.bySeverity} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Show>
    </section>
  );
}

function where(f: Finding): string {
  const l = f.location;
  if (!l) return "";
  const parts = [
    l.file,
    l.member && `[${l.member}]`,
    l.row !== undefined && `row ${l.row}`,
    l.field,
    l.line !== undefined && `line ${l.line}`,
    l.offset !== undefined && `@${l.offset}`,
  ];
  return parts.filter(Boolean).join(" ");
}

export function RunPage({ id }: { id: string }) {
  const [detail] = useApi<RunDetail>(`/api/runs/${encodeURIComponent(id)}`);
  const [minimum, setMinimum] = useState(2);
  return (
    <section>
      <p>
        <a href="#/runs">← all runs</a>
      </p>
      <Show loaded={detail}>
        {({ run, report }) => (
          <>
            <h1>
              {run.project} <Badge value={run.status} />
            </h1>
            <p className="muted">
              Run <code>{run.id}</code>, <When iso={run.startedAt} />, fails on {run.failOn ?? "?"} or worse. <SeverityCounts counts={run.bySeverity} />
            </p>
            <label className="filter">
              Show findings of severity{" "}
              <select value={minimum} onChange={(e) => setMinimum(Number(e.target.value))} aria-label="minimum severity">
                {SEVERITIES.map((s, i) => (
                  <option key={s} value={i}>
                    {s} and worse
                  </option>
                ))}
              </select>
            </label>
            {(report?.stages ?? []).map((s) => {
              const findings = s.results.flatMap((r) => r.findings).filter((f) => SEVERITIES.indexOf(f.severity) <= minimum);
              return (
                <article key={s.label} className="stage" data-stage={s.label}>
                  <h2>
                    {s.label} <Badge value={s.status} /> <span className="muted small">{Math.round(s.durationMs)} ms</span>
                  </h2>
                  {s.error && <p className="error">{s.error}</p>}
                  <p className="muted small">
                    Attested:{" "}
                    {s.attestations.map((a) => (
                      <Digest key={a} value={a} />
                    ))}
                    {s.attestations.length === 0 && "—"}
                  </p>
                  {findings.length > 0 && (
                    <table className="findings">
                      <thead>
                        <tr>
                          <th>Severity</th>
                          <th>Rule</th>
                          <th>Message</th>
                          <th>Where</th>
                        </tr>
                      </thead>
                      <tbody>
                        {findings.slice(0, 200).map((f, i) => (
                          // biome-ignore lint/suspicious/noArrayIndexKey: a static list; two findings may share rule, place and message
                          <tr key={`${f.ruleId}-${i}`}>
                            <td>
                              <span className={`sev sev-${f.severity}`}>{f.severity}</span>
                            </td>
                            <td>
                              <code>{f.ruleId}</code>
                            </td>
                            <td>{f.message}</td>
                            <td className="small">{where(f)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  )}
                  {findings.length > 200 && <p className="muted small">…and {findings.length - 200} more (rampart run --format json has them all)</p>}
                </article>
              );
            })}
          </>
        )}
      </Show>
    </section>
  );
}
