import { z } from "zod";

/**
 * What Shopify Flow POSTs to an action's runtime_url: who runs it (the shop), which run it is (`action_run_id`, the
 * same on every retry of one run) and the merchant's filled-in fields under `properties`, keyed as the extension's
 * shopify.extension.toml declares them (a `customer_reference` field arrives as `customer_id`). Flow may add fields
 * of its own (`step_reference`, …), so the rest pass through.
 */
export const flowActionEnvelope = z.object({
  shop_id: z.union([z.string(), z.number()]).optional(),
  shopify_domain: z
    .string()
    .transform((domain) => domain.toLowerCase())
    .pipe(z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, "must be a myshopify.com domain")),
  action_run_id: z.string().regex(/^[\w-]{1,100}$/, "must be an id of letters, digits, _ and -"),
  action_definition_id: z.string().optional(),
  handle: z.string().min(1),
  properties: z.record(z.string(), z.unknown()),
});

export type FlowActionEnvelope = z.infer<typeof flowActionEnvelope>;

/** Shopify's numeric customer id, given as a number, its digits, or a gid://shopify/Customer/… id. */
const customerId = z
  .union([
    z.number().int().positive(),
    z
      .string()
      .trim()
      .regex(/^(gid:\/\/shopify\/Customer\/)?\d{1,20}$/, "must be a Shopify customer id"),
  ])
  .transform((value) => String(value).replace("gid://shopify/Customer/", ""))
  .refine((value) => /^[1-9]\d*$/.test(value), "must be a Shopify customer id");

/** A whole number of points: a number_decimal field arrives as a number, a Liquid-filled one as its digits. */
const wholePoints = z
  .union([
    z.number(),
    z
      .string()
      .trim()
      .regex(/^[+-]?\d+(\.0+)?$/, "must be a whole number of points"),
  ])
  .transform(Number)
  .refine((points) => Number.isInteger(points), "must be a whole number of points")
  .refine((points) => Math.abs(points) <= 999_999_999, "must be at most 999,999,999 points");

// The staff adjustment's rules (parseAdjustment): the customer's passbook shows the reason.
const reason = z
  .string()
  .trim()
  .min(3, "give a reason of at least 3 characters; the customer's passbook shows it")
  .max(500, "keep the reason under 500 characters");

/** "Award points": a credit, so the points are positive. */
export const awardPointsProperties = z.object({
  customer_id: customerId,
  points: wholePoints.refine((points) => points > 0, "must be more than 0"),
  reason,
});

/** "Adjust points": signed, negative to remove points (never more than the customer has available). */
export const adjustPointsProperties = z.object({
  customer_id: customerId,
  points: wholePoints.refine((points) => points !== 0, "must be a whole number other than 0"),
  reason,
});

export type FlowPointsProperties = z.infer<typeof awardPointsProperties>;
