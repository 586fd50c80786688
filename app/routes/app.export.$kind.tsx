import type { LoaderFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { exportCsv, parseExportRange, type ExportKind } from "../reports/exports.server";
import { ensureShop } from "../shops/shops.server";
import { authenticate } from "../shopify.server";
import { permissionRefusal } from "../staff/staff.server";

// GET /app/export/ledger|balances?from=YYYY-MM-DD&to=YYYY-MM-DD: a CSV download, streamed.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const auth = await authenticate.admin(request);
  const { session, sessionToken } = auth;
  const refused = await permissionRefusal(request, auth, "export");
  if (refused) return refused;
  const kind = params.kind as ExportKind;
  if (kind !== "ledger" && kind !== "balances") {
    return Response.json({ error: "export ledger or balances" }, { status: 404 });
  }
  const shop = await prisma.$transaction((tx) => ensureShop(tx, session.shop));
  const range = parseExportRange(new URL(request.url).searchParams, shop.timezone);
  if (typeof range === "string") return Response.json({ error: range }, { status: 400 });
  await prisma.auditLog.create({
    data: {
      shopId: shop.id,
      actor: `staff:${sessionToken?.sub ?? "unknown"}`,
      action: `export.${kind}`,
      subject: `${range.from}..${range.to}`,
    },
  });
  return new Response(exportCsv(prisma, shop, kind, range), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="tsumiki-${kind}-${range.from}-${range.to}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
};
