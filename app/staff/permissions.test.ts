import { describe, expect, it } from "vitest";
import {
  decide,
  decideApproval,
  mayManage,
  needsApproval,
  parseRules,
  PERMISSIONS,
  permissionsOf,
  roleOf,
  UNCONFIGURED,
  type StaffRules,
} from "./permissions";

const owner = { accountOwner: true, admin: false, grants: [] };
const admin = { accountOwner: false, admin: true, grants: [] };
const clerk = { accountOwner: false, admin: false, grants: [] };
const lead = { accountOwner: false, admin: false, grants: ["adjust", "export", "nonsense"] };
const rules: StaffRules = { configured: true, defaultGrants: ["block"], adjustLimit: 1000 };

describe("staff permissions", () => {
  it("before the owner saves the rules, every staff member keeps full access and no adjustment waits", () => {
    expect(permissionsOf(clerk, UNCONFIGURED)).toEqual([...PERMISSIONS]);
    expect(needsApproval(1_000_000, UNCONFIGURED)).toBe(false);
  });

  it("the owner and admins may do everything; other staff the shop's default plus their own grants", () => {
    expect(roleOf(owner)).toBe("owner");
    expect(roleOf(admin)).toBe("admin");
    expect(roleOf(clerk)).toBe("staff");
    expect(permissionsOf(owner, rules)).toEqual([...PERMISSIONS]);
    expect(permissionsOf(admin, rules)).toEqual([...PERMISSIONS]);
    expect(permissionsOf(clerk, rules)).toEqual(["block"]);
    expect(permissionsOf(lead, rules)).toEqual(["adjust", "block", "export"]);
  });

  it("a refusal names the permission and who can grant it", () => {
    expect(decide(clerk, rules, "block")).toEqual({ allowed: true });
    const refused = decide(clerk, rules, "import");
    expect(refused.allowed).toBe(false);
    expect(!refused.allowed && refused.reason).toMatch(/import points \(import\).*owner or an admin/);
  });

  it("only the owner and admins manage permissions", () => {
    expect([owner, admin, lead].map(mayManage)).toEqual([true, true, false]);
  });

  it("four eyes: more points than the limit, either sign, wait for a different staff member who may adjust", () => {
    expect(needsApproval(1000, rules)).toBe(false);
    expect(needsApproval(1001, rules)).toBe(true);
    expect(needsApproval(-1001, rules)).toBe(true);
    expect(needsApproval(1_000_000, { ...rules, adjustLimit: null })).toBe(false);
    expect(decideApproval("staff:8", "staff:8", owner, rules).allowed).toBe(false);
    expect(decideApproval("staff:8", "staff:7", clerk, rules).allowed).toBe(false);
    expect(decideApproval("staff:8", "staff:9", lead, rules)).toEqual({ allowed: true });
  });

  it("parses the rules the page sends, naming each problem", () => {
    expect(parseRules({ defaultGrants: ["export", "adjust"], adjustLimit: "500" })).toEqual({
      defaultGrants: ["adjust", "export"],
      adjustLimit: 500,
    });
    expect(parseRules({ defaultGrants: [], adjustLimit: "" })).toEqual({ defaultGrants: [], adjustLimit: null });
    expect(parseRules({ defaultGrants: ["fly"] })).toEqual({ error: "defaultGrants" });
    expect(parseRules({ adjustLimit: "-5" })).toEqual({ error: "adjustLimit" });
    expect(parseRules({ adjustLimit: "1.5" })).toHaveProperty("error");
  });
});
