import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  DataTable,
  InlineStack,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { adminLocale, dateTime, type AdminLocale } from "../i18n/admin-locale";
import { useQueryUpdate } from "../components/useQueryUpdate";
import prisma from "../db.server";
import { auditLog, parseAuditQuery, type AuditLine } from "../reports/audit.server";
import { ensureShop } from "../shops/shops.server";
import { authenticate } from "../shopify.server";

interface AuditData {
  locale: AdminLocale;
  lines: AuditLine[];
  next: string | null;
  actions: string[];
}

// GET /app/audit?action=&actor=&subject=&before=: the audit log.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const query = parseAuditQuery(new URL(request.url).searchParams);
  if ("error" in query) return Response.json({ error: query.error }, { status: 400 });
  return prisma.$transaction(async (tx): Promise<AuditData> => {
    const shop = await ensureShop(tx, session.shop);
    return { locale: adminLocale(request), ...(await auditLog(tx, shop.id, query)) };
  });
};

const change = (line: AuditLine) =>
  [line.before ? `${JSON.stringify(line.before)} →` : "", line.after ? JSON.stringify(line.after) : ""]
    .join(" ")
    .trim()
    .slice(0, 300);

export default function AuditPage() {
  const data = useLoaderData() as AuditData | { error: string };
  const { params, update: go } = useQueryUpdate("/app/audit", "before");
  const [actor, setActor] = useState(params.get("actor") ?? "");
  const [subject, setSubject] = useState(params.get("subject") ?? "");
  const { t } = useTranslation();
  if ("error" in data) {
    return (
      <Page title={t("audit.title")}>
        <Banner tone="critical">{data.error}</Banner>
      </Page>
    );
  }
  return (
    <Page title={t("audit.title")}>
      <BlockStack gap="400">
        <Card>
          <InlineStack gap="300" blockAlign="end" wrap>
            <Select
              label={t("audit.filters.action")}
              value={params.get("action") ?? ""}
              onChange={(action) => go({ action })}
              options={[
                { label: t("audit.filters.anyAction"), value: "" },
                ...data.actions.map((a) => ({ label: a, value: a })),
              ]}
            />
            <TextField
              label={t("audit.filters.actor")}
              value={actor}
              onChange={setActor}
              onBlur={() => go({ actor })}
              autoComplete="off"
            />
            <TextField
              label={t("audit.filters.subject")}
              value={subject}
              onChange={setSubject}
              onBlur={() => go({ subject })}
              autoComplete="off"
            />
          </InlineStack>
        </Card>
        <Card padding="0">
          {data.lines.length === 0 ? (
            <div style={{ padding: 16 }}>
              <Text as="p">{t("audit.none")}</Text>
            </div>
          ) : (
            <DataTable
              columnContentTypes={["text", "text", "text", "text", "text"]}
              headings={[
                t("audit.columns.when"),
                t("audit.columns.who"),
                t("audit.columns.action"),
                t("audit.columns.subject"),
                t("audit.columns.change"),
              ]}
              rows={data.lines.map((line) => [
                dateTime(line.at, data.locale),
                line.actor,
                line.action,
                line.subject ?? "",
                change(line),
              ])}
            />
          )}
        </Card>
        {data.next && (
          <InlineStack align="center">
            <Button onClick={() => go({ before: data.next! })}>{t("audit.older")}</Button>
          </InlineStack>
        )}
      </BlockStack>
    </Page>
  );
}
