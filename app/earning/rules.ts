import { localDate } from "../shared/calendar";

/**
 * Which products a rule or campaign applies to. Every list given narrows nothing on its own: a line
 * matches when it matches any of them; a target with no lists matches every product.
 */
export interface Target {
  productIds?: string[];
  collectionIds?: string[];
  productTags?: string[];
  vendors?: string[];
  productTypes?: string[];
}

/** What the catalogue knows about a line's product. */
export interface ProductFacts {
  productId?: string | null;
  vendor?: string | null;
  productType?: string | null;
  tags?: string[];
  collectionIds?: string[];
}

/** A standing multiplier or exclusion, optionally only for customers with some tags. */
export interface EarnRule {
  id: string;
  name: string;
  target: Target;
  customerTags?: string[];
  /** `exclude`: the matching lines earn nothing. Otherwise the extra percentage they earn (50 = ×1.5). */
  exclude?: boolean;
  extraPercent?: number;
}

/**
 * A time-boxed bonus in the shop's time zone: `startsAt`/`endsAt` are local date-times ("2026-12-01T00:00"),
 * optionally only on some weekdays (0 = Sunday) and between some hours ("11:00"–"14:00").
 */
export interface Campaign {
  id: string;
  name: string;
  startsAt: string;
  endsAt: string;
  weekdays?: number[];
  hours?: { from: string; to: string };
  target: Target;
  customerTags?: string[];
  tierIds?: string[];
  extraPercent?: number;
  bonusPoints?: number;
  /**
   * Days after the order until the campaign's bonus (its extra percentage's points and its fixed bonus)
   * expires: the bonus is then kept in a lot of its own, expiring at the end of that shop-local day, sooner
   * than the order's own points. Unset or null: the bonus stays with the order's points.
   */
  bonusExpiryDays?: number | null;
  /**
   * Whole percent (0–50) of eligible members held out as a control group: they earn as if the campaign did not
   * exist, so the campaign report can compare them with the members it applied to. 0 or unset: no control group.
   */
  holdoutPercent?: number;
  /** A draft (for example one proposed by a recommendation) never applies until it is published. */
  draft?: boolean;
}

export interface EarnContext {
  placedAt: Date;
  timezone: string;
  customerTags: string[];
  tierId: string | null;
  /** The member's tier's earn multiplier, as extra percent. */
  tierExtraPercent: number;
  /** The campaigns this member was assigned to the control group of; those never apply to them. */
  heldOutCampaignIds?: ReadonlySet<string>;
}

export interface Boost {
  source: string;
  percent: number;
}

const intersects = (wanted: string[] | undefined, have: string[] | undefined) =>
  (wanted ?? []).some((item) => (have ?? []).includes(item));

export function matchesTarget(target: Target, product: ProductFacts): boolean {
  const lists = [target.productIds, target.collectionIds, target.productTags, target.vendors, target.productTypes];
  if (lists.every((list) => !list || list.length === 0)) return true;
  return (
    (!!product.productId && (target.productIds ?? []).includes(product.productId)) ||
    intersects(target.collectionIds, product.collectionIds) ||
    intersects(target.productTags, product.tags) ||
    (!!product.vendor && (target.vendors ?? []).includes(product.vendor)) ||
    (!!product.productType && (target.productTypes ?? []).includes(product.productType))
  );
}

function forCustomer(customerTags: string[] | undefined, context: EarnContext): boolean {
  return !customerTags || customerTags.length === 0 || intersects(customerTags, context.customerTags);
}

/** The shop-local wall-clock of an instant: "YYYY-MM-DDTHH:MM" and the weekday (0 = Sunday). */
export function localClock(at: Date, timezone: string): { stamp: string; weekday: number; time: string } {
  const time = new Intl.DateTimeFormat("en-GB", {
    timeZone: timezone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(at);
  const date = localDate(at, timezone);
  const [y, m, d] = date.split("-").map(Number);
  return { stamp: `${date}T${time}`, weekday: new Date(Date.UTC(y, m - 1, d)).getUTCDay(), time };
}

/** Whether a campaign covers an order placed at this instant, for this customer. */
export function campaignApplies(campaign: Campaign, context: EarnContext): boolean {
  if (campaign.draft) return false;
  if (context.heldOutCampaignIds?.has(campaign.id)) return false;
  const { stamp, weekday, time } = localClock(context.placedAt, context.timezone);
  if (stamp < campaign.startsAt || stamp >= campaign.endsAt) return false;
  if (campaign.weekdays && campaign.weekdays.length > 0 && !campaign.weekdays.includes(weekday)) return false;
  if (campaign.hours && (time < campaign.hours.from || time >= campaign.hours.to)) return false;
  if (
    campaign.tierIds &&
    campaign.tierIds.length > 0 &&
    (!context.tierId || !campaign.tierIds.includes(context.tierId))
  )
    return false;
  return forCustomer(campaign.customerTags, context);
}

/**
 * The stacking rule, one for the whole program: an exclusion wins over everything; otherwise every
 * multiplier, campaign and tier boost that applies to a line adds its extra percentage (×1.5 and a ×2
 * campaign make ×2.5, never ×3), whatever order they were created in.
 */
export function lineBoosts(
  product: ProductFacts,
  rules: EarnRule[],
  campaigns: Campaign[],
  context: EarnContext,
): { excludedBy: string | null; boosts: Boost[] } {
  const applicable = rules.filter(
    (rule) => matchesTarget(rule.target, product) && forCustomer(rule.customerTags, context),
  );
  const exclusion = applicable.find((rule) => rule.exclude);
  if (exclusion) return { excludedBy: exclusion.name, boosts: [] };
  const boosts: Boost[] = applicable
    .filter((rule) => (rule.extraPercent ?? 0) !== 0)
    .map((rule) => ({ source: rule.name, percent: rule.extraPercent! }));
  for (const campaign of campaigns) {
    if ((campaign.extraPercent ?? 0) !== 0 && matchesTarget(campaign.target, product)) {
      boosts.push({ source: campaign.name, percent: campaign.extraPercent! });
    }
  }
  if (context.tierExtraPercent !== 0) boosts.push({ source: "tier", percent: context.tierExtraPercent });
  return { excludedBy: null, boosts };
}
