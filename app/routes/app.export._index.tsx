import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineStack, Page, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { downloadFile } from "../components/download";
import { adminLocale, type AdminLocale } from "../i18n/admin-locale";
import { addDays, localDate } from "../shared/calendar";
import prisma from "../db.server";
import { ensureShop } from "../shops/shops.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await prisma.$transaction((tx) => ensureShop(tx, session.shop));
  const today = localDate(new Date(), shop.timezone);
  return { locale: adminLocale(request) as AdminLocale, from: addDays(today, -29), to: today };
};

export default function ExportPage() {
  const defaults = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const [from, setFrom] = useState(defaults.from);
  const [to, setTo] = useState(defaults.to);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const download = async (kind: "ledger" | "balances") => {
    setBusy(kind);
    setError(null);
    try {
      await downloadFile(`/app/export/${kind}?from=${from}&to=${to}`, `tsumiki-${kind}-${from}-${to}.csv`);
    } catch (failure) {
      setError(t("export.failed", { reason: (failure as Error).message }));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Page title={t("export.title")}>
      <Card>
        <BlockStack gap="300">
          {error && <Banner tone="critical">{error}</Banner>}
          <Text as="p">{t("export.intro")}</Text>
          <InlineStack gap="300">
            <TextField label={t("export.from")} type="date" value={from} onChange={setFrom} autoComplete="off" />
            <TextField label={t("export.to")} type="date" value={to} onChange={setTo} autoComplete="off" />
          </InlineStack>
          <InlineStack gap="300">
            <Button variant="primary" loading={busy === "ledger"} onClick={() => download("ledger")}>
              {t("export.ledger")}
            </Button>
            <Button loading={busy === "balances"} onClick={() => download("balances")}>
              {t("export.balances")}
            </Button>
          </InlineStack>
        </BlockStack>
      </Card>
    </Page>
  );
}
