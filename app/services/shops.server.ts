import { randomUUID } from "node:crypto";
import { defaultProgram, type ProgramSettings } from "../core/program";
import type { ProgramVersion, Shop } from "../generated/prisma/client";
import type { Tx } from "./transaction.server";

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

export function findShop(tx: Tx, domain: string): Promise<Shop | null> {
  return tx.shop.findUnique({ where: { domain } });
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
  return { version, settings: version.settings as unknown as ProgramSettings };
}
