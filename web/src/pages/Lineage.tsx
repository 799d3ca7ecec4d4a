import { useState } from "react";
import type { LineageNode } from "../api";
import { useApi } from "../hooks";
import { Digest, Show, When } from "../ui";

export function LineagePage({ target }: { target: string | undefined }) {
  const [draft, setDraft] = useState(target ?? "");
  const [graph] = useApi<{ lineage: LineageNode }>(target ? `/api/lineage?target=${encodeURIComponent(target)}` : null);
  return (
    <section>
      <h1>Lineage</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (draft.trim()) window.location.hash = `#/lineage/${encodeURIComponent(draft.trim())}`;
        }}
      >
        <input value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="model or dataset name" aria-label="model or dataset" />
        <button type="submit">Trace</button>
      </form>
      {target && <Show loaded={graph}>{({ lineage }) => <ul className="lineage">{<Node node={lineage} />}</ul>}</Show>}
    </section>
  );
}

function Node({ node }: { node: LineageNode }) {
  const p = node.producedBy;
  return (
    <li>
      <strong>{node.name}</strong> <span className="muted small">{node.namespace}</span> {node.version && <Digest value={node.version} />}
      {node.cycle && <span className="error"> (cycle)</span>}
      {p && (
        <div className="small">
          made by <code>{p.job}</code> at <When iso={p.eventTime} />
          {p.attestations.length > 0 && `, ${p.attestations.length} attestation${p.attestations.length === 1 ? "" : "s"}`}
          {p.inputs.length > 0 && (
            <ul>
              {p.inputs.map((i) => (
                <Node key={`${i.namespace}/${i.name}`} node={i} />
              ))}
            </ul>
          )}
        </div>
      )}
    </li>
  );
}
