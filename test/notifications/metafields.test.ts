import { beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import {
  ensureMemberMetafieldDefinitions,
  MEMBER_METAFIELD_NAMESPACE,
  syncMemberMetafields,
} from "../../app/notifications/metafields.server";
import { defaultProgram } from "../../app/program/program";
import { adminApi, adminAnswers, resetAdminApi, type AdminCall } from "../support/admin-api";
import { installShop } from "../support/fixtures";

const SHOP = "member-metafields.myshopify.com";
let shopId: string;

const tiers = {
  levels: [
    { id: "silver", name: "Silver", threshold: 30_000, earnExtraPercent: 10, reachBonus: 0 },
    { id: "gold", name: "Gold", threshold: 100_000, earnExtraPercent: 25, reachBonus: 0 },
  ],
  basis: "spend" as const,
  period: "rolling12" as const,
  downgrade: "periodEnd" as const,
  graceDays: 30,
};

interface MetafieldWrite {
  ownerId: string;
  namespace: string;
  key: string;
  type: string;
  value: string;
}

/** Answers the writes as Shopify does, and keeps what each customer's metafields hold now. */
function shopifyCustomers(refuse: (write: MetafieldWrite) => boolean = () => false) {
  const stored = new Map<string, Record<string, string>>();
  resetAdminApi((call: AdminCall) => {
    if (call.operation === "TsumikiWriteMemberMetafields") {
      const writes = call.variables.metafields as MetafieldWrite[];
      const refusedAt = writes.findIndex(refuse);
      if (refusedAt >= 0) {
        // metafieldsSet is all or nothing: one bad owner and nothing is written.
        return {
          metafieldsSet: {
            metafields: [],
            userErrors: [
              {
                field: ["metafields", String(refusedAt), "ownerId"],
                message: "Owner does not exist",
                code: "INVALID",
                elementIndex: refusedAt,
              },
            ],
          },
        };
      }
      for (const write of writes) stored.set(write.ownerId, { ...stored.get(write.ownerId), [write.key]: write.value });
      return adminAnswers.metafieldsSet();
    }
    if (call.operation === "TsumikiDeleteMemberMetafields") {
      const removed = call.variables.metafields as Array<{ ownerId: string; key: string }>;
      for (const { ownerId, key } of removed) {
        const fields = { ...stored.get(ownerId) };
        delete fields[key];
        stored.set(ownerId, fields);
      }
      return adminAnswers.metafieldsDelete(call);
    }
    throw new Error(`unexpected ${call.operation}`);
  });
  return stored;
}

const writeCalls = () => adminApi.calls.filter((call) => call.operation === "TsumikiWriteMemberMetafields");
const deleteCalls = () => adminApi.calls.filter((call) => call.operation === "TsumikiDeleteMemberMetafields");

let entrySeq = 0;
/** A lot of `remaining` points that expires at `expiresAt` (the first instant after its last day). */
async function lot(memberId: string, remaining: number, expiresAt: Date | null) {
  const entry = await prisma.ledgerEntry.create({
    data: {
      shopId,
      memberId,
      kind: "earn",
      points: remaining,
      reason: "test order",
      sourceType: "order",
      idempotencyKey: `metafields-test-${entrySeq++}`,
      occurredAt: new Date("2026-01-01T00:00:00Z"),
    },
  });
  return prisma.lot.create({
    data: {
      shopId,
      memberId,
      earnEntryId: entry.id,
      amount: remaining,
      remaining,
      earnedAt: entry.occurredAt,
      availableAt: entry.occurredAt,
      expiresAt,
    },
  });
}

const NOW = new Date("2027-01-15T03:00:00Z");
const SEVEN = Array.from({ length: 7 }, (_, i) => String(3100 + i));

describe("member metafields", () => {
  beforeAll(async () => {
    ({ id: shopId } = await installShop(SHOP, "JPY", "Asia/Tokyo"));
    await prisma.programVersion.create({
      data: { shopId, version: 2, settings: { ...defaultProgram("JPY"), tiers } as never },
    });
  });

  it("a Gold member with 1,240 points, 600 of them ending on 31 March, gets the four metafields once", async () => {
    const hanako = await prisma.member.create({
      data: { shopId, customerId: "3001", pointsAvailable: 1240, tierId: "gold" },
    });
    // Two lots end on the same Tokyo day (1 April 00:00 and 1 April 00:00 of another earn); a later one is not next.
    await lot(hanako.id, 500, new Date("2027-03-31T15:00:00Z"));
    await lot(hanako.id, 100, new Date("2027-03-31T15:00:00Z"));
    await lot(hanako.id, 640, new Date("2027-06-30T15:00:00Z"));
    await lot(hanako.id, 0, new Date("2027-02-28T15:00:00Z"));
    await lot(hanako.id, 50, new Date("2027-01-10T15:00:00Z")); // already past its expiry: the expiry job's, not shown
    const stored = shopifyCustomers();

    expect(await syncMemberMetafields(prisma, NOW)).toBe(1);
    expect(writeCalls()).toHaveLength(1);
    expect(writeCalls()[0].variables.metafields).toEqual([
      {
        ownerId: "gid://shopify/Customer/3001",
        namespace: MEMBER_METAFIELD_NAMESPACE,
        key: "points_balance",
        type: "number_integer",
        value: "1240",
      },
      {
        ownerId: "gid://shopify/Customer/3001",
        namespace: MEMBER_METAFIELD_NAMESPACE,
        key: "tier",
        type: "single_line_text_field",
        value: "Gold",
      },
      {
        ownerId: "gid://shopify/Customer/3001",
        namespace: MEMBER_METAFIELD_NAMESPACE,
        key: "next_expiry_date",
        type: "date",
        value: "2027-03-31",
      },
      {
        ownerId: "gid://shopify/Customer/3001",
        namespace: MEMBER_METAFIELD_NAMESPACE,
        key: "next_expiry_points",
        type: "number_integer",
        value: "600",
      },
    ]);
    expect(deleteCalls()).toHaveLength(0);
    expect(stored.get("gid://shopify/Customer/3001")).toEqual({
      points_balance: "1240",
      tier: "Gold",
      next_expiry_date: "2027-03-31",
      next_expiry_points: "600",
    });
    expect((await prisma.member.findUniqueOrThrow({ where: { id: hanako.id } })).metafieldsState).not.toBeNull();

    // Nothing changed: nothing is written.
    expect(await syncMemberMetafields(prisma, NOW)).toBe(0);
    expect(writeCalls()).toHaveLength(1);
  });

  it("a change is written again; a tier lost and expiring points spent remove those metafields", async () => {
    const hanako = await prisma.member.findFirstOrThrow({ where: { shopId, customerId: "3001" } });
    const stored = shopifyCustomers();
    stored.set("gid://shopify/Customer/3001", {
      points_balance: "1240",
      tier: "Gold",
      next_expiry_date: "2027-03-31",
      next_expiry_points: "600",
    });
    await prisma.member.update({ where: { id: hanako.id }, data: { pointsAvailable: 1300 } });
    expect(await syncMemberMetafields(prisma, NOW)).toBe(1);
    expect(writeCalls()).toHaveLength(1);
    expect(stored.get("gid://shopify/Customer/3001")).toMatchObject({ points_balance: "1300", tier: "Gold" });

    await prisma.member.update({ where: { id: hanako.id }, data: { pointsAvailable: 0, tierId: null } });
    await prisma.lot.updateMany({ where: { memberId: hanako.id }, data: { remaining: 0 } });
    expect(await syncMemberMetafields(prisma, NOW)).toBe(1);
    expect(writeCalls()).toHaveLength(2);
    expect(deleteCalls()).toHaveLength(1);
    expect(stored.get("gid://shopify/Customer/3001")).toEqual({ points_balance: "0" });
    expect(await syncMemberMetafields(prisma, NOW)).toBe(0);
  });

  it("a tier renamed in the program is renamed on the member's metafield", async () => {
    const ren = await prisma.member.create({
      data: { shopId, customerId: "3002", pointsAvailable: 10, tierId: "silver" },
    });
    const stored = shopifyCustomers();
    expect(await syncMemberMetafields(prisma, NOW)).toBe(1);
    expect(stored.get("gid://shopify/Customer/3002")).toMatchObject({ tier: "Silver" });
    const renamed = { ...tiers, levels: tiers.levels.map((l) => (l.id === "silver" ? { ...l, name: "シルバー" } : l)) };
    await prisma.programVersion.create({
      data: { shopId, version: 3, settings: { ...defaultProgram("JPY"), tiers: renamed } as never },
    });
    expect(await syncMemberMetafields(prisma, NOW)).toBe(1);
    expect(stored.get("gid://shopify/Customer/3002")).toMatchObject({ tier: "シルバー" });
    await prisma.member.update({ where: { id: ren.id }, data: { pointsAvailable: 0, tierId: null } });
    await syncMemberMetafields(prisma, NOW);
  });

  it("seven members are written in two calls (six members fill the 25 metafields a call takes)", async () => {
    for (const [i, customerId] of SEVEN.entries()) {
      const m = await prisma.member.create({
        data: { shopId, customerId, pointsAvailable: 100 + i, tierId: "silver" },
      });
      await lot(m.id, 100, new Date("2027-02-27T15:00:00Z"));
    }
    // (The program renamed Silver in the test before.) Members with nothing to show and never written are left alone; erased members are never written.
    await prisma.member.create({ data: { shopId, customerId: "3199" } });
    await prisma.member.create({
      data: { shopId, customerId: "redacted-3198", pointsAvailable: 50, redactedAt: new Date() },
    });
    const stored = shopifyCustomers();
    expect(await syncMemberMetafields(prisma, NOW)).toBe(7);
    expect(writeCalls().map((call) => (call.variables.metafields as unknown[]).length)).toEqual([24, 4]);
    expect(stored.size).toBe(7);
    expect(stored.get("gid://shopify/Customer/3106")).toEqual({
      points_balance: "106",
      tier: "シルバー",
      next_expiry_date: "2027-02-27",
      next_expiry_points: "100",
    });
    expect(await syncMemberMetafields(prisma, NOW)).toBe(0);
  });

  it("a run writes at most `batch` members; the rest follow in the next run", async () => {
    await prisma.member.updateMany({ where: { shopId, customerId: { in: SEVEN } }, data: { pointsAvailable: 1 } });
    shopifyCustomers();
    expect(await syncMemberMetafields(prisma, NOW, 4)).toBe(4);
    expect(await syncMemberMetafields(prisma, NOW, 4)).toBe(3);
    expect(await syncMemberMetafields(prisma, NOW, 4)).toBe(0);
  });

  it("a customer Shopify refuses does not hold back the others in its call", async () => {
    await prisma.member.updateMany({ where: { shopId, customerId: { in: SEVEN } }, data: { pointsAvailable: 2 } });
    const stored = shopifyCustomers((write) => write.ownerId === "gid://shopify/Customer/3103");
    expect(await syncMemberMetafields(prisma, NOW)).toBe(6);
    expect(stored.size).toBe(6);
    expect(stored.has("gid://shopify/Customer/3103")).toBe(false);
    // Still stale: tried again next run.
    shopifyCustomers();
    expect(await syncMemberMetafields(prisma, NOW)).toBe(1);
  });

  it("a shop Shopify does not answer is left for the next run, its members unchanged", async () => {
    await prisma.member.updateMany({ where: { shopId, customerId: { in: SEVEN } }, data: { pointsAvailable: 3 } });
    shopifyCustomers();
    adminApi.failWith = 503;
    expect(await syncMemberMetafields(prisma, NOW)).toBe(0);
    adminApi.failWith = null;
    expect(await syncMemberMetafields(prisma, NOW)).toBe(7);
  });

  it("the four metafield definitions are created once; a definition the shop has is kept", async () => {
    let created = 0;
    resetAdminApi((call) => {
      created += 1;
      const definition = call.variables.definition as { key: string };
      return {
        metafieldDefinitionCreate:
          definition.key === "tier"
            ? {
                createdDefinition: null,
                userErrors: [{ field: ["definition", "key"], message: "Key is in use", code: "TAKEN" }],
              }
            : { createdDefinition: { id: `gid://shopify/MetafieldDefinition/${created}` }, userErrors: [] },
      };
    });
    await ensureMemberMetafieldDefinitions(SHOP);
    expect(adminApi.calls.map((call) => call.variables.definition)).toEqual([
      expect.objectContaining({
        ownerType: "CUSTOMER",
        namespace: "tsumiki",
        key: "points_balance",
        type: "number_integer",
      }),
      expect.objectContaining({ key: "tier", type: "single_line_text_field" }),
      expect.objectContaining({ key: "next_expiry_date", type: "date" }),
      expect.objectContaining({ key: "next_expiry_points", type: "number_integer" }),
    ]);
  });
});
