import type { z } from "zod";
import prisma from "../db.server";
import { readConfig } from "../config.server";
import { isDatabaseUnavailable, unavailableResponse } from "../db/unavailable.server";
import type { Tx } from "../db/transaction.server";
import { findEntry } from "../ledger/ledger.server";
import { isMember } from "../members/membership";
import { lockMember } from "../members/members.server";
import { adjustMember, AdjustmentRefused } from "../members/staff-actions.server";
import { currentProgram, requireInstalledShop, ShopNotInstalled } from "../shops/shops.server";
import { parseJsonExact } from "../webhooks/json";
import {
  adjustPointsProperties,
  awardPointsProperties,
  flowActionEnvelope,
  type FlowActionEnvelope,
  type FlowPointsProperties,
} from "./payload";
import { FlowActionRejection, verifyFlowAction } from "./verify.server";

export interface FlowActionSpec {
  /** The extension's handle, as Flow sends it in the payload's `handle`. */
  handle: "award-points" | "adjust-points";
  schema: typeof awardPointsProperties | typeof adjustPointsProperties;
}

export const FLOW_ACTIONS = {
  award: { handle: "award-points", schema: awardPointsProperties },
  adjust: { handle: "adjust-points", schema: adjustPointsProperties },
} as const satisfies Record<string, FlowActionSpec>;

/** Refused for good: Flow marks the step failed and shows the merchant the reason (4xx are not retried). */
class FlowActionRefused extends Error {}

export type FlowActionResult =
  { outcome: "applied"; points: number; pointsAvailable: number; held?: string } | { outcome: "duplicate" };

function answer(status: number, body: Record<string, unknown>): Response {
  return Response.json(body, { status, headers: { "Cache-Control": "no-store" } });
}

/** The ledger's idempotency key for one Flow action run (adjustMember prefixes it with "staff:"). */
export function runKey(actionRunId: string): string {
  return `flow:${actionRunId}`;
}

/** Who the ledger entry and the audit log name: the Flow run, so a merchant can find the workflow run behind it. */
export function runActor(actionRunId: string): string {
  return `flow:${actionRunId}`;
}

/**
 * Applies one Flow action run as a staff adjustment under the run's id: once however often Flow sends the run.
 * The customer is the member for Shopify's customer id, enrolled on first sight as an order would enrol them (a
 * merchant who awards points from "Customer created" expects the points, not an error because our customers/create
 * webhook has not arrived yet). A credit to a blocked customer, or to a customer who has not joined a "members join"
 * program, is refused as an order's points would be; removing points follows the staff rule (never more than the
 * customer has available).
 */
export async function applyFlowAction(
  tx: Tx,
  envelope: FlowActionEnvelope,
  properties: FlowPointsProperties,
  now = new Date(),
): Promise<FlowActionResult> {
  const shop = await requireInstalledShop(tx, envelope.shopify_domain);
  const key = runKey(envelope.action_run_id);
  if (await findEntry(tx, shop.id, `staff:${key}`)) return { outcome: "duplicate" };
  const { settings } = await currentProgram(tx, shop);
  const member = await lockMember(tx, shop.id, { customerId: properties.customer_id });
  if (properties.points > 0) {
    if (member.blockedAt) throw new FlowActionRefused("the customer is blocked from earning points");
    if (!isMember(settings.membership.mode, member))
      throw new FlowActionRefused("the customer has not joined the loyalty program");
  }
  const { held } = await adjustMember(
    tx,
    shop,
    member.id,
    { points: properties.points, reason: properties.reason, key },
    runActor(envelope.action_run_id),
    now,
  );
  const after = await tx.member.findUniqueOrThrow({ where: { id: member.id }, select: { pointsAvailable: true } });
  return {
    outcome: "applied",
    points: properties.points,
    pointsAvailable: after.pointsAvailable,
    ...(held ? { held } : {}),
  };
}

function firstIssue(error: z.ZodError, prefix: string): string {
  const issue = error.issues[0];
  return `${prefix}${issue.path.join(".") || "(root)"} ${issue.message}`;
}

/**
 * The whole of a Flow action endpoint. Answers, as Flow reads them: 200 when applied (or already applied by an
 * earlier delivery of the same run); 401 for a request Shopify did not sign, 400 for a body that is not a Flow action
 * of this endpoint, 404 for a shop that has not installed the app, 422 for fields the action cannot apply (each with
 * the reason, which Flow shows the merchant): all permanent, nothing written. 503 when the database is unreachable,
 * so Flow retries the run later; the run id makes the retry apply once.
 */
export async function handleFlowAction(request: Request, spec: FlowActionSpec): Promise<Response> {
  let body: string;
  try {
    body = await verifyFlowAction(request, readConfig().apiSecret);
  } catch (error) {
    if (error instanceof FlowActionRejection) return answer(error.status, { error: error.message });
    throw error;
  }
  let json: unknown;
  try {
    json = parseJsonExact(body);
  } catch {
    return answer(400, { error: "body is not valid JSON" });
  }
  const envelope = flowActionEnvelope.safeParse(json);
  if (!envelope.success) return answer(400, { error: firstIssue(envelope.error, "invalid Flow action payload: ") });
  if (envelope.data.handle !== spec.handle)
    return answer(400, { error: `this endpoint runs ${spec.handle}, not ${envelope.data.handle}` });
  const properties = spec.schema.safeParse(envelope.data.properties);
  if (!properties.success) return answer(422, { error: firstIssue(properties.error, "") });

  try {
    const result = await prisma.$transaction((tx) => applyFlowAction(tx, envelope.data, properties.data), {
      maxWait: 15_000,
      timeout: 15_000,
    });
    return answer(200, result);
  } catch (error) {
    if (error instanceof ShopNotInstalled) return answer(404, { error: error.message });
    if (error instanceof FlowActionRefused || error instanceof AdjustmentRefused)
      return answer(422, { error: error.message });
    if (isDatabaseUnavailable(error)) return unavailableResponse();
    // Two deliveries of one run at once: the second waited on the member's lock, then met the first's entry.
    if (await alreadyApplied(envelope.data).catch(() => false)) return answer(200, { outcome: "duplicate" });
    throw error;
  }
}

async function alreadyApplied(envelope: FlowActionEnvelope): Promise<boolean> {
  const shop = await prisma.shop.findUnique({ where: { domain: envelope.shopify_domain } });
  return shop !== null && (await findEntry(prisma, shop.id, `staff:${runKey(envelope.action_run_id)}`)) !== null;
}
