import type { Entity } from "../policy/index.js";
import type { Principal, Release } from "./catalog.js";

/** Cedar entities for a decision about a release: the release, and the principals with their roles. */
export function accessEntities(release: Release, principals: ReadonlyArray<Principal | undefined>): Entity[] {
  const entities: Entity[] = [
    {
      uid: { type: "Release", id: release.id },
      attrs: { owner: { type: "User", id: release.owner }, model: release.model, digest: release.digest, stage: release.stage, tags: release.tags },
    },
  ];
  const seen = new Set<string>();
  for (const p of principals) {
    if (!p || seen.has(p.name)) continue;
    seen.add(p.name);
    entities.push({
      uid: { type: p.kind, id: p.name },
      attrs: p.team ? { team: p.team } : {},
      parents: [...p.roles.map((r) => ({ type: "Role" as const, id: r })), ...(p.team ? [{ type: "Team" as const, id: p.team }] : [])],
    });
  }
  return entities;
}
