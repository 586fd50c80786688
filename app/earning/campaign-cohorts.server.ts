import type { PrismaClient } from "../generated/prisma/client";
import { withDefaults, type ProgramSettings } from "../program/program";
import { localStampInstant } from "../shared/calendar";

/**
 * Assigns each started campaign's cohort: every member eligible when a campaign with a control group starts is put in
 * its treatment or control group at once, at random with its holdout share, and marked as the cohort. The campaign
 * report compares the cohort's two groups, buyers and non-buyers alike, so it measures whether the campaign made
 * members buy at all; comparing only members assigned at their first order would compare the buyers the campaign
 * made with the buyers the control group happened to have.
 *
 * Eligible: a member who existed before the start, in the campaign's tiers and customer tags, not blocked or redacted,
 * and (in a program members join) joined. A member already assigned at an order keeps their group and joins the cohort.
 * Once per campaign: a campaign with cohort members is skipped, and a second run in the same minute finds them (the
 * insert yields to the unique key). Members who join or become eligible later are assigned at their first order,
 * outside the cohort. Returns the members assigned.
 */
export async function assignCampaignCohorts(prisma: PrismaClient, now: Date): Promise<number> {
  let assigned = 0;
  // Each installed shop's current program, in one statement every minute (the unique (shopId, version) index
  // serves it); Prisma's `distinct` would read every version of every shop and drop the old ones in memory.
  const versions = await prisma.$queryRaw<Array<{ shopId: string; timezone: string; settings: unknown }>>`
    SELECT DISTINCT ON (v."shopId") v."shopId", s.timezone, v.settings
    FROM "ProgramVersion" v JOIN "Shop" s ON s.id = v."shopId"
    WHERE s."uninstalledAt" IS NULL
    ORDER BY v."shopId", v.version DESC`;
  for (const version of versions) {
    const settings = withDefaults(version.settings as ProgramSettings);
    for (const campaign of settings.campaigns ?? []) {
      const percent = campaign.holdoutPercent ?? 0;
      if (campaign.draft || percent <= 0) continue;
      const start = localStampInstant(campaign.startsAt, version.timezone);
      const end = localStampInstant(campaign.endsAt, version.timezone);
      if (!start || !end || start > now || end <= now) continue;
      const done = await prisma.campaignAssignment.findFirst({
        where: { shopId: version.shopId, campaignId: campaign.id, cohort: true },
        select: { id: true },
      });
      if (done) continue;
      const tierIds = campaign.tierIds ?? [];
      const tags = campaign.customerTags ?? [];
      const joinOnly = settings.membership.mode === "join";
      // random() is uniform on [0, 1): a whole holdout percent of the cohort lands below it, as at an order.
      assigned += await prisma.$executeRaw`
        INSERT INTO "CampaignAssignment" (id, "shopId", "campaignId", "memberId", "group", cohort, "assignedAt")
        SELECT gen_random_uuid()::text, m."shopId", ${campaign.id}, m.id,
               (CASE WHEN random() * 100 < ${percent} THEN 'control' ELSE 'treatment' END)::"CampaignGroup",
               true, ${now}
        FROM "Member" m
        WHERE m."shopId" = ${version.shopId} AND m."createdAt" < ${start}
          AND m."redactedAt" IS NULL AND m."blockedAt" IS NULL
          AND (cardinality(${tierIds}::text[]) = 0 OR m."tierId" = ANY(${tierIds}::text[]))
          AND (cardinality(${tags}::text[]) = 0 OR m.tags && ${tags}::text[])
          AND (NOT ${joinOnly} OR (m."joinedAt" IS NOT NULL AND m."leftAt" IS NULL))
        ON CONFLICT ("shopId", "campaignId", "memberId") DO UPDATE SET cohort = true`;
    }
  }
  return assigned;
}
