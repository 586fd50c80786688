import { beforeAll, describe, expect, it } from "vitest";
import { parseCsv } from "../../app/shared/csv";
import prisma from "../../app/db.server";
import * as auditRoute from "../../app/routes/app.audit";
import * as exportRoute from "../../app/routes/app.export.$kind";
import * as exportPage from "../../app/routes/app.export._index";
import * as passbookRoute from "../../app/routes/app.customers.$id";
import type { AuditLine } from "../../app/reports/audit.server";
import { installShop, orderPayload } from "../support/fixtures";
import { callRoute, deliver } from "../support/routes";
import { adminRequest } from "../support/shopify";

const DAY = 86_400_000;

async function download(kind: string, query = "") {
  const response = (await callRoute(exportRoute, "loader", adminRequest("GET", `/app/export/${kind}?${query}`), {
    kind,
  })) as Response;
  return response;
}

async function rowsOf(response: Response) {
  expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
  const [header, ...rows] = parseCsv(await response.text()).map((row) => row.fields);
  return rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i]])));
}

const tokyoDate = (at: Date) => new Date(at.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);

describe("CSV export", () => {
  beforeAll(async () => {
    await installShop();
    const old = new Date(Date.now() - 40 * DAY);
    await deliver("orders/paid", orderPayload({ customerId: 8801, total: "10000", processedAt: old.toISOString() }));
    await deliver("orders/paid", orderPayload({ customerId: 8801, total: "5000" }));
    const order = orderPayload({ customerId: 8802, total: "3000" });
    order.customer = { ...order.customer!, email: "=cmd@example.jp" };
    await deliver("orders/paid", order);
  });

  it("streams the ledger for a date range, every column, with a BOM for Excel", async () => {
    const response = await download("ledger");
    expect(response.headers.get("Content-Disposition")).toMatch(/attachment; filename="tsumiki-ledger-/);
    const bytes = new Uint8Array(await response.clone().arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = await rowsOf(response);
    // The default range is the last 30 days: the 40-day-old order is outside.
    expect(rows.map((r) => [r.customer_id, r.kind, r.points])).toEqual([
      ["8801", "earn", "50"],
      ["8802", "earn", "30"],
    ]);
    expect(rows[1].email).toBe("'=cmd@example.jp"); // never a formula in Excel
    expect(rows[0].order_name).toMatch(/^#\d+$/);

    const all = await rowsOf(await download("ledger", `from=${tokyoDate(new Date(Date.now() - 60 * DAY))}`));
    expect(all).toHaveLength(3);
  });

  it("exports each member's balance as of the range's end, summed from the ledger", async () => {
    const past = tokyoDate(new Date(Date.now() - 20 * DAY));
    const then = await rowsOf(await download("balances", `from=2020-01-01&to=${past}`));
    expect(then.map((r) => [r.customer_id, r.available])).toEqual(
      expect.arrayContaining([
        ["8801", "100"],
        ["8802", "0"],
      ]),
    );
    const now = await rowsOf(await download("balances"));
    const cached = await prisma.member.findMany({ select: { customerId: true, pointsAvailable: true } });
    expect(Object.fromEntries(now.map((r) => [r.customer_id, Number(r.available)]))).toEqual(
      Object.fromEntries(cached.map((m) => [m.customerId, m.pointsAvailable])),
    );
  });

  it("the export page offers the last 30 shop-local days", async () => {
    const page = (await callRoute(exportPage, "loader", adminRequest("GET", "/app/export?locale=ja"))) as {
      locale: string;
      from: string;
      to: string;
    };
    expect(page).toEqual({ locale: "ja", from: expect.any(String), to: tokyoDate(new Date()) });
    expect((Date.parse(page.to) - Date.parse(page.from)) / DAY).toBe(29);
  });

  it("refuses a bad range or kind with the reason", async () => {
    expect(await (await download("ledger", "from=yesterday")).json()).toEqual({ error: "dates must be YYYY-MM-DD" });
    expect((await download("ledger", "from=2026-02-01&to=2026-01-01")).status).toBe(400);
    expect((await download("orders")).status).toBe(404);
  });
});

describe("the audit log", () => {
  beforeAll(async () => {
    await installShop();
  });

  it("records staff actions with who did them and filters by action, staff and subject", async () => {
    await deliver("orders/paid", orderPayload({ customerId: 8901, total: "10000" }));
    const member = await prisma.member.findFirstOrThrow({ where: { customerId: "8901" } });
    const act = (body: unknown, staff: string) =>
      callRoute(passbookRoute, "action", adminRequest("POST", `/app/customers/${member.id}`, body, undefined, staff), {
        id: member.id,
      });
    await act({ intent: "adjust", points: "10", reason: "Birthday gift", key: "audit-key-1" }, "11");
    await act({ intent: "block", reason: "Suspicious orders" }, "12");
    await download("balances");

    const list = async (query: string) =>
      (await callRoute(auditRoute, "loader", adminRequest("GET", `/app/audit?${query}`))) as {
        lines: AuditLine[];
        actions: string[];
      };
    const all = await list("");
    // Newest first (the export tests above left entries of their own further down).
    expect(all.lines.slice(0, 3).map((l) => l.action)).toEqual([
      "export.balances",
      "member.blocked",
      "member.adjusted",
    ]);
    expect(all.actions).toEqual(["export.balances", "export.ledger", "member.adjusted", "member.blocked"]);
    expect((await list("action=member")).lines.map((l) => l.action)).toEqual(["member.blocked", "member.adjusted"]);
    expect((await list("actor=staff:12")).lines.map((l) => l.action)).toEqual(["member.blocked"]);
    expect((await list("subject=customer%208901")).lines).toHaveLength(2);
    expect((await list("action=member.adjusted")).lines[0].after).toMatchObject({
      points: 10,
      reason: "Birthday gift",
    });
    const bad = (await callRoute(auditRoute, "loader", adminRequest("GET", "/app/audit?before=x"))) as Response;
    expect(bad.status).toBe(400);
  });
});
