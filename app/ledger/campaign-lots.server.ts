import type { Tx } from "../db/transaction.server";

/** A lot holding a campaign's bonus with an expiry of its own (see `CampaignLot` in the earn's calculation). */
export interface CampaignLotInfo {
  lotId: string;
  earnEntryId: bigint;
  campaignId: string;
  /** The campaign's name when the order earned. */
  name: string;
  expiresAt: Date;
}

/**
 * Which of these lots (by id, or by the entry that earned them) hold a campaign bonus: the lot's earn entry
 * carries the order's calculation with `lot` naming the campaign among its `campaignLots`.
 */
export async function campaignLotsOf(
  tx: Tx,
  lotIds: string[],
  earnEntryIds: bigint[] = [],
): Promise<CampaignLotInfo[]> {
  if (lotIds.length === 0 && earnEntryIds.length === 0) return [];
  return tx.$queryRaw<CampaignLotInfo[]>`
    SELECT l.id AS "lotId", l."earnEntryId", c->>'campaignId' AS "campaignId", c->>'source' AS name, l."expiresAt"
    FROM "Lot" l JOIN "LedgerEntry" e ON e.id = l."earnEntryId"
    CROSS JOIN LATERAL jsonb_array_elements(e.calculation->'campaignLots') c
    WHERE (l.id = ANY(${lotIds}::text[]) OR l."earnEntryId" = ANY(${earnEntryIds}::bigint[]))
      AND l."expiresAt" IS NOT NULL AND e.calculation ->> 'lot' = c->>'campaignId'`;
}
