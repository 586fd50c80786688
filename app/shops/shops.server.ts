import { randomUUID } from "node:crypto";
import { defaultProgram, withDefaults, type ProgramSettings } from "../program/program";
import type { ProgramVersion, Shop } from "../generated/prisma/client";
import type { Tx } from "../db/transaction.server";

/** The shop row for a domain, created on first sight with the currency Shopify reported. */
export async function ensureShop(tx: Tx, domain: string, currency = "JPY", timezone?: string): Promise<Shop> {
  const existing = await tx.shop.findUnique({ where: { domain } });
  if (existing) return existing;
  await tx.$executeRaw`
    INSERT INTO "Shop" (id, domain, currency, timezone)
    VALUES (${randomUUID()}, ${domain}, ${currency}, ${timezone ?? "Asia/Tokyo"})
    ON CONFLICT (domain) DO NOTHING`;
  return tx.shop.findUniqueOrThrow({ where: { domain } });
}

/** The shop, only while it has the app installed: an uninstalled shop's storefront and checkout get nothing. */
export function findInstalledShop(tx: Pick<Tx, "shop">, domain: string): Promise<Shop | null> {
  return tx.shop.findFirst({ where: { domain, uninstalledAt: null } });
}

export class ShopNotInstalled extends Error {}

/**
 * Installed means the shop went through OAuth (recordInstall wrote its row) and has not uninstalled since; any
 * other shop is refused, so nothing is written for it and it never comes to exist by a webhook or a shopper.
 */
export async function requireInstalledShop(tx: Pick<Tx, "shop">, domain: string): Promise<Shop> {
  const shop = await findInstalledShop(tx, domain);
  if (!shop) throw new ShopNotInstalled(`${domain} has not installed Tsumiki`);
  return shop;
}

export interface CurrentProgram {
  version: ProgramVersion;
  settings: ProgramSettings;
}

/** The program version in force; version 1 holds the defaults until the merchant saves a program. */
export async function currentProgram(tx: Tx, shop: Shop): Promise<CurrentProgram> {
  let version = await tx.programVersion.findFirst({ where: { shopId: shop.id }, orderBy: { version: "desc" } });
  if (!version) {
    const settings = JSON.stringify(defaultProgram(shop.currency));
    await tx.$executeRaw`
      INSERT INTO "ProgramVersion" (id, "shopId", version, settings)
      VALUES (${randomUUID()}, ${shop.id}, 1, ${settings}::jsonb)
      ON CONFLICT ("shopId", version) DO NOTHING`;
    version = await tx.programVersion.findFirstOrThrow({ where: { shopId: shop.id }, orderBy: { version: "desc" } });
  }
  return { version, settings: withDefaults(version.settings as unknown as ProgramSettings) };
}

/**
 * The shop and its program version in force, in one query on the hot webhook path; creates either on
 * first sight.
 */
export async function shopWithProgram(
  tx: Tx,
  domain: string,
  currency?: string,
): Promise<{ shop: Shop } & CurrentProgram> {
  const rows = await tx.$queryRaw<Array<Shop & { programVersion: ProgramVersion | null }>>`
    SELECT s.*, to_jsonb(pv) AS "programVersion"
    FROM "Shop" s
    LEFT JOIN LATERAL (SELECT * FROM "ProgramVersion" v WHERE v."shopId" = s.id ORDER BY v.version DESC LIMIT 1) pv ON true
    WHERE s.domain = ${domain}`;
  const row = rows[0];
  if (!row?.programVersion) {
    const shop = row ?? (await ensureShop(tx, domain, currency));
    return { shop, ...(await currentProgram(tx, shop)) };
  }
  const { programVersion, ...shop } = row;
  const version = { ...programVersion, createdAt: new Date(programVersion.createdAt) };
  return { shop, version, settings: withDefaults(version.settings as unknown as ProgramSettings) };
}
