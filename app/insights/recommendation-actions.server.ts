/**
 * What the Insights page's buttons do. Creating a draft campaign saves a new program version through the program
 * editor's own save (its validation, its audit); turning on the expiry reminder saves the notification settings
 * through theirs. Each is idempotent per recommendation: the campaign's id is derived from the recommendation's, and
 * a reminder already on stays as it is.
 */
import type { Shop } from "../generated/prisma/client";
import type { Tx } from "../db/transaction.server";
import { saveNotificationSettings } from "../notifications/admin.server";
import { loadShopMessaging } from "../notifications/context.server";
import { saveProgram } from "../program/programs.server";
import { currentProgram } from "../shops/shops.server";
import { localDate } from "../shared/calendar";
import type { AdminT } from "../i18n/catalog";
import type { InsightFigures } from "./figures.server";
import { campaignIdFor, EXPIRY_REMINDER_ID, recommend, type Recommendation } from "./recommendations";

/** The recommendations for these figures, as the page shows them and as a click re-derives them. */
export async function recommendationsFor(
  tx: Tx,
  shop: Shop,
  figures: InsightFigures,
  t: AdminT,
  now = new Date(),
): Promise<Recommendation[]> {
  const { settings } = await loadShopMessaging(tx, shop);
  return recommend({
    settings: figures.settings,
    funnel: figures.funnel,
    tierMembers: figures.tierMembers,
    atRisk: figures.atRisk,
    expiring: figures.expiring,
    expiryReminderOn: settings.enabled.expiry_reminder,
    today: localDate(now, shop.timezone),
    names: {
      tierPush: (from, to) => t("insights.campaignNames.tierPush", { from, to }),
      winBack: t("insights.campaignNames.winBack"),
    },
  });
}

/**
 * Whether a recommendation the figures no longer make was carried out already (its draft campaign is in the program,
 * or the reminder is on): a second click from a page shown before the first is "already", not "no longer applies".
 */
export async function alreadyDone(tx: Tx, shop: Shop, recommendationId: string): Promise<boolean> {
  if (recommendationId === EXPIRY_REMINDER_ID)
    return (await loadShopMessaging(tx, shop)).settings.enabled.expiry_reminder;
  const { settings } = await currentProgram(tx, shop);
  return settings.campaigns.some((campaign) => campaign.id === campaignIdFor(recommendationId));
}

export type ActionOutcome =
  | { outcome: "created"; version: number }
  | { outcome: "enabled" }
  | { outcome: "already" }
  | { outcome: "manual" }
  | { outcome: "refused"; errors: Record<string, string | undefined> };

export async function applyRecommendation(
  tx: Tx,
  shop: Shop,
  recommendation: Recommendation,
  actor: string,
): Promise<ActionOutcome> {
  // Serialises two clicks on one shop: the second sees the first one's version.
  await tx.$queryRaw`SELECT id FROM "Shop" WHERE id = ${shop.id} FOR UPDATE`;
  const { action } = recommendation;
  if (action.type === "enableExpiryReminder") {
    const { settings } = await loadShopMessaging(tx, shop);
    if (settings.enabled.expiry_reminder) return { outcome: "already" };
    const saved = await saveNotificationSettings(
      tx,
      shop,
      { ...settings, enabled: { ...settings.enabled, expiry_reminder: true } },
      actor,
    );
    return "errors" in saved ? { outcome: "refused", errors: saved.errors } : { outcome: "enabled" };
  }
  // Tiers change in the program editor, where the merchant sees what else the threshold moves.
  if (action.type === "reviewTier") return { outcome: "manual" };
  const { settings } = await currentProgram(tx, shop);
  if (settings.campaigns.some((campaign) => campaign.id === action.campaign.id)) return { outcome: "already" };
  const saved = await saveProgram(
    tx,
    shop,
    { ...settings, campaigns: [...settings.campaigns, action.campaign] },
    actor,
  );
  if ("errors" in saved) return { outcome: "refused", errors: saved.errors };
  await tx.auditLog.create({
    data: {
      shopId: shop.id,
      actor,
      action: "insights.recommendation_applied",
      subject: recommendation.id,
      after: { campaignId: action.campaign.id, version: saved.version },
    },
  });
  return { outcome: "created", version: saved.version };
}
