import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  InlineStack,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { TableCard } from "../components/TableCard";
import prisma from "../db.server";
import { adminLocale, dateTime, type AdminLocale } from "../i18n/admin-locale";
import { awardAction, BonusRefused, recentAwards, saveActions, type StaffAction } from "../program/bonuses.server";
import { currentProgram, ensureShop } from "../shops/shops.server";
import { authenticate } from "../shopify.server";
import { permissionRefusal } from "../staff/staff.server";

// GET /app/bonuses: the actions staff reward outside the store, and the latest awards.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return prisma.$transaction(async (tx) => {
    const shop = await ensureShop(tx, session.shop);
    const { settings } = await currentProgram(tx, shop);
    return {
      locale: adminLocale(request) as AdminLocale,
      actions: settings.actions,
      awards: await recentAwards(tx, shop.id),
    };
  });
};

// POST {intent: "award", customerId, actionId} | {intent: "save", actions}: award a bonus, or define the actions.
export const action = async ({ request }: ActionFunctionArgs) => {
  const auth = await authenticate.admin(request);
  const { session, sessionToken } = auth;
  const actor = `staff:${sessionToken?.sub ?? "unknown"}`;
  const body = (await request.json().catch(() => null)) as Record<string, unknown> | null;
  // Defining the actions edits the program; awarding one gives points, as an adjustment does.
  const refused = await permissionRefusal(request, auth, body?.intent === "save" ? "program" : "adjust");
  if (refused) return refused;
  if (body?.intent === "save") {
    if (!Array.isArray(body.actions)) return Response.json({ error: "send the actions as a list" }, { status: 400 });
    const saved = await prisma.$transaction(async (tx) =>
      saveActions(tx, await ensureShop(tx, session.shop), body.actions as StaffAction[], actor),
    );
    if ("errors" in saved) return Response.json({ errors: saved.errors }, { status: 422 });
    return Response.json({ ok: true, version: saved.version });
  }
  // Without an intent: an award, as this endpoint took before it had a page.
  if (body?.intent !== undefined && body.intent !== "award") {
    return Response.json({ error: "intent must be award or save" }, { status: 400 });
  }
  if (typeof body?.customerId !== "string" || !/^\d+$/.test(body.customerId) || typeof body.actionId !== "string") {
    return Response.json({ error: "send a numeric customerId and an actionId" }, { status: 400 });
  }
  const { customerId, actionId } = body as { customerId: string; actionId: string };
  try {
    const result = await prisma.$transaction(async (tx) =>
      awardAction(tx, await ensureShop(tx, session.shop), customerId, actionId, actor),
    );
    return Response.json(result);
  } catch (error) {
    if (error instanceof BonusRefused) return Response.json({ error: error.message }, { status: 422 });
    throw error;
  }
};

type ActionResult = { ok?: boolean; points?: number; error?: string; errors?: Record<string, string> } | undefined;

export default function BonusesPage() {
  const { locale, actions: saved, awards } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult;
  const { t } = useTranslation();
  const submit = useSubmit();
  const busy = useNavigation().state !== "idle";
  const [actions, setActions] = useState<StaffAction[]>(saved);
  const [customerId, setCustomerId] = useState("");
  const [picked, setActionId] = useState(saved[0]?.id ?? "");
  // The first action until one is picked, also after the first actions are saved on this page.
  const actionId = saved.some((action) => action.id === picked) ? picked : (saved[0]?.id ?? "");
  const send = (body: Record<string, unknown>) =>
    submit(JSON.stringify(body), { method: "post", encType: "application/json", replace: true });
  const setAction = (i: number, change: Partial<StaffAction>) =>
    setActions(actions.map((action, j) => (j === i ? { ...action, ...change } : action)));
  const fieldError = (i: number, field: string) => result?.errors?.[`actions.${i}.${field}`];

  return (
    <Page title={t("bonuses.title")} subtitle={t("bonuses.subtitle")}>
      <BlockStack gap="400">
        {result?.error && <Banner tone="critical">{result.error}</Banner>}
        {result?.errors && <Banner tone="critical">{t("bonuses.fixErrors")}</Banner>}
        {result?.points !== undefined && (
          <Banner tone="success">{t("bonuses.awarded", { count: result.points })}</Banner>
        )}
        {result?.ok && <Banner tone="success">{t("bonuses.saved")}</Banner>}
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              {t("bonuses.award.title")}
            </Text>
            {saved.length === 0 ? (
              <Text as="p" tone="subdued">
                {t("bonuses.award.none")}
              </Text>
            ) : (
              <InlineStack gap="300" blockAlign="end">
                <TextField
                  label={t("bonuses.award.customerId")}
                  value={customerId}
                  onChange={setCustomerId}
                  autoComplete="off"
                  inputMode="numeric"
                />
                <Select
                  label={t("bonuses.award.action")}
                  options={saved.map((a) => ({
                    label: `${a.name} (${t("common.points", { count: a.points })})`,
                    value: a.id,
                  }))}
                  value={actionId}
                  onChange={setActionId}
                />
                <Button
                  variant="primary"
                  loading={busy}
                  disabled={!/^\d+$/.test(customerId)}
                  onClick={() => send({ intent: "award", customerId, actionId })}
                >
                  {t("bonuses.award.submit")}
                </Button>
              </InlineStack>
            )}
          </BlockStack>
        </Card>
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              {t("bonuses.actions.title")}
            </Text>
            <Text as="p" tone="subdued">
              {t("bonuses.actions.help")}
            </Text>
            {actions.map((action, i) => (
              <InlineStack key={i} gap="300" blockAlign="end">
                <TextField
                  label={t("bonuses.actions.id")}
                  value={action.id}
                  onChange={(id) => setAction(i, { id })}
                  error={fieldError(i, "id")}
                  autoComplete="off"
                />
                <TextField
                  label={t("bonuses.actions.name")}
                  value={action.name}
                  onChange={(name) => setAction(i, { name })}
                  error={fieldError(i, "name")}
                  autoComplete="off"
                />
                <TextField
                  label={t("bonuses.actions.points")}
                  type="number"
                  value={String(action.points)}
                  onChange={(points) => setAction(i, { points: Number(points) })}
                  error={fieldError(i, "points")}
                  autoComplete="off"
                />
                <Checkbox
                  label={t("bonuses.actions.repeatable")}
                  checked={action.repeatable}
                  onChange={(repeatable) => setAction(i, { repeatable })}
                />
                <Button tone="critical" onClick={() => setActions(actions.filter((_, j) => j !== i))}>
                  {t("common.remove")}
                </Button>
              </InlineStack>
            ))}
            <InlineStack gap="300">
              <Button onClick={() => setActions([...actions, { id: "", name: "", points: 100, repeatable: false }])}>
                {t("bonuses.actions.add")}
              </Button>
              <Button variant="primary" loading={busy} onClick={() => send({ intent: "save", actions })}>
                {t("bonuses.actions.save")}
              </Button>
            </InlineStack>
          </BlockStack>
        </Card>
        <TableCard
          title={t("bonuses.recent.title")}
          empty={awards.length === 0 ? t("bonuses.recent.none") : null}
          columnContentTypes={["text", "text", "text", "numeric", "text"]}
          headings={[
            t("bonuses.recent.date"),
            t("bonuses.recent.customer"),
            t("bonuses.recent.action"),
            t("bonuses.recent.points"),
            t("bonuses.recent.staff"),
          ]}
          rows={awards.map((award) => [
            dateTime(award.at, locale),
            award.customer,
            award.action,
            award.points,
            award.actor,
          ])}
        />
      </BlockStack>
    </Page>
  );
}
