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
import prisma from "../db.server";
import { adminLocale, dateTime, type AdminLocale } from "../i18n/admin-locale";
import type { AdminT } from "../i18n/catalog";
import { redeliver } from "../outgoing-webhooks/deliver.server";
import { WEBHOOK_EVENTS, type WebhookEvent } from "../outgoing-webhooks/events";
import type { SubscriptionProblem } from "../outgoing-webhooks/subscription";
import {
  createSubscription,
  endSubscription,
  subscriptionsPage,
  SubscriptionRefused,
} from "../outgoing-webhooks/subscriptions.server";
import { authenticate } from "../shopify.server";
import { requirePermission } from "../staff/staff.server";
import { staffJsonAction } from "../staff/staff-action.server";

// GET /app/integrations/webhooks: the shop's outgoing webhook subscriptions and their latest deliveries.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const auth = await authenticate.admin(request);
  const staff = await requirePermission({ request, auth }, "program");
  const subscriptions = await subscriptionsPage(prisma, staff.shop.id);
  return {
    locale: adminLocale(request) as AdminLocale,
    subscriptions: subscriptions.map((s) => ({
      ...s,
      createdAt: s.createdAt.toISOString(),
      disabledAt: s.disabledAt?.toISOString() ?? null,
      deliveries: s.deliveries.map((d) => ({
        ...d,
        createdAt: d.createdAt.toISOString(),
        deliveredAt: d.deliveredAt?.toISOString() ?? null,
        nextAttemptAt: d.nextAttemptAt.toISOString(),
        attemptsLog: d.attemptsLog.map((a) => ({ ...a, id: String(a.id), at: a.at.toISOString() })),
      })),
    })),
  };
};

function problemMessage(problem: SubscriptionProblem, t: AdminT): string {
  if (problem.field === "events") {
    return problem.code === "none" ? t("webhooks_out.errors.noEvents") : t("webhooks_out.errors.unknownEvent");
  }
  switch (problem.code) {
    case "missing":
      return t("webhooks_out.errors.urlMissing");
    case "https":
      return t("webhooks_out.errors.https");
    case "tooLong":
      return t("webhooks_out.errors.urlTooLong");
    case "private":
      return t("webhooks_out.errors.private");
    default:
      return t("webhooks_out.errors.urlInvalid");
  }
}

type Body = { intent?: unknown; url?: unknown; events?: unknown; id?: unknown };

// POST {intent: "create", url, events} | {intent: "disable" | "delete", id} | {intent: "redeliver", id}.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { staff, t, body: received } = await staffJsonAction(request, "program");
  const body = received as Body | null;
  const id = typeof body?.id === "string" ? body.id : "";
  try {
    switch (body?.intent) {
      case "create": {
        const created = await createSubscription(prisma, staff.shop.id, body, staff.actor);
        // The only answer that carries the secret.
        return Response.json({ ok: true, created: { id: created.id, url: created.url, secret: created.secret } });
      }
      case "disable":
      case "delete":
        await endSubscription(prisma, staff.shop.id, id, body.intent, staff.actor);
        return Response.json({ ok: true });
      case "redeliver":
        if (!(await redeliver(prisma, staff.shop.id, id))) {
          return Response.json({ error: t("webhooks_out.errors.notFailed") }, { status: 409 });
        }
        return Response.json({ ok: true, redelivering: id });
      default:
        return Response.json({ error: t("webhooks_out.errors.malformed") }, { status: 400 });
    }
  } catch (error) {
    if (!(error instanceof SubscriptionRefused)) throw error;
    if (error.problems === "notFound") {
      return Response.json({ error: t("webhooks_out.errors.notFound") }, { status: 404 });
    }
    if (error.problems === "limit") {
      return Response.json({ error: t("webhooks_out.errors.limit") }, { status: 422 });
    }
    const fields = error.problems.map((problem) => ({ path: problem.field, message: problemMessage(problem, t) }));
    return Response.json({ error: t("webhooks_out.errors.refused"), fields }, { status: 422 });
  }
};

/** Each event's name for merchants, spelled out so the catalog test sees every key. */
function useEventLabels(): Record<WebhookEvent, string> {
  const { t } = useTranslation();
  return {
    "points.earned": t("webhooks_out.events.pointsEarned"),
    "points.redeemed": t("webhooks_out.events.pointsRedeemed"),
    "points.expired": t("webhooks_out.events.pointsExpired"),
    "points.adjusted": t("webhooks_out.events.pointsAdjusted"),
    "tier.changed": t("webhooks_out.events.tierChanged"),
    "member.joined": t("webhooks_out.events.memberJoined"),
    "member.left": t("webhooks_out.events.memberLeft"),
    "review_case.opened": t("webhooks_out.events.reviewCaseOpened"),
  };
}

function useStatusLabels(): Record<string, string> {
  const { t } = useTranslation();
  return {
    pending: t("webhooks_out.status.pending"),
    sending: t("webhooks_out.status.sending"),
    delivered: t("webhooks_out.status.delivered"),
    failed: t("webhooks_out.status.failed"),
  };
}

type Answer = {
  ok?: boolean;
  error?: string;
  fields?: Array<{ path: string; message: string }>;
  created?: { id: string; url: string; secret: string };
};

type Subscription = ReturnType<typeof useLoaderData<typeof loader>>["subscriptions"][number];

function SubscriptionCard({ subscription, locale }: { subscription: Subscription; locale: AdminLocale }) {
  const { t } = useTranslation();
  const events = useEventLabels();
  const statuses = useStatusLabels();
  const fetcher = useFetcher<Answer>();
  const busy = fetcher.state !== "idle";
  const send = (intent: string, id: string) =>
    fetcher.submit({ intent, id }, { method: "post", encType: "application/json" });
  const when = (iso: string | null) => dateTime(iso, locale);
  const label = (event: string) => events[event as WebhookEvent] ?? event;
  const rows = subscription.deliveries.map((delivery) => [
    label(delivery.event),
    statuses[delivery.status] ?? delivery.status,
    when(delivery.createdAt),
    <BlockStack key={delivery.id} gap="100">
      {delivery.attemptsLog.length === 0 ? (
        <Text as="span">{t("webhooks_out.deliveries.noAttempts")}</Text>
      ) : (
        delivery.attemptsLog.map((attempt) => (
          <Text as="span" key={attempt.id}>
            {when(attempt.at)} · {attempt.status ?? "—"} · {attempt.error ?? t("webhooks_out.deliveries.ok")} ·{" "}
            {t("webhooks_out.deliveries.duration", { ms: attempt.durationMs })}
          </Text>
        ))
      )}
    </BlockStack>,
    delivery.status === "failed" ? (
      <Button key={delivery.id} size="slim" disabled={busy} onClick={() => send("redeliver", delivery.id)}>
        {t("webhooks_out.deliveries.redeliver")}
      </Button>
    ) : (
      ""
    ),
  ]);
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd" breakWord>
            {subscription.url}
          </Text>
          {subscription.disabledAt ? (
            <Badge>{t("webhooks_out.list.disabled")}</Badge>
          ) : (
            <Badge tone="success">{t("webhooks_out.list.active")}</Badge>
          )}
        </InlineStack>
        <Text as="p" tone="subdued">
          {t("webhooks_out.list.created", { when: when(subscription.createdAt) })}
          {subscription.disabledAt
            ? ` · ${t("webhooks_out.list.disabledAt", { when: when(subscription.disabledAt) })}`
            : ""}
        </Text>
        <Text as="p">{subscription.events.map(label).join(", ")}</Text>
        {fetcher.data?.error && !busy && <Banner tone="critical">{fetcher.data.error}</Banner>}
        <InlineStack gap="200">
          {!subscription.disabledAt && (
            <Button disabled={busy} onClick={() => send("disable", subscription.id)}>
              {t("webhooks_out.list.disable")}
            </Button>
          )}
          <Button tone="critical" disabled={busy} onClick={() => send("delete", subscription.id)}>
            {t("webhooks_out.list.delete")}
          </Button>
        </InlineStack>
        <Text as="h3" variant="headingSm">
          {t("webhooks_out.deliveries.title")}
        </Text>
        {rows.length === 0 ? (
          <Text as="p">{t("webhooks_out.deliveries.none")}</Text>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "text", "text", "text"]}
            headings={[
              t("webhooks_out.deliveries.event"),
              t("webhooks_out.deliveries.status"),
              t("webhooks_out.deliveries.created"),
              t("webhooks_out.deliveries.attempts"),
              "",
            ]}
            rows={rows}
          />
        )}
      </BlockStack>
    </Card>
  );
}

export default function OutgoingWebhooksPage() {
  const { locale, subscriptions } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const events = useEventLabels();
  const fetcher = useFetcher<Answer>();
  const busy = fetcher.state !== "idle";
  const answer = busy ? undefined : fetcher.data;
  const [url, setUrl] = useState("");
  const [chosen, setChosen] = useState<WebhookEvent[]>([]);
  const errorOf = (path: string) => answer?.fields?.find((field) => field.path === path)?.message;
  const create = () =>
    fetcher.submit({ intent: "create", url, events: chosen }, { method: "post", encType: "application/json" });
  const toggle = (event: WebhookEvent, on: boolean) =>
    setChosen(on ? [...chosen, event] : chosen.filter((e) => e !== event));

  return (
    <Page title={t("webhooks_out.title")} subtitle={t("webhooks_out.subtitle")}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {answer?.created && (
              <Banner tone="success" title={t("webhooks_out.create.created")}>
                <BlockStack gap="200">
                  <Text as="p">{t("webhooks_out.create.secretOnce")}</Text>
                  <Text as="p" fontWeight="bold" breakWord>
                    <code>{answer.created.secret}</code>
                  </Text>
                </BlockStack>
              </Banner>
            )}
            {answer?.error && <Banner tone="critical">{answer.error}</Banner>}
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("webhooks_out.create.title")}
                </Text>
                <TextField
                  label={t("webhooks_out.create.url")}
                  helpText={t("webhooks_out.create.urlHelp")}
                  value={url}
                  onChange={setUrl}
                  autoComplete="off"
                  error={errorOf("url")}
                />
                <Text as="p">{t("webhooks_out.create.events")}</Text>
                {WEBHOOK_EVENTS.map((event) => (
                  <Checkbox
                    key={event}
                    label={`${events[event]} (${event})`}
                    checked={chosen.includes(event)}
                    onChange={(on) => toggle(event, on)}
                  />
                ))}
                {errorOf("events") && (
                  <Text as="p" tone="critical">
                    {errorOf("events")}
                  </Text>
                )}
                <InlineStack>
                  <Button variant="primary" loading={busy} onClick={create}>
                    {t("webhooks_out.create.submit")}
                  </Button>
                </InlineStack>
              </BlockStack>
            </Card>
            {subscriptions.length === 0 ? (
              <Card>
                <Text as="p">{t("webhooks_out.list.none")}</Text>
              </Card>
            ) : (
              subscriptions.map((subscription) => (
                <SubscriptionCard key={subscription.id} subscription={subscription} locale={locale} />
              ))
            )}
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
