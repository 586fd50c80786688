import type { Shop, StaffMember } from "../generated/prisma/client";
import { readConfig } from "../config.server";
import prisma from "../db.server";
import { adminLocale, type AdminLocale } from "../i18n/admin-locale";
import { adminT } from "../i18n/catalog";
import { LOCAL_SHOP, localMode } from "../local/local.server";
import { ensureShop } from "../shops/shops.server";
import {
  decide,
  mayManage,
  permissionsOf,
  roleOf,
  UNCONFIGURED,
  isPermission,
  type Permission,
  type Role,
  type StaffRules,
  type StaffStanding,
} from "./permissions";

/** What `authenticate.admin` gives a route: the shop's offline session and the staff member's session token. */
export interface AdminAuth {
  session: { shop: string };
  sessionToken?: { sub?: string } | null;
}

export interface CurrentStaff {
  shop: Shop;
  userId: string;
  /** As the audit log and ledger name a staff member: `staff:<Shopify user id>`. */
  actor: string;
  standing: StaffStanding;
  rules: StaffRules;
  /** The admin's language: a refusal's reason is said in it. */
  locale: AdminLocale;
  role: Role;
  permissions: Permission[];
}

/** Shopify's answer about a user is trusted for a day: ownership can be transferred. */
const RECHECK_MS = 24 * 60 * 60 * 1000;

export async function staffRules(shopId: string): Promise<StaffRules> {
  const policy = await prisma.staffPolicy.findUnique({ where: { shopId } });
  if (!policy) return UNCONFIGURED;
  return {
    configured: true,
    defaultGrants: policy.defaultGrants.filter(isPermission),
    adjustLimit: policy.adjustLimit,
  };
}

/** The staff member making this request: who Shopify says they are, and what this shop lets them do. */
export async function currentStaff(request: Request, auth: AdminAuth, now = new Date()): Promise<CurrentStaff> {
  const shop = await prisma.$transaction((tx) => ensureShop(tx, auth.session.shop));
  const userId = auth.sessionToken?.sub ?? "unknown";
  const [member, rules] = await Promise.all([identify(request, shop, userId, now), staffRules(shop.id)]);
  const standing = { accountOwner: member.accountOwner, admin: member.admin, grants: member.grants };
  return {
    shop,
    userId,
    actor: `staff:${userId}`,
    standing,
    rules,
    role: roleOf(standing),
    permissions: permissionsOf(standing, rules),
    locale: adminLocale(request),
  };
}

/** Why this staff member may not do this, in the admin's language: the permission by its name on the Permissions page. */
export function refusalReason(locale: AdminLocale, permission: Permission): string {
  const t = adminT(locale);
  const names: Record<Permission, string> = {
    adjust: t("permissions.names.adjust"),
    import: t("permissions.names.import"),
    block: t("permissions.names.block"),
    export: t("permissions.names.export"),
    program: t("permissions.names.program"),
    review: t("permissions.names.review"),
  };
  return t("permissions.refused.missing", { name: names[permission] });
}

/** A 403 answer: the reason, the code and the permission that was missing. */
export function forbidden(reason: string, permission: Permission | "manage"): Response {
  return Response.json({ error: reason, code: "forbidden", permission }, { status: 403 });
}

/** The 403 to answer when this staff member may not do this, or null when they may. */
export function refusal(staff: CurrentStaff, permission: Permission): Response | null {
  const decision = decide(staff.standing, staff.rules, permission);
  return decision.allowed ? null : forbidden(refusalReason(staff.locale, permission), permission);
}

/** The 403 to answer when the staff member making this request may not do this, or null when they may. */
export async function permissionRefusal(
  request: Request,
  auth: AdminAuth,
  permission: Permission,
): Promise<Response | null> {
  return refusal(await currentStaff(request, auth), permission);
}

/**
 * For a page or action that must not go on without the permission (the review queue calls it with "review"): the
 * staff member when allowed, else a thrown 403 Response, which Remix answers as it is.
 */
export async function requirePermission(
  context: { request: Request; auth: AdminAuth },
  permission: Permission,
): Promise<CurrentStaff> {
  const staff = await currentStaff(context.request, context.auth);
  const decision = decide(staff.standing, staff.rules, permission);
  if (!decision.allowed) throw forbidden(refusalReason(staff.locale, permission), permission);
  return staff;
}

/** The owner and admins manage permissions; anyone else is refused with the reason. */
export function manageRefusal(staff: CurrentStaff): Response | null {
  if (mayManage(staff.standing)) return null;
  const t = adminT(staff.locale);
  return forbidden(t("permissions.refused.manage"), "manage");
}

/**
 * Finds the staff member, asking Shopify who they are once a day: an online access token, exchanged for the request's
 * session token, carries `associated_user` (name, email, account_owner), the one place Shopify tells an app that a
 * user owns the shop (the StaffMember API is for Plus shops). The token itself is not kept: the app works with its
 * offline session, as before.
 */
async function identify(request: Request, shop: Shop, userId: string, now: Date): Promise<StaffMember> {
  const known = await prisma.staffMember.findUnique({ where: { shopId_userId: { shopId: shop.id, userId } } });
  if (known?.checkedAt && now.getTime() - known.checkedAt.getTime() < RECHECK_MS) return known;
  const user = userId === "unknown" ? null : await askShopify(request, shop.domain);
  if (!user) {
    // Shopify could not say: keep what was known (a failed check is retried on the next request).
    if (known) return known;
    return prisma.staffMember.upsert({
      where: { shopId_userId: { shopId: shop.id, userId } },
      create: { shopId: shop.id, userId },
      update: {},
    });
  }
  const facts = {
    name: [user.first_name, user.last_name].filter(Boolean).join(" "),
    email: user.email ?? "",
    accountOwner: user.account_owner === true,
    checkedAt: now,
    lastSeenAt: now,
  };
  return prisma.staffMember.upsert({
    where: { shopId_userId: { shopId: shop.id, userId } },
    create: { shopId: shop.id, userId, ...facts },
    update: facts,
  });
}

interface AssociatedUser {
  id: number | string;
  first_name?: string;
  last_name?: string;
  email?: string;
  account_owner?: boolean;
}

async function askShopify(request: Request, shopDomain: string): Promise<AssociatedUser | null> {
  // Local mode has no Shopify to ask: its one staff member is the demo shop's owner.
  if (localMode() && shopDomain === LOCAL_SHOP) {
    return { id: 0, first_name: "Demo", last_name: "Owner", email: "owner@tsumiki-demo.test", account_owner: true };
  }
  const token =
    /^Bearer (.+)$/.exec(request.headers.get("Authorization") ?? "")?.[1] ??
    new URL(request.url).searchParams.get("id_token");
  if (!token) return null;
  const config = readConfig();
  try {
    // Token exchange, as @shopify/shopify-api's auth.tokenExchange sends it, for an online token.
    const response = await fetch(`https://${shopDomain}/admin/oauth/access_token`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({
        client_id: config.apiKey,
        client_secret: config.apiSecret,
        grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
        subject_token: token,
        subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
        requested_token_type: "urn:shopify:params:oauth:token-type:online-access-token",
      }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) return null;
    const body = (await response.json()) as { associated_user?: AssociatedUser };
    return body.associated_user ?? null;
  } catch (error) {
    console.error("could not ask Shopify who the staff member is", error);
    return null;
  }
}

export interface StaffRow {
  userId: string;
  name: string;
  email: string;
  role: Role;
  grants: Permission[];
  permissions: Permission[];
}

/** The staff seen so far in this shop, owner first, with what each may do. */
export async function staffList(shopId: string, rules: StaffRules): Promise<StaffRow[]> {
  const rows = await prisma.staffMember.findMany({
    where: { shopId, userId: { not: "unknown" } },
    orderBy: [{ accountOwner: "desc" }, { admin: "desc" }, { createdAt: "asc" }],
  });
  return rows.map((row) => ({
    userId: row.userId,
    name: row.name,
    email: row.email,
    role: roleOf(row),
    grants: row.grants.filter(isPermission),
    permissions: permissionsOf(row, rules),
  }));
}

/** Saves the shop's rules and each listed staff member's admin flag and grants; audited. */
export async function saveStaffRules(
  staff: CurrentStaff,
  rules: { defaultGrants: Permission[]; adjustLimit: number | null },
  members: Array<{ userId: string; admin: boolean; grants: Permission[] }>,
): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const before = await tx.staffPolicy.findUnique({ where: { shopId: staff.shop.id } });
    await tx.staffPolicy.upsert({
      where: { shopId: staff.shop.id },
      create: { shopId: staff.shop.id, ...rules, savedBy: staff.actor },
      update: { ...rules, savedBy: staff.actor, savedAt: new Date() },
    });
    const changed = [];
    for (const member of members) {
      const row = await tx.staffMember.findUnique({
        where: { shopId_userId: { shopId: staff.shop.id, userId: member.userId } },
      });
      if (!row || row.accountOwner) continue;
      await tx.staffMember.update({ where: { id: row.id }, data: { admin: member.admin, grants: member.grants } });
      changed.push({ userId: member.userId, admin: member.admin, grants: member.grants });
    }
    await tx.auditLog.create({
      data: {
        shopId: staff.shop.id,
        actor: staff.actor,
        action: "staff.permissions_saved",
        subject: "staff permissions",
        before: before ? { defaultGrants: before.defaultGrants, adjustLimit: before.adjustLimit } : undefined,
        after: { ...rules, staff: changed },
      },
    });
  });
}
