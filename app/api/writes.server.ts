import prisma from "../db.server";
import { adjustMember, AdjustmentRefused } from "../members/staff-actions.server";
import { awardAction, BonusRefused } from "../program/bonuses.server";
import { redeemReward, RewardRefused } from "../redemption/reward-codes.server";
import { currentProgram } from "../shops/shops.server";
import type { RedeemRefusal } from "../storefront/storefront-api";
import type { Answer } from "./idempotency.server";
import type { ApiCaller } from "./keys.server";
import { findMember, memberJson } from "./members.server";
import { problem, type Problem } from "./problem";

const refused = (details: Problem): Answer => ({ status: details.status, body: details });
const notFound = (): Answer => refused(problem(404, "No such member in this shop."));
const fieldRefused = (field: string, message: string) =>
  refused(problem(422, `${field}: ${message}`, { errors: [{ field, message }] }));

async function memberAfter(memberId: string) {
  return memberJson(await prisma.member.findUniqueOrThrow({ where: { id: memberId } }));
}

/**
 * Adds or removes points as a staff adjustment by the API key (`api:<prefix>` on the entry and in the audit log).
 * A credit the staff-outlier rule holds for review is earned pending under a review case: `held_for_review` names it.
 */
export async function adjustPoints(
  caller: ApiCaller,
  memberId: string,
  input: { points: number; reason: string },
  key: string,
): Promise<Answer> {
  const member = await findMember(caller.shop.id, memberId);
  if (!member) return notFound();
  try {
    const result = await prisma.$transaction((tx) =>
      adjustMember(tx, caller.shop, member.id, { ...input, key }, caller.actor),
    );
    return { status: 201, body: { held_for_review: result.held ?? null, member: await memberAfter(member.id) } };
  } catch (error) {
    if (error instanceof AdjustmentRefused) return refused(problem(409, error.message));
    throw error;
  }
}

/** Awards the bonus of one of the program's custom actions (a review written, an account followed). */
export async function recordEvent(caller: ApiCaller, memberId: string, actionId: string): Promise<Answer> {
  const member = await findMember(caller.shop.id, memberId);
  if (!member) return notFound();
  const { settings } = await prisma.$transaction((tx) => currentProgram(tx, caller.shop));
  if (!settings.actions.some((action) => action.id === actionId)) {
    return fieldRefused("action_id", `the program has no action "${actionId}"`);
  }
  try {
    const { points } = await prisma.$transaction((tx) =>
      awardAction(tx, caller.shop, member.customerId, actionId, caller.actor),
    );
    return { status: 201, body: { action_id: actionId, points, member: await memberAfter(member.id) } };
  } catch (error) {
    if (error instanceof BonusRefused) return refused(problem(409, error.message));
    throw error;
  }
}

const REDEEM_STATUS: Record<RedeemRefusal, number> = {
  not_logged_in: 404,
  unknown_reward: 422,
  insufficient_balance: 409,
  blocked: 409,
  shopify_refused: 502,
  in_progress: 503,
  invalid_request: 400,
};

/** Turns points into a single-use discount code for the member, as the storefront widget does. */
export async function redeemForMember(
  caller: ApiCaller,
  memberId: string,
  rewardId: string,
  key: string,
): Promise<Answer> {
  const member = await findMember(caller.shop.id, memberId);
  if (!member) return notFound();
  try {
    const { code } = await redeemReward(prisma, caller.shop.domain, member.customerId, rewardId, key);
    const currency = caller.shop.currency;
    return {
      status: 201,
      body: {
        code: {
          code: code.code,
          reward_id: rewardId,
          reward_name: code.rewardName,
          points: code.points,
          value: { amount_minor: code.amountMinor, currency },
          expires_at: code.expiresAt,
        },
        member: await memberAfter(member.id),
      },
    };
  } catch (error) {
    if (!(error instanceof RewardRefused)) throw error;
    if (error.code === "unknown_reward") return fieldRefused("reward_id", error.message);
    return refused(problem(REDEEM_STATUS[error.code], error.message));
  }
}
