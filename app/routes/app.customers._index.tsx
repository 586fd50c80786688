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
import { useTranslation } from "react-i18next";
import { adminLocale, dateTime, embeddedHref } from "../i18n/admin-locale";
import { useQueryUpdate } from "../components/useQueryUpdate";
import { percent, useSegmentLabel } from "../components/MemberInsightCard";
import { RFM_SEGMENTS } from "../insights/rfm";
import { formatMoney } from "../shared/money";
import prisma from "../db.server";
import { parseMemberQuery, searchMembers, type MemberPage } from "../members/search.server";
import { currentProgram, ensureShop } from "../shops/shops.server";
import { authenticate } from "../shopify.server";

interface CustomersData {
  locale: "en" | "ja";
  currency: string;
  page: MemberPage;
  tiers: Array<{ id: string; name: string }>;
}

// GET /app/customers?q=&tier=&min=&max=&active=&segment=&preset=&sort=&direction=&page=: members, searched and paged
// in the database, with the nightly predictions (P(alive), expected value, segment) to sort and filter by.
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
    return {
      locale,
      currency: shop.currency,
      page,
      tiers: settings.tiers.levels.map(({ id, name }) => ({ id, name })),
    };
  });
};

export default function Customers() {
  const data = useLoaderData() as CustomersData | { error: string };
  const navigate = useNavigate();
  const { params, update: go } = useQueryUpdate("/app/customers", "page");
  const [search, setSearch] = useState(params.get("q") ?? "");
  const [min, setMin] = useState(params.get("min") ?? "");
  const [max, setMax] = useState(params.get("max") ?? "");
  const { t } = useTranslation();
  const segmentLabel = useSegmentLabel();
  if ("error" in data) {
    return (
      <Page title={t("customers.title")}>
        <Banner tone="critical">{data.error}</Banner>
      </Page>
    );
  }
  const { locale, currency, page, tiers } = data;
  const tierName = (id: string | null) => tiers.find((tier) => tier.id === id)?.name ?? "—";

  return (
    <Page title={t("customers.title")}>
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
                    label={t("customers.search.label")}
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
                <TextField
                  label={t("customers.filters.min")}
                  type="number"
                  value={min}
                  onChange={setMin}
                  autoComplete="off"
                />
                <TextField
                  label={t("customers.filters.max")}
                  type="number"
                  value={max}
                  onChange={setMax}
                  autoComplete="off"
                />
                <button type="submit" hidden />
              </InlineStack>
            </form>
            <InlineStack gap="300" wrap>
              <Select
                label={t("customers.filters.tier")}
                value={params.get("tier") ?? ""}
                onChange={(tier) => go({ tier })}
                options={[
                  { label: t("customers.filters.anyTier"), value: "" },
                  { label: t("common.noTier"), value: "none" },
                  ...tiers.map((tier) => ({ label: tier.name, value: tier.id })),
                ]}
              />
              <Select
                label={t("customers.filters.activity")}
                value={params.get("active") ?? ""}
                onChange={(active) => go({ active })}
                options={[
                  { label: t("customers.filters.anyTime"), value: "" },
                  ...[30, 90, 365].map((d) => ({
                    label: t("customers.filters.within", { count: d }),
                    value: String(d),
                  })),
                  ...[90, 365].map((d) => ({
                    label: t("customers.filters.inactive", { count: d }),
                    value: String(-d),
                  })),
                ]}
              />
              <Select
                label={t("customers.filters.segment")}
                value={params.get("segment") ?? ""}
                onChange={(segment) => go({ segment })}
                options={[
                  { label: t("customers.filters.anySegment"), value: "" },
                  ...RFM_SEGMENTS.map((segment) => ({ label: segmentLabel(segment), value: segment })),
                ]}
              />
              <Select
                label={t("customers.filters.preset")}
                value={params.get("preset") ?? ""}
                onChange={(preset) => go({ preset })}
                options={[
                  { label: t("customers.filters.noPreset"), value: "" },
                  { label: t("customers.filters.highValueAtRisk"), value: "highValueAtRisk" },
                ]}
              />
              <Select
                label={t("customers.sort.label")}
                value={params.get("sort") ?? "balance"}
                onChange={(sort) => go({ sort })}
                options={[
                  { value: "balance", label: t("customers.sort.balance") },
                  { value: "lastActivity", label: t("customers.sort.lastActivity") },
                  { value: "name", label: t("customers.sort.name") },
                  { value: "joined", label: t("customers.sort.joined") },
                  { value: "pAlive", label: t("customers.sort.pAlive") },
                  { value: "expectedValue", label: t("customers.sort.expectedValue") },
                  { value: "segment", label: t("customers.sort.segment") },
                ]}
              />
              <Select
                label=" "
                value={params.get("direction") ?? "desc"}
                onChange={(direction) => go({ direction })}
                options={[
                  { value: "desc", label: t("customers.direction.desc") },
                  { value: "asc", label: t("customers.direction.asc") },
                ]}
              />
            </InlineStack>
            <Text as="p" tone="subdued">
              {t("customers.total", { total: page.total })}
            </Text>
          </BlockStack>
        </Card>
        <Card padding="0">
          <IndexTable
            resourceName={{ singular: t("customers.resource.singular"), plural: t("customers.resource.plural") }}
            itemCount={page.rows.length}
            selectable={false}
            emptyState={
              <Text as="p" alignment="center">
                {t("customers.none")}
              </Text>
            }
            headings={[
              { title: t("customers.columns.customer") },
              { title: t("customers.columns.email") },
              { title: t("customers.columns.available") },
              { title: t("customers.columns.pending") },
              { title: t("customers.columns.tier") },
              { title: t("customers.columns.lastActivity") },
              { title: t("customers.columns.pAlive"), alignment: "end" },
              { title: t("customers.columns.expectedValue"), alignment: "end" },
              { title: t("customers.columns.segment") },
            ]}
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
                    {row.blocked && <Badge tone="critical">{t("common.blocked")}</Badge>}
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
                <IndexTable.Cell>
                  <Text as="span" numeric alignment="end">
                    {row.pAlive === null ? "—" : percent(row.pAlive, locale)}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" numeric alignment="end">
                    {row.expectedValueMinor === null
                      ? "—"
                      : formatMoney({ minor: row.expectedValueMinor, currency }, locale)}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>{row.rfmSegment ? segmentLabel(row.rfmSegment) : "—"}</IndexTable.Cell>
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
