import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useSearchParams } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineStack, Layout, Link, List, Page, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import prisma from "../db.server";
import { adminLocale, dateTime, embeddedHref, type AdminLocale } from "../i18n/admin-locale";
import { adminT } from "../i18n/catalog";
import type { AtRiskFigures, ProgramReturn, TierStep } from "../insights/figures";
import { insightFigures, type ExpiringFigures } from "../insights/figures.server";
import { alreadyDone, applyRecommendation, recommendationsFor } from "../insights/recommendation-actions.server";
import { EXPIRY_REMINDER_ID, type Recommendation } from "../insights/recommendations";
import { fitShopNow, MIN_REPEAT_MEMBERS } from "../insights/shop-insights.server";
import { campaignLifts } from "../reports/campaign-lift.server";
import { formatMoney } from "../shared/money";
import { ensureShop } from "../shops/shops.server";
import { authenticate } from "../shopify.server";
import { staffJsonAction } from "../staff/staff-action.server";
import { useFitReason } from "../components/MemberInsightCard";
import type { Shop } from "../generated/prisma/client";
import type { Tx } from "../db/transaction.server";

interface InsightsData {
  locale: AdminLocale;
  currency: string;
  fit: { status: string; reason: string | null; repeatCustomers: number; fittedAt: string } | null;
  minRepeatMembers: number;
  tierBasis: "spend" | "points";
  tierNames: Record<string, string>;
  funnel: TierStep[];
  atRisk: AtRiskFigures | null;
  /** The top at-risk members' names, by member id (email when they gave no name). */
  names: Record<string, string>;
  expiring: ExpiringFigures;
  roi: ProgramReturn;
  recommendations: Recommendation[];
  /** Recommendations whose draft campaign is already in the program: shown with a link to it, not a button. */
  done: string[];
}

// The figures read every member's qualifying value and prediction: a large shop takes longer than Prisma's 5 s default.
const READ_WINDOW = { timeout: 60_000 };

/** The figures and the recommendations they lead to, as of now: the page shows them, a click re-derives them. */
async function current(tx: Tx, shop: Shop, locale: AdminLocale, now = new Date()) {
  const lifts = await campaignLifts(tx, shop.id, now);
  const figures = await insightFigures(tx, shop, lifts, now);
  const recommendations = await recommendationsFor(tx, shop, figures, adminT(locale), now);
  return { figures, recommendations };
}

// GET /app/insights: the last fit, the four figure blocks over the last 30 days, and what to do about them.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const locale = adminLocale(request);
  return prisma.$transaction(async (tx): Promise<InsightsData> => {
    const shop = await ensureShop(tx, session.shop);
    const { figures, recommendations } = await current(tx, shop, locale);
    const fit = await tx.insightFit.findUnique({ where: { shopId: shop.id } });
    const top = figures.atRisk?.top ?? [];
    const members = await tx.member.findMany({
      where: { id: { in: top.map((m) => m.memberId) } },
      select: { id: true, firstName: true, lastName: true, email: true, customerId: true },
    });
    return {
      locale,
      currency: figures.currency,
      fit: fit && {
        status: fit.status,
        reason: fit.reason,
        repeatCustomers: fit.repeatCustomers,
        fittedAt: fit.fittedAt.toISOString(),
      },
      minRepeatMembers: MIN_REPEAT_MEMBERS,
      tierBasis: figures.settings.tiers.basis,
      tierNames: Object.fromEntries(figures.settings.tiers.levels.map((level) => [level.id, level.name])),
      funnel: figures.funnel,
      atRisk: figures.atRisk,
      names: Object.fromEntries(
        members.map((m) => [m.id, [m.firstName, m.lastName].filter(Boolean).join(" ") || m.email || m.customerId]),
      ),
      expiring: figures.expiring,
      roi: figures.roi,
      recommendations,
      done: recommendations.flatMap(({ id, action }) =>
        action.type === "draftCampaign" && figures.settings.campaigns.some((c) => c.id === action.campaign.id)
          ? [id]
          : [],
      ),
    };
  }, READ_WINDOW);
};

// POST {intent: "fit"} fits the shop's predictions now; {intent: "apply", id} carries out one recommendation, as
// the figures stand now (not as the page last showed them). Both need the "program" permission.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { staff, t, body } = await staffJsonAction(request, "program");
  const { intent, id } = (body ?? {}) as { intent?: unknown; id?: unknown };
  if (intent === "fit") {
    const outcome = await fitShopNow(prisma, staff.shop.id);
    await prisma.auditLog.create({
      data: {
        shopId: staff.shop.id,
        actor: staff.actor,
        action: "insights.fitted",
        subject: outcome.status,
        after: { repeatCustomers: outcome.repeatCustomers, members: outcome.members },
      },
    });
    return Response.json({ ok: true, message: t("insights.fit.done"), status: outcome.status });
  }
  if (intent !== "apply" || typeof id !== "string") {
    return Response.json({ error: t("insights.malformed") }, { status: 400 });
  }
  const programUrl = "/app/program";
  const result = await prisma.$transaction(async (tx) => {
    const { recommendations } = await current(tx, staff.shop, staff.locale);
    const recommendation = recommendations.find((r) => r.id === id);
    if (recommendation) return applyRecommendation(tx, staff.shop, recommendation, staff.actor);
    return (await alreadyDone(tx, staff.shop, id)) ? { outcome: "already" as const } : null;
  }, READ_WINDOW);
  if (!result) return Response.json({ error: t("insights.recs.unknown") }, { status: 404 });
  switch (result.outcome) {
    case "created":
      return Response.json({
        ok: true,
        outcome: "created",
        message: t("insights.recs.created", { version: result.version }),
        programUrl,
      });
    case "enabled":
      return Response.json({ ok: true, outcome: "enabled", message: t("insights.recs.enabled") });
    case "already":
      return Response.json({
        ok: true,
        outcome: "already",
        message: t("insights.recs.already"),
        ...(id === EXPIRY_REMINDER_ID ? {} : { programUrl }),
      });
    case "refused":
      return Response.json({ error: t("insights.recs.refused"), fields: result.errors }, { status: 422 });
    case "manual":
      return Response.json({ error: t("insights.recs.tierRelax.manual"), programUrl }, { status: 409 });
  }
};

type Answer = { ok?: boolean; message?: string; error?: string; programUrl?: string };

function FitCard({ data }: { data: InsightsData }) {
  const { t } = useTranslation();
  const fetcher = useFetcher<Answer>();
  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  const { fit } = data;
  const fitReason = useFitReason();
  const reason = () => (fit ? fitReason(fit, data.minRepeatMembers) : null);
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          {t("insights.fit.title")}
        </Text>
        {!fit && <Text as="p">{t("memberInsights.noFit")}</Text>}
        {fit?.status === "fitted" && (
          <Text as="p">
            {t("insights.fit.fitted", { date: dateTime(fit.fittedAt, data.locale), repeat: fit.repeatCustomers })}
          </Text>
        )}
        {fit && fit.status !== "fitted" && (
          <Banner tone="info" title={t("memberInsights.notEnough")}>
            {reason()}
          </Banner>
        )}
        {answer?.message && <Banner tone="success">{answer.message}</Banner>}
        {answer?.error && <Banner tone="critical">{answer.error}</Banner>}
        <InlineStack>
          <Button
            loading={fetcher.state !== "idle"}
            onClick={() => fetcher.submit({ intent: "fit" }, { method: "post", encType: "application/json" })}
          >
            {t("insights.fit.fitNow")}
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

function RecommendationCard({ rec, data }: { rec: Recommendation; data: InsightsData }) {
  const done = data.done.includes(rec.id);
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const fetcher = useFetcher<Answer>();
  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  const money = (minor: number) => formatMoney({ minor, currency: data.currency }, data.locale);
  const n = (value: number) => value.toLocaleString(data.locale);
  const e = rec.evidence;
  const num = (key: string) => Number(e[key] ?? 0);
  const threshold = (value: number) =>
    data.tierBasis === "spend" ? money(value) : t("insights.points", { count: value });
  const title =
    rec.kind === "tierPush"
      ? t("insights.recs.tierPush.title", {
          stalled: n(num("stalled")),
          from: String(e.fromTier),
          to: String(e.toTier),
          threshold: threshold(num("threshold")),
          crossed: n(num("crossed")),
        })
      : rec.kind === "tierRelax"
        ? t("insights.recs.tierRelax.title", {
            stalled: n(num("stalled")),
            to: String(e.toTier),
            threshold: threshold(num("threshold")),
            crossed: n(num("crossed")),
          })
        : rec.kind === "winBack"
          ? t("insights.recs.winBack.title", {
              highValue: n(num("highValue")),
              atRisk: n(num("atRisk")),
              value: money(num("valueAtStakeMinor")),
            })
          : t("insights.recs.expiryReminder.title", {
              members: n(num("members")),
              points: n(num("points")),
              value: money(num("expectedValueMinor")),
            });
  const proposal =
    rec.action.type === "enableExpiryReminder"
      ? t("insights.recs.expiryReminder.action")
      : rec.action.type === "reviewTier"
        ? num("extraPercent") > 0
          ? t("insights.recs.tierRelax.actionWithBoost", {
              to: String(e.toTier),
              threshold: threshold(rec.action.threshold),
              percent: num("extraPercent"),
            })
          : t("insights.recs.tierRelax.action", { to: String(e.toTier), threshold: threshold(rec.action.threshold) })
        : rec.kind === "tierPush"
          ? t("insights.recs.tierPush.action", {
              from: String(e.fromTier),
              percent: rec.action.campaign.extraPercent ?? 0,
            })
          : t("insights.recs.winBack.action", {
              bonus: n(num("bonusPoints")),
              target: e.tier === null ? t("insights.recs.winBack.everyone") : String(e.tier),
              reached: n(num("reached")),
            });
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h3" variant="headingSm">
          {title}
        </Text>
        <Text as="p">{proposal}</Text>
        <Text as="p" tone="subdued">
          {rec.cost.points === 0 && !(rec.kind === "tierRelax" && num("extraPercent") > 0)
            ? t("insights.recs.free")
            : t("insights.recs.cost", { points: n(rec.cost.points), money: money(rec.cost.minor) })}
        </Text>
        {answer?.message && (
          <Banner tone="success">
            <BlockStack gap="100">
              <Text as="p">{answer.message}</Text>
              {answer.programUrl && (
                <Link url={embeddedHref(answer.programUrl, params)}>{t("insights.recs.openProgram")}</Link>
              )}
            </BlockStack>
          </Banner>
        )}
        {answer?.error && <Banner tone="critical">{answer.error}</Banner>}
        {done && !answer && (
          <InlineStack gap="200">
            <Text as="span">{t("insights.recs.already")}</Text>
            <Link url={embeddedHref("/app/program", params)}>{t("insights.recs.openProgram")}</Link>
          </InlineStack>
        )}
        {rec.action.type === "reviewTier" && (
          <InlineStack>
            <Button url={embeddedHref("/app/program", params)}>{t("insights.recs.tierRelax.review")}</Button>
          </InlineStack>
        )}
        {!done && rec.action.type !== "reviewTier" && (
          <InlineStack>
            <Button
              variant="primary"
              loading={fetcher.state !== "idle"}
              onClick={() =>
                fetcher.submit({ intent: "apply", id: rec.id }, { method: "post", encType: "application/json" })
              }
            >
              {rec.action.type === "draftCampaign" ? t("insights.recs.createDraft") : t("insights.recs.turnOn")}
            </Button>
          </InlineStack>
        )}
      </BlockStack>
    </Card>
  );
}

export default function Insights() {
  const data = useLoaderData() as InsightsData;
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const money = (minor: number) => formatMoney({ minor, currency: data.currency }, data.locale);
  const n = (value: number) => value.toLocaleString(data.locale);
  const tierName = (id: string | null) => (id === null ? t("insights.funnel.noTier") : (data.tierNames[id] ?? id));
  const { roi, atRisk, expiring } = data;
  return (
    <Page
      title={t("insights.title")}
      subtitle={t("insights.subtitle")}
      secondaryActions={[{ content: t("insights.monthlyReport"), url: embeddedHref("/app/insights/report", params) }]}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <FitCard data={data} />
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  {t("insights.funnel.title")}
                </Text>
                {data.funnel.length === 0 ? (
                  <Text as="p">{t("insights.funnel.noTiers")}</Text>
                ) : (
                  <List>
                    {data.funnel.map((step) => (
                      <List.Item key={step.toTierId}>
                        {t("insights.funnel.step", {
                          from: tierName(step.fromTierId),
                          to: tierName(step.toTierId),
                          stalled: n(step.stalled),
                          crossed: n(step.crossed),
                        })}
                      </List.Item>
                    ))}
                  </List>
                )}
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  {t("insights.atRisk.title")}
                </Text>
                <Text as="p" tone="subdued">
                  {t("insights.atRisk.help")}
                </Text>
                {atRisk === null ? (
                  <Text as="p">{t("insights.atRisk.needsFit")}</Text>
                ) : (
                  <>
                    <Text as="p">
                      {atRisk.members === 0
                        ? t("insights.atRisk.none")
                        : t("insights.atRisk.summary", {
                            members: n(atRisk.members),
                            value: money(atRisk.valueAtStakeMinor),
                          })}
                    </Text>
                    {atRisk.top.length > 0 && (
                      <List>
                        {atRisk.top.map((m) => (
                          <List.Item key={m.memberId}>
                            <Link url={embeddedHref(`/app/customers/${m.memberId}`, params)}>
                              {data.names[m.memberId] ?? m.memberId}
                            </Link>{" "}
                            {t("insights.atRisk.member", {
                              value: money(m.valueAtStakeMinor),
                              pAlive: `${Math.round(m.pAlive * 100)}%`,
                            })}
                          </List.Item>
                        ))}
                      </List>
                    )}
                  </>
                )}
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  {t("insights.expiring.title")}
                </Text>
                <Text as="p">
                  {expiring.members === 0
                    ? t("insights.expiring.none")
                    : t("insights.expiring.summary", {
                        members: n(expiring.members),
                        points: n(expiring.points),
                        value: money(expiring.expectedValueMinor),
                      })}
                </Text>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  {t("insights.roi.title")}
                </Text>
                <Text as="p">
                  {t("insights.roi.cost", {
                    cost: money(roi.costMinor),
                    redeemed: money(roi.redeemedMinor),
                    bonus: money(roi.campaignBonusMinor),
                  })}
                </Text>
                <Text as="p">
                  {roi.controlledCampaigns === 0
                    ? t("insights.roi.notMeasured")
                    : roi.incrementalRevenueMinor === null
                      ? t("insights.roi.noSignificant")
                      : t("insights.roi.incremental", {
                          value: money(roi.incrementalRevenueMinor.value),
                          low: money(roi.incrementalRevenueMinor.low),
                          high: money(roi.incrementalRevenueMinor.high),
                        })}
                </Text>
                {roi.ratio !== null && (
                  <Text as="p">
                    {t("insights.roi.ratio", {
                      ratio: roi.ratio.toLocaleString(data.locale, { maximumFractionDigits: 2 }),
                    })}
                  </Text>
                )}
              </BlockStack>
            </Card>
            <Text as="h2" variant="headingLg">
              {t("insights.recs.title")}
            </Text>
            {data.recommendations.length === 0 ? (
              <Card>
                <Text as="p">{t("insights.recs.none")}</Text>
              </Card>
            ) : (
              data.recommendations.map((rec) => <RecommendationCard key={rec.id} rec={rec} data={data} />)
            )}
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
