import { describe, expect, it } from "vitest";
import { localAdminAnswer, localMetafield } from "../app/local/local-admin-api.server";
import { ajaxCart, previewCart, previewCheckout, updateAttributes } from "../app/local/local-cart.server";

const OPTIONS = {
  maxShareBasisPoints: 5000,
  timezone: "Asia/Tokyo",
  locale: "en",
  now: new Date("2026-11-30T05:00:00Z"),
};

/** The reservation metafield as the app writes it through the (local) Admin API. */
function reserve(customerId: string, nonce: string, points: number) {
  localAdminAnswer("TsumikiWriteReservation", {
    metafields: [
      {
        ownerId: `gid://shopify/Customer/${customerId}`,
        namespace: "$app:tsumiki",
        key: "reservation",
        type: "json",
        value: JSON.stringify({ v: 1, nonce, points, amountMinor: points, currency: "JPY", expiresOn: "2026-11-30" }),
      },
    ],
  });
}

describe("the storefront preview's cart and stand-in checkout", () => {
  it("the cart answers as /cart.js does (hundredths of a yen) and update.js sets and removes attributes", () => {
    const { cart, setCookie } = previewCart(new Request("http://127.0.0.1/local/storefront/cart"));
    expect(setCookie).toMatch(/^tsumiki_preview_cart=[\w-]+; Path=\/local/);
    const again = previewCart(new Request("http://127.0.0.1/", { headers: { Cookie: setCookie!.split(";")[0] } }));
    expect(again.cart).toBe(cart);
    expect(ajaxCart(cart)).toMatchObject({ items_subtotal_price: 900_000, currency: "JPY", attributes: {} });
    updateAttributes(cart, { _tsumiki_reservation: "n-1" });
    expect(ajaxCart(cart).attributes).toEqual({ _tsumiki_reservation: "n-1" });
    updateAttributes(cart, { _tsumiki_reservation: "" });
    expect(ajaxCart(cart).attributes).toEqual({});
  });

  it("runs the real Function: ¥500 off a ¥9,000 cart only while the cart carries the reservation's nonce", () => {
    const { cart } = previewCart(new Request("http://127.0.0.1/"));
    reserve("1001", "nonce-500", 500);
    expect(previewCheckout(cart, "1001", OPTIONS)).toEqual({ subtotal: 9000, discounts: [], total: 9000 });
    updateAttributes(cart, { _tsumiki_reservation: "nonce-500" });
    expect(previewCheckout(cart, "1001", OPTIONS)).toEqual({
      subtotal: 9000,
      discounts: [{ message: "Points redemption (500 points)", amount: 500 }],
      total: 8500,
    });
    expect(previewCheckout(cart, "1001", { ...OPTIONS, locale: "ja" }).discounts[0].message).toBe(
      "ポイント利用（500ポイント）",
    );
    // Another customer's checkout, or a guest's, has no such reservation.
    expect(previewCheckout(cart, "1002", OPTIONS).total).toBe(9000);
    expect(previewCheckout(cart, null, OPTIONS).total).toBe(9000);
    // Released: the app deleted the metafield, and the stale nonce takes nothing off.
    localAdminAnswer("TsumikiDeleteReservation", {
      metafields: [{ ownerId: "gid://shopify/Customer/1001", namespace: "$app:tsumiki", key: "reservation" }],
    });
    expect(localMetafield("gid://shopify/Customer/1001", "$app:tsumiki", "reservation")).toBeNull();
    expect(previewCheckout(cart, "1001", OPTIONS).total).toBe(9000);
  });

  it("the preview's cart pages do not exist outside local mode", async () => {
    const modules = [
      await import("../app/routes/local.storefront_.cart"),
      await import("../app/routes/local.storefront_.cart[.]js"),
      await import("../app/routes/local.storefront_.checkout"),
    ];
    for (const { loader } of modules) {
      const response = await Promise.resolve()
        .then(() => loader({ request: new Request("http://127.0.0.1/"), params: {}, context: {} } as never))
        .catch((thrown: unknown) => thrown as Response);
      expect((response as Response).status).toBe(404);
    }
    const { action } = await import("../app/routes/local.storefront_.cart_.update[.]js");
    const refused = await Promise.resolve()
      .then(() =>
        action({ request: new Request("http://127.0.0.1/", { method: "POST" }), params: {}, context: {} } as never),
      )
      .catch((thrown: unknown) => thrown as Response);
    expect((refused as Response).status).toBe(404);
  });
});
