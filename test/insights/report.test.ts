import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import type { Shop } from "../../app/generated/prisma/client";
import { adjust, earn } from "../../app/ledger/ledger.server";
import { lockMember } from "../../app/members/members.server";
import { describeProgram } from "../../app/program/program-rules";
import { currentProgram } from "../../app/shops/shops.server";
import { localDate, startOfLocalDay } from "../../app/shared/calendar";
import { lastMonth, monthRange, shiftPeriod } from "../../app/insights/monthly-figures.server";
import { languageModelFromEnv } from "../../app/insights/language-model.server";
import { parseRejection } from "../../app/insights/rejection";
import { monthlyReport, PROGRAM_SUMMARY, writeMonthlyReports } from "../../app/insights/reports.server";
import { monthlyReportText, type MonthlyFigures } from "../../app/insights/report-text";
import * as programRoute from "../../app/routes/app.program";
import * as reportRoute from "../../app/routes/app.insights.report";
import { happyAdmin, resetAdminApi } from "../support/admin-api";
import { installShop, orderPayload } from "../support/fixtures";
import { deliver } from "../support/routes";
import { adminRequest } from "../support/shopify";

const SHOP = "report-test.myshopify.com";
const TZ = "Asia/Tokyo";

/** A chat-completions endpoint on a local port that answers as told, and remembers what it was sent. */
type Behaviour = "keep numbers" | "change a number" | "fail" | "hang";
interface StubRequest {
  path: string;
  authorization: string | undefined;
  model: string;
  draft: string;
}

/**
 * One figure off by a little, as a careless rewrite would: the first thousands-grouped number ("￥17,400" becomes
 * "￥17,401"), else the first number.
 */
function changeOneNumber(text: string): { text: string; changed: string } {
  const match = /\d{1,3}(?:,\d{3})+/.exec(text) ?? /\d+/.exec(text);
  if (!match) throw new Error(`no number to change in ${text}`);
  const changed = match[0].slice(0, -1) + String((Number(match[0].slice(-1)) + 1) % 10);
  return { text: text.replace(match[0], changed), changed };
}

/** A readable rewrite that keeps the numbers: a new opening, the paragraphs in another order. */
function keepNumbers(text: string): string {
  return ["Rewritten for readability.", ...text.split("\n\n").reverse()].join("\n\n");
}

const stub = {
  behaviour: "keep numbers" as Behaviour,
  requests: [] as StubRequest[],
  server: null as Server | null,
  url: "",
};

function startStub(): Promise<void> {
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      const parsed = JSON.parse(body) as { model: string; messages: Array<{ role: string; content: string }> };
      const draft = parsed.messages.find((message) => message.role === "user")?.content ?? "";
      stub.requests.push({
        path: request.url ?? "",
        authorization: request.headers.authorization,
        model: parsed.model,
        draft,
      });
      if (stub.behaviour === "hang") return;
      if (stub.behaviour === "fail") {
        response.writeHead(500, { "Content-Type": "application/json" }).end('{"error":{"message":"overloaded"}}');
        return;
      }
      let content: string;
      try {
        content = stub.behaviour === "keep numbers" ? keepNumbers(draft) : changeOneNumber(draft).text;
      } catch {
        response.writeHead(500).end();
        return;
      }
      response
        .writeHead(200, { "Content-Type": "application/json" })
        .end(JSON.stringify({ choices: [{ index: 0, message: { role: "assistant", content } }] }));
    });
  });
  stub.server = server;
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
      resolve();
    }),
  );
}

const LLM_KEYS = ["LLM_BASE_URL", "LLM_MODEL", "LLM_API_KEY"] as const;
const savedEnv = Object.fromEntries(LLM_KEYS.map((key) => [key, process.env[key]]));

function useModel(baseUrl = stub.url) {
  process.env.LLM_BASE_URL = baseUrl;
  process.env.LLM_MODEL = "stub-model";
  process.env.LLM_API_KEY = "test-key";
}

async function run(handler: (args: never) => Promise<unknown>, request: Request): Promise<unknown> {
  try {
    return await handler({ request, params: {}, context: {} } as never);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

type ReportData = Awaited<ReturnType<typeof reportRoute.loader>>;
type ProgramData = Awaited<ReturnType<typeof programRoute.loader>>;

const reportPage = (period: string, lang: string) =>
  run(
    reportRoute.loader,
    adminRequest("GET", `/app/insights/report?month=${period}&lang=${lang}`, undefined, SHOP),
  ) as Promise<ReportData>;
const regenerate = (period: string, lang: string) =>
  run(
    reportRoute.action,
    adminRequest("POST", "/app/insights/report", { month: period, lang }, SHOP),
  ) as Promise<Response>;
const programPage = () =>
  run(programRoute.loader, adminRequest("GET", "/app/program?locale=ja", undefined, SHOP)) as Promise<ProgramData>;

let shop: Shop;
let period: string;

/** Ledger entries through the ledger's own API, dated inside the month. */
async function ledgerActivity(customerId: string, at: Date, earned: number, adjusted: number) {
  await prisma.$transaction(async (tx) => {
    const { settings } = await currentProgram(tx, shop);
    let member = await lockMember(tx, shop.id, { customerId });
    await earn(tx, member, earned, settings, TZ, {
      reason: "Welcome gift",
      sourceType: "job",
      idempotencyKey: `report-earn-${customerId}`,
      occurredAt: at,
    });
    member = await lockMember(tx, shop.id, { customerId });
    await adjust(tx, member, adjusted, settings, TZ, {
      reason: "Goodwill",
      sourceType: "staff",
      idempotencyKey: `report-adjust-${customerId}`,
      occurredAt: at,
    });
  });
}

beforeAll(async () => {
  resetAdminApi(happyAdmin);
  shop = await installShop(SHOP, "JPY", TZ);
  period = lastMonth(new Date(), TZ);
  const { from } = monthRange(period, TZ);
  const day = (n: number) => new Date(from.getTime() + n * 24 * 60 * 60 * 1000 + 3 * 60 * 60 * 1000);
  // Two members' orders last month, through the real webhook route.
  for (const [customerId, total, n] of [
    [52001, "5400", 2],
    [52002, "12000", 9],
  ] as const) {
    const response = await deliver(
      "orders/paid",
      orderPayload({ customerId, total, processedAt: day(n).toISOString() }),
      { shop: SHOP },
    );
    expect(response.status).toBe(200);
  }
  await ledgerActivity("52003", day(4), 1200, 300);
  await startStub();
});

afterEach(() => {
  for (const key of LLM_KEYS) {
    if (savedEnv[key] === undefined) delete process.env[key];
    else process.env[key] = savedEnv[key];
  }
  stub.behaviour = "keep numbers";
});

afterAll(async () => {
  await new Promise((resolve) => stub.server?.close(resolve));
});

describe("the monthly report", () => {
  it("counts the month: members' orders and revenue, points earned and adjusted, active members", async () => {
    const report = await monthlyReport(prisma, shop, period, "en", { model: null, regenerate: true });
    const figures = report.figures as unknown as MonthlyFigures;
    expect(figures).toMatchObject({
      period,
      currency: "JPY",
      memberOrders: 2,
      memberRevenueMinor: 17400,
      pointsAdjusted: 300,
      activeMembers: 3,
    });
    // 54 + 120 points for the orders (1 point per ¥100) and the 1,200-point gift, less nothing.
    expect(figures.pointsEarned).toBe(54 + 120 + 1200);
    expect(figures.liabilityPoints).toBe(54 + 120 + 1200 + 300);
    expect(figures.previous.memberOrders).toBe(0);
    expect(report.text).toBe(monthlyReportText(figures, "en"));
    expect(report.text).toContain("Members placed 2 orders worth ¥17,400.");
  });

  it("names the members at risk and their expected spend once the nightly fit has run, and not before", async () => {
    const before = await monthlyReport(prisma, shop, period, "en", { model: null, regenerate: true });
    expect((before.figures as unknown as MonthlyFigures).atRisk).toBeNull();
    // The predictions another job writes: two members, one likely lapsed.
    const members = await prisma.member.findMany({ where: { shopId: shop.id }, orderBy: { customerId: "asc" } });
    await prisma.insightFit.create({ data: { shopId: shop.id, status: "fitted", asOf: new Date(), customers: 3 } });
    const insight = (memberId: string, pAlive: number, expectedValueMinor: number) => ({
      memberId,
      shopId: shop.id,
      frequency: 1,
      recencyWeeks: 1,
      ageWeeks: 10,
      monetaryMinor: 5400,
      pAlive,
      expectedOrders90: 0.5,
      expectedValueMinor,
      rfmSegment: "at_risk",
      computedAt: new Date(),
    });
    await prisma.memberInsight.createMany({
      data: [insight(members[0].id, 0.3, 4321), insight(members[1].id, 0.9, 9000)],
    });
    try {
      const after = await monthlyReport(prisma, shop, period, "en", { model: null, regenerate: true });
      expect((after.figures as unknown as MonthlyFigures).atRisk).toEqual({ members: 1, expectedValueMinor: 4321 });
      expect(after.text).toContain("1 member is at risk of lapsing; together they are expected to spend ¥4,321");
    } finally {
      await prisma.memberInsight.deleteMany({ where: { shopId: shop.id } });
      await prisma.insightFit.deleteMany({ where: { shopId: shop.id } });
    }
  });

  it("a model that changes one number is not used: the page shows the template text and names the number", async () => {
    useModel();
    stub.behaviour = "change a number";
    const before = stub.requests.length;
    expect((await regenerate(period, "ja")).status).toBe(200);
    const page = await reportPage(period, "ja");
    expect(stub.requests.length).toBe(before + 1);
    const sent = stub.requests.at(-1)!;
    expect(sent).toMatchObject({ path: "/v1/chat/completions", authorization: "Bearer test-key", model: "stub-model" });
    expect(sent.draft).toBe(page.report.text);
    expect(page.report.text).toBe(monthlyReportText(page.report.figures, "ja"));
    expect(page.report.source).toBe("template");
    expect(page.report.rejection).toEqual({ code: "number", number: changeOneNumber(sent.draft).changed });
  });

  it("a model that rewrites and keeps every number is used", async () => {
    useModel();
    expect((await regenerate(period, "ja")).status).toBe(200);
    const page = await reportPage(period, "ja");
    const template = monthlyReportText(page.report.figures, "ja");
    expect(page.report.source).toBe("model");
    expect(page.report.rejection).toBeNull();
    expect(page.report.text).toBe(keepNumbers(template));
  });

  it("a model that is down, failing or too slow leaves the template text, and says why", async () => {
    // A port nothing listens on: the stub's, once closed.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    useModel(`http://127.0.0.1:${port}/v1`);
    const refused = await monthlyReport(prisma, shop, period, "en", { regenerate: true });
    expect(refused).toMatchObject({ source: "template", text: refused.templateText });
    expect(parseRejection(refused.rejectedReason)).toMatchObject({ code: "unreachable", detail: expect.any(String) });

    useModel();
    stub.behaviour = "fail";
    const failed = await monthlyReport(prisma, shop, period, "en", { regenerate: true });
    expect(failed).toMatchObject({ source: "template", text: failed.templateText });
    expect(parseRejection(failed.rejectedReason)).toEqual({ code: "http", status: 500 });

    stub.behaviour = "hang";
    const model = languageModelFromEnv(process.env, { timeoutMs: 300 });
    const slow = await monthlyReport(prisma, shop, period, "en", { regenerate: true, model });
    expect(slow).toMatchObject({ source: "template", text: slow.templateText });
    expect(parseRejection(slow.rejectedReason)).toEqual({ code: "timeout", seconds: 0.3 });
  });

  it("without the LLM settings the template is used and no request leaves", async () => {
    for (const key of LLM_KEYS) delete process.env[key];
    const before = stub.requests.length;
    expect((await regenerate(period, "en")).status).toBe(200);
    const page = await reportPage(period, "en");
    expect(page.report).toMatchObject({ source: "template", rejection: null });
    expect(page.report.text).toBe(monthlyReportText(page.report.figures, "en"));
    expect(stub.requests.length).toBe(before);
  });

  it("refuses a month that has not ended", async () => {
    const current = localDate(new Date(), TZ).slice(0, 7);
    expect((await regenerate(current, "en")).status).toBe(400);
    expect((await reportPage(current, "en")).period).toBe(period);
  });
});

describe("the program summary", () => {
  it("stays the template lines with no model, and nothing is stored", async () => {
    const page = await programPage();
    expect(page.summary).toEqual(describeProgram(page.settings, "ja"));
    expect(await prisma.insightReport.count({ where: { shopId: shop.id, period: PROGRAM_SUMMARY } })).toBe(0);
  });

  it("falls back to the template lines when the model changes a number, and uses a faithful rewrite of a new version", async () => {
    useModel();
    stub.behaviour = "change a number";
    const rejected = await programPage();
    expect(rejected.summary).toEqual(describeProgram(rejected.settings, "ja"));
    expect(rejected.summarySource).toBe("template");
    const stored = await prisma.insightReport.findUniqueOrThrow({
      where: { shopId_period_locale: { shopId: shop.id, period: PROGRAM_SUMMARY, locale: "ja" } },
    });
    expect(parseRejection(stored.rejectedReason)).toMatchObject({ code: "number", number: expect.any(String) });
    expect(stored.figures).toEqual({ version: rejected.version });

    // The same version is not asked about again.
    const asked = stub.requests.length;
    stub.behaviour = "keep numbers";
    expect((await programPage()).summarySource).toBe("template");
    expect(stub.requests.length).toBe(asked);

    // An hour later the model is given another chance.
    await prisma.insightReport.update({
      where: { id: stored.id },
      data: { createdAt: new Date(Date.now() - 2 * 60 * 60 * 1000) },
    });
    stub.behaviour = "fail";
    expect((await programPage()).summarySource).toBe("template");
    expect(stub.requests.length).toBe(asked + 1);
    stub.behaviour = "keep numbers";

    // A new version of the program is described anew.
    const settings = { ...rejected.settings, signupBonus: 250 };
    const saved = (await run(
      programRoute.action,
      adminRequest("POST", "/app/program", { settings }, SHOP),
    )) as Response;
    expect(saved.status).toBe(200);
    const rewritten = await programPage();
    expect(rewritten.version).toBe(rejected.version + 1);
    expect(rewritten.summarySource).toBe("model");
    expect(rewritten.summary).toEqual(["Rewritten for readability.", ...describeProgram(rewritten.settings, "ja")]);
    expect(stub.requests.length).toBe(asked + 2);
  });
});

describe("the scheduled jobs", () => {
  /** The 2nd of a month in Tokyo, `months` from now: the month written about is the one before. */
  const early = (months: number) =>
    new Date(
      startOfLocalDay(`${shiftPeriod(localDate(new Date(), TZ).slice(0, 7), months)}-02`, TZ).getTime() +
        10 * 60 * 60 * 1000,
    );

  it("write last month's report in both languages early in the month, once", async () => {
    // Next month: the month written about is this one, which no test above stored.
    const now = early(1);
    const reported = lastMonth(now, TZ);
    expect(await writeMonthlyReports(prisma, now)).toBe(2);
    const stored = await prisma.insightReport.findMany({ where: { shopId: shop.id, period: reported } });
    expect(stored.map((report) => report.locale).sort()).toEqual(["en", "ja"]);
    expect(stored.every((report) => report.source === "template")).toBe(true);
    expect(await writeMonthlyReports(prisma, now)).toBe(0);
    const again = await prisma.insightReport.findMany({ where: { shopId: shop.id, period: reported } });
    expect(again.map((report) => report.createdAt.getTime()).sort()).toEqual(
      stored.map((report) => report.createdAt.getTime()).sort(),
    );
  });

  it("write nothing later in the month", async () => {
    const later = new Date(early(2).getTime() + 13 * 24 * 60 * 60 * 1000);
    expect(await writeMonthlyReports(prisma, later)).toBe(0);
  });

  it("are part of every scheduled pass, and a second pass does not write again", async () => {
    const { runScheduledJobs } = await import("../../app/jobs/jobs.server");
    const now = early(3);
    expect((await runScheduledJobs(now)).insightReports).toBe(2);
    expect((await runScheduledJobs(now)).insightReports).toBe(0);
  });

  it("write at most six reports a pass, and the rest in the passes after", async () => {
    for (const domain of ["report-b.myshopify.com", "report-c.myshopify.com", "report-d.myshopify.com"]) {
      await installShop(domain, "JPY", TZ);
    }
    const now = early(4);
    expect(await writeMonthlyReports(prisma, now)).toBe(6);
    expect(await writeMonthlyReports(prisma, now)).toBe(2);
    expect(await writeMonthlyReports(prisma, now)).toBe(0);
    expect(await prisma.insightReport.count({ where: { period: lastMonth(now, TZ) } })).toBe(8);
  });
});
