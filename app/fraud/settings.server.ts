import type { Prisma } from "../generated/prisma/client";
import type { Tx } from "../db/transaction.server";
import { DEFAULT_THRESHOLDS, type Thresholds, thresholdsFor, thresholdsSchema } from "./thresholds";

/**
 * A shop's detection settings: whether detection runs at all, and its thresholds (the defaults until the merchant
 * edits them). Automatic blocking is `thresholds.blockAtScore`: null (off) unless the merchant sets a level.
 */
export interface FraudConfig {
  enabled: boolean;
  thresholds: Thresholds;
}

export const DEFAULT_FRAUD_CONFIG: FraudConfig = { enabled: true, thresholds: DEFAULT_THRESHOLDS };

/** The stored settings over the defaults: what is missing or invalid in storage is the default. */
export function fraudConfigOf(stored: unknown): FraudConfig {
  if (!stored || typeof stored !== "object") return DEFAULT_FRAUD_CONFIG;
  const s = stored as { enabled?: unknown; thresholds?: unknown };
  return { enabled: s.enabled !== false, thresholds: thresholdsFor(s.thresholds) };
}

/**
 * Read on every earn, so kept in the process for a short while: a merchant's change reaches this process at once
 * (saving forgets it) and other processes within `SETTINGS_TTL_MS`.
 */
const SETTINGS_TTL_MS = 30_000;
const remembered = new Map<string, { until: number; config: FraudConfig }>();

export async function fraudSettingsFor(db: Tx, shopId: string): Promise<FraudConfig> {
  const hit = remembered.get(shopId);
  if (hit && hit.until > Date.now()) return hit.config;
  const row = await db.fraudSettings.findUnique({ where: { shopId } });
  const config = fraudConfigOf(row?.settings);
  remembered.set(shopId, { until: Date.now() + SETTINGS_TTL_MS, config });
  return config;
}

export class FraudSettingsRefused extends Error {}

/**
 * The merchant saves the settings: thresholds are checked against their bounds (a typo cannot switch a rule off;
 * switching off is `enabled`), and the change is audited with before and after.
 */
export async function saveFraudSettings(
  tx: Tx,
  shopId: string,
  input: { enabled: boolean; thresholds: unknown },
  actor: string,
): Promise<FraudConfig> {
  const parsed = thresholdsSchema.safeParse(input.thresholds);
  if (!parsed.success) throw new FraudSettingsRefused(parsed.error.issues.map((i) => i.message).join("; "));
  remembered.delete(shopId);
  const before = await fraudSettingsFor(tx, shopId);
  const after: FraudConfig = { enabled: input.enabled, thresholds: parsed.data };
  const settings = after as unknown as Prisma.InputJsonValue;
  await tx.fraudSettings.upsert({ where: { shopId }, create: { shopId, settings }, update: { settings } });
  remembered.delete(shopId);
  await tx.auditLog.create({
    data: {
      shopId,
      actor,
      action: "fraud.settings",
      subject: "fraud detection settings",
      before: before as unknown as Prisma.InputJsonValue,
      after: settings,
    },
  });
  return after;
}
