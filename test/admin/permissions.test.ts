import { beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { defaultProgram } from "../../app/program/program";
import * as bonusesRoute from "../../app/routes/app.bonuses";
import * as passbookRoute from "../../app/routes/app.customers.$id";
import * as exportRoute from "../../app/routes/app.export.$kind";
import * as importRoute from "../../app/routes/app.import";
import * as permissionsRoute from "../../app/routes/app.permissions";
import * as privacyDownload from "../../app/routes/app.privacy.$id.$format";
import * as programRoute from "../../app/routes/app.program";
import { requirePermission } from "../../app/staff/staff.server";
import { tokenExchanges } from "../support/admin-api";
import { installShop, memberState, orderPayload } from "../support/fixtures";
import { expectBalancesMatchLedger } from "../support/invariants";
import { callRoute, deliver } from "../support/routes";
import { adminRequest, adminUpload } from "../support/shopify";

// Staff, as Shopify's session tokens name them: 42 owns the shop (the test interceptor's token exchange says so).
const SHOP = "permissions-test.myshopify.com";
const OWNER = "42";
const CLERK = "7"; // no permission beyond the shop's default (none)
const LEAD = "8"; // granted adjust, block, import, export and program
const ADMIN = "9"; // made an admin by the owner
const CUSTOMER = 31001;

const send = (route: Parameters<typeof callRoute>[0], handler: "loader" | "action", request: Request, params = {}) =>
  callRoute(route, handler, request, params) as Promise<Response>;
const post = (path: string, body: unknown, staff: string) => adminRequest("POST", path, body, SHOP, staff);
const get = (path: string, staff: string) => adminRequest("GET", path, undefined, SHOP, staff);

let memberId = "";
const passbook = (body: unknown, staff: string) =>
  send(passbookRoute, "action", post(`/app/customers/${memberId}`, body, staff), { id: memberId });
const permissionsPage = async (staff: string) =>
  (await callRoute(permissionsRoute, "loader", get("/app/permissions", staff))) as {
    me: { role: string; permissions: string[]; manages: boolean };
    rules: { configured: boolean; adjustLimit: number | null };
    staff: Array<{ userId: string; name: string; role: string; permissions: string[] }>;
    pending: Array<{ id: string; points: number; requestedBy: string }>;
  };
const upload = (staff: string) => {
  const form = new FormData();
  form.append(
    "file",
    new Blob(["customer_id,points,note\n31002,300,Stamp card\n"], { type: "text/csv" }),
    "stamps.csv",
  );
  return send(importRoute, "action", adminUpload("/app/import", form, SHOP, staff));
};
const exportLedger = (staff: string) =>
  send(exportRoute, "loader", get("/app/export/ledger?from=2026-01-01&to=2026-12-31", staff), { kind: "ledger" });

/** Everything a protected action could write. */
async function written() {
  const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } });
  const where = { shopId: shop.id };
  return {
    entries: await prisma.ledgerEntry.count({ where }),
    audit: await prisma.auditLog.count({ where }),
    imports: await prisma.importJob.count({ where }),
    importRows: await prisma.importRow.count({ where: { job: where } }),
    versions: await prisma.programVersion.count({ where }),
    approvals: await prisma.adjustmentApproval.count({ where }),
    policy: await prisma.staffPolicy.count({ where }),
    member: await memberState(CUSTOMER, SHOP),
  };
}

async function expectForbidden(response: Response, permission: string, reason = /permission|owner|admin/i) {
  expect(response.status).toBe(403);
  const body = (await response.json()) as { error: string; code: string; permission: string };
  expect(body).toMatchObject({ code: "forbidden", permission });
  expect(body.error).toMatch(reason);
}

describe("staff permissions, through the real routes", () => {
  let checkedJob = "";
  let privacyId = "";

  beforeAll(async () => {
    const shop = await installShop(SHOP);
    await prisma.programVersion.create({
      data: {
        shopId: shop.id,
        version: 2,
        settings: {
          ...defaultProgram("JPY"),
          actions: [{ id: "visit", name: "Came to a tasting", points: 30, repeatable: true }],
        } as never,
      },
    });
    await deliver("orders/paid", orderPayload({ customerId: CUSTOMER, total: "10000" }), { shop: SHOP });
    memberId = (await memberState(CUSTOMER, SHOP))!.id;
    await deliver(
      "customers/data_request",
      {
        shop_id: 1,
        shop_domain: SHOP,
        customer: { id: CUSTOMER, email: "customer@example.com" },
        orders_requested: [],
        data_request: { id: CUSTOMER },
      },
      { shop: SHOP },
    );
    privacyId = (await prisma.privacyRequest.findFirstOrThrow({ where: { shopDomain: SHOP } })).id;
  });

  it("until the owner saves permissions, every staff member keeps full access, and the page says so", async () => {
    const page = await permissionsPage(CLERK);
    expect(page.rules.configured).toBe(false);
    expect(page.me).toMatchObject({ role: "staff", manages: false });
    expect(page.me.permissions).toEqual(["adjust", "import", "block", "export", "program", "review"]);
    const adjusted = await passbook(
      { intent: "adjust", points: "5", reason: "Welcome gift", key: "clerk-before-rules" },
      CLERK,
    );
    expect(adjusted.status).toBe(200);
    expect((await memberState(CUSTOMER, SHOP))!.pointsAvailable).toBe(105);
    // An owner's dry run, to try applying later.
    const dryRun = await upload(OWNER);
    expect(dryRun.status).toBe(200);
    checkedJob = ((await dryRun.json()) as { job: string }).job;
  });

  it("only the owner or an admin saves permissions; the owner sees everyone seen so far", async () => {
    for (const staff of [LEAD, ADMIN]) await permissionsPage(staff);
    const before = await written();
    const refused = await send(
      permissionsRoute,
      "action",
      post("/app/permissions", { intent: "save", defaultGrants: ["adjust"], adjustLimit: "" }, CLERK),
    );
    await expectForbidden(refused, "manage");
    expect(await written()).toEqual(before);

    const owner = await permissionsPage(OWNER);
    expect(owner.me).toMatchObject({ role: "owner", manages: true });
    expect(owner.staff.map((row) => [row.userId, row.role])).toEqual([
      [OWNER, "owner"],
      [CLERK, "staff"],
      [LEAD, "staff"],
      [ADMIN, "staff"],
    ]);
    expect(owner.staff[0]!.name).toBe("Aiko Owner");

    const saved = await send(
      permissionsRoute,
      "action",
      post(
        "/app/permissions",
        {
          intent: "save",
          defaultGrants: [],
          adjustLimit: "1000",
          staff: [
            { userId: CLERK, admin: false, grants: [] },
            { userId: LEAD, admin: false, grants: ["adjust", "block", "import", "export", "program"] },
            { userId: ADMIN, admin: true, grants: [] },
          ],
        },
        OWNER,
      ),
    );
    expect(saved.status).toBe(200);
    const after = await permissionsPage(OWNER);
    expect(after.rules).toMatchObject({ configured: true, adjustLimit: 1000 });
    expect(after.staff.map((row) => [row.userId, row.role])).toEqual([
      [OWNER, "owner"],
      [ADMIN, "admin"],
      [CLERK, "staff"],
      [LEAD, "staff"],
    ]);
    expect(await prisma.auditLog.count({ where: { action: "staff.permissions_saved" } })).toBe(1);
  });

  it("a staff member without the permission gets 403 with the reason on every protected action, and nothing is written", async () => {
    const before = await written();
    await expectForbidden(
      await passbook({ intent: "adjust", points: "50", reason: "Goodwill", key: "clerk-adjust-1" }, CLERK),
      "adjust",
    );
    await expectForbidden(await passbook({ intent: "block", reason: "Suspicious returns" }, CLERK), "block");
    // In the admin's language: a Japanese admin reads the reason in Japanese, naming the permission as the page does.
    await expectForbidden(
      await send(
        passbookRoute,
        "action",
        post(`/app/customers/${memberId}?locale=ja`, { intent: "block", reason: "返品が多い" }, CLERK),
        { id: memberId },
      ),
      "block",
      /^「顧客のブロック」の権限がありません。/,
    );
    await expectForbidden(await passbook({ intent: "unblock" }, CLERK), "block");
    await expectForbidden(await passbook({ intent: "award", actionId: "visit" }, CLERK), "adjust");
    await expectForbidden(
      await send(
        bonusesRoute,
        "action",
        post("/app/bonuses", { intent: "award", customerId: String(CUSTOMER), actionId: "visit" }, CLERK),
      ),
      "adjust",
    );
    await expectForbidden(
      await send(
        bonusesRoute,
        "action",
        post(
          "/app/bonuses",
          { intent: "save", actions: [{ id: "x", name: "Extra", points: 10, repeatable: true }] },
          CLERK,
        ),
      ),
      "program",
    );
    await expectForbidden(await upload(CLERK), "import");
    await expectForbidden(
      await send(importRoute, "action", post("/app/import", { intent: "apply", job: checkedJob }, CLERK)),
      "import",
    );
    await expectForbidden(await exportLedger(CLERK), "export");
    await expectForbidden(
      await send(privacyDownload, "loader", get(`/app/privacy/${privacyId}/json`, CLERK), {
        id: privacyId,
        format: "json",
      }),
      "export",
    );
    const settings = { ...defaultProgram("JPY"), actions: [] };
    await expectForbidden(await send(programRoute, "action", post("/app/program", { settings }, CLERK)), "program");
    expect(await written()).toEqual(before);
    expect((await prisma.importJob.findUniqueOrThrow({ where: { id: checkedJob } })).appliedRows).toBe(0);
  });

  it("refuses a malformed limit or list with the reason in the admin's language, and saves nothing", async () => {
    const before = await prisma.staffPolicy.findUnique({ where: { shopId: (await installShop(SHOP)).id } });
    const ja = (body: unknown) =>
      send(permissionsRoute, "action", adminRequest("POST", "/app/permissions?locale=ja", body, SHOP, OWNER));
    const limit = await ja({ intent: "save", defaultGrants: [], adjustLimit: "1.5", staff: [] });
    expect(limit.status).toBe(422);
    expect(await limit.json()).toEqual({
      error: "承認が必要な上限は、ポイントの整数で入力するか空欄にしてください。",
    });
    const grants = await send(
      permissionsRoute,
      "action",
      post("/app/permissions", { intent: "save", defaultGrants: ["fly"], adjustLimit: "", staff: [] }, OWNER),
    );
    expect(await grants.json()).toEqual({ error: "Choose the default permissions from the list." });
    expect((await ja({ intent: "nonsense" })).status).toBe(400);
    expect(await prisma.staffPolicy.findUnique({ where: { shopId: (await installShop(SHOP)).id } })).toEqual(before);
  });

  it("a staff member with the grant may; the owner and admins always may", async () => {
    const adjusted = await passbook({ intent: "adjust", points: "50", reason: "Goodwill", key: "lead-adjust-1" }, LEAD);
    expect(adjusted.status).toBe(200);
    expect((await passbook({ intent: "block", reason: "Suspicious returns" }, LEAD)).status).toBe(200);
    expect((await passbook({ intent: "unblock" }, LEAD)).status).toBe(200);
    expect((await exportLedger(LEAD)).status).toBe(200);
    expect((await upload(LEAD)).status).toBe(200);
    const settings = {
      ...defaultProgram("JPY"),
      actions: [{ id: "visit", name: "Came to a tasting", points: 30, repeatable: true }],
    };
    expect((await send(programRoute, "action", post("/app/program", { settings }, LEAD))).status).toBe(200);
    // review was not granted to LEAD.
    await expect(
      requirePermission(
        { request: get("/app/review", LEAD), auth: { session: { shop: SHOP }, sessionToken: { sub: LEAD } } },
        "review",
      ),
    ).rejects.toSatisfy((thrown: unknown) => thrown instanceof Response && thrown.status === 403);

    for (const staff of [OWNER, ADMIN]) {
      expect((await passbook({ intent: "award", actionId: "visit" }, staff)).status).toBe(200);
      expect((await exportLedger(staff)).status).toBe(200);
      const reviewer = await requirePermission(
        { request: get("/app/review", staff), auth: { session: { shop: SHOP }, sessionToken: { sub: staff } } },
        "review",
      );
      expect(reviewer.actor).toBe(`staff:${staff}`);
    }
    expect((await memberState(CUSTOMER, SHOP))!.pointsAvailable).toBe(105 + 50 + 30 + 30);
    await expectBalancesMatchLedger();
  });

  it("an adjustment above the limit waits for a different staff member, and applies once when approved", async () => {
    const available = (await memberState(CUSTOMER, SHOP))!.pointsAvailable;
    const body = { intent: "adjust", points: "5000", reason: "Lost stamp card", key: "lead-large-1" };
    const asked = await passbook(body, LEAD);
    expect(asked.status).toBe(202);
    const { pending } = (await asked.json()) as { pending: string };
    // Sent again: the same request, not a second one.
    expect(((await (await passbook(body, LEAD)).json()) as { pending: string }).pending).toBe(pending);
    expect(await prisma.adjustmentApproval.count({ where: { status: "pending" } })).toBe(1);
    expect((await memberState(CUSTOMER, SHOP))!.pointsAvailable).toBe(available);
    expect((await permissionsPage(ADMIN)).pending).toMatchObject([
      { id: pending, points: 5000, requestedBy: `staff:${LEAD}` },
    ]);

    const decide = (intent: string, staff: string) =>
      send(permissionsRoute, "action", post("/app/permissions", { intent, id: pending }, staff));
    await expectForbidden(await decide("approve", LEAD), "adjust", /second staff member/); // the requester
    await expectForbidden(await decide("approve", CLERK), "adjust"); // no adjust permission
    expect((await memberState(CUSTOMER, SHOP))!.pointsAvailable).toBe(available);

    const approved = await decide("approve", ADMIN);
    expect(approved.status).toBe(200);
    expect(await approved.json()).toMatchObject({ applied: true, status: "approved" });
    const again = await decide("approve", OWNER);
    expect(await again.json()).toMatchObject({ applied: false, status: "approved" });
    expect((await passbook(body, LEAD)).status).toBe(200); // the form resent after approval applies nothing
    expect((await memberState(CUSTOMER, SHOP))!.pointsAvailable).toBe(available + 5000);
    expect(await prisma.ledgerEntry.count({ where: { idempotencyKey: "staff:lead-large-1" } })).toBe(1);
    const audit = await prisma.auditLog.findMany({
      where: { action: { in: ["member.adjustment_requested", "member.adjustment_approved", "member.adjusted"] } },
      orderBy: { id: "asc" },
      select: { action: true, actor: true },
    });
    expect(audit.slice(-3)).toEqual([
      { action: "member.adjustment_requested", actor: `staff:${LEAD}` },
      { action: "member.adjusted", actor: `staff:${LEAD}` },
      { action: "member.adjustment_approved", actor: `staff:${ADMIN}` },
    ]);
    await expectBalancesMatchLedger();
  });

  it("a declined adjustment writes no ledger entry; within the limit it applies at once", async () => {
    const available = (await memberState(CUSTOMER, SHOP))!.pointsAvailable;
    const asked = await passbook(
      { intent: "adjust", points: "-2000", reason: "Duplicate card", key: "owner-large-1" },
      OWNER,
    );
    const { pending } = (await asked.json()) as { pending: string };
    const declined = await send(
      permissionsRoute,
      "action",
      post("/app/permissions", { intent: "decline", id: pending }, LEAD),
    );
    expect(await declined.json()).toMatchObject({ applied: false, status: "declined" });
    expect(await prisma.ledgerEntry.count({ where: { idempotencyKey: "staff:owner-large-1" } })).toBe(0);
    const approveLater = await send(
      permissionsRoute,
      "action",
      post("/app/permissions", { intent: "approve", id: pending }, ADMIN),
    );
    expect(approveLater.status).toBe(409);
    expect(
      (await passbook({ intent: "adjust", points: "1000", reason: "At the limit", key: "owner-at-limit" }, OWNER))
        .status,
    ).toBe(200);
    expect((await memberState(CUSTOMER, SHOP))!.pointsAvailable).toBe(available + 1000);
  });

  it("asks Shopify who a staff member is once, not on every request", () => {
    const asked = tokenExchanges.filter((exchange) => exchange.shop === SHOP);
    for (const staff of [OWNER, CLERK, LEAD, ADMIN]) {
      expect(asked.filter((exchange) => exchange.userId === staff)).toHaveLength(1);
    }
    expect(asked.every((exchange) => exchange.requested.endsWith("online-access-token"))).toBe(true);
  });
});
