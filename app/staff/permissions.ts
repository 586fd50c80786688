/**
 * Who may do what in the admin: pure rules, plain data in, decisions out.
 *
 * - The shop's owner (Shopify says so in an online token's associated_user) and the staff the app made admins may do
 *   everything, and are the only ones who may change these rules.
 * - Other staff get the shop's default permissions plus the ones granted to them by name.
 * - A shop whose owner never saved the rules keeps what every staff member had before permissions existed: everything.
 *   Taking access away from existing merchants' staff on an upgrade would stop their work without warning; the
 *   Permissions page says that the rules are not on until they are saved once.
 * - An adjustment of more points than the shop's limit (either sign) waits for a second staff member (four eyes), for
 *   everyone, the owner included: the point of a second pair of eyes is that nobody moves large sums alone.
 */

export const PERMISSIONS = ["adjust", "import", "block", "export", "program", "review"] as const;
export type Permission = (typeof PERMISSIONS)[number];

export type Role = "owner" | "admin" | "staff";

export interface StaffRules {
  /** False until the owner or an admin saves the rules once: until then everyone keeps full access. */
  configured: boolean;
  defaultGrants: readonly Permission[];
  /** Adjustments of more than this many points wait for a second staff member; null: no limit. */
  adjustLimit: number | null;
}

export interface StaffStanding {
  accountOwner: boolean;
  admin: boolean;
  grants: readonly string[];
}

export const UNCONFIGURED: StaffRules = { configured: false, defaultGrants: [], adjustLimit: null };

export function isPermission(value: unknown): value is Permission {
  return typeof value === "string" && (PERMISSIONS as readonly string[]).includes(value);
}

export function roleOf(staff: StaffStanding): Role {
  if (staff.accountOwner) return "owner";
  return staff.admin ? "admin" : "staff";
}

/** Every permission this staff member has, in the order of PERMISSIONS. */
export function permissionsOf(staff: StaffStanding, rules: StaffRules): Permission[] {
  if (!rules.configured || roleOf(staff) !== "staff") return [...PERMISSIONS];
  const granted = new Set<string>([...rules.defaultGrants, ...staff.grants]);
  return PERMISSIONS.filter((permission) => granted.has(permission));
}

export type Decision = { allowed: true } | { allowed: false; reason: string };

const DOING: Record<Permission, string> = {
  adjust: "adjust points",
  import: "import points",
  block: "block or unblock customers",
  export: "export data",
  program: "edit the program",
  review: "review cases",
};

/** May this staff member do this? When not, the reason names the permission and who can grant it. */
export function decide(staff: StaffStanding, rules: StaffRules, permission: Permission): Decision {
  if (permissionsOf(staff, rules).includes(permission)) return { allowed: true };
  return {
    allowed: false,
    reason: `You do not have permission to ${DOING[permission]} (${permission}). The shop owner or an admin can grant it on the Permissions page.`,
  };
}

/** Only the owner and admins change the rules; before they exist, only the owner (there are no admins yet). */
export function mayManage(staff: StaffStanding): boolean {
  return roleOf(staff) !== "staff";
}

/** Does an adjustment of these points need a second staff member's approval? */
export function needsApproval(points: number, rules: StaffRules): boolean {
  return rules.configured && rules.adjustLimit !== null && Math.abs(points) > rules.adjustLimit;
}

/** A pending adjustment is approved or declined by a different staff member, who may adjust points. */
export function decideApproval(
  requestedBy: string,
  decider: string,
  staff: StaffStanding,
  rules: StaffRules,
): Decision {
  if (requestedBy === decider) {
    return {
      allowed: false,
      reason: "A second staff member must approve this adjustment, not the one who asked for it.",
    };
  }
  return decide(staff, rules, "adjust");
}

/** Parses the rules as the Permissions page sends them; a problem is named by its field (the page words it). */
export function parseRules(input: {
  defaultGrants?: unknown;
  adjustLimit?: unknown;
}): { defaultGrants: Permission[]; adjustLimit: number | null } | { error: "defaultGrants" | "adjustLimit" } {
  const grants = input.defaultGrants ?? [];
  if (!Array.isArray(grants) || !grants.every(isPermission)) return { error: "defaultGrants" };
  const raw = input.adjustLimit;
  let adjustLimit: number | null = null;
  if (raw !== null && raw !== undefined && raw !== "") {
    const text = String(raw).trim();
    if (!/^\d{1,9}$/.test(text)) return { error: "adjustLimit" };
    adjustLimit = Number(text);
  }
  return { defaultGrants: PERMISSIONS.filter((p) => grants.includes(p)), adjustLimit };
}
