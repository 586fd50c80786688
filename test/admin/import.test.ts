import { beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import * as importRoute from "../../app/routes/app.import";
import { applyImport, resumeImports, type SpotCheckRow } from "../../app/imports/imports.server";
import { BodyTooLarge, withUploadedFile } from "../../app/http/body.server";
import { defaultProgram } from "../../app/program/program";
import { installShop, memberState } from "../support/fixtures";
import { addDays, expiryInstant, localDate, startOfLocalDay } from "../../app/shared/calendar";
import { expectBalancesMatchLedger } from "../support/invariants";
import { callRoute } from "../support/routes";
import { adminRequest, adminUpload, SHOP } from "../support/shopify";

function csvFile(content: string | Uint8Array<ArrayBuffer>, name = "balances.csv"): FormData {
  const form = new FormData();
  form.append("file", new Blob([content], { type: "text/csv" }), name);
  return form;
}

async function upload(content: string | Uint8Array<ArrayBuffer>, name?: string, shop = SHOP, mapping?: unknown) {
  const form = csvFile(content, name);
  if (mapping !== undefined) {
    // As the page sends it: the mapping before the file, which the server streams.
    const file = form.get("file")!;
    form.delete("file");
    form.append("mapping", JSON.stringify(mapping));
    form.append("file", file);
  }
  const response = (await callRoute(importRoute, "action", adminUpload("/app/import", form, shop))) as Response;
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function report(job: string, shop = SHOP, query = "") {
  return (await callRoute(
    importRoute,
    "loader",
    adminRequest("GET", `/app/import?job=${job}${query}`, undefined, shop),
  )) as {
    job: { status: string; appliedRows: number; validRows: number; rejectedRows: number; points: number };
    alreadyImported: number;
    overlapping: number;
    earlierImports: Array<{ job: string; fileName: string; importedAt: string; members: number }>;
    valid: Array<{
      line: number;
      customer: string;
      points: number;
      available: number | null;
      duplicate: boolean;
      earlier: Array<{ fileName: string; importedAt: string }>;
      lots: Array<{ points: number; expiresOn: string }>;
    }>;
    rejected: Array<{ line: number; customer: string; rejected: string }>;
    spotCheck: SpotCheckRow[] | null;
  };
}

async function applyAndWait(job: string, shop = SHOP) {
  const response = (await callRoute(
    importRoute,
    "action",
    adminRequest("POST", "/app/import", { intent: "apply", job }, shop),
  )) as Response;
  expect(response.status).toBe(200);
  for (let i = 0; i < 600; i++) {
    const { job: state } = await report(job, shop);
    if (state.status === "applied") return state;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("import never finished");
}

const importedEntries = () => prisma.ledgerEntry.count({ where: { sourceType: "import" } });

/** Every ledger entry of these customers, and their cached balances: what "nothing changed" compares. */
async function ledgerOf(customerIds: string[]) {
  const entries = await prisma.ledgerEntry.findMany({
    where: { member: { customerId: { in: customerIds } } },
    orderBy: { id: "asc" },
    select: { id: true, points: true, idempotencyKey: true, sourceId: true },
  });
  const members = await prisma.member.findMany({
    where: { customerId: { in: customerIds } },
    orderBy: { customerId: "asc" },
    select: { customerId: true, pointsAvailable: true, pointsPending: true, pointsDebt: true },
  });
  return { entries, members, total: await prisma.ledgerEntry.count() };
}

const balance = async (customerId: string) => (await memberState(customerId))?.pointsAvailable;

async function addMembers(
  rows: Array<{ customerId: string; email?: string; lastName?: string; firstName?: string }>,
  domain = SHOP,
) {
  const shop = await prisma.shop.findUniqueOrThrow({ where: { domain } });
  await prisma.member.createMany({ data: rows.map((row) => ({ shopId: shop.id, ...row })) });
}

describe("importing balances from a CSV", () => {
  beforeAll(async () => {
    await installShop();
    await addMembers([
      { customerId: "5001", email: "aiko@example.jp" },
      { customerId: "5002", email: "bunta@example.jp" },
      { customerId: "5003", email: "chika@example.jp" },
      { customerId: "5004", email: "shared@example.jp" },
      { customerId: "5005", email: "Shared@example.jp" },
    ]);
  });

  it("a dry run shows what would change and every rejected row with its reason, writing no points", async () => {
    const csv = [
      "customer_id,email,points,note",
      "5001,,1200,Paper card",
      ",BUNTA@example.jp,300,",
      "9999,,50,",
      "5003,,-20,",
      ",not-an-email,10,",
      "5001,,5,",
      ",shared@example.jp,10,",
      "5003,,abc,",
    ].join("\r\n");
    const { status, body } = await upload(csv);
    expect(status).toBe(200);
    expect(body).toMatchObject({ totalRows: 8, validRows: 2, rejectedRows: 6, encoding: "utf-8", ignoredColumns: [] });
    const dry = await report(body.job as string);
    expect(dry.job).toMatchObject({ status: "checked", points: 1500, appliedRows: 0 });
    expect(dry.valid.map((row) => [row.line, row.customer, row.points, row.available])).toEqual([
      [2, "5001", 1200, 0],
      [3, "bunta@example.jp", 300, 0],
    ]);
    expect(dry.rejected.map((row) => [row.line, row.rejected])).toEqual([
      [4, "no customer 9999 in this shop: not among its Shopify customers"],
      [5, "negative balance (-20): balances to import are 0 or more"],
      [6, '"not-an-email" is not an email address'],
      [7, "the same customer is already on line 2"],
      [8, "more than one customer has the email shared@example.jp: use the customer id"],
      [9, '"abc" is not a whole number of points'],
    ]);
    expect(await importedEntries()).toBe(0);
    expect((await memberState(5001))?.pointsAvailable).toBe(0);
  });

  it("applying adds the balances once; the same file again changes nothing", async () => {
    const csv = "customer_id,points,note\n5002,700,Stamp card\n5003,40,\n";
    const { body } = await upload(csv);
    const done = await applyAndWait(body.job as string);
    expect(done).toMatchObject({ status: "applied", appliedRows: 2, validRows: 2 });
    expect((await memberState(5002))?.pointsAvailable).toBe(700);
    expect((await memberState(5003))?.pointsAvailable).toBe(40);
    const entry = await prisma.ledgerEntry.findFirstOrThrow({
      where: { sourceType: "import", member: { customerId: "5002" } },
    });
    expect(entry).toMatchObject({ kind: "adjust", points: 700, reason: "Imported balance: Stamp card" });

    const again = await upload(csv);
    expect((await report(again.body.job as string)).alreadyImported).toBe(2);
    await applyAndWait(again.body.job as string);
    expect((await memberState(5002))?.pointsAvailable).toBe(700);
    const audit = await prisma.auditLog.findMany({ where: { action: { startsWith: "import." } } });
    expect(audit.map((a) => a.action)).toEqual([
      "import.started",
      "import.applied",
      "import.started",
      "import.applied",
    ]);
    await expectBalancesMatchLedger();
  });

  it("reads Shift_JIS files with Japanese headers and notes", async () => {
    const text = "顧客ID,氏名,ポイント残高,メモ\r\n5004,山田花子,250,紙のカードから移行\r\n";
    const sjis = shiftJis(text);
    const { body } = await upload(sjis, "残高.csv");
    expect(body).toMatchObject({ encoding: "shift_jis", validRows: 1, ignoredColumns: ["氏名"] });
    await applyAndWait(body.job as string);
    const entry = await prisma.ledgerEntry.findFirstOrThrow({
      where: { sourceType: "import", member: { customerId: "5004" } },
    });
    expect(entry.reason).toBe("Imported balance: 紙のカードから移行");
  });

  it("refuses an empty file, a header alone, a broken file, a missing file and a file over the ceiling, creating no import", async () => {
    const before = await prisma.importJob.count();
    expect((await upload("email,points\n")).body.error).toBe("the file has a header but no rows");
    expect((await upload("")).body.error).toBe("the file is empty");
    const broken = await upload('email,points\naiko@example.jp,5\n"aiko@example.jp,5\n');
    expect(broken.body.error).toMatch(/not a readable CSV file: line 3/);

    const missing = (await callRoute(importRoute, "action", adminUpload("/app/import", new FormData()))) as Response;
    expect(missing.status).toBe(400);

    // A declared size over the 512 MB ceiling is refused before a byte is read.
    const declared = adminUpload("/app/import", csvFile("customer_id,points\n5001,5\n"));
    const headers = new Headers(declared.headers);
    headers.set("Content-Length", String(600 * 1024 * 1024));
    const tooLarge = (await callRoute(
      importRoute,
      "action",
      new Request(declared.url, { method: "POST", headers, body: "unread" }),
    )) as Response;
    expect(tooLarge.status).toBe(413);
    expect(((await tooLarge.json()) as { error: string }).error).toMatch(/larger than 512 MB/);
    expect(await prisma.importJob.count()).toBe(before);
  });

  it("an upload streaming past its limit stops there: the reader never gets more than the limit", async () => {
    let seen = 0;
    const body = new Blob(["x".repeat(10_000)]);
    const request = adminUpload("/app/import", csvFile(new Uint8Array(await body.arrayBuffer())));
    const read = withUploadedFile(request, "file", 4_096, async (file) => {
      for await (const chunk of file.chunks) seen += chunk.byteLength;
    });
    await expect(read).rejects.toBeInstanceOf(BodyTooLarge);
    expect(seen).toBeLessThanOrEqual(4_096);
  });

  it("applies in batches and a restart resumes where it stopped, without doubling anything", async () => {
    const rows = Array.from({ length: 1_200 }, (_, i) => ({ customerId: String(600_000 + i) }));
    await addMembers(rows);
    const csv = `customer_id,points\n${rows.map((row, i) => `${row.customerId},${(i % 7) + 1}`).join("\n")}\n`;
    const { body } = await upload(csv);
    const job = body.job as string;
    // A crash after the first batch: half-applied, status still "applying".
    await prisma.importJob.update({ where: { id: job }, data: { status: "applying" } });
    const first = await prisma.importRow.findMany({ where: { jobId: job }, orderBy: { id: "asc" }, take: 500 });
    await applyImport(prisma, job, "staff:42"); // runs to the end, like the worker after a restart
    await prisma.importJob.update({ where: { id: job }, data: { status: "applying" } });
    await prisma.importRow.updateMany({ where: { id: { in: first.map((r) => r.id) } }, data: { applied: false } });
    expect(await resumeImports(prisma)).toBe(1);
    const total = await prisma.ledgerEntry.aggregate({
      where: { sourceType: "import", sourceId: job },
      _sum: { points: true },
      _count: true,
    });
    expect(total._count).toBe(1_200);
    expect(total._sum.points).toBe(rows.reduce((sum, _, i) => sum + (i % 7) + 1, 0));
    expect((await report(job)).job.status).toBe("applied");
  });

  it("the same rows saved again with LF and no BOM (or re-laid out) credit nothing: balances and ledger unchanged", async () => {
    await addMembers([
      { customerId: "7001", email: "hana@example.jp" },
      { customerId: "7002", email: "jiro@example.jp" },
    ]);
    const crlfBom = "\ufeffcustomer_id,points,note\r\n7001,500,Paper card\r\n7002,800,\r\n";
    const first = await upload(crlfBom, "balances.csv");
    expect(first.body).toMatchObject({ validRows: 2 });
    await applyAndWait(first.body.job as string);
    expect([await balance("7001"), await balance("7002")]).toEqual([500, 800]);
    const before = await ledgerOf(["7001", "7002"]);
    expect(before.entries).toHaveLength(2);

    // The same content in other bytes: LF and no BOM; then other columns, order, quoting, spacing and naming.
    const lf = "customer_id,points,note\n7001,500,Paper card\n7002,800,\n";
    const relaid = 'note,email,ポイント\r\n" paper  CARD ",HANA@example.jp,"500"\r\n\r\n,jiro@example.jp,800.0\r\n\r\n';
    for (const [content, name] of [
      [lf, "balances.csv"],
      [relaid, "balances (2).csv"],
    ]) {
      const again = await upload(content, name);
      const dry = await report(again.body.job as string);
      const done = await applyAndWait(again.body.job as string);
      expect(done).toMatchObject({ status: "applied", appliedRows: 2 });
      expect(await ledgerOf(["7001", "7002"])).toEqual(before);
      // The dry run said so: every row already imported with the same content, every customer holding a balance.
      expect(again.body).toMatchObject({ validRows: 2, alreadyImported: 2, overlapping: 2 });
      expect(dry).toMatchObject({ alreadyImported: 2, overlapping: 2 });
      expect(dry.valid.map((row) => row.duplicate)).toEqual([true, true]);
      expect((await report(again.body.job as string)).alreadyImported).toBe(2);
    }
    const audit = await prisma.auditLog.findFirstOrThrow({
      where: { action: "import.applied" },
      orderBy: { id: "desc" },
    });
    expect(audit.after).toMatchObject({ rows: 2, points: 1300, credited: { rows: 0, points: 0 } });
    expect(first.body).toMatchObject({ alreadyImported: 0, overlapping: 0 });
    await expectBalancesMatchLedger();
  });

  it("the same text in Shift_JIS after UTF-8 credits nothing", async () => {
    await addMembers([{ customerId: "7004" }, { customerId: "7005" }]);
    const text = "顧客ID,ポイント残高,メモ\r\n7004,250,紙のカードから移行\r\n7005,120,\r\n";
    const utf8 = await upload(text, "残高.csv");
    expect(utf8.body).toMatchObject({ encoding: "utf-8", validRows: 2 });
    await applyAndWait(utf8.body.job as string);
    expect([await balance("7004"), await balance("7005")]).toEqual([250, 120]);
    const before = await ledgerOf(["7004", "7005"]);

    const sjis = await upload(shiftJis(text), "残高_sjis.csv");
    expect(sjis.body).toMatchObject({ encoding: "shift_jis", validRows: 2 });
    await applyAndWait(sjis.body.job as string);
    expect(await ledgerOf(["7004", "7005"])).toEqual(before);
    expect(sjis.body.alreadyImported).toBe(2);
    const keys = async (job: unknown) =>
      (await prisma.importRow.findMany({ where: { jobId: job as string }, orderBy: { line: "asc" } })).map(
        (row) => row.creditKey,
      );
    expect(await keys(sjis.body.job)).toEqual(await keys(utf8.body.job));
    await expectBalancesMatchLedger();
  });

  it("a different file overlapping an earlier import: the dry run names that import; identical rows add nothing, the others add on top", async () => {
    await addMembers([{ customerId: "7006" }, { customerId: "7007" }, { customerId: "7008" }]);
    const stamps = await upload("customer_id,points,note\n7006,300,Stamp card\n7007,200,Stamp card\n", "stamps.csv");
    await applyAndWait(stamps.body.job as string);
    const credited = await prisma.ledgerEntry.findFirstOrThrow({ where: { sourceId: stamps.body.job as string } });

    const migration = await upload(
      "customer_id,points,note\r\n7006,300,Stamp card\r\n7007,450,Old app\r\n7008,100,Old app\r\n",
      "migration.csv",
    );
    const dry = await report(migration.body.job as string);
    expect(dry.overlapping).toBe(2);
    expect(dry.alreadyImported).toBe(1);
    expect(dry.earlierImports).toEqual([
      { job: stamps.body.job, fileName: "stamps.csv", importedAt: credited.occurredAt.toISOString(), members: 2 },
    ]);
    const earlier = [{ fileName: "stamps.csv", importedAt: credited.occurredAt.toISOString() }];
    expect(migration.body).toMatchObject({ validRows: 3, alreadyImported: 1, overlapping: 2 });
    expect(dry.valid.map((row) => [row.customer, row.available, row.points, row.duplicate, row.earlier])).toEqual([
      ["7006", 300, 300, true, earlier],
      ["7007", 200, 450, false, earlier],
      ["7008", 0, 100, false, []],
    ]);
    // Japanese too: the page names the earlier import in the merchant's language.
    const ja = (await callRoute(
      importRoute,
      "loader",
      adminRequest("GET", `/app/import?job=${migration.body.job as string}&locale=ja`),
    )) as { locale: string; overlapping: number };
    expect(ja).toMatchObject({ locale: "ja", overlapping: 2 });

    // The merchant was warned: the row with new content for 7007 adds on top; 7006's identical row adds nothing.
    await applyAndWait(migration.body.job as string);
    expect([await balance("7006"), await balance("7007"), await balance("7008")]).toEqual([300, 650, 100]);
    expect(await prisma.ledgerEntry.count({ where: { member: { customerId: "7006" } } })).toBe(1);
    await expectBalancesMatchLedger();
  });

  it("two files with the same content applied at once credit it once: the ledger's unique key is the guarantee", async () => {
    await addMembers([{ customerId: "7009" }, { customerId: "7010" }]);
    const a = await upload("customer_id,points\r\n7009,70\r\n7010,90\r\n", "a.csv");
    const b = await upload('"customer_id","points"\n"7010","90"\n"7009","70"\n', "b.csv");
    await Promise.all([applyAndWait(a.body.job as string), applyAndWait(b.body.job as string)]);
    expect([await balance("7009"), await balance("7010")]).toEqual([70, 90]);
    const entries = await prisma.ledgerEntry.findMany({ where: { member: { customerId: { in: ["7009", "7010"] } } } });
    expect(entries).toHaveLength(2);
    // Both files' rows carry the key of the one credit, and the database refuses a second entry with it.
    const rows = await prisma.importRow.findMany({
      where: { jobId: { in: [a.body.job as string, b.body.job as string] } },
    });
    expect(new Set(rows.map((row) => row.creditKey))).toEqual(new Set(entries.map((entry) => entry.idempotencyKey)));
    await expect(
      prisma.ledgerEntry.create({
        data: { ...entries[0], id: undefined, createdAt: undefined, calculation: undefined },
      }),
    ).rejects.toThrow();
    await expectBalancesMatchLedger();
  });

  it("content credited before content keys existed (keyed by the file's bytes) is not credited again", async () => {
    await addMembers([{ customerId: "7011" }]);
    const old = await upload("customer_id,points,note\r\n7011,640,Paper card\r\n", "old.csv");
    await applyAndWait(old.body.job as string);
    // What an import applied before this change left behind: the file's hash in the key, no content key on the row.
    const entry = await prisma.ledgerEntry.findFirstOrThrow({ where: { sourceId: old.body.job as string } });
    await prisma.ledgerEntry.update({
      where: { id: entry.id },
      data: { idempotencyKey: `import:${"ab".repeat(32)}:${entry.memberId}` },
    });
    await prisma.importRow.updateMany({ where: { jobId: old.body.job as string }, data: { creditKey: null } });

    const again = await upload("customer_id,points,note\n7011,640,paper card\n", "old-resaved.csv");
    expect(again.body).toMatchObject({ alreadyImported: 1, overlapping: 1 });
    await applyAndWait(again.body.job as string);
    expect(await balance("7011")).toBe(640);
    expect(await prisma.ledgerEntry.count({ where: { memberId: entry.memberId } })).toBe(1);
  });
});

const MIGRATION_SHOP = "migration-test.myshopify.com";
const TOKYO = "Asia/Tokyo";

/** A shop-local date `days` from today in Tokyo: dates in these files stay in the future whenever the test runs. */
const inDays = (days: number) => addDays(localDate(new Date(), TOKYO), days);

async function spotCheckOf(job: string, size: number) {
  return (await report(job, MIGRATION_SHOP, `&check=${size}`)).spotCheck!;
}

describe("migrating from another loyalty app", () => {
  let shopId: string;
  beforeAll(async () => {
    shopId = (await installShop(MIGRATION_SHOP, "JPY", TOKYO)).id;
    await prisma.programVersion.create({
      data: {
        shopId,
        version: 2,
        settings: {
          ...defaultProgram("JPY"),
          expiryDays: 365,
          tiers: {
            levels: [
              { id: "silver", name: "Silver", threshold: 10_000, earnExtraPercent: 0, reachBonus: 0 },
              { id: "gold", name: "Gold", threshold: 50_000, earnExtraPercent: 10, reachBonus: 500 },
            ],
            basis: "spend",
            period: "rolling12",
            downgrade: "never",
            graceDays: 30,
          },
        } as never,
      },
    });
    await addMembers(
      Array.from({ length: 30 }, (_, i) => ({ customerId: String(8001 + i), email: `member${8001 + i}@example.jp` })),
      MIGRATION_SHOP,
    );
  });

  const balanceOf = async (customerId: string) => (await memberState(customerId, MIGRATION_SHOP))?.pointsAvailable;

  it("an unknown header asks for a mapping, showing the first rows; checked again with the merchant's mapping, it imports", async () => {
    const expires = inDays(90);
    const csv = `Kunde,Mail,Punkte,Ablauf\n8001,,120,${expires}\n,MEMBER8002@example.jp,80,\n`;
    const first = await upload(csv, "export.csv", MIGRATION_SHOP);
    expect(first).toEqual({
      status: 200,
      body: {
        needsMapping: {
          header: ["Kunde", "Mail", "Punkte", "Ablauf"],
          sample: [
            ["8001", "", "120", expires],
            ["", "MEMBER8002@example.jp", "80", ""],
          ],
          mapping: {},
          missing: ["balance", "customer"],
          encoding: "utf-8",
        },
      },
    });
    expect(await prisma.importJob.count({ where: { shopId } })).toBe(0);

    const bad = await upload(csv, "export.csv", MIGRATION_SHOP, { email: "1" });
    expect(bad).toEqual({ status: 400, body: { error: "map a column to the balance" } });

    const mapped = await upload(csv, "export.csv", MIGRATION_SHOP, {
      customerId: "0",
      email: "1",
      balance: "2",
      expiresOn: "3",
    });
    expect(mapped.body).toMatchObject({ totalRows: 2, validRows: 2, rejectedRows: 0, ignoredColumns: [] });
    const job = await prisma.importJob.findUniqueOrThrow({ where: { id: mapped.body.job as string } });
    expect(job.mapping).toEqual({ customerId: 0, email: 1, balance: 2, expiresOn: 3 });
    await applyAndWait(job.id, MIGRATION_SHOP);
    expect([await balanceOf("8001"), await balanceOf("8002")]).toEqual([120, 80]);
  });

  it("dated parts become lots expiring at the end of their dates in the shop's time zone; the rest expires as earned points do", async () => {
    const [soon, later] = [inDays(30), inDays(200)];
    const csv = `customer_id,points_balance,expiry_lots,note\n8003,1000,300@${soon}; 200@${later},Old app\n8004,400,,\n`;
    const { body } = await upload(csv, "lots.csv", MIGRATION_SHOP);
    expect(body).toMatchObject({ validRows: 2, rejectedRows: 0, recognisedApp: "Smile.io" });
    const dry = await report(body.job as string, MIGRATION_SHOP);
    expect(dry.valid.map((row) => [row.customer, row.points, row.lots])).toEqual([
      [
        "8003",
        1000,
        [
          { points: 300, expiresOn: soon },
          { points: 200, expiresOn: later },
        ],
      ],
      ["8004", 400, []],
    ]);
    await applyAndWait(body.job as string, MIGRATION_SHOP);

    const lotsOf = (customerId: string) =>
      prisma.lot.findMany({
        where: { member: { shopId, customerId } },
        orderBy: { expiresAt: "asc" },
        include: { earnEntry: true },
      });
    const lots = await lotsOf("8003");
    const importedAt = lots[0].earnedAt;
    const programExpiry = expiryInstant(importedAt, 365, TOKYO);
    expect(lots.map((lot) => [lot.amount, lot.remaining, lot.expiresAt?.toISOString()])).toEqual([
      [300, 300, startOfLocalDay(addDays(soon, 1), TOKYO).toISOString()],
      [200, 200, startOfLocalDay(addDays(later, 1), TOKYO).toISOString()],
      [500, 500, programExpiry.toISOString()],
    ]);
    // Midnight in Tokyo is 15:00 UTC the day before: the lot lasts the whole of its date there.
    expect(lots[0].expiresAt!.toISOString()).toBe(`${soon}T15:00:00.000Z`);
    expect(lots.every((lot) => lot.earnEntry.reason === "Imported balance: Old app")).toBe(true);
    expect(await balanceOf("8003")).toBe(1000);
    expect((await lotsOf("8004")).map((lot) => [lot.amount, lot.expiresAt?.toISOString()])).toEqual([
      [400, programExpiry.toISOString()],
    ]);

    // The same rows again add nothing, lots included.
    const again = await upload(csv, "lots (2).csv", MIGRATION_SHOP);
    expect(again.body).toMatchObject({ alreadyImported: 2 });
    await applyAndWait(again.body.job as string, MIGRATION_SHOP);
    expect((await lotsOf("8003")).length).toBe(3);
    expect(await balanceOf("8003")).toBe(1000);
    await expectBalancesMatchLedger();
  });

  it("a row with a negative expiry lot, a past or malformed date or an unknown tier is rejected with its reason and writes nothing", async () => {
    const csv = [
      "customer_id,points,expiry_lots,expiry_date,tier",
      `8005,500,-50@${inDays(30)},,`,
      `8006,500,,2020-01-31,`,
      `8007,500,,31/01/2030,`,
      `8008,100,,,Platinum`,
      `8009,500,300@${inDays(10)};300@${inDays(20)},,`,
      `8010,60,,,`,
    ].join("\n");
    const { body } = await upload(csv, "bad.csv", MIGRATION_SHOP);
    expect(body).toMatchObject({ totalRows: 6, validRows: 1, rejectedRows: 5 });
    const dry = await report(body.job as string, MIGRATION_SHOP);
    expect(dry.rejected.map((row) => [row.customer, row.rejected])).toEqual([
      ["8005", `negative expiry lot (-50 points on ${inDays(30)})`],
      ["8006", "expiry date 2020-01-31 is in the past"],
      ["8007", '"31/01/2030" is not an expiry date (write YYYY-MM-DD)'],
      ["8008", 'unknown tier "Platinum": the program\'s tiers are Silver, Gold'],
      ["8009", "expiry lots add up to 600 points, more than the balance of 500"],
    ]);
    await applyAndWait(body.job as string, MIGRATION_SHOP);
    for (const customerId of ["8005", "8006", "8007", "8008", "8009"]) {
      const member = await memberState(customerId, MIGRATION_SHOP);
      expect(member).toMatchObject({ pointsAvailable: 0, tierId: null });
      expect(await prisma.ledgerEntry.count({ where: { memberId: member!.id } })).toBe(0);
      expect(await prisma.lot.count({ where: { memberId: member!.id } })).toBe(0);
    }
    expect(await balanceOf("8010")).toBe(60);
  });

  it("a tier by name or id is set on the member and recorded as a tier change, without the tier's reaching bonus", async () => {
    const csv = "email,points,vip_tier\nmember8011@example.jp,100,gold\nmember8012@example.jp,0,Silver\n";
    const { body } = await upload(csv, "tiers.csv", MIGRATION_SHOP);
    expect(body).toMatchObject({ validRows: 2 });
    await applyAndWait(body.job as string, MIGRATION_SHOP);
    const gold = await memberState("8011", MIGRATION_SHOP);
    const silver = await memberState("8012", MIGRATION_SHOP);
    expect([gold?.tierId, silver?.tierId]).toEqual(["gold", "silver"]);
    expect([gold?.pointsAvailable, silver?.pointsAvailable]).toEqual([100, 0]);
    const changes = await prisma.tierChange.findMany({ where: { memberId: { in: [gold!.id, silver!.id] } } });
    expect(changes.map((c) => [c.fromTier, c.toTier, c.reason]).sort()).toEqual([
      [null, "gold", "imported from tiers.csv"],
      [null, "silver", "imported from tiers.csv"],
    ]);
    // The member reached Gold in the other app: Gold's 500-point bonus is not paid again.
    expect(await prisma.ledgerEntry.count({ where: { memberId: gold!.id } })).toBe(1);
  });

  it("history lines are passbook entries of 0 points: the balance column stays the truth, and importing again adds nothing", async () => {
    const csv =
      'customer_id,points,history\n8013,120,"2024-05-01 +150 Order #1001; 2024-06-10 -30 Reward\n2024-06-10 -30 Reward"\n';
    const { body } = await upload(csv, "history.csv", MIGRATION_SHOP);
    await applyAndWait(body.job as string, MIGRATION_SHOP);
    const member = await memberState("8013", MIGRATION_SHOP);
    expect(member?.pointsAvailable).toBe(120);
    const entries = await prisma.ledgerEntry.findMany({
      where: { memberId: member!.id },
      orderBy: { occurredAt: "asc" },
    });
    expect(entries.map((e) => [e.points, e.reason, e.occurredAt.toISOString()])).toEqual([
      [0, "Previous app, 2024-05-01: Order #1001 (+150 points, shown only)", "2024-04-30T15:00:00.000Z"],
      [0, "Previous app, 2024-06-10: Reward (-30 points, shown only)", "2024-06-09T15:00:00.000Z"],
      [0, "Previous app, 2024-06-10: Reward (-30 points, shown only)", "2024-06-09T15:00:00.000Z"],
      [120, "Imported balance (history.csv)", expect.any(String)],
    ]);
    const again = await upload(csv, "history.csv", MIGRATION_SHOP);
    await applyAndWait(again.body.job as string, MIGRATION_SHOP);
    expect(await prisma.ledgerEntry.count({ where: { memberId: member!.id } })).toBe(4);
    expect((await memberState("8013", MIGRATION_SHOP))?.pointsAvailable).toBe(120);
    await expectBalancesMatchLedger();
  });

  it("reads a Shift_JIS export with Japanese headers and an expiry date", async () => {
    const expires = inDays(60);
    const { body } = await upload(
      shiftJis(`顧客ID,ポイント残高,有効期限\r\n8014,300,${expires}\r\n`),
      "残高.csv",
      MIGRATION_SHOP,
    );
    expect(body).toMatchObject({ encoding: "shift_jis", validRows: 1 });
    await applyAndWait(body.job as string, MIGRATION_SHOP);
    const lots = await prisma.lot.findMany({ where: { member: { shopId, customerId: "8014" } } });
    expect(lots.map((lot) => [lot.amount, lot.expiresAt?.toISOString()])).toEqual([
      [300, startOfLocalDay(addDays(expires, 1), TOKYO).toISOString()],
    ]);
  });

  it("after applying, a spot-check of N random members shows each imported value against the app's balance and lots", async () => {
    const rows = Array.from({ length: 10 }, (_, i) => 8015 + i);
    const expires = inDays(45);
    const csv = `customer_id,points,expiring_points,expiry_date,tier\n${rows
      .map((id, i) => `${id},${100 * (i + 1)},${i % 2 ? 50 : ""},${i % 2 ? expires : ""},${i === 0 ? "Silver" : ""}`)
      .join("\n")}\n`;
    const { body } = await upload(csv, "spot.csv", MIGRATION_SHOP);
    const job = body.job as string;
    // Before applying there is nothing to check.
    expect((await report(job, MIGRATION_SHOP, "&check=5")).spotCheck).toBeNull();
    await applyAndWait(job, MIGRATION_SHOP);

    const five = await spotCheckOf(job, 5);
    expect(five).toHaveLength(5);
    expect(five.every((row) => row.match && row.problems.length === 0)).toBe(true);
    const all = await spotCheckOf(job, 20);
    expect(all.map((row) => row.customer)).toEqual(rows.map(String));
    const second = all[1];
    expect(second).toMatchObject({
      imported: {
        points: 200,
        lots: [
          { points: 50, expiresOn: expires },
          { points: 150, expiresOn: null },
        ],
      },
      app: { balance: 200 },
      otherActivity: 0,
      match: true,
    });
    expect(second.app.lots).toEqual([
      { points: 50, remaining: 50, expiresOn: expires },
      { points: 150, remaining: 150, expiresOn: expect.any(String) },
    ]);
    expect(all[0]).toMatchObject({ imported: { tierId: "silver" }, app: { tierId: "silver" }, match: true });

    // Something went wrong after the import: a lot shrank and another member's balance moved without an entry.
    const lot = await prisma.lot.findFirstOrThrow({ where: { member: { shopId, customerId: "8016" }, amount: 50 } });
    await prisma.lot.update({ where: { id: lot.id }, data: { amount: 40 } });
    await prisma.member.updateMany({ where: { shopId, customerId: "8017" }, data: { pointsAvailable: 250 } });
    const after = await spotCheckOf(job, 20);
    expect(after.find((row) => row.customer === "8016")).toMatchObject({
      match: false,
      problems: [{ code: "lot", date: expires, expected: 50, found: 40 }],
    });
    expect(after.find((row) => row.customer === "8017")).toMatchObject({
      match: false,
      problems: [{ code: "balance", expected: 300, found: 250 }],
    });
    expect(after.filter((row) => row.match)).toHaveLength(8);
    await prisma.lot.update({ where: { id: lot.id }, data: { amount: 50 } });
    await prisma.member.updateMany({ where: { shopId, customerId: "8017" }, data: { pointsAvailable: 300 } });
  });

  it("balances for 100,000 synced customers who never ordered: the dry run rejects none of them as unknown", async () => {
    // As the customer sync leaves them: a member row per Shopify customer, no order, no ledger entry.
    await prisma.$executeRaw`
      INSERT INTO "Member" (id, "shopId", "customerId", email, "firstName", "lastName", "createdAt", "updatedAt")
      SELECT 'synced-' || g, ${shopId}, (9000000 + g)::text, 'Shopper' || g || '@Example.jp', 'Hanako', 'Yamada' || g,
             now(), now()
      FROM generate_series(1, 100000) AS g`;
    // Half the rows name the customer by id, half by email (in another case than Shopify's).
    const lines = ["customer_id,email,points_balance"];
    for (let g = 1; g <= 100_000; g++) {
      lines.push(g % 2 ? `${9000000 + g},,${g % 500}` : `,shopper${g}@example.jp,${(g % 500) + 1}`);
    }
    const { status, body } = await upload(`${lines.join("\n")}\n`, "smile-export.csv", MIGRATION_SHOP);
    expect(status).toBe(200);
    const unknown = await prisma.importRow.count({
      where: { jobId: body.job as string, rejected: { contains: "not among its Shopify customers" } },
    });
    expect(unknown).toBe(0);
    // Only the rows with a balance of 0 are rejected (nothing to import), for that reason alone.
    const zero = lines.slice(1).filter((line) => line.endsWith(",0")).length;
    expect(body).toMatchObject({ totalRows: 100_000, validRows: 100_000 - zero, rejectedRows: zero });
    expect(
      await prisma.importRow.count({
        where: { jobId: body.job as string, rejected: { not: "balance is 0: nothing to import" } },
      }),
    ).toBe(0);
  }, 120_000);
});

/** Encodes the few characters these tests use as Shift_JIS (Node can decode it but not encode it). */
function shiftJis(text: string): Uint8Array<ArrayBuffer> {
  const table: Record<string, number[]> = {
    顧: [0x8c, 0xda],
    客: [0x8b, 0x71],
    氏: [0x8e, 0x81],
    名: [0x96, 0xbc],
    ポ: [0x83, 0x7c],
    イ: [0x83, 0x43],
    ン: [0x83, 0x93],
    ト: [0x83, 0x67],
    残: [0x8e, 0x63],
    高: [0x8d, 0x82],
    メ: [0x83, 0x81],
    モ: [0x83, 0x82],
    山: [0x8e, 0x52],
    田: [0x93, 0x63],
    花: [0x89, 0xd4],
    子: [0x8e, 0x71],
    紙: [0x8e, 0x86],
    の: [0x82, 0xcc],
    カ: [0x83, 0x4a],
    ー: [0x81, 0x5b],
    ド: [0x83, 0x68],
    か: [0x82, 0xa9],
    ら: [0x82, 0xe7],
    移: [0x88, 0xda],
    行: [0x8d, 0x73],
    有: [0x97, 0x4c],
    効: [0x8c, 0xf8],
    期: [0x8a, 0xfa],
    限: [0x8c, 0xc0],
  };
  const bytes: number[] = [];
  for (const char of text) {
    if (char.charCodeAt(0) < 0x80) bytes.push(char.charCodeAt(0));
    else if (table[char]) bytes.push(...table[char]);
    else throw new Error(`no Shift_JIS bytes for ${char} in this table`);
  }
  const encoded = new Uint8Array(bytes);
  // The table is checked against Node's own Shift_JIS decoder, so a wrong byte pair fails here, not later.
  expect(new TextDecoder("shift_jis").decode(encoded)).toBe(text);
  return encoded;
}
