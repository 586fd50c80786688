import type { InsightReport, Prisma, PrismaClient, Shop } from "../generated/prisma/client";
import { localDate } from "../shared/calendar";
import type { ProgramSettings } from "../program/program";
import { describeProgram } from "../program/program-rules";
import { languageModelFromEnv, LanguageModelError, type LanguageModel } from "./language-model.server";
import { lastMonth, monthlyFigures } from "./monthly-figures.server";
import { allowedNumbers, checkNumbers } from "./number-check";
import { monthlyReportText, type ReportLocale } from "./report-text";
import { encodeRejection } from "./rejection";

export const REPORT_LOCALES: readonly ReportLocale[] = ["ja", "en"];
export const PROGRAM_SUMMARY = "program-summary";

interface Written {
  text: string;
  source: "template" | "model";
  rejectedReason: string | null;
}

/**
 * The text to show: the model's rewrite of the draft when every number in it is one the templates wrote (in either
 * language), the draft otherwise. A model that is down or slow costs the merchant nothing but the rewrite.
 */
async function write(
  draft: string,
  templates: string[],
  locale: ReportLocale,
  model: LanguageModel | null,
): Promise<Written> {
  if (!model) return { text: draft, source: "template", rejectedReason: null };
  let text: string;
  try {
    text = await model.rewrite(draft, locale);
  } catch (error) {
    const rejection =
      error instanceof LanguageModelError
        ? error.rejection
        : { code: "unreachable" as const, detail: error instanceof Error ? error.message : String(error) };
    return { text: draft, source: "template", rejectedReason: encodeRejection(rejection) };
  }
  const check = checkNumbers(text, allowedNumbers(templates));
  if (!check.ok) return { text: draft, source: "template", rejectedReason: encodeRejection(check.rejection) };
  return { text, source: "model", rejectedReason: null };
}

export interface ReportOptions {
  /** The configured model by default; null writes from the templates only. */
  model?: LanguageModel | null;
  /** Writes the report again even when one is stored. */
  regenerate?: boolean;
}

/**
 * A shop's monthly report in one language: the stored one, or written now and stored. The figures are read in a
 * short transaction and the model is asked outside it, so a slow model holds no database connection.
 */
export async function monthlyReport(
  db: PrismaClient,
  shop: Shop,
  period: string,
  locale: ReportLocale,
  options: ReportOptions = {},
): Promise<InsightReport> {
  const where = { shopId_period_locale: { shopId: shop.id, period, locale } };
  if (!options.regenerate) {
    const stored = await db.insightReport.findUnique({ where });
    if (stored) return stored;
  }
  const figures = await db.$transaction((tx) => monthlyFigures(tx, shop, period));
  const templates = REPORT_LOCALES.map((language) => monthlyReportText(figures, language));
  const templateText = templates[REPORT_LOCALES.indexOf(locale)];
  const model = options.model === undefined ? languageModelFromEnv() : options.model;
  const written = await write(templateText, templates, locale, model);
  const data = { figures: figures as unknown as Prisma.InputJsonValue, templateText, ...written };
  return db.insightReport.upsert({
    where,
    create: { shopId: shop.id, period, locale, ...data },
    update: { ...data, createdAt: new Date() },
  });
}

/**
 * How many reports one pass writes at most: with a model each may take its full timeout, and the other jobs wait.
 * Six a minute writes a week's worth of first days for tens of thousands of shops.
 */
const REPORTS_PER_PASS = 6;
/** Last month's report is written in the first days of a month; a pass missed on the 1st catches up after. */
const FIRST_DAYS = 7;

/**
 * Scheduled: in the first days of each shop-local month, last month's report in both languages, once (a stored
 * report is left as it is; the merchant can regenerate it on the report page).
 */
export async function writeMonthlyReports(
  db: PrismaClient,
  now = new Date(),
  model: LanguageModel | null = languageModelFromEnv(),
): Promise<number> {
  const shops = await db.shop.findMany({ where: { uninstalledAt: null } });
  let written = 0;
  for (const shop of shops) {
    if (Number(localDate(now, shop.timezone).slice(8, 10)) > FIRST_DAYS) continue;
    const period = lastMonth(now, shop.timezone);
    const stored = await db.insightReport.findMany({ where: { shopId: shop.id, period }, select: { locale: true } });
    for (const locale of REPORT_LOCALES) {
      if (stored.some((report) => report.locale === locale)) continue;
      if (written >= REPORTS_PER_PASS) return written;
      await monthlyReport(db, shop, period, locale, { model });
      written++;
    }
  }
  return written;
}

/** How long a summary the model's text was not used for stands before the model is asked again. */
const RETRY_AFTER_MS = 60 * 60 * 1000;

export interface ProgramSummary {
  lines: string[];
  source: "template" | "model";
  rejectedReason: string | null;
}

/**
 * The program page's summary: the template lines, or with a model configured its rewrite when the numbers check.
 * The rewrite is stored per language with the program version it describes, so it is asked for once per version
 * (again after an hour when its text was not used); without a model nothing is read or written.
 */
export async function programSummary(
  db: PrismaClient,
  shop: Shop,
  program: { settings: ProgramSettings; version: number },
  locale: ReportLocale,
  model: LanguageModel | null = languageModelFromEnv(),
  now = new Date(),
): Promise<ProgramSummary> {
  const lines = describeProgram(program.settings, locale);
  if (!model) return { lines, source: "template", rejectedReason: null };
  const templateText = lines.join("\n");
  const where = { shopId_period_locale: { shopId: shop.id, period: PROGRAM_SUMMARY, locale } };
  const stored = await db.insightReport.findUnique({ where });
  const storedVersion = (stored?.figures as { version?: unknown } | undefined)?.version;
  // The template text too: a new release may describe the same version in other words. A model that failed or
  // miscounted is asked again after a while, not on every page load.
  const current =
    stored &&
    storedVersion === program.version &&
    stored.templateText === templateText &&
    (stored.source === "model" || now.getTime() - stored.createdAt.getTime() < RETRY_AFTER_MS);
  let report = current ? stored : null;
  if (!report) {
    const templates = REPORT_LOCALES.map((language) =>
      language === locale ? templateText : describeProgram(program.settings, language).join("\n"),
    );
    const written = await write(templateText, templates, locale, model);
    const data = { figures: { version: program.version }, templateText, ...written };
    report = await db.insightReport.upsert({
      where,
      create: { shopId: shop.id, period: PROGRAM_SUMMARY, locale, ...data },
      update: { ...data, createdAt: now },
    });
  }
  return {
    lines: report.text.split("\n").filter((line) => line.trim() !== ""),
    source: report.source === "model" ? "model" : "template",
    rejectedReason: report.rejectedReason,
  };
}
