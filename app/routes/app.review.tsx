import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  DataTable,
  IndexTable,
  InlineStack,
  Link,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { ReviewStatusBadge, useReviewLabels } from "../components/MemberReviewCard";
import { useQueryUpdate } from "../components/useQueryUpdate";
import prisma from "../db.server";
import { parseReviewQuery, reviewQueue, type ReviewCaseRow, type ReviewQueuePage } from "../fraud/queue.server";
import { decideCase, ReviewRefused } from "../fraud/review.server";
import type { RuleId } from "../fraud/signals";
import { adminLocale, dateTime, embeddedHref, type AdminLocale } from "../i18n/admin-locale";
import { formatMoney } from "../shared/money";
import { ensureShop } from "../shops/shops.server";
import { authenticate } from "../shopify.server";
import { staffJsonAction } from "../staff/staff-action.server";

/** The rules, in the filter's order (the page cannot import the server's list). */
const RULES = [
  "velocity",
  "large_order",
  "redeem_refund",
  "signup_farming",
  "flagged_redemption",
  "birthday_rebonus",
  "staff_outlier",
] as const satisfies readonly RuleId[];

interface ReviewData {
  locale: AdminLocale;
  queue: ReviewQueuePage;
}

// GET /app/review?status=open|approved|rejected&rule=&cursor=: the review queue, newest first.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const url = new URL(request.url);
  const query = parseReviewQuery(url.searchParams);
  if ("error" in query) return Response.json({ error: query.error }, { status: 400 });
  return prisma.$transaction(async (tx): Promise<ReviewData> => ({
    locale: adminLocale(url),
    queue: await reviewQueue(tx, (await ensureShop(tx, session.shop)).id, query),
  }));
};

// POST {caseId, decision: "approve" | "reject", reason}: approve releases the held points, reject takes them back.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { staff, t, body: received } = await staffJsonAction(request, "review");
  const body = received as Record<string, unknown> | null;
  const decision = body?.decision;
  if (typeof body?.caseId !== "string" || (decision !== "approve" && decision !== "reject")) {
    return Response.json({ error: t("review.decide.invalid") }, { status: 400 });
  }
  const caseId = body.caseId;
  const reason = typeof body.reason === "string" ? body.reason : null;
  try {
    const decided = await prisma.$transaction(async (tx) =>
      decideCase(tx, {
        shopId: staff.shop.id,
        caseId,
        decision,
        actor: staff.actor,
        reason,
      }),
    );
    return Response.json({ ok: true, caseId: decided.id, status: decided.status });
  } catch (error) {
    if (!(error instanceof ReviewRefused)) throw error;
    const words = {
      403: t("review.refused.ownCase"),
      404: t("review.refused.notFound"),
      409: t("review.refused.decided"),
      422: t("review.refused.reasonNeeded"),
    };
    return Response.json({ error: words[error.status], reason: error.message }, { status: error.status });
  }
};

type ActionResult = { ok?: boolean; status?: string; error?: string } | undefined;

export default function ReviewQueue() {
  const data = useLoaderData() as ReviewData | { error: string };
  const result = useActionData<typeof action>() as ActionResult;
  const { params, update: go } = useQueryUpdate("/app/review", "cursor");
  const [selected, setSelected] = useState<string | null>(null);
  const { t } = useTranslation();
  if ("error" in data) {
    return (
      <Page title={t("review.title")}>
        <Banner tone="critical">{t("review.invalidQuery", { error: data.error })}</Banner>
      </Page>
    );
  }
  const { locale, queue } = data;
  const shown = queue.cases.find((c) => c.id === selected) ?? queue.cases[0];
  const status = params.get("status") || "open";

  return (
    <Page
      title={t("review.title")}
      subtitle={t("review.subtitle")}
      secondaryActions={[{ content: t("detection.reviewLink"), url: embeddedHref("/app/detection", params) }]}
    >
      <BlockStack gap="400">
        {result?.error && <Banner tone="critical">{result.error}</Banner>}
        {result?.ok && (
          <Banner tone="success">
            {result.status === "approved" ? t("review.decide.approved") : t("review.decide.rejected")}
          </Banner>
        )}
        <Card>
          <InlineStack gap="300" wrap>
            <Select
              label={t("review.filters.status")}
              value={status}
              onChange={(value) => go({ status: value })}
              options={(["open", "approved", "rejected"] as const).map((value) => ({
                value,
                label: t("review.filters.statusCount", {
                  status:
                    value === "open"
                      ? t("review.statuses.open")
                      : value === "approved"
                        ? t("review.statuses.approved")
                        : t("review.statuses.rejected"),
                  total: queue.counts[value],
                }),
              }))}
            />
            <RuleSelect value={params.get("rule") ?? ""} locale={locale} onChange={(rule) => go({ rule })} />
          </InlineStack>
        </Card>
        <CaseTable queue={queue} locale={locale} shown={shown?.id ?? null} onSelect={setSelected} />
        {shown && <CaseDetail key={shown.id} row={shown} locale={locale} currency={queue.currency} params={params} />}
        <InlineStack align="center" gap="300">
          {params.get("cursor") && <Button onClick={() => go({ cursor: "" })}>{t("review.pagination.first")}</Button>}
          {queue.nextCursor && (
            <Button onClick={() => go({ cursor: queue.nextCursor ?? "" })}>{t("review.pagination.next")}</Button>
          )}
        </InlineStack>
      </BlockStack>
    </Page>
  );
}

function RuleSelect(props: { value: string; locale: AdminLocale; onChange: (rule: string) => void }) {
  const { t } = useTranslation();
  const labels = useReviewLabels(props.locale);
  return (
    <Select
      label={t("review.filters.rule")}
      value={props.value}
      onChange={props.onChange}
      options={[
        { value: "", label: t("review.filters.anyRule") },
        ...RULES.map((rule) => ({ value: rule, label: labels.rule(rule) })),
      ]}
    />
  );
}

function CaseTable(props: {
  queue: ReviewQueuePage;
  locale: AdminLocale;
  shown: string | null;
  onSelect: (id: string) => void;
}) {
  const { t } = useTranslation();
  const labels = useReviewLabels(props.locale);
  const { cases } = props.queue;
  return (
    <Card padding="0">
      <IndexTable
        resourceName={{ singular: t("review.resource.singular"), plural: t("review.resource.plural") }}
        itemCount={cases.length}
        selectable={false}
        emptyState={
          <Text as="p" alignment="center">
            {t("review.none")}
          </Text>
        }
        headings={[
          { title: t("review.columns.date") },
          { title: t("review.columns.member") },
          { title: t("review.columns.rule") },
          { title: t("review.columns.summary") },
          { title: t("review.columns.score"), alignment: "end" },
          { title: t("review.columns.held"), alignment: "end" },
          { title: t("review.columns.status") },
        ]}
      >
        {cases.map((c, index) => (
          <IndexTable.Row
            id={c.id}
            key={c.id}
            position={index}
            selected={c.id === props.shown}
            onClick={() => props.onSelect(c.id)}
          >
            <IndexTable.Cell>{dateTime(c.createdAt, props.locale)}</IndexTable.Cell>
            <IndexTable.Cell>
              <InlineStack gap="200">
                <Text as="span" fontWeight="semibold">
                  {c.member.name || `#${c.member.customerId}`}
                </Text>
                {c.member.blocked && <Badge tone="critical">{t("common.blocked")}</Badge>}
              </InlineStack>
            </IndexTable.Cell>
            <IndexTable.Cell>{labels.rule(c.rule)}</IndexTable.Cell>
            <IndexTable.Cell>
              <div style={{ whiteSpace: "normal", maxWidth: 420 }}>{labels.summary(c, props.queue.currency)}</div>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Text as="span" alignment="end" numeric>
                {c.score.toLocaleString(props.locale)}
              </Text>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Text as="span" alignment="end" numeric>
                {(c.status === "open" ? c.heldPoints : c.points).toLocaleString(props.locale)}
              </Text>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <ReviewStatusBadge status={c.status} />
            </IndexTable.Cell>
          </IndexTable.Row>
        ))}
      </IndexTable>
    </Card>
  );
}

/** One case: what the rule saw (translated, with its figures), the orders, the points held, and the decision. */
function CaseDetail(props: { row: ReviewCaseRow; locale: AdminLocale; currency: string; params: URLSearchParams }) {
  const { row: c, locale, params } = props;
  const { t } = useTranslation();
  const labels = useReviewLabels(locale);
  const submit = useSubmit();
  const busy = useNavigation().state !== "idle";
  const result = useActionData<typeof action>() as ActionResult;
  const [reason, setReason] = useState("");
  useEffect(() => {
    if (result?.ok) setReason("");
  }, [result]);
  const n = (value: number) => value.toLocaleString(locale);
  const passbook = (memberId: string) => embeddedHref(`/app/customers/${memberId}`, params);
  const decide = (decision: "approve" | "reject") =>
    submit({ caseId: c.id, decision, reason }, { method: "post", encType: "application/json", replace: true });
  const figures = Object.entries(c.figures)
    .map(([name, value]) => `${name} ${n(value)}`)
    .join(" · ");

  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <InlineStack gap="200" blockAlign="center">
            <Text as="h2" variant="headingMd">
              {labels.rule(c.rule)}
            </Text>
            <ReviewStatusBadge status={c.status} />
          </InlineStack>
          <Link url={passbook(c.member.id)}>
            {c.member.name || `#${c.member.customerId}`} · {t("review.detail.passbook")}
          </Link>
        </InlineStack>
        <Text as="p">{labels.summary(c, props.currency)}</Text>
        <Text as="p" tone="subdued">
          {t("review.detail.score", { score: c.score })}
        </Text>
        {figures && (
          <Text as="p" tone="subdued">
            {t("review.detail.figures")}: {figures}
          </Text>
        )}
        <Text as="p" fontWeight="semibold">
          {c.status === "open"
            ? t("review.detail.held", { points: c.heldPoints })
            : t("review.detail.heldAtOpening", { points: c.points })}
        </Text>
        <Text as="h3" variant="headingSm">
          {t("review.detail.orders.title")}
        </Text>
        {c.orders.length === 0 ? (
          <Text as="p">{t("review.detail.orders.none")}</Text>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "numeric", "numeric", "numeric"]}
            headings={[
              t("review.detail.orders.order"),
              t("review.detail.orders.placed"),
              t("review.detail.orders.amount"),
              t("review.detail.orders.points"),
              t("review.detail.orders.refunded"),
            ]}
            rows={c.orders.map((order) => [
              <Link key="order" url={passbook(order.memberId ?? c.member.id)}>
                {order.name ?? `#${order.orderId}`}
              </Link>,
              order.known ? dateTime(order.placedAt, locale) : t("review.detail.orders.unknown"),
              order.known ? formatMoney({ minor: order.amountMinor, currency: order.currency }, locale) : "—",
              order.known ? n(order.pointsEarned) : "—",
              order.known ? formatMoney({ minor: order.refundedMinor, currency: order.currency }, locale) : "—",
            ])}
          />
        )}
        {c.memberIds.length > 0 && (
          <BlockStack gap="100">
            <Text as="h3" variant="headingSm">
              {t("review.detail.otherMembers")}
            </Text>
            <InlineStack gap="200" wrap>
              {c.memberIds.map((id) => (
                <Link key={id} url={passbook(id)}>
                  {id}
                </Link>
              ))}
            </InlineStack>
          </BlockStack>
        )}
        {c.staffIds.length > 0 && <Text as="p">{t("review.detail.staff", { ids: c.staffIds.join(", ") })}</Text>}
        {c.status === "open" ? (
          <BlockStack gap="200">
            <TextField
              label={t("review.decide.reason")}
              helpText={t("review.decide.reasonHelp")}
              value={reason}
              onChange={setReason}
              autoComplete="off"
              multiline={2}
            />
            <InlineStack gap="200">
              <Button variant="primary" loading={busy} onClick={() => decide("approve")}>
                {t("review.decide.approve")}
              </Button>
              <Button tone="critical" loading={busy} disabled={reason.trim() === ""} onClick={() => decide("reject")}>
                {t("review.decide.reject")}
              </Button>
            </InlineStack>
          </BlockStack>
        ) : (
          <BlockStack gap="100">
            <Text as="p">
              {t("review.detail.decided", {
                status: labels.status(c.status),
                actor: c.decidedBy ?? "—",
                date: dateTime(c.decidedAt, locale),
              })}
            </Text>
            {c.decisionReason && <Text as="p">{t("review.detail.reason", { reason: c.decisionReason })}</Text>}
          </BlockStack>
        )}
      </BlockStack>
    </Card>
  );
}
