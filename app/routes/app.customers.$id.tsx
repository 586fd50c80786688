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
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { TableCard } from "../components/TableCard";
import { adminLocale, dateTime, day, embeddedHref, type AdminLocale } from "../i18n/admin-locale";
import prisma from "../db.server";
import { passbook, type Passbook } from "../members/passbook.server";
import { currentProgram, ensureShop } from "../shops/shops.server";
import { adjustMember, AdjustmentRefused, parseAdjustment, setMemberBlocked } from "../members/staff-actions.server";
import { authenticate } from "../shopify.server";

interface PassbookData {
  locale: AdminLocale;
  passbook: Passbook;
  tiers: Array<{ id: string; name: string }>;
  /** A fresh key per page view: the adjustment form applies once however often it is sent. */
  formKey: string;
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
      formKey: crypto.randomUUID(),
    };
  });
  if (!data) throw new Response("No such customer in this shop", { status: 404 });
  return data;
};

// POST {intent: "adjust", points, reason, key} | {intent: "block", reason} | {intent: "unblock"}
export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const actor = `staff:${sessionToken?.sub ?? "unknown"}`;
  const body = (await request.json().catch(() => null)) as Record<string, unknown> | null;
  if (!body || typeof body !== "object") return Response.json({ error: "send the form as JSON" }, { status: 400 });
  const memberId = params.id ?? "";
  try {
    if (body.intent === "adjust") {
      const adjustment = parseAdjustment(body);
      if ("error" in adjustment) return Response.json({ error: adjustment.error }, { status: 422 });
      const result = await prisma.$transaction(async (tx) =>
        adjustMember(tx, await ensureShop(tx, session.shop), memberId, adjustment, actor),
      );
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
    return Response.json({ error: "intent must be adjust, block or unblock" }, { status: 400 });
  } catch (error) {
    if (error instanceof AdjustmentRefused) return Response.json({ error: error.message }, { status: 422 });
    if (error instanceof Error && /member .* not found/.test(error.message)) {
      return Response.json({ error: "No such customer in this shop" }, { status: 404 });
    }
    throw error;
  }
};

const labels = {
  en: {
    available: "Available",
    pending: "Pending",
    reserved: "Held at checkout",
    debt: "Owed back",
    tier: "Tier",
    joined: "Joined",
    passbook: "Passbook",
    columns: ["Date", "Description", "Order", "In", "Out", "Balance"],
    older: "Older lines",
    newest: "Newest lines",
    lots: "Points by expiry",
    lotColumns: ["Earned", "Amount", "Left", "Status", "Expires"],
    pendingUntil: (d: string) => `Pending until ${d}`,
    spendable: "Spendable",
    never: "Never",
    tierHistory: "Tier history",
    tierColumns: ["Date", "From", "To", "Reason"],
    holds: "Checkout holds and reward codes",
    holdColumns: ["Date", "What", "Points", "Status", "Until"],
    hold: "Checkout hold",
    adjust: "Adjust points",
    points: "Points (negative to remove)",
    reason: "Reason (shown in the passbook)",
    apply: "Apply adjustment",
    adjusted: "Adjustment applied.",
    blockTitle: "Block from earning and redeeming",
    blocked: (d: string, r: string) => `Blocked since ${d}: ${r}`,
    block: "Block customer",
    unblock: "Unblock customer",
    blockReason: "Reason for blocking",
    none: "Nothing yet.",
  },
  ja: {
    available: "利用可能",
    pending: "保留中",
    reserved: "チェックアウトで確保中",
    debt: "返還待ち",
    tier: "ランク",
    joined: "登録日",
    passbook: "ポイント通帳",
    columns: ["日時", "内容", "注文", "入", "出", "残高"],
    older: "以前の明細",
    newest: "最新の明細",
    lots: "有効期限別のポイント",
    lotColumns: ["獲得日", "付与", "残り", "状態", "有効期限"],
    pendingUntil: (d: string) => `${d}まで保留`,
    spendable: "利用可能",
    never: "なし",
    tierHistory: "ランク履歴",
    tierColumns: ["日時", "変更前", "変更後", "理由"],
    holds: "チェックアウトの確保とクーポン",
    holdColumns: ["日時", "種類", "ポイント", "状態", "期限"],
    hold: "チェックアウト確保",
    adjust: "ポイントを調整",
    points: "ポイント（減らす場合はマイナス）",
    reason: "理由（通帳に表示されます）",
    apply: "調整を適用",
    adjusted: "調整を適用しました。",
    blockTitle: "ポイントの獲得と利用を停止",
    blocked: (d: string, r: string) => `${d}から停止中：${r}`,
    block: "停止する",
    unblock: "停止を解除",
    blockReason: "停止の理由",
    none: "まだありません。",
  },
};

export default function CustomerPassbook() {
  const { locale, passbook: book, tiers, formKey } = useLoaderData() as PassbookData;
  const result = useActionData<typeof action>() as { ok?: boolean; applied?: boolean; error?: string } | undefined;
  const submit = useSubmit();
  const busy = useNavigation().state !== "idle";
  const [params] = useSearchParams();
  const t = labels[locale];
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
      subtitle={[member.email, `ID ${member.customerId}`].filter(Boolean).join(" · ")}
      backAction={{ content: "Customers", url: embeddedHref("/app/customers", params) }}
      titleMetadata={
        member.blockedAt ? <Badge tone="critical">{locale === "ja" ? "停止中" : "Blocked"}</Badge> : undefined
      }
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {result?.error && <Banner tone="critical">{result.error}</Banner>}
            {result?.ok && result.applied !== undefined && <Banner tone="success">{t.adjusted}</Banner>}
            <InlineGrid columns={{ xs: 2, md: 5 }} gap="300">
              {[
                [t.available, n(member.available)],
                [t.pending, n(member.pending)],
                [t.reserved, n(member.reserved)],
                [t.debt, n(member.debt)],
                [t.tier, tierName(member.tierId)],
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
                    {t.passbook}
                  </Text>
                </div>
                <DataTable
                  columnContentTypes={["text", "text", "text", "numeric", "numeric", "numeric"]}
                  headings={t.columns}
                  rows={book.lines.map((line) => [
                    dateTime(line.at, locale),
                    line.description,
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
                      {params.get("before") && <Button url={embeddedHref(self, params)}>{t.newest}</Button>}
                      {book.next && <Button url={embeddedHref(self, params, { before: book.next })}>{t.older}</Button>}
                    </InlineStack>
                  }
                />
              </BlockStack>
            </Card>
            <TableCard
              title={t.lots}
              empty={book.lots.length === 0 ? t.none : null}
              columnContentTypes={["text", "numeric", "numeric", "text", "text"]}
              headings={t.lotColumns}
              rows={book.lots.map((lot) => [
                day(lot.earnedAt, locale),
                n(lot.amount),
                n(lot.remaining),
                lot.pending ? t.pendingUntil(day(lot.availableAt, locale)) : t.spendable,
                lot.expiresAt ? day(lot.expiresAt, locale) : t.never,
              ])}
            />
            <TableCard
              title={t.tierHistory}
              empty={book.tierHistory.length === 0 ? t.none : null}
              columnContentTypes={["text", "text", "text", "text"]}
              headings={t.tierColumns}
              rows={book.tierHistory.map((change) => [
                dateTime(change.at, locale),
                tierName(change.from),
                tierName(change.to),
                change.reason,
              ])}
            />
            <TableCard
              title={t.holds}
              empty={book.reservations.length + book.rewardCodes.length === 0 ? t.none : null}
              columnContentTypes={["text", "text", "numeric", "text", "text"]}
              headings={t.holdColumns}
              rows={[
                ...book.reservations.map((r) => [
                  dateTime(r.at, locale),
                  t.hold,
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
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t.adjust}
                </Text>
                <TextField label={t.points} type="number" value={points} onChange={setPoints} autoComplete="off" />
                <TextField label={t.reason} value={reason} onChange={setReason} autoComplete="off" multiline={2} />
                <Button
                  variant="primary"
                  loading={busy}
                  disabled={!points || !reason.trim()}
                  onClick={() => send({ intent: "adjust", points, reason, key: formKey })}
                >
                  {t.apply}
                </Button>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t.blockTitle}
                </Text>
                {member.blockedAt ? (
                  <>
                    <Text as="p">{t.blocked(day(member.blockedAt, locale), member.blockedReason ?? "")}</Text>
                    <Button loading={busy} onClick={() => send({ intent: "unblock" })}>
                      {t.unblock}
                    </Button>
                  </>
                ) : (
                  <>
                    <TextField label={t.blockReason} value={blockReason} onChange={setBlockReason} autoComplete="off" />
                    <Button
                      tone="critical"
                      loading={busy}
                      disabled={!blockReason.trim()}
                      onClick={() => send({ intent: "block", reason: blockReason })}
                    >
                      {t.block}
                    </Button>
                  </>
                )}
                <Text as="p" tone="subdued">
                  {t.joined}: {day(member.joinedAt, locale)}
                </Text>
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
