import type { LoaderFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { privacyExportCsv } from "../members/privacy-export";
import { auditPrivacyDownload, PrivacyRequestNotFound, privacyRequestExport } from "../members/privacy-requests.server";
import { ensureShop } from "../shops/shops.server";
import { authenticate } from "../shopify.server";
import { permissionRefusal } from "../staff/staff.server";

// GET /app/privacy/:id/json|csv: a customer's data request export, to send to the customer.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const auth = await authenticate.admin(request);
  const { session, sessionToken } = auth;
  const refused = await permissionRefusal(request, auth, "export");
  if (refused) return refused;
  const format = params.format;
  if (format !== "json" && format !== "csv") return Response.json({ error: "download json or csv" }, { status: 404 });
  try {
    const { customerId, receivedAt, data } = await prisma.$transaction(async (tx) => {
      const found = await privacyRequestExport(tx, session.shop, params.id ?? "");
      const shop = await ensureShop(tx, session.shop);
      await auditPrivacyDownload(tx, shop, found.customerId, format, `staff:${sessionToken?.sub ?? "unknown"}`);
      return found;
    });
    const name = `tsumiki-data-request-${customerId}-${receivedAt.toISOString().slice(0, 10)}.${format}`;
    const body = format === "json" ? JSON.stringify(data, null, 2) : privacyExportCsv(data);
    return new Response(body, {
      headers: {
        "Content-Type": format === "json" ? "application/json; charset=utf-8" : "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${name}"`,
        "Cache-Control": "private, no-store",
      },
    });
  } catch (error) {
    if (error instanceof PrivacyRequestNotFound) return Response.json({ error: error.message }, { status: 404 });
    throw error;
  }
};
