import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  DataTable,
  InlineStack,
  Layout,
  Page,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { API_SCOPES } from "../api/keys";
import { createApiKey, listApiKeys, revokeApiKey } from "../api/keys.server";
import prisma from "../db.server";
import { adminLocale, type AdminLocale } from "../i18n/admin-locale";
import { authenticate } from "../shopify.server";
import { requirePermission } from "../staff/staff.server";
import { staffJsonAction } from "../staff/staff-action.server";

interface KeysData {
  locale: AdminLocale;
  keys: Awaited<ReturnType<typeof listApiKeys>>;
}

// GET /app/api-keys: the shop's API keys (never the keys themselves), for staff who may change the program.
export const loader = async ({ request }: LoaderFunctionArgs): Promise<KeysData> => {
  const auth = await authenticate.admin(request);
  const staff = await requirePermission({ request, auth }, "program");
  return { locale: adminLocale(request), keys: await listApiKeys(staff.shop.id) };
};

const Intent = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("create"),
    name: z.string().trim().min(1).max(100),
    scopes: z.array(z.enum(API_SCOPES)).min(1),
  }),
  z.object({ intent: z.literal("revoke"), id: z.string().min(1).max(100) }),
]);

// POST {intent: "create", name, scopes}: a new key, answered in full this once. POST {intent: "revoke", id}.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { staff, t, body } = await staffJsonAction(request, "program");
  const parsed = Intent.safeParse(body);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => ({
      path: issue.path.join("."),
      message: issue.path[0] === "scopes" ? t("apiKeys.errors.scopes") : t("apiKeys.errors.name"),
    }));
    return Response.json({ error: t("apiKeys.errors.refused"), fields }, { status: 422 });
  }
  const input = parsed.data;
  if (input.intent === "revoke") {
    const revoked = await prisma.$transaction((tx) => revokeApiKey(tx, staff.shop.id, input.id, staff.actor));
    if (!revoked) return Response.json({ error: t("apiKeys.errors.notFound") }, { status: 404 });
    return Response.json({ ok: true, revoked: revoked.prefix });
  }
  const { key, record } = await prisma.$transaction((tx) =>
    createApiKey(tx, staff.shop.id, { name: input.name, scopes: input.scopes, createdBy: staff.actor }),
  );
  return Response.json({ ok: true, created: { key, name: record.name } });
};

type Answer = {
  ok?: boolean;
  error?: string;
  fields?: Array<{ path: string; message: string }>;
  created?: { key: string; name: string };
  revoked?: string;
};

export default function ApiKeys() {
  const data = useLoaderData() as KeysData;
  const { t } = useTranslation();
  const create = useFetcher<Answer>();
  const revoke = useFetcher<Answer>();
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState({ read: true, write: false });
  const [copied, setCopied] = useState(false);
  const answer = create.state === "idle" ? create.data : undefined;
  const date = (at: string | null) =>
    at ? new Date(at).toLocaleString(data.locale, { dateStyle: "medium", timeStyle: "short" }) : t("apiKeys.never");
  const scopeName = { read: t("apiKeys.scopes.read"), write: t("apiKeys.scopes.write") };

  const submit = () => {
    setCopied(false);
    const chosen = API_SCOPES.filter((scope) => scopes[scope]);
    create.submit({ intent: "create", name, scopes: chosen }, { method: "post", encType: "application/json" });
  };
  const copy = async (key: string) => {
    await navigator.clipboard.writeText(key);
    setCopied(true);
  };

  const rows = data.keys.map((key) => [
    key.name,
    <Text as="span" key="prefix" fontWeight="medium">
      <code>{key.prefix}…</code>
    </Text>,
    key.scopes.map((scope) => scopeName[scope as keyof typeof scopeName] ?? scope).join(", "),
    date(key.createdAt),
    date(key.lastUsedAt),
    key.revokedAt ? (
      <Badge key="status">{t("apiKeys.revokedOn", { date: date(key.revokedAt) })}</Badge>
    ) : (
      <InlineStack key="status" gap="200" blockAlign="center">
        <Badge tone="success">{t("apiKeys.active")}</Badge>
        <Button
          tone="critical"
          variant="plain"
          loading={revoke.state !== "idle" && (revoke.json as { id?: string } | undefined)?.id === key.id}
          onClick={() =>
            window.confirm(t("apiKeys.revokeConfirm", { name: key.name })) &&
            revoke.submit({ intent: "revoke", id: key.id }, { method: "post", encType: "application/json" })
          }
        >
          {t("apiKeys.revoke")}
        </Button>
      </InlineStack>
    ),
  ]);

  return (
    <Page title={t("apiKeys.title")} subtitle={t("apiKeys.subtitle")}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {answer?.created && (
              <Banner tone="success" title={t("apiKeys.created.title", { name: answer.created.name })}>
                <BlockStack gap="200">
                  <Text as="p">{t("apiKeys.created.once")}</Text>
                  <InlineStack gap="200" blockAlign="center">
                    <code>{answer.created.key}</code>
                    <Button onClick={() => void copy(answer.created!.key)}>
                      {copied ? t("apiKeys.created.copied") : t("apiKeys.created.copy")}
                    </Button>
                  </InlineStack>
                </BlockStack>
              </Banner>
            )}
            {answer?.error && <Banner tone="critical">{answer.error}</Banner>}
            {revoke.state === "idle" && revoke.data?.revoked && (
              <Banner tone="info">{t("apiKeys.revokedBanner", { prefix: revoke.data.revoked })}</Banner>
            )}
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("apiKeys.create.title")}
                </Text>
                <TextField
                  label={t("apiKeys.create.name")}
                  helpText={t("apiKeys.create.nameHelp")}
                  value={name}
                  onChange={setName}
                  error={answer?.fields?.find((field) => field.path === "name")?.message}
                  autoComplete="off"
                />
                <Checkbox
                  label={t("apiKeys.scopes.read")}
                  helpText={t("apiKeys.scopes.readHelp")}
                  checked={scopes.read}
                  onChange={(read) => setScopes({ ...scopes, read })}
                />
                <Checkbox
                  label={t("apiKeys.scopes.write")}
                  helpText={t("apiKeys.scopes.writeHelp")}
                  checked={scopes.write}
                  onChange={(write) => setScopes({ ...scopes, write })}
                  error={answer?.fields?.find((field) => field.path === "scopes")?.message}
                />
                <InlineStack align="end">
                  <Button variant="primary" loading={create.state !== "idle"} onClick={submit}>
                    {t("apiKeys.create.submit")}
                  </Button>
                </InlineStack>
              </BlockStack>
            </Card>
            <Card padding="0">
              {rows.length === 0 ? (
                <BlockStack gap="200" inlineAlign="center">
                  <Text as="p" tone="subdued">
                    {t("apiKeys.empty")}
                  </Text>
                </BlockStack>
              ) : (
                <DataTable
                  columnContentTypes={["text", "text", "text", "text", "text", "text"]}
                  headings={[
                    t("apiKeys.columns.name"),
                    t("apiKeys.columns.prefix"),
                    t("apiKeys.columns.scopes"),
                    t("apiKeys.columns.created"),
                    t("apiKeys.columns.lastUsed"),
                    t("apiKeys.columns.status"),
                  ]}
                  rows={rows}
                />
              )}
            </Card>
            <Text as="p" tone="subdued">
              {t("apiKeys.docs")} <code>/api/v1/openapi.json</code>
            </Text>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
