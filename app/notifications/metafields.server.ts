import type { PrismaClient } from "../generated/prisma/client";
import { AdminApiError, adminGraphql, raiseUserErrors, type UserError } from "../shopify/graphql.server";

/**
 * The customer metafields that show a member's program to email tools (Shopify Email, Klaviyo…), Flow and Liquid
 * themes. A merchant-owned namespace, not the app-owned `$app:tsumiki` the checkout reservation uses: Shopify lets no
 * other app read an app-owned metafield (it removed public access to them), and reading is these fields' purpose.
 * They are copies for display; the ledger stays the truth and the next sync rewrites any edit.
 */
export const MEMBER_METAFIELD_NAMESPACE = "tsumiki";

export const MEMBER_METAFIELDS = {
  balance: { key: "points_balance", type: "number_integer", name: "Loyalty points balance" },
  tier: { key: "tier", type: "single_line_text_field", name: "Loyalty tier" },
  expiryDate: { key: "next_expiry_date", type: "date", name: "Loyalty points next expiry date" },
  expiryPoints: { key: "next_expiry_points", type: "number_integer", name: "Loyalty points expiring next" },
} as const;

/** metafieldsSet takes at most 25 metafields a call: 4 a member, so 6 members. */
const MEMBERS_PER_CALL = 6;

/**
 * Fields of the state string. The unit separator (U+001F) cannot appear in a tier name typed in the admin, so the
 * string splits back into its fields. "v1" names the format: changing what is written changes the version and every
 * member is written again.
 */
const SEPARATOR = "\u001f";
const STATE_VERSION = "v1";
/** The state of a member with nothing to show: a member never written in this state is not written at all. */
const EMPTY_STATE = [STATE_VERSION, "0", "", "", "0"].join(SEPARATOR);

interface MemberMetafieldState {
  id: string;
  customerId: string;
  points: number;
  tier: string | null;
  expiryDate: string | null;
  expiryPoints: number;
  state: string;
  previous: string | null;
}

interface ParsedState {
  tier: string;
  expiryDate: string;
}

function parseState(state: string | null): ParsedState {
  const [, , tier = "", expiryDate = ""] = (state ?? EMPTY_STATE).split(SEPARATOR);
  return { tier, expiryDate };
}

/**
 * The members of a shop whose metafields are out of date, with what they should say. The state is computed in the
 * database so that only the members who changed leave it. The tier is named by the latest program version (a tier
 * renamed there is renamed on every member); the next expiry is the shop-local last day of the earliest lot still
 * holding points, with all points ending that day.
 */
function staleMembers(prisma: PrismaClient, shopId: string, timezone: string, now: Date, limit: number) {
  return prisma.$queryRaw<MemberMetafieldState[]>`
    WITH program AS (
      SELECT COALESCE(settings->'tiers'->'levels', '[]'::jsonb) AS levels
      FROM "ProgramVersion" WHERE "shopId" = ${shopId} ORDER BY version DESC LIMIT 1
    ),
    current AS (
      SELECT m.id, m."customerId", m."pointsAvailable" AS points, m."metafieldsState" AS previous,
        (SELECT level->>'name' FROM program, jsonb_array_elements(program.levels) AS level
         WHERE level->>'id' = m."tierId" LIMIT 1) AS tier,
        next.day AS "expiryDate", COALESCE(next.points, 0) AS "expiryPoints"
      FROM "Member" m
      LEFT JOIN LATERAL (
        SELECT day, SUM(remaining)::int AS points
        FROM (
          -- A lot expires at the first instant after its last day: that day is the one a shopper is told.
          SELECT to_char(((l."expiresAt" - interval '1 millisecond') AT TIME ZONE 'UTC') AT TIME ZONE ${timezone},
                         'YYYY-MM-DD') AS day, l.remaining
          FROM "Lot" l
          WHERE l."memberId" = m.id AND l.remaining > 0 AND l."expiresAt" IS NOT NULL AND l."expiresAt" > ${now}
        ) lots
        GROUP BY day ORDER BY day LIMIT 1
      ) next ON true
      WHERE m."shopId" = ${shopId} AND m."redactedAt" IS NULL
    ),
    stated AS (
      SELECT *, concat_ws(${SEPARATOR}, ${STATE_VERSION}::text, points::text, COALESCE(tier, ''),
                          COALESCE("expiryDate", ''), "expiryPoints"::text) AS state
      FROM current
    )
    SELECT id, "customerId", points, tier, "expiryDate", "expiryPoints", state, previous
    FROM stated
    WHERE state <> COALESCE(previous, ${EMPTY_STATE})
    ORDER BY id
    LIMIT ${limit}`;
}

const customerGid = (customerId: string) => `gid://shopify/Customer/${customerId}`;

interface MetafieldInput {
  ownerId: string;
  namespace: string;
  key: string;
  type: string;
  value: string;
}

interface MetafieldIdentifier {
  ownerId: string;
  namespace: string;
  key: string;
}

/** What to write for one member, and what to remove: a metafield cannot hold "no tier" or "no expiry". */
function memberWrites(member: MemberMetafieldState): { set: MetafieldInput[]; remove: MetafieldIdentifier[] } {
  const ownerId = customerGid(member.customerId);
  const field = (spec: (typeof MEMBER_METAFIELDS)[keyof typeof MEMBER_METAFIELDS], value: string): MetafieldInput => ({
    ownerId,
    namespace: MEMBER_METAFIELD_NAMESPACE,
    key: spec.key,
    type: spec.type,
    value,
  });
  const identifier = (spec: (typeof MEMBER_METAFIELDS)[keyof typeof MEMBER_METAFIELDS]): MetafieldIdentifier => ({
    ownerId,
    namespace: MEMBER_METAFIELD_NAMESPACE,
    key: spec.key,
  });
  const set = [field(MEMBER_METAFIELDS.balance, String(member.points))];
  const remove: MetafieldIdentifier[] = [];
  // Only what an earlier write put there needs removing; a member never written has nothing to remove.
  const previous = parseState(member.previous);
  if (member.tier) set.push(field(MEMBER_METAFIELDS.tier, member.tier));
  else if (previous.tier) remove.push(identifier(MEMBER_METAFIELDS.tier));
  if (member.expiryDate) {
    set.push(field(MEMBER_METAFIELDS.expiryDate, member.expiryDate));
    set.push(field(MEMBER_METAFIELDS.expiryPoints, String(member.expiryPoints)));
  } else if (previous.expiryDate) {
    remove.push(identifier(MEMBER_METAFIELDS.expiryDate), identifier(MEMBER_METAFIELDS.expiryPoints));
  }
  return { set, remove };
}

export const WRITE_MEMBER_METAFIELDS = `#graphql
  mutation TsumikiWriteMemberMetafields($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields { id }
      userErrors { field message code elementIndex }
    }
  }`;

export const DELETE_MEMBER_METAFIELDS = `#graphql
  mutation TsumikiDeleteMemberMetafields($metafields: [MetafieldIdentifierInput!]!) {
    metafieldsDelete(metafields: $metafields) {
      deletedMetafields { key namespace ownerId }
      userErrors { field message }
    }
  }`;

/** Shopify refused what was sent (a userError), as opposed to not answering: worth trying members one by one. */
class MetafieldsRefused extends AdminApiError {}

function refuseOn(operation: string, errors: UserError[]): void {
  if (errors.length > 0) throw new MetafieldsRefused(`${operation}: ${errors.map((e) => e.message).join("; ")}`);
}

/** Writes a group of members' metafields in one call (and one removal call when needed); throws if Shopify refuses. */
async function writeMembers(domain: string, members: MemberMetafieldState[]): Promise<void> {
  const writes = members.map(memberWrites);
  const set = writes.flatMap((write) => write.set);
  const remove = writes.flatMap((write) => write.remove);
  const written = await adminGraphql<{ metafieldsSet: { userErrors: UserError[] } }>(domain, WRITE_MEMBER_METAFIELDS, {
    metafields: set,
  });
  refuseOn("metafieldsSet", written.metafieldsSet.userErrors);
  if (remove.length > 0) {
    const removed = await adminGraphql<{ metafieldsDelete: { userErrors: UserError[] } }>(
      domain,
      DELETE_MEMBER_METAFIELDS,
      { metafields: remove },
    );
    refuseOn("metafieldsDelete", removed.metafieldsDelete.userErrors);
  }
}

async function storeStates(prisma: PrismaClient, members: MemberMetafieldState[]): Promise<void> {
  // The state written, not the member's state now: a change made meanwhile differs from it and is written next run.
  await prisma.$transaction(
    members.map((member) =>
      prisma.member.update({ where: { id: member.id }, data: { metafieldsState: member.state } }),
    ),
  );
}

/**
 * Keeps members' customer metafields (balance, tier, next expiry and its points) current, writing only members whose
 * state changed since the last write, up to `batch` members a run. Shops are taken in turn with what is left of the
 * batch, so one shop Shopify refuses (uninstalled, an outage) does not hold back the others. Returns how many members
 * were written.
 */
export async function syncMemberMetafields(prisma: PrismaClient, now = new Date(), batch = 250): Promise<number> {
  const shops = await prisma.shop.findMany({
    where: { uninstalledAt: null },
    select: { id: true, domain: true, timezone: true },
    orderBy: { id: "asc" },
  });
  let written = 0;
  for (const shop of shops) {
    if (written >= batch) break;
    const members = await staleMembers(prisma, shop.id, shop.timezone, now, batch - written);
    try {
      for (let start = 0; start < members.length; start += MEMBERS_PER_CALL) {
        written += await writeGroup(prisma, shop.domain, members.slice(start, start + MEMBERS_PER_CALL));
      }
    } catch (error) {
      if (!(error instanceof AdminApiError)) throw error;
      // No offline session, or Shopify not answering: the rest of this shop waits for the next run, the other shops
      // go on.
      console.warn(`member metafields not written for ${shop.domain}: ${error.message}`);
    }
  }
  return written;
}

/** Writes one group and stores its states; returns how many members were written. */
async function writeGroup(prisma: PrismaClient, domain: string, group: MemberMetafieldState[]): Promise<number> {
  try {
    await writeMembers(domain, group);
    await storeStates(prisma, group);
    return group.length;
  } catch (error) {
    if (!(error instanceof MetafieldsRefused)) throw error;
    if (group.length === 1) {
      // Stays stale, so it is tried again next run (its customer may have been deleted, and a redaction follows).
      console.warn(`member metafields refused for ${domain}, member ${group[0].id}: ${error.message}`);
      return 0;
    }
    // One member's customer may be gone while the others are fine: each is tried alone.
    let written = 0;
    for (const member of group) written += await writeGroup(prisma, domain, [member]);
    // Every member refused is the shop refusing (a scope taken away): the rest of the shop would be refused alike.
    if (written === 0) throw error;
    return written;
  }
}

export const CREATE_MEMBER_METAFIELD_DEFINITION = `#graphql
  mutation TsumikiCreateMemberMetafieldDefinition($definition: MetafieldDefinitionInput!) {
    metafieldDefinitionCreate(definition: $definition) {
      createdDefinition { id }
      userErrors { field message code }
    }
  }`;

/**
 * Gives the member metafields their definitions, so the Shopify admin shows them typed on the customer page and
 * email tools list them. Safe to run on every install: a definition the shop already has is refused as TAKEN and kept.
 */
export async function ensureMemberMetafieldDefinitions(domain: string): Promise<void> {
  for (const spec of Object.values(MEMBER_METAFIELDS)) {
    const data = await adminGraphql<{
      metafieldDefinitionCreate: { userErrors: Array<UserError & { code?: string | null }> };
    }>(domain, CREATE_MEMBER_METAFIELD_DEFINITION, {
      definition: {
        ownerType: "CUSTOMER",
        namespace: MEMBER_METAFIELD_NAMESPACE,
        key: spec.key,
        type: spec.type,
        name: spec.name,
        description: "Kept current by Tsumiki; edits are overwritten.",
      },
    });
    raiseUserErrors(
      "metafieldDefinitionCreate",
      data.metafieldDefinitionCreate.userErrors.filter((error) => error.code !== "TAKEN"),
    );
  }
}
