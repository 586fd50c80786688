import { AdminApiError, adminGraphql, numericId, raiseUserErrors, type UserError } from "./graphql.server";
import {
  APP_NAMESPACE,
  FUNCTION_CONFIGURATION_KEY,
  POINTS_DISCOUNT_TITLE,
  POINTS_FUNCTION_HANDLE,
  RESERVATION_KEY,
} from "./contract";

export { AdminApiError, NoOfflineSession } from "./graphql.server";

export const customerGid = (customerId: string) => `gid://shopify/Customer/${customerId}`;

/** What the discount Function reads from the customer: the contract of extensions/points-discount. */
export interface ReservationMetafield {
  v: 1;
  nonce: string;
  points: number;
  amountMinor: number;
  currency: string;
  /** The shop-local date after which the Function ignores it; the app deletes it sooner. */
  expiresOn: string;
}

export async function writeReservationMetafield(shop: string, customerId: string, value: ReservationMetafield) {
  const data = await adminGraphql<{ metafieldsSet: { userErrors: UserError[] } }>(
    shop,
    `#graphql
    mutation TsumikiWriteReservation($metafields: [MetafieldsSetInput!]!) {
      metafieldsSet(metafields: $metafields) {
        metafields { id }
        userErrors { field message code }
      }
    }`,
    {
      metafields: [
        {
          ownerId: customerGid(customerId),
          namespace: APP_NAMESPACE,
          key: RESERVATION_KEY,
          type: "json",
          value: JSON.stringify(value),
        },
      ],
    },
  );
  raiseUserErrors("metafieldsSet", data.metafieldsSet.userErrors);
}

export async function deleteReservationMetafield(shop: string, customerId: string) {
  const data = await adminGraphql<{ metafieldsDelete: { userErrors: UserError[] } }>(
    shop,
    `#graphql
    mutation TsumikiDeleteReservation($metafields: [MetafieldIdentifierInput!]!) {
      metafieldsDelete(metafields: $metafields) {
        deletedMetafields { key namespace ownerId }
        userErrors { field message }
      }
    }`,
    { metafields: [{ ownerId: customerGid(customerId), namespace: APP_NAMESPACE, key: RESERVATION_KEY }] },
  );
  raiseUserErrors("metafieldsDelete", data.metafieldsDelete.userErrors);
}

/** Finds the automatic discount running the points Function, if the shop already has one. */
export async function findPointsDiscount(shop: string): Promise<string | null> {
  const data = await adminGraphql<{
    discountNodes: { nodes: Array<{ id: string; discount: { __typename: string; title?: string } }> };
  }>(
    shop,
    `#graphql
    query TsumikiFindPointsDiscount($query: String!) {
      discountNodes(first: 10, query: $query) {
        nodes { id discount { __typename ... on DiscountAutomaticApp { title } } }
      }
    }`,
    { query: `title:'${POINTS_DISCOUNT_TITLE}'` },
  );
  const node = data.discountNodes.nodes.find(
    (n) => n.discount.__typename === "DiscountAutomaticApp" && n.discount.title === POINTS_DISCOUNT_TITLE,
  );
  return node?.id ?? null;
}

/** Creates the automatic app discount that runs the points Function on every checkout. */
export async function createPointsDiscount(shop: string, maxShareBasisPoints: number, startsAt: Date): Promise<string> {
  const data = await adminGraphql<{
    discountAutomaticAppCreate: { automaticAppDiscount: { discountId: string } | null; userErrors: UserError[] };
  }>(
    shop,
    `#graphql
    mutation TsumikiCreatePointsDiscount($discount: DiscountAutomaticAppInput!) {
      discountAutomaticAppCreate(automaticAppDiscount: $discount) {
        automaticAppDiscount { discountId title }
        userErrors { field message code }
      }
    }`,
    {
      discount: {
        title: POINTS_DISCOUNT_TITLE,
        functionHandle: POINTS_FUNCTION_HANDLE,
        startsAt: startsAt.toISOString(),
        discountClasses: ["ORDER"],
        combinesWith: { orderDiscounts: false, productDiscounts: true, shippingDiscounts: true },
        metafields: [
          {
            namespace: APP_NAMESPACE,
            key: FUNCTION_CONFIGURATION_KEY,
            type: "json",
            value: JSON.stringify({ maxShareBasisPoints }),
          },
        ],
      },
    },
  );
  raiseUserErrors("discountAutomaticAppCreate", data.discountAutomaticAppCreate.userErrors);
  const created = data.discountAutomaticAppCreate.automaticAppDiscount;
  if (!created) throw new AdminApiError("discountAutomaticAppCreate returned no discount");
  return created.discountId;
}

export interface ShopSettings {
  currencyCode: string;
  ianaTimezone: string;
}

/** The shop's currency and time zone: the program's money and the calendar its days follow. */
export async function fetchShopSettings(shop: string): Promise<ShopSettings> {
  const data = await adminGraphql<{ shop: ShopSettings }>(
    shop,
    `#graphql
    query TsumikiShopSettings {
      shop { currencyCode ianaTimezone }
    }`,
    {},
  );
  return data.shop;
}

/** Every product id in a collection, page by page. */
export async function fetchCollectionProductIds(shop: string, collectionId: string): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (;;) {
    const data: {
      collection: {
        products: { nodes: Array<{ id: string }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
      } | null;
    } = await adminGraphql(
      shop,
      `#graphql
      query TsumikiCollectionProducts($id: ID!, $after: String) {
        collection(id: $id) {
          products(first: 250, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } }
        }
      }`,
      { id: `gid://shopify/Collection/${collectionId}`, after },
    );
    if (!data.collection) return ids;
    ids.push(...data.collection.products.nodes.map((node) => numericId(node.id)));
    if (!data.collection.products.pageInfo.hasNextPage) return ids;
    after = data.collection.products.pageInfo.endCursor;
  }
}

export interface RewardDiscount {
  code: string;
  title: string;
  customerId: string;
  /** Decimal amount in the shop currency, as the Decimal scalar takes it. */
  amount: string;
  minimumSubtotal: string | null;
  startsAt: Date;
  endsAt: Date;
}

/**
 * Creates a single-use code for one customer: usable once, only by that customer, only until it ends.
 * Returns the discount node's id.
 */
export async function createRewardDiscount(shop: string, reward: RewardDiscount): Promise<string> {
  const data = await adminGraphql<{
    discountCodeBasicCreate: { codeDiscountNode: { id: string } | null; userErrors: UserError[] };
  }>(
    shop,
    `#graphql
    mutation TsumikiCreateRewardCode($discount: DiscountCodeBasicInput!) {
      discountCodeBasicCreate(basicCodeDiscount: $discount) {
        codeDiscountNode { id }
        userErrors { field message code }
      }
    }`,
    {
      discount: {
        title: reward.title,
        code: reward.code,
        startsAt: reward.startsAt.toISOString(),
        endsAt: reward.endsAt.toISOString(),
        usageLimit: 1,
        appliesOncePerCustomer: true,
        context: { customers: { add: [customerGid(reward.customerId)] } },
        customerGets: {
          value: { discountAmount: { amount: reward.amount, appliesOnEachItem: false } },
          items: { all: true },
        },
        minimumRequirement: reward.minimumSubtotal
          ? { subtotal: { greaterThanOrEqualToSubtotal: reward.minimumSubtotal } }
          : null,
        combinesWith: { orderDiscounts: false, productDiscounts: true, shippingDiscounts: true },
      },
    },
  );
  raiseUserErrors("discountCodeBasicCreate", data.discountCodeBasicCreate.userErrors);
  const node = data.discountCodeBasicCreate.codeDiscountNode;
  if (!node) throw new AdminApiError("discountCodeBasicCreate returned no discount");
  return node.id;
}

/** How often a code was used, or null when Shopify has no such code. */
export async function rewardCodeUsage(shop: string, code: string): Promise<{ id: string; used: number } | null> {
  const data = await adminGraphql<{
    codeDiscountNodeByCode: { id: string; codeDiscount: { __typename: string; asyncUsageCount?: number } } | null;
  }>(
    shop,
    `#graphql
    query TsumikiRewardCodeUsage($code: String!) {
      codeDiscountNodeByCode(code: $code) {
        id
        codeDiscount { __typename ... on DiscountCodeBasic { asyncUsageCount } }
      }
    }`,
    { code },
  );
  const node = data.codeDiscountNodeByCode;
  return node ? { id: node.id, used: node.codeDiscount.asyncUsageCount ?? 0 } : null;
}

/** Deletes a code nobody used, so the points it cost can come back without the code still working. */
export async function deleteRewardDiscount(shop: string, discountId: string): Promise<void> {
  const data = await adminGraphql<{ discountCodeDelete: { userErrors: UserError[] } }>(
    shop,
    `#graphql
    mutation TsumikiDeleteRewardCode($id: ID!) {
      discountCodeDelete(id: $id) {
        deletedCodeDiscountId
        userErrors { field message code }
      }
    }`,
    { id: discountId },
  );
  raiseUserErrors("discountCodeDelete", data.discountCodeDelete.userErrors);
}
