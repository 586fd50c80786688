import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Card,
  IndexTable,
  InlineStack,
  Page,
  Pagination,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import { adminLocale, dateTime, embeddedHref } from "../i18n/admin-locale";
import { useQueryUpdate } from "../components/useQueryUpdate";
import prisma from "../db.server";
import { parseMemberQuery, searchMembers, type MemberPage } from "../members/search.server";
import { currentProgram, ensureShop } from "../shops/shops.server";
import { authenticate } from "../shopify.server";

interface CustomersData {
  locale: "en" | "ja";
  page: MemberPage;
  tiers: Array<{ id: string; name: string }>;
}

// GET /app/customers?q=&tier=&min=&max=&active=&sort=&direction=&page=: members, searched and paged in the database.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const url = new URL(request.url);
  const locale = adminLocale(url);
  const query = parseMemberQuery(url.searchParams);
  if ("error" in query) return Response.json({ error: query.error }, { status: 400 });
  return prisma.$transaction(async (tx): Promise<CustomersData> => {
    const shop = await ensureShop(tx, session.shop);
    const { settings } = await currentProgram(tx, shop);
    const page = await searchMembers(tx, shop.id, query);
    return { locale, page, tiers: settings.tiers.levels.map(({ id, name }) => ({ id, name })) };
  });
};

const labels = {
  en: {
    title: "Customers",
    search: "Search by name, email or customer id",
    tier: "Tier",
    anyTier: "Any tier",
    noTier: "No tier",
    min: "Balance from",
    max: "Balance to",
    activity: "Last activity",
    anyTime: "Any time",
    within: (d: number) => `Within ${d} days`,
    inactive: (d: number) => `Inactive ${d}+ days`,
    sort: "Sort by",
    sorts: { balance: "Balance", lastActivity: "Last activity", name: "Name", joined: "Joined" },
    direction: { desc: "Highest / newest first", asc: "Lowest / oldest first" },
    columns: ["Customer", "Email", "Available", "Pending", "Tier", "Last activity"],
    blocked: "Blocked",
    count: (n: number) => `${n.toLocaleString("en")} customers`,
    none: "No customers match.",
  },
  ja: {
    title: "顧客",
    search: "氏名・メールアドレス・顧客IDで検索",
    tier: "ランク",
    anyTier: "すべてのランク",
    noTier: "ランクなし",
    min: "残高（以上）",
    max: "残高（以下）",
    activity: "最終利用",
    anyTime: "指定なし",
    within: (d: number) => `${d}日以内`,
    inactive: (d: number) => `${d}日以上利用なし`,
    sort: "並び替え",
    sorts: { balance: "残高", lastActivity: "最終利用", name: "氏名", joined: "登録日" },
    direction: { desc: "多い順・新しい順", asc: "少ない順・古い順" },
    columns: ["顧客", "メール", "利用可能", "保留中", "ランク", "最終利用"],
    blocked: "停止中",
    count: (n: number) => `${n.toLocaleString("ja")}人`,
    none: "該当する顧客はいません。",
  },
};

export default function Customers() {
  const data = useLoaderData() as CustomersData | { error: string };
  const navigate = useNavigate();
  const { params, update: go } = useQueryUpdate("/app/customers", "page");
  const [search, setSearch] = useState(params.get("q") ?? "");
  const [min, setMin] = useState(params.get("min") ?? "");
  const [max, setMax] = useState(params.get("max") ?? "");
  if ("error" in data) {
    return (
      <Page title="Customers">
        <Banner tone="critical">{data.error}</Banner>
      </Page>
    );
  }
  const { locale, page, tiers } = data;
  const t = labels[locale];
  const tierName = (id: string | null) => tiers.find((tier) => tier.id === id)?.name ?? "—";

  return (
    <Page title={t.title}>
      <BlockStack gap="400">
        <Card>
          <BlockStack gap="300">
            <form
              onSubmit={(event) => {
                event.preventDefault();
                go({ q: search, min, max });
              }}
            >
              <InlineStack gap="300" blockAlign="end" wrap>
                <div style={{ minWidth: 280, flex: 1 }}>
                  <TextField
                    label={t.search}
                    value={search}
                    onChange={setSearch}
                    autoComplete="off"
                    onBlur={() => go({ q: search, min, max })}
                    clearButton
                    onClearButtonClick={() => {
                      setSearch("");
                      go({ q: "" });
                    }}
                  />
                </div>
                <TextField label={t.min} type="number" value={min} onChange={setMin} autoComplete="off" />
                <TextField label={t.max} type="number" value={max} onChange={setMax} autoComplete="off" />
                <button type="submit" hidden />
              </InlineStack>
            </form>
            <InlineStack gap="300" wrap>
              <Select
                label={t.tier}
                value={params.get("tier") ?? ""}
                onChange={(tier) => go({ tier })}
                options={[
                  { label: t.anyTier, value: "" },
                  { label: t.noTier, value: "none" },
                  ...tiers.map((tier) => ({ label: tier.name, value: tier.id })),
                ]}
              />
              <Select
                label={t.activity}
                value={params.get("active") ?? ""}
                onChange={(active) => go({ active })}
                options={[
                  { label: t.anyTime, value: "" },
                  ...[30, 90, 365].map((d) => ({ label: t.within(d), value: String(d) })),
                  ...[90, 365].map((d) => ({ label: t.inactive(d), value: String(-d) })),
                ]}
              />
              <Select
                label={t.sort}
                value={params.get("sort") ?? "balance"}
                onChange={(sort) => go({ sort })}
                options={Object.entries(t.sorts).map(([value, label]) => ({ value, label }))}
              />
              <Select
                label=" "
                value={params.get("direction") ?? "desc"}
                onChange={(direction) => go({ direction })}
                options={Object.entries(t.direction).map(([value, label]) => ({ value, label }))}
              />
            </InlineStack>
            <Text as="p" tone="subdued">
              {t.count(page.total)}
            </Text>
          </BlockStack>
        </Card>
        <Card padding="0">
          <IndexTable
            resourceName={{ singular: t.title, plural: t.title }}
            itemCount={page.rows.length}
            selectable={false}
            emptyState={
              <Text as="p" alignment="center">
                {t.none}
              </Text>
            }
            headings={t.columns.map((title) => ({ title })) as [{ title: string }, ...{ title: string }[]]}
          >
            {page.rows.map((row, index) => (
              <IndexTable.Row
                id={row.id}
                key={row.id}
                position={index}
                onClick={() => navigate(embeddedHref(`/app/customers/${row.id}`, params))}
              >
                <IndexTable.Cell>
                  <InlineStack gap="200">
                    <Text as="span" fontWeight="semibold">
                      {row.name || `#${row.customerId}`}
                    </Text>
                    {row.blocked && <Badge tone="critical">{t.blocked}</Badge>}
                  </InlineStack>
                </IndexTable.Cell>
                <IndexTable.Cell>{row.email ?? "—"}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" numeric>
                    {row.available.toLocaleString(locale)}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" numeric>
                    {row.pending.toLocaleString(locale)}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>{tierName(row.tierId)}</IndexTable.Cell>
                <IndexTable.Cell>{dateTime(row.lastActivityAt, locale)}</IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        </Card>
        <InlineStack align="center">
          <Pagination
            hasPrevious={page.page > 1}
            hasNext={page.page < page.pageCount}
            label={`${page.page} / ${page.pageCount}`}
            onPrevious={() => go({ page: String(page.page - 1) })}
            onNext={() => go({ page: String(page.page + 1) })}
          />
        </InlineStack>
      </BlockStack>
    </Page>
  );
}
