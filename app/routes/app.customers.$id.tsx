import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSearchParams, useSubmit } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  DataTable,
  InlineGrid,
  InlineStack,
  Layout,
  Link,
  Page,
  Text,
  TextField,
  Select,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { MemberMessagesCard, type MemberMessageRow } from "../components/MemberMessagesCard";
import { MemberInsightCard } from "../components/MemberInsightCard";
import { MemberReviewCard } from "../components/MemberReviewCard";
import { memberInsightView, type MemberInsightView } from "../insights/shop-insights.server";
import { memberReviewCases, type MemberReviewRow } from "../fraud/queue.server";
import { TableCard } from "../components/TableCard";
import { adminLocale, calendarDay, dateTime, day, embeddedHref, type AdminLocale } from "../i18n/admin-locale";
import prisma from "../db.server";
import { passbook, type Passbook } from "../members/passbook.server";
import { memberMessages } from "../notifications/admin.server";
import { awardAction, BonusRefused } from "../program/bonuses.server";
import { currentProgram, ensureShop } from "../shops/shops.server";
import {
  AdjustmentRefused,
  parseAdjustment,
  requestAdjustment,
  setMemberBlocked,
} from "../members/staff-actions.server";
import { authenticate } from "../shopify.server";
import { currentStaff, refusal } from "../staff/staff.server";

interface PassbookData {
  locale: AdminLocale;
  passbook: Passbook;
  tiers: Array<{ id: string; name: string }>;
  /** The staff actions the program rewards, to award one from here. */
  actions: Array<{ id: string; name: string; points: number }>;
  /** A fresh key per page view: the adjustment form applies once however often it is sent. */
  formKey: string;
  /** What the program sent this member (or tried to), newest first. */
  messages: MemberMessageRow[];
  reviewCases: MemberReviewRow[];
  /** The nightly predictions for this member, or why there are none. */
  insights: MemberInsightView;
}

// GET /app/customers/:id?before=: the member's passbook.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const url = new URL(request.url);
  const before = url.searchParams.get("before");
  if (before !== null && !/^\d{1,18}$/.test(before)) {
    return Response.json({ error: "before must be a ledger line id" }, { status: 400 });
  }
  const data = await prisma.$transaction(async (tx): Promise<PassbookData | null> => {
    const shop = await ensureShop(tx, session.shop);
    const book = await passbook(tx, shop.id, params.id ?? "", before === null ? null : BigInt(before));
    if (!book) return null;
    const { settings } = await currentProgram(tx, shop);
    return {
      locale: adminLocale(url),
      passbook: book,
      tiers: settings.tiers.levels.map(({ id, name }) => ({ id, name })),
      actions: settings.actions.map(({ id, name, points }) => ({ id, name, points })),
      formKey: crypto.randomUUID(),
      messages: await memberMessages(tx, shop.id, book.member.id),
      reviewCases: await memberReviewCases(tx, shop.id, book.member.id),
      insights: await memberInsightView(tx, shop, book.member.id),
    };
  });
  if (!data) throw new Response("No such customer in this shop", { status: 404 });
  return data;
};

// POST {intent: "adjust", points, reason, key} | {intent: "block", reason} | {intent: "unblock"} | {intent: "award", actionId}
export const action = async ({ request, params }: ActionFunctionArgs) => {
  const auth = await authenticate.admin(request);
  const { session, sessionToken } = auth;
  const actor = `staff:${sessionToken?.sub ?? "unknown"}`;
  const body = (await request.json().catch(() => null)) as Record<string, unknown> | null;
  if (!body || typeof body !== "object") return Response.json({ error: "send the form as JSON" }, { status: 400 });
  const memberId = params.id ?? "";
  // Awarding a bonus gives points, as an adjustment does.
  const permission = body.intent === "block" || body.intent === "unblock" ? "block" : "adjust";
  const staff = await currentStaff(request, auth);
  const refused = refusal(staff, permission);
  if (refused) return refused;
  try {
    if (body.intent === "adjust") {
      const adjustment = parseAdjustment(body);
      if ("error" in adjustment) return Response.json({ error: adjustment.error }, { status: 422 });
      const result = await prisma.$transaction(async (tx) =>
        requestAdjustment(tx, await ensureShop(tx, session.shop), memberId, adjustment, actor, staff.rules),
      );
      if ("pending" in result) return Response.json({ ok: true, pending: result.pending }, { status: 202 });
      // Held for review (the staff-outlier rule): applied, but pending until a reviewer approves the case.
      if (result.held) return Response.json({ ok: true, applied: result.applied, held: result.held });
      return Response.json({ ok: true, applied: result.applied });
    }
    if (body.intent === "block" || body.intent === "unblock") {
      const reason = typeof body.reason === "string" ? body.reason.trim() : "";
      if (body.intent === "block" && reason.length < 3) {
        return Response.json({ error: "Give a reason for blocking this customer." }, { status: 422 });
      }
      await prisma.$transaction(async (tx) =>
        setMemberBlocked(tx, await ensureShop(tx, session.shop), memberId, body.intent === "block", reason, actor),
      );
      return Response.json({ ok: true });
    }
    if (body.intent === "award") {
      if (typeof body.actionId !== "string") return Response.json({ error: "choose an action" }, { status: 400 });
      const actionId = body.actionId;
      const awarded = await prisma.$transaction(async (tx) => {
        const shop = await ensureShop(tx, session.shop);
        const member = await tx.member.findFirst({ where: { id: memberId, shopId: shop.id, redactedAt: null } });
        if (!member) return null;
        return awardAction(tx, shop, member.customerId, actionId, actor);
      });
      if (!awarded) return Response.json({ error: "No such customer in this shop" }, { status: 404 });
      return Response.json({ ok: true, awarded: awarded.points });
    }
    return Response.json({ error: "intent must be adjust, block, unblock or award" }, { status: 400 });
  } catch (error) {
    if (error instanceof AdjustmentRefused) return Response.json({ error: error.message }, { status: 422 });
    if (error instanceof BonusRefused) return Response.json({ error: error.message }, { status: 422 });
    if (error instanceof Error && /member .* not found/.test(error.message)) {
      return Response.json({ error: "No such customer in this shop" }, { status: 404 });
    }
    throw error;
  }
};

export default function CustomerPassbook() {
  const {
    locale,
    passbook: book,
    tiers,
    actions,
    formKey,
    messages,
    reviewCases,
    insights,
  } = useLoaderData() as PassbookData;
  const result = useActionData<typeof action>() as
    { ok?: boolean; applied?: boolean; held?: string; pending?: string; awarded?: number; error?: string } | undefined;
  const [bonusAction, setBonusAction] = useState(actions[0]?.id ?? "");
  const submit = useSubmit();
  const busy = useNavigation().state !== "idle";
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const [points, setPoints] = useState("");
  const [reason, setReason] = useState("");
  const [blockReason, setBlockReason] = useState("");
  useEffect(() => {
    if (result?.ok) {
      setPoints("");
      setReason("");
      setBlockReason("");
    }
  }, [result]);
  const { member } = book;
  const tierName = (id: string | null) => (id ? (tiers.find((tier) => tier.id === id)?.name ?? id) : "—");
  const send = (body: Record<string, string>) =>
    submit(body, { method: "post", encType: "application/json", replace: true });
  const n = (value: number) => value.toLocaleString(locale);
  const self = `/app/customers/${member.id}`;

  return (
    <Page
      title={member.name || `#${member.customerId}`}
      subtitle={[member.email, t("passbook.customerId", { id: member.customerId })].filter(Boolean).join(" · ")}
      backAction={{ content: t("nav.customers"), url: embeddedHref("/app/customers", params) }}
      titleMetadata={member.blockedAt ? <Badge tone="critical">{t("common.blocked")}</Badge> : undefined}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {result?.error && <Banner tone="critical">{result.error}</Banner>}
            {result?.ok && result.applied !== undefined && !result.held && (
              <Banner tone="success">{t("passbook.adjust.applied")}</Banner>
            )}
            {result?.ok && result.held && <Banner tone="warning">{t("passbook.adjust.held")}</Banner>}
            {result?.pending && <Banner tone="info">{t("permissions.approvals.requested")}</Banner>}
            <InlineGrid columns={{ xs: 2, md: 5 }} gap="300">
              {[
                [t("passbook.balance.available"), n(member.available)],
                [t("passbook.balance.pending"), n(member.pending)],
                [t("passbook.balance.reserved"), n(member.reserved)],
                [t("passbook.balance.debt"), n(member.debt)],
                [t("passbook.balance.tier"), tierName(member.tierId)],
              ].map(([label, value]) => (
                <Card key={label}>
                  <BlockStack gap="100">
                    <Text as="h3" variant="headingSm" tone="subdued">
                      {label}
                    </Text>
                    <Text as="p" variant="headingLg" numeric>
                      {value}
                    </Text>
                  </BlockStack>
                </Card>
              ))}
            </InlineGrid>
            <Card padding="0">
              <BlockStack gap="200">
                <div style={{ padding: "16px 16px 0" }}>
                  <Text as="h2" variant="headingMd">
                    {t("passbook.title")}
                  </Text>
                </div>
                <DataTable
                  columnContentTypes={["text", "text", "text", "numeric", "numeric", "numeric"]}
                  headings={[
                    t("passbook.columns.date"),
                    t("passbook.columns.description"),
                    t("passbook.columns.order"),
                    t("passbook.columns.in"),
                    t("passbook.columns.out"),
                    t("passbook.columns.balance"),
                  ]}
                  rows={book.lines.map((line) => [
                    dateTime(line.at, locale),
                    line.campaign
                      ? line.kind === "expire"
                        ? t("passbook.campaign.expired", { name: line.campaign.name })
                        : t("passbook.campaign.earned", {
                            name: line.campaign.name,
                            date: calendarDay(line.campaign.expiresOn, locale),
                          })
                      : line.description,
                    line.orderId ? (
                      <Link url={`shopify://admin/orders/${line.orderId}`} target="_top">
                        {line.orderName ?? `#${line.orderId}`}
                      </Link>
                    ) : (
                      ""
                    ),
                    line.points > 0 ? `+${n(line.points)}` : "",
                    line.points < 0 ? `−${n(-line.points)}` : "",
                    n(line.balance),
                  ])}
                  footerContent={
                    <InlineStack gap="200" align="center">
                      {params.get("before") && <Button url={embeddedHref(self, params)}>{t("passbook.newest")}</Button>}
                      {book.next && (
                        <Button url={embeddedHref(self, params, { before: book.next })}>{t("passbook.older")}</Button>
                      )}
                    </InlineStack>
                  }
                />
              </BlockStack>
            </Card>
            <TableCard
              title={t("passbook.lots.title")}
              empty={book.lots.length === 0 ? t("passbook.none") : null}
              columnContentTypes={["text", "text", "numeric", "numeric", "text", "text"]}
              headings={[
                t("passbook.lots.columns.earned"),
                t("passbook.lots.columns.source"),
                t("passbook.lots.columns.amount"),
                t("passbook.lots.columns.left"),
                t("passbook.lots.columns.status"),
                t("passbook.lots.columns.expires"),
              ]}
              rows={book.lots.map((lot) => [
                day(lot.earnedAt, locale),
                lot.campaign ? (
                  <Badge tone="info">{t("passbook.campaign.bonus", { name: lot.campaign.name })}</Badge>
                ) : (
                  (lot.orderName ?? "—")
                ),
                n(lot.amount),
                n(lot.remaining),
                lot.pending
                  ? t("passbook.lots.pendingUntil", { date: day(lot.availableAt, locale) })
                  : t("passbook.lots.spendable"),
                lot.expiresOn ? calendarDay(lot.expiresOn, locale) : t("passbook.lots.never"),
              ])}
            />
            <TableCard
              title={t("passbook.tierHistory.title")}
              empty={book.tierHistory.length === 0 ? t("passbook.none") : null}
              columnContentTypes={["text", "text", "text", "text"]}
              headings={[
                t("passbook.tierHistory.columns.date"),
                t("passbook.tierHistory.columns.from"),
                t("passbook.tierHistory.columns.to"),
                t("passbook.tierHistory.columns.reason"),
              ]}
              rows={book.tierHistory.map((change) => [
                dateTime(change.at, locale),
                tierName(change.from),
                tierName(change.to),
                change.reason,
              ])}
            />
            <TableCard
              title={t("passbook.holds.title")}
              empty={book.reservations.length + book.rewardCodes.length === 0 ? t("passbook.none") : null}
              columnContentTypes={["text", "text", "numeric", "text", "text"]}
              headings={[
                t("passbook.holds.columns.date"),
                t("passbook.holds.columns.what"),
                t("passbook.holds.columns.points"),
                t("passbook.holds.columns.status"),
                t("passbook.holds.columns.until"),
              ]}
              rows={[
                ...book.reservations.map((r) => [
                  dateTime(r.at, locale),
                  t("passbook.holds.hold"),
                  n(r.points),
                  r.status,
                  dateTime(r.expiresAt, locale),
                ]),
                ...book.rewardCodes.map((c) => [
                  dateTime(c.at, locale),
                  c.code,
                  n(c.points),
                  c.status,
                  day(c.expiresAt, locale),
                ]),
              ]}
            />
            <MemberReviewCard cases={reviewCases} locale={locale} reviewHref={embeddedHref("/app/review", params)} />
            <MemberMessagesCard messages={messages} locale={locale} />
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <MemberInsightCard view={insights} locale={locale} />
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("passbook.adjust.title")}
                </Text>
                <TextField
                  label={t("passbook.adjust.points")}
                  type="number"
                  value={points}
                  onChange={setPoints}
                  autoComplete="off"
                />
                <TextField
                  label={t("passbook.adjust.reason")}
                  value={reason}
                  onChange={setReason}
                  autoComplete="off"
                  multiline={2}
                />
                <Button
                  variant="primary"
                  loading={busy}
                  disabled={!points || !reason.trim()}
                  onClick={() => send({ intent: "adjust", points, reason, key: formKey })}
                >
                  {t("passbook.adjust.apply")}
                </Button>
              </BlockStack>
            </Card>
            {actions.length > 0 && (
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    {t("passbook.bonus.title")}
                  </Text>
                  {result?.awarded !== undefined && (
                    <Banner tone="success">{t("bonuses.awarded", { count: result.awarded })}</Banner>
                  )}
                  <Select
                    label={t("passbook.bonus.action")}
                    options={actions.map((a) => ({
                      label: `${a.name} (${t("common.points", { count: a.points })})`,
                      value: a.id,
                    }))}
                    value={bonusAction}
                    onChange={setBonusAction}
                  />
                  <Button loading={busy} onClick={() => send({ intent: "award", actionId: bonusAction })}>
                    {t("passbook.bonus.award")}
                  </Button>
                </BlockStack>
              </Card>
            )}
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("passbook.block.title")}
                </Text>
                {member.blockedAt ? (
                  <>
                    <Text as="p">
                      {t("passbook.block.since", {
                        date: day(member.blockedAt, locale),
                        reason: member.blockedReason ?? "",
                      })}
                    </Text>
                    <Button loading={busy} onClick={() => send({ intent: "unblock" })}>
                      {t("passbook.block.unblock")}
                    </Button>
                  </>
                ) : (
                  <>
                    <TextField
                      label={t("passbook.block.reason")}
                      value={blockReason}
                      onChange={setBlockReason}
                      autoComplete="off"
                    />
                    <Button
                      tone="critical"
                      loading={busy}
                      disabled={!blockReason.trim()}
                      onClick={() => send({ intent: "block", reason: blockReason })}
                    >
                      {t("passbook.block.block")}
                    </Button>
                  </>
                )}
                <Text as="p" tone="subdued">
                  {t("passbook.joined", { date: day(member.joinedAt, locale) })}
                </Text>
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
