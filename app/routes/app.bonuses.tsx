import type { ActionFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { awardAction, BonusRefused } from "../program/bonuses.server";
import { ensureShop } from "../shops/shops.server";
import { authenticate } from "../shopify.server";

// POST /app/bonuses {"customerId":"123","actionId":"review"}: staff award a program action's bonus.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const body = (await request.json().catch(() => null)) as { customerId?: unknown; actionId?: unknown } | null;
  if (typeof body?.customerId !== "string" || !/^\d+$/.test(body.customerId) || typeof body.actionId !== "string") {
    return Response.json({ error: "send a numeric customerId and an actionId" }, { status: 400 });
  }
  const { customerId, actionId } = body as { customerId: string; actionId: string };
  try {
    const result = await prisma.$transaction(async (tx) =>
      awardAction(
        tx,
        await ensureShop(tx, session.shop),
        customerId,
        actionId,
        `staff:${sessionToken?.sub ?? "unknown"}`,
      ),
    );
    return Response.json(result);
  } catch (error) {
    if (error instanceof BonusRefused) return Response.json({ error: error.message }, { status: 422 });
    throw error;
  }
};
