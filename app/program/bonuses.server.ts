import { recordMessage } from "../notifications/outbox.server";
import { randomUUID } from "node:crypto";
import { localDate } from "../shared/calendar";
import { withDefaults, type ProgramSettings } from "./program";
import type { PrismaClient, Shop } from "../generated/prisma/client";
import { earn, findEntry } from "../ledger/ledger.server";
import { lockMember, lockMemberById } from "../members/members.server";
import { currentProgram } from "../shops/shops.server";
import { saveProgram } from "./programs.server";
import type { Tx } from "../db/transaction.server";
import { checkBirthdayBonus, holdBirthdayBonus, recordBirthdayChange } from "../fraud/birthday.server";
import { DAY_MS } from "../fraud/signals";

export class BonusRefused extends Error {}

/** "MM-DD" for a real calendar day (29 February included). */
export function isBirthday(value: string): boolean {
  const match = /^(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [month, day] = [Number(match[1]), Number(match[2])];
  return month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(2024, month, 0)).getUTCDate();
}

/**
 * The shopper tells us their birthday (month and day only: the least personal data that works). Each actual change
 * (setting it the first time included) is audited with before and after, in the same transaction: the birthday
 * rebonus rule reads these when the next bonus is due. `channel` names where the shopper set it (the audit actor).
 */
export async function setBirthday(
  tx: Tx,
  shop: Shop,
  customerId: string,
  birthday: string,
  options: { channel?: "storefront" | "customer-account"; now?: Date } = {},
): Promise<void> {
  if (!isBirthday(birthday)) throw new BonusRefused("birthday must be MM-DD, a real day of the year");
  const member = await lockMember(tx, shop.id, { customerId });
  if (member.birthday === birthday) return;
  await tx.member.update({ where: { id: member.id }, data: { birthday } });
  await recordBirthdayChange(tx, {
    shopId: shop.id,
    memberId: member.id,
    // The form privacy redaction rewrites (app/members/privacy.server.ts).
    actor: `${options.channel ?? "storefront"}:customer ${customerId}`,
    from: member.birthday,
    to: birthday,
    at: options.now ?? new Date(),
  });
}

/** The birthdays celebrated on a shop-local date: 29 February birthdays fall on 28 February in other years. */
export function birthdaysOn(date: string): string[] {
  const monthDay = date.slice(5);
  const year = Number(date.slice(0, 4));
  const leap = new Date(Date.UTC(year, 1, 29)).getUTCMonth() === 1;
  return monthDay === "02-28" && !leap ? ["02-28", "02-29"] : [monthDay];
}

/**
 * Awards the birthday bonus to members whose birthday it is in their shop's time zone, at most once a
 * calendar year (keyed by member and year, so a changed birthday cannot earn twice in one year). A bonus due soon
 * after the last one with the birthday changed in between (app/fraud/birthday.ts) is earned all the same, but into
 * a pending lot held for review, and the member is not congratulated. Returns the awards.
 */
export async function awardBirthdays(prisma: PrismaClient, now = new Date()): Promise<number> {
  let awarded = 0;
  for (const shop of await prisma.shop.findMany()) {
    const version = await prisma.programVersion.findFirst({ where: { shopId: shop.id }, orderBy: { version: "desc" } });
    const settings = version ? withDefaults(version.settings as unknown as ProgramSettings) : null;
    if (!settings || settings.birthdayBonus <= 0) continue;
    const today = localDate(now, shop.timezone);
    const members = await prisma.member.findMany({
      where: { shopId: shop.id, birthday: { in: birthdaysOn(today) }, redactedAt: null },
      select: { id: true },
    });
    for (const { id } of members) {
      const key = `birthday:${id}:${today.slice(0, 4)}`;
      awarded += await prisma.$transaction(async (tx) => {
        const member = await lockMemberById(tx, id);
        if (await findEntry(tx, shop.id, key)) return 0;
        const check = await checkBirthdayBonus(tx, shop.id, member.id, now);
        const held = check?.decision.hold === true;
        // Held: pending (earn makes a lot pending only if it becomes available later than the clock), then its
        // availableAt set back to the award, so approving the case makes it spendable at once.
        const pendingDays = held ? Math.max(1, Math.ceil((Date.now() - now.getTime()) / DAY_MS) + 1) : 0;
        const { lotId } = await earn(tx, member, settings.birthdayBonus, { ...settings, pendingDays }, shop.timezone, {
          reason: "Birthday bonus",
          sourceType: "job",
          programVersionId: version!.id,
          idempotencyKey: key,
          occurredAt: now,
        });
        if (held) {
          await tx.lot.update({ where: { id: lotId }, data: { availableAt: now } });
          await holdBirthdayBonus(tx, shop, { memberId: member.id, caseKey: key, check, lotId });
          return 1;
        }
        await recordMessage(tx, {
          shopId: shop.id,
          memberId: member.id,
          kind: "birthday",
          eventKey: key,
          data: { points: settings.birthdayBonus },
        });
        return 1;
      });
    }
  }
  return awarded;
}

/**
 * Staff award a bonus the program defines for an action outside the store. A one-off action is awarded
 * once per member; a repeatable one each time. Audited with the staff member.
 */
export async function awardAction(
  tx: Tx,
  shop: Shop,
  customerId: string,
  actionId: string,
  actor: string,
  now = new Date(),
): Promise<{ points: number }> {
  const program = await currentProgram(tx, shop);
  const action = program.settings.actions.find((a) => a.id === actionId);
  if (!action) throw new BonusRefused(`the program has no action "${actionId}"`);
  const member = await lockMember(tx, shop.id, { customerId });
  const key = action.repeatable
    ? `action:${action.id}:${member.id}:${randomUUID()}`
    : `action:${action.id}:${member.id}`;
  if (await findEntry(tx, shop.id, key))
    throw new BonusRefused(`"${action.name}" was already awarded to this customer`);
  await earn(tx, member, action.points, { ...program.settings, pendingDays: 0 }, shop.timezone, {
    reason: action.name,
    sourceType: "staff",
    sourceId: actor,
    programVersionId: program.version.id,
    idempotencyKey: key,
    occurredAt: now,
  });
  await tx.auditLog.create({
    data: {
      shopId: shop.id,
      actor,
      action: "bonus.awarded",
      subject: `customer ${customerId}`,
      after: { action: action.id, name: action.name, points: action.points },
    },
  });
  return { points: action.points };
}

export type StaffAction = ProgramSettings["actions"][number];

/** Staff define the actions on their own page: the rest of the program is kept, and a new version is saved. */
export async function saveActions(tx: Tx, shop: Shop, actions: StaffAction[], actor: string) {
  const { settings } = await currentProgram(tx, shop);
  return saveProgram(tx, shop, { ...settings, actions }, actor);
}

export interface AwardLine {
  at: string;
  customer: string;
  action: string;
  points: number;
  actor: string;
}

/** The latest staff-action awards, from the audit log (which names the staff member). */
export async function recentAwards(tx: Tx, shopId: string, limit = 20): Promise<AwardLine[]> {
  const rows = await tx.auditLog.findMany({
    where: { shopId, action: "bonus.awarded" },
    orderBy: { id: "desc" },
    take: limit,
  });
  return rows.map((row) => {
    const after = (row.after ?? {}) as { action?: string; points?: number; name?: string };
    return {
      at: row.createdAt.toISOString(),
      customer: (row.subject ?? "").replace(/^customer /, ""),
      action: after.name ?? after.action ?? "",
      points: after.points ?? 0,
      actor: row.actor,
    };
  });
}
