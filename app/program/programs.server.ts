import { recordForAllMembers } from "../notifications/outbox.server";
import { describeProgramChanges } from "../notifications/program-changes";
import type { ProgramSettings } from "./program";
import { validateProgram, type FieldErrors } from "./program-rules";
import type { Prisma, Shop } from "../generated/prisma/client";
import { currentProgram } from "../shops/shops.server";
import type { Tx } from "../db/transaction.server";

export type SaveResult = { version: number } | { errors: FieldErrors };

/**
 * Saves a program as a new version: earlier orders keep the version they were earned under, so their
 * reversals use the same rules. A rejected save writes nothing; an accepted one is audited with who
 * saved it and the settings before and after.
 */
export async function saveProgram(tx: Tx, shop: Shop, input: ProgramSettings, actor: string): Promise<SaveResult> {
  const checked = validateProgram({ ...input, currency: shop.currency });
  if ("errors" in checked) return checked;
  // Serialises concurrent saves of one shop's program.
  await tx.$queryRaw`SELECT id FROM "Shop" WHERE id = ${shop.id} FOR UPDATE`;
  const before = await currentProgram(tx, shop);
  const version = before.version.version + 1;
  await tx.programVersion.create({
    data: {
      shopId: shop.id,
      version,
      settings: checked.settings as unknown as Prisma.InputJsonValue,
      createdBy: actor,
    },
  });
  await tx.auditLog.create({
    data: {
      shopId: shop.id,
      actor,
      action: "program.saved",
      subject: `program version ${version}`,
      before: before.settings as unknown as Prisma.InputJsonValue,
      after: checked.settings as unknown as Prisma.InputJsonValue,
    },
  });
  // 制度変更の周知: every member is told what changed in how points are earned, expire and are spent, recorded with
  // the version that changes it (one statement for the whole membership).
  const changes = describeProgramChanges(before.settings, checked.settings);
  if (changes.en.length > 0) {
    await recordForAllMembers(tx, {
      shopId: shop.id,
      kind: "program_change",
      eventKey: `program:${version}`,
      data: { effectiveAt: new Date().toISOString(), lines: changes },
    });
  }
  return { version };
}
