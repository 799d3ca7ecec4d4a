import { describe, expect, it } from "vitest";
import { accessPolicies, authorize, entity, loadBundle, ref, validateAccessPolicies } from "../../src/policy/index.js";

const policies = accessPolicies([
  {
    path: "access.cedar",
    text: `@id("reviewers-approve")
permit (principal in Rampart::Role::"risk-reviewer", action == Rampart::Action::"approve", resource is Rampart::Release);

@id("no-self-review")
forbid (principal, action == Rampart::Action::"approve", resource is Rampart::Release)
when { resource.owner == principal };

@id("stewards-export")
permit (principal in Rampart::Role::"data-steward", action == Rampart::Action::"export-dataset", resource);

@id("no-personal-export")
forbid (principal, action == Rampart::Action::"export-dataset", resource)
when { resource.tags.contains("personal") };
`,
  },
]);

const release = entity("Release", "rel-1", { owner: ref("User", "dana"), model: "credit", digest: "ab", stage: "approved", tags: [] });
const rita = entity("User", "rita", {}, [ref("Role", "risk-reviewer")]);
const dana = entity("User", "dana", {}, [ref("Role", "risk-reviewer")]);
const sam = entity("User", "sam", {}, [ref("Role", "ml-engineer")]);

describe("Cedar access rules", () => {
  it("permits a reviewer and names the permitting policy", () => {
    const d = authorize({ principal: ref("User", "rita"), action: "approve", resource: ref("Release", "rel-1"), entities: [rita, release] }, policies);
    expect(d).toEqual({ decision: "allow", policyIds: ["reviewers-approve"], errors: [] });
  });

  it("forbid beats permit: a reviewer may not approve their own release (separation of duties)", () => {
    const d = authorize({ principal: ref("User", "dana"), action: "approve", resource: ref("Release", "rel-1"), entities: [dana, release] }, policies);
    expect(d.decision).toBe("deny");
    expect(d.policyIds).toEqual(["no-self-review"]);
  });

  it("denies by default when no policy permits", () => {
    const d = authorize({ principal: ref("User", "sam"), action: "approve", resource: ref("Release", "rel-1"), entities: [sam, release] }, policies);
    expect(d).toEqual({ decision: "deny", policyIds: [], errors: [] });
  });

  it("forbid on an attribute beats a role permit (no export of personal data)", () => {
    const steward = entity("User", "sue", {}, [ref("Role", "data-steward")]);
    const personal = entity("Dataset", "customers", { tags: ["personal"] });
    const open = entity("Dataset", "weather", { tags: ["public"] });
    const ask = (id: string) => authorize({ principal: ref("User", "sue"), action: "export-dataset", resource: ref("Dataset", id), entities: [steward, personal, open] }, policies);
    expect(ask("customers")).toMatchObject({ decision: "deny", policyIds: ["no-personal-export"] });
    expect(ask("weather")).toMatchObject({ decision: "allow", policyIds: ["stewards-export"] });
  });

  it("a request that does not fit the schema is denied with an error, never allowed", () => {
    const d = authorize({ principal: ref("Dataset", "x"), action: "approve", resource: ref("Release", "rel-1"), entities: [release] }, policies);
    expect(d.decision).toBe("deny");
    expect(d.errors.length).toBeGreaterThan(0);
  });

  it("validation rejects a typo'd attribute and a duplicate id, with file and line", () => {
    const { problems } = validateAccessPolicies(
      [
        { path: "a.cedar", text: '@id("x")\npermit (principal, action == Rampart::Action::"approve", resource is Rampart::Release)\nwhen { resource.ownr == principal };\n' },
        { path: "b.cedar", text: '\n\n@id("x")\npermit (principal, action, resource);\n' },
      ],
      "policies",
    );
    expect(problems).toEqual([
      expect.objectContaining({ file: "policies/b.cedar", line: 3, message: expect.stringMatching(/policy id "x" is used twice \(first at policies\/a.cedar:1\)/) }),
      expect.objectContaining({ file: "policies/a.cedar", line: 3, message: expect.stringMatching(/ownr/) }),
    ]);
  });

  it("the shipped example access policies validate and keep separation of duties", async () => {
    const bundle = await loadBundle("examples/policies");
    expect(bundle.problems).toEqual([]);
    const ids = Object.keys(bundle.access.policies);
    expect(ids).toContain("no-self-review");
    const owner = entity("User", "dana", {}, [ref("Role", "risk-reviewer"), ref("Role", "release-manager")]);
    const asDana = (action: "approve" | "promote", context = {}) =>
      authorize({ principal: ref("User", "dana"), action, resource: ref("Release", "rel-1"), entities: [owner, release], context }, bundle.access);
    expect(asDana("approve").policyIds).toEqual(["no-self-review"]);
    expect(asDana("promote", { fromStage: "candidate", targetStage: "approved", gatesPassed: true, approvals: 0 })).toMatchObject({ decision: "allow" });
    expect(asDana("promote", { fromStage: "approved", targetStage: "production", gatesPassed: true, approvals: 2 })).toMatchObject({
      decision: "deny",
      policyIds: ["no-self-promotion-to-production"],
    });
  });
});
