import { randomBytes } from "node:crypto";
import type { PrismaClient, WebhookSubscription } from "../generated/prisma/client";
import { localMode } from "../local/local.server";
import { forgetSubscriptions } from "./record.server";
import { checkSubscription, MAX_SUBSCRIPTIONS, type SubscriptionProblem } from "./subscription";

export class SubscriptionRefused extends Error {
  constructor(readonly problems: SubscriptionProblem[] | "limit" | "notFound") {
    super(typeof problems === "string" ? problems : problems.map((p) => `${p.field}: ${p.code}`).join(", "));
  }
}

/** Plain http is allowed only to this machine, and only in tests and local mode (a receiver on the laptop). */
export function allowLoopbackHttp(env: Record<string, string | undefined> = process.env): boolean {
  return env.NODE_ENV === "test" || localMode(env);
}

/** A new signing secret: 32 random bytes, shown to the merchant once. */
function newSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

/**
 * Subscribes a URL to events, audited. Returns the subscription with its secret: the only time the secret is shown
 * (the page lists subscriptions without it).
 */
export async function createSubscription(
  prisma: PrismaClient,
  shopId: string,
  input: { url?: unknown; events?: unknown },
  actor: string,
): Promise<WebhookSubscription> {
  const checked = checkSubscription(input, { allowLoopbackHttp: allowLoopbackHttp() });
  if (!checked.ok) throw new SubscriptionRefused(checked.problems);
  const created = await prisma.$transaction(async (tx) => {
    const active = await tx.webhookSubscription.count({ where: { shopId, disabledAt: null } });
    if (active >= MAX_SUBSCRIPTIONS) throw new SubscriptionRefused("limit");
    const subscription = await tx.webhookSubscription.create({
      data: { shopId, url: checked.url, events: checked.events, secret: newSecret(), createdBy: actor },
    });
    await tx.auditLog.create({
      data: {
        shopId,
        actor,
        action: "webhook_subscription.created",
        subject: subscription.id,
        after: { url: checked.url, events: checked.events },
      },
    });
    return subscription;
  });
  forgetSubscriptions(shopId);
  return created;
}

/**
 * Stops a subscription: no event is recorded for it from now on, and its waiting deliveries are failed as they come
 * up. `remove` deletes it with its deliveries instead. Audited; another shop's subscription is not found.
 */
export async function endSubscription(
  prisma: PrismaClient,
  shopId: string,
  id: string,
  how: "disable" | "delete",
  actor: string,
): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const found = await tx.webhookSubscription.findFirst({ where: { id, shopId } });
    if (!found) throw new SubscriptionRefused("notFound");
    if (how === "delete") await tx.webhookSubscription.delete({ where: { id } });
    else if (!found.disabledAt)
      await tx.webhookSubscription.update({ where: { id }, data: { disabledAt: new Date() } });
    await tx.auditLog.create({
      data: {
        shopId,
        actor,
        action: how === "delete" ? "webhook_subscription.deleted" : "webhook_subscription.disabled",
        subject: id,
        before: { url: found.url, events: found.events },
      },
    });
  });
  forgetSubscriptions(shopId);
}

/** The shop's subscriptions (without their secrets), each with its latest deliveries and their attempts. */
export async function subscriptionsPage(prisma: PrismaClient, shopId: string, deliveries = 25) {
  return prisma.webhookSubscription.findMany({
    where: { shopId },
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      url: true,
      events: true,
      createdAt: true,
      createdBy: true,
      disabledAt: true,
      deliveries: {
        orderBy: { id: "desc" },
        take: deliveries,
        select: {
          id: true,
          event: true,
          eventKey: true,
          status: true,
          attempts: true,
          createdAt: true,
          deliveredAt: true,
          nextAttemptAt: true,
          lastStatus: true,
          lastError: true,
          attemptsLog: {
            orderBy: { id: "desc" },
            take: 10,
            select: { id: true, at: true, status: true, error: true, durationMs: true },
          },
        },
      },
    },
  });
}
