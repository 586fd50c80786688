import { beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import * as apiKeysRoute from "../../app/routes/app.api-keys";
import { installShop } from "../support/fixtures";
import { callRoute } from "../support/routes";
import { adminRequest } from "../support/shopify";
import { api } from "./support";

const SHOP = "api-keys-page.myshopify.com";
const OWNER = "42"; // the test interceptor's token exchange says 42 owns every shop
const CLERK = "7";

type Page = Awaited<ReturnType<typeof apiKeysRoute.loader>>;
type Answer = {
  ok?: boolean;
  error?: string;
  fields?: Array<{ path: string }>;
  created?: { key: string };
  revoked?: string;
};

const page = async () =>
  (await callRoute(apiKeysRoute, "loader", adminRequest("GET", "/app/api-keys", undefined, SHOP))) as Page;
const post = async (body: unknown, staff = OWNER) => {
  const response = (await callRoute(
    apiKeysRoute,
    "action",
    adminRequest("POST", "/app/api-keys", body, SHOP, staff),
  )) as Response;
  return { status: response.status, body: (await response.json()) as Answer };
};

describe("the API keys page, through the real route", () => {
  beforeAll(async () => {
    await installShop(SHOP);
  });

  it("creates a key shown once in full, lists it by its prefix only, and the key works until revoked", async () => {
    const created = await post({ intent: "create", name: "POS integration", scopes: ["read"] });
    expect(created.status).toBe(200);
    const key = created.body.created!.key;
    expect(key).toMatch(/^tsumiki_[0-9A-Za-z]{40}$/);
    const listed = (await page()).keys;
    expect(listed).toEqual([
      expect.objectContaining({ name: "POS integration", prefix: key.slice(0, 16), scopes: ["read"], revokedAt: null }),
    ]);
    expect(JSON.stringify(listed)).not.toContain(key);
    expect((await api("program", { key })).status).toBe(200);
    expect((await page()).keys[0].lastUsedAt).not.toBeNull();

    const revoked = await post({ intent: "revoke", id: listed[0].id });
    expect(revoked.body).toEqual({ ok: true, revoked: key.slice(0, 16) });
    expect((await page()).keys[0].revokedAt).not.toBeNull();
    expect((await api("program", { key })).status).toBe(401);
    const audit = await prisma.auditLog.findMany({
      where: { action: { startsWith: "api_key." } },
      orderBy: { id: "asc" },
    });
    expect(audit.map((row) => [row.action, row.actor])).toEqual([
      ["api_key.created", "staff:42"],
      ["api_key.revoked", "staff:42"],
    ]);
  });

  it("a key without a name or scopes is refused, naming the field", async () => {
    const refused = await post({ intent: "create", name: " ", scopes: [] });
    expect(refused.status).toBe(422);
    expect(refused.body.fields!.map((field) => field.path).sort()).toEqual(["name", "scopes"]);
    expect((await post({ intent: "revoke", id: "no-such-key" })).status).toBe(404);
  });

  it("a staff member without the program permission gets 403", async () => {
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } });
    await prisma.staffPolicy.create({ data: { shopId: shop.id, defaultGrants: ["adjust", "review"], savedBy: "x" } });
    try {
      const refused = await post({ intent: "create", name: "Sneaky", scopes: ["write"] }, CLERK);
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ code: "forbidden", permission: "program" });
    } finally {
      await prisma.staffPolicy.delete({ where: { shopId: shop.id } });
    }
  });
});
