import type { ReleaseDetail, ReleaseSummary } from "../api";
import { useApi } from "../hooks";
import { Badge, Digest, Show, When } from "../ui";

export function ReleasesPage() {
  const [releases] = useApi<{ releases: ReleaseSummary[] }>("/api/releases");
  return (
    <section>
      <h1>Releases</h1>
      <Show loaded={releases}>
        {({ releases }) =>
          releases.length === 0 ? (
            <p className="muted">No releases yet: rampart release create MODEL --evidence RUN</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th>Release</th>
                  <th>Model</th>
                  <th>Stage</th>
                  <th>Owner</th>
                  <th>Evidence</th>
                  <th>Reviews</th>
                  <th>Updated</th>
                </tr>
              </thead>
              <tbody>
                {releases.map((r) => (
                  <tr key={r.id}>
                    <td>
                      <a href={`#/releases/${r.id}`}>{r.id}</a>
                    </td>
                    <td>{r.model}</td>
                    <td>
                      <Badge value={r.stage} />
                    </td>
                    <td>{r.owner}</td>
                    <td>{r.evidence}</td>
                    <td>
                      {r.approvals} approved{r.rejections > 0 && `, ${r.rejections} rejected`}
                    </td>
                    <td>
                      <When iso={r.updatedAt} />
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

export function ReleasePage({ id }: { id: string }) {
  const [detail] = useApi<ReleaseDetail>(`/api/releases/${encodeURIComponent(id)}`);
  return (
    <section>
      <p>
        <a href="#/releases">← all releases</a>
      </p>
      <Show loaded={detail}>
        {(d) => (
          <>
            <h1>
              {d.release.id} <Badge value={d.release.stage} />
            </h1>
            <p className="muted">
              {d.release.model} (<Digest value={d.release.modelSha256} />) by {d.release.owner}; reviewers sign digest <Digest value={d.release.digest} />
            </p>
            <h2>Gate decisions</h2>
            {d.decisions.length === 0 && <p className="muted">Not gated yet: rampart gate {d.release.id}</p>}
            {d.decisions.map((g) => (
              <article key={g.id} className="decision" data-decision={g.decision}>
                <h3>
                  <Badge value={g.decision} /> <When iso={g.evaluatedAt} /> <span className="muted small">bundle</span> <Digest value={g.bundleDigest} />
                </h3>
                <table>
                  <tbody>
                    {g.rules.map((r) => (
                      <tr key={`${r.policy}/${r.id}`}>
                        <td>
                          <Badge value={r.outcome} />
                        </td>
                        <td>
                          <code>{r.policy}</code> {r.id}
                        </td>
                        <td>{r.message ?? r.reason ?? ""}</td>
                        <td className="small muted">
                          {r.file}:{r.line}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </article>
            ))}
            <h2>Reviews</h2>
            {d.reviews.valid.length === 0 && <p className="muted">No valid reviews.</p>}
            <ul>
              {d.reviews.valid.map((r) => (
                <li key={`${r.reviewer}-${r.at}`}>
                  <Badge value={r.decision} /> <strong>{r.reviewer}</strong> ({r.roles.join(", ")}) <When iso={r.at} />: {r.comment} <span className="small muted">key</span>{" "}
                  <Digest value={r.keyId} />
                </li>
              ))}
              {d.reviews.invalid.map((r) => (
                <li key={`invalid-${r.reviewer}`} className="muted">
                  {r.reviewer}: not counted ({r.reason})
                </li>
              ))}
            </ul>
            <h2>Stage history</h2>
            {d.events.length === 0 && <p className="muted">Never promoted.</p>}
            <ul>
              {d.events.map((e) => (
                <li key={`${e.at}-${e.to}`}>
                  <When iso={e.at} /> {e.from} → <strong>{e.to}</strong> by {e.actor}
                  <span className="small muted">
                    {" "}
                    (access {e.access.decision} by {e.access.policyIds.join(", ") || "default"})
                  </span>
                </li>
              ))}
            </ul>
            <h2>Evidence</h2>
            <p>
              {d.release.evidence.map((e) => (
                <Digest key={e} value={e} />
              ))}
            </p>
            {d.rejectedAttestations.map((a) => (
              <p key={a.envelopeSha256} className="error">
                <Digest value={a.envelopeSha256} /> not used: {a.reason}
              </p>
            ))}
          </>
        )}
      </Show>
    </section>
  );
}
