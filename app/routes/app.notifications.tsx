import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useSearchParams, type ShouldRevalidateFunction } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  InlineGrid,
  InlineStack,
  Layout,
  Link,
  Page,
  Select,
  Tabs,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { StatusBadge, useMessageLabels } from "../components/MemberMessagesCard";
import { TableCard } from "../components/TableCard";
import prisma from "../db.server";
import { adminLocale, dateTime, embeddedHref, type AdminLocale } from "../i18n/admin-locale";
import { adminT } from "../i18n/catalog";
import {
  findPreviewMembers,
  notificationsPage,
  parseTemplateKey,
  parseTemplateText,
  previewMessage,
  resetTemplate,
  retryMessages,
  saveNotificationSettings,
  saveTemplate,
  sendTestMessage,
  type FieldErrors,
  type NotificationsPage,
  type RenderedPreview,
} from "../notifications/admin.server";
import { isMarketing, MESSAGE_KINDS, type MessageKind, type MessageLocale } from "../notifications/kinds";
import { mailerFromEnv } from "../notifications/mailer.server";
import type { NotificationSettings } from "../notifications/settings";
import type { TemplateProblem } from "../notifications/templates";
import { ensureShop } from "../shops/shops.server";
import { authenticate } from "../shopify.server";

// GET /app/notifications: sending status, which messages go and when, the sender, templates, failed messages.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await prisma.$transaction((tx) => ensureShop(tx, session.shop));
  return { locale: adminLocale(request) as AdminLocale, ...(await notificationsPage(prisma, shop)) };
};

const INTENTS = ["settings", "saveTemplate", "resetTemplate", "preview", "test", "retry", "members"] as const;

// POST {intent, …}: save settings, save or reset a template, preview or test-send a draft, retry failed messages,
// or search members to preview for.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const actor = `staff:${sessionToken?.sub ?? "unknown"}`;
  const t = adminT(adminLocale(request));
  const body = (await request.json().catch(() => null)) as Record<string, unknown> | null;
  const intent = body?.intent;
  if (!body || !INTENTS.includes(intent as (typeof INTENTS)[number])) {
    return Response.json({ error: `intent must be one of ${INTENTS.join(", ")}` }, { status: 400 });
  }
  const shop = await prisma.$transaction((tx) => ensureShop(tx, session.shop));
  if (intent === "settings") {
    const saved = await prisma.$transaction((tx) => saveNotificationSettings(tx, shop, body.settings, actor));
    return Response.json(saved, { status: "errors" in saved ? 422 : 200 });
  }
  if (intent === "retry") {
    const messageId = typeof body.messageId === "string" ? body.messageId : null;
    return Response.json({ retried: await retryMessages(prisma, shop, messageId, actor) });
  }
  if (intent === "members") {
    const search = typeof body.search === "string" ? body.search : "";
    return Response.json({ members: await prisma.$transaction((tx) => findPreviewMembers(tx, shop.id, search)) });
  }
  const key = parseTemplateKey(body);
  if (!key) return Response.json({ error: "send a message kind and a locale (ja or en)" }, { status: 400 });
  if (intent === "resetTemplate") {
    const reset = await prisma.$transaction((tx) => resetTemplate(tx, shop, key.kind, key.locale, actor));
    return Response.json({ ...reset, ...key, reset: true });
  }
  const text = parseTemplateText(body);
  if (!text) return Response.json({ error: "send the subject and body as text" }, { status: 400 });
  if (intent === "saveTemplate") {
    const saved = await prisma.$transaction((tx) => saveTemplate(tx, shop, key.kind, key.locale, text, actor));
    return Response.json({ ...saved, ...key }, { status: "problem" in saved ? 422 : 200 });
  }
  const memberId = typeof body.memberId === "string" && body.memberId ? body.memberId : null;
  const draft = { ...key, ...text, memberId };
  if (intent === "preview") {
    const preview = await previewMessage(prisma, shop, draft);
    if ("notFound" in preview) return Response.json({ error: t("notifications.preview.notFound") }, { status: 404 });
    return Response.json(preview, { status: "problem" in preview ? 422 : 200 });
  }
  const to = typeof body.to === "string" ? body.to : "";
  const sent = await sendTestMessage(prisma, shop, mailerFromEnv(), { ...draft, to });
  if ("ok" in sent || "problem" in sent) return Response.json(sent, { status: "ok" in sent ? 200 : 422 });
  if ("smtpError" in sent) {
    return Response.json({ error: t("notifications.test.smtpError", { error: sent.smtpError }) }, { status: 502 });
  }
  const refusals = {
    badAddress: t("notifications.test.badAddress"),
    noMailer: t("notifications.test.noMailer"),
    noSender: t("notifications.test.noSender"),
    notFound: t("notifications.preview.notFound"),
  };
  return Response.json({ error: refusals[sent.refused] }, { status: 422 });
};

// Previews, member searches and test sends change nothing: the page's data is not read again after them.
export const shouldRevalidate: ShouldRevalidateFunction = ({ json, defaultShouldRevalidate }) => {
  const intent = (json as { intent?: unknown } | undefined)?.intent;
  if (intent === "preview" || intent === "members" || intent === "test") return false;
  return defaultShouldRevalidate;
};

type PageData = NotificationsPage & { locale: AdminLocale };

const STATUSES = ["pending", "sending", "sent", "skipped", "failed"] as const;
type Answer = { ok?: boolean; error?: string; errors?: FieldErrors; problem?: TemplateProblem };

/** The settings as the form edits them: numbers as typed. */
interface SettingsForm {
  enabled: Record<MessageKind, boolean>;
  reminderDays: string;
  rewardExpiringDays: string;
  quiet: boolean;
  quietStart: string;
  quietEnd: string;
  dailyCap: string;
  defaultLocale: MessageLocale;
  flow: boolean;
  senderName: string;
  senderEmail: string;
  contactAddress: string;
  contactEmail: string;
}

function toForm(settings: NotificationSettings): SettingsForm {
  return {
    enabled: settings.enabled,
    reminderDays: settings.reminderDays.join(", "),
    rewardExpiringDays: String(settings.rewardExpiringDays),
    quiet: settings.quietHours !== null,
    quietStart: String(settings.quietHours?.start ?? 21),
    quietEnd: String(settings.quietHours?.end ?? 9),
    dailyCap: String(settings.dailyCap),
    defaultLocale: settings.defaultLocale,
    flow: settings.flow,
    senderName: settings.senderName,
    senderEmail: settings.senderEmail,
    contactAddress: settings.contactAddress,
    contactEmail: settings.contactEmail,
  };
}

/** What the form sends: numbers where numbers go, so the server's check names what is wrong. */
function fromForm(form: SettingsForm) {
  const number = (text: string) => (/^\s*\d+\s*$/.test(text) ? Number(text) : text);
  return {
    enabled: form.enabled,
    reminderDays: form.reminderDays
      .split(/[,、\s]+/)
      .filter(Boolean)
      .map(number),
    rewardExpiringDays: number(form.rewardExpiringDays),
    quietHours: form.quiet ? { start: Number(form.quietStart), end: Number(form.quietEnd) } : null,
    dailyCap: number(form.dailyCap),
    defaultLocale: form.defaultLocale,
    flow: form.flow,
    senderName: form.senderName,
    senderEmail: form.senderEmail.trim(),
    contactAddress: form.contactAddress,
    contactEmail: form.contactEmail.trim(),
  };
}

function useFieldError(errors: FieldErrors | undefined) {
  const { t } = useTranslation();
  return (field: string): string | undefined => {
    const found = Object.entries(errors ?? {}).find(([path]) => path === field || path.startsWith(`${field}.`));
    if (!found) return undefined;
    switch (field) {
      case "reminderDays":
        return t("notifications.errors.reminderDays");
      case "rewardExpiringDays":
        return t("notifications.errors.rewardExpiringDays");
      case "dailyCap":
        return t("notifications.errors.dailyCap");
      case "senderEmail":
      case "contactEmail":
        return t("notifications.errors.email");
      case "senderName":
      case "contactAddress":
        return t("notifications.errors.tooLong");
      default:
        return found[1];
    }
  };
}

function useProblemText() {
  const { t } = useTranslation();
  const reasonOf = (problem: TemplateProblem) => {
    const name = problem.name ?? "";
    switch (problem.code) {
      case "unknown_variable":
        return t("notifications.templates.reasons.unknownVariable", { name });
      case "unknown_filter":
        return t("notifications.templates.reasons.unknownFilter", { name });
      case "unclosed":
        return t("notifications.templates.reasons.unclosed", { name });
      case "empty":
        return t("notifications.templates.reasons.empty");
      default:
        return problem.reason;
    }
  };
  return (problem: TemplateProblem) =>
    t("notifications.templates.problem", {
      field: problem.field === "subject" ? t("notifications.templates.subject") : t("notifications.templates.body"),
      line: problem.line,
      column: problem.column,
      reason: reasonOf(problem),
    });
}

function SettingsCards({ data }: { data: PageData }) {
  const { t } = useTranslation();
  const labels = useMessageLabels();
  const fetcher = useFetcher<Answer>();
  const [form, setForm] = useState(() => toForm(data.settings));
  const set = (change: Partial<SettingsForm>) => setForm({ ...form, ...change });
  const errorOf = useFieldError(fetcher.data?.errors);
  const busy = fetcher.state !== "idle";
  const hours = Array.from({ length: 24 }, (_, hour) => ({
    label: t("notifications.messages.hour", { hour }),
    value: String(hour),
  }));
  const save = () =>
    fetcher.submit({ intent: "settings", settings: fromForm(form) }, { method: "post", encType: "application/json" });

  return (
    <BlockStack gap="400">
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {t("notifications.messages.title")}
          </Text>
          <Text as="p" tone="subdued">
            {t("notifications.messages.help")}
          </Text>
          <InlineGrid columns={{ xs: 1, md: 2 }} gap="200">
            {MESSAGE_KINDS.map((kind) => (
              <InlineStack key={kind} gap="200" blockAlign="center">
                <Checkbox
                  label={labels.kind(kind)}
                  checked={form.enabled[kind]}
                  onChange={(checked) => set({ enabled: { ...form.enabled, [kind]: checked } })}
                />
                <Badge tone={isMarketing(kind) ? undefined : "info"}>
                  {isMarketing(kind)
                    ? t("notifications.messages.marketing")
                    : t("notifications.messages.transactional")}
                </Badge>
              </InlineStack>
            ))}
          </InlineGrid>
          <InlineGrid columns={{ xs: 1, md: 2 }} gap="300">
            <TextField
              label={t("notifications.messages.reminderDays")}
              helpText={t("notifications.messages.reminderDaysHelp")}
              value={form.reminderDays}
              onChange={(reminderDays) => set({ reminderDays })}
              error={errorOf("reminderDays")}
              autoComplete="off"
            />
            <TextField
              label={t("notifications.messages.rewardExpiringDays")}
              type="number"
              value={form.rewardExpiringDays}
              onChange={(rewardExpiringDays) => set({ rewardExpiringDays })}
              error={errorOf("rewardExpiringDays")}
              autoComplete="off"
            />
          </InlineGrid>
          <Checkbox
            label={t("notifications.messages.quietHours")}
            helpText={t("notifications.messages.quietHelp")}
            checked={form.quiet}
            onChange={(quiet) => set({ quiet })}
          />
          {form.quiet && (
            <InlineStack gap="300">
              <Select
                label={t("notifications.messages.quietStart")}
                options={hours}
                value={form.quietStart}
                onChange={(quietStart) => set({ quietStart })}
                error={errorOf("quietHours")}
              />
              <Select
                label={t("notifications.messages.quietEnd")}
                options={hours}
                value={form.quietEnd}
                onChange={(quietEnd) => set({ quietEnd })}
              />
            </InlineStack>
          )}
          <InlineGrid columns={{ xs: 1, md: 2 }} gap="300">
            <TextField
              label={t("notifications.messages.dailyCap")}
              type="number"
              value={form.dailyCap}
              onChange={(dailyCap) => set({ dailyCap })}
              error={errorOf("dailyCap")}
              autoComplete="off"
            />
            <Select
              label={t("notifications.messages.defaultLocale")}
              options={[
                { label: t("notifications.languages.ja"), value: "ja" },
                { label: t("notifications.languages.en"), value: "en" },
              ]}
              value={form.defaultLocale}
              onChange={(value) => set({ defaultLocale: value as MessageLocale })}
            />
          </InlineGrid>
          <Checkbox label={t("notifications.messages.flow")} checked={form.flow} onChange={(flow) => set({ flow })} />
        </BlockStack>
      </Card>
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {t("notifications.sender.title")}
          </Text>
          <Text as="p" tone="subdued">
            {t("notifications.sender.help")}
          </Text>
          <InlineGrid columns={{ xs: 1, md: 2 }} gap="300">
            <TextField
              label={t("notifications.sender.name")}
              helpText={t("notifications.sender.nameHelp")}
              value={form.senderName}
              onChange={(senderName) => set({ senderName })}
              error={errorOf("senderName")}
              autoComplete="off"
            />
            <TextField
              label={t("notifications.sender.email")}
              helpText={t("notifications.sender.emailHelp")}
              type="email"
              value={form.senderEmail}
              onChange={(senderEmail) => set({ senderEmail })}
              error={errorOf("senderEmail")}
              autoComplete="off"
            />
            <TextField
              label={t("notifications.sender.address")}
              value={form.contactAddress}
              onChange={(contactAddress) => set({ contactAddress })}
              error={errorOf("contactAddress")}
              multiline={2}
              autoComplete="off"
            />
            <TextField
              label={t("notifications.sender.contactEmail")}
              helpText={t("notifications.sender.contactEmailHelp")}
              type="email"
              value={form.contactEmail}
              onChange={(contactEmail) => set({ contactEmail })}
              error={errorOf("contactEmail")}
              autoComplete="off"
            />
          </InlineGrid>
        </BlockStack>
      </Card>
      <InlineStack gap="300" align="end" blockAlign="center">
        {fetcher.state === "idle" && fetcher.data?.ok && (
          <Text as="span" tone="success">
            {t("notifications.saved")}
          </Text>
        )}
        {fetcher.state === "idle" && fetcher.data?.errors && (
          <Text as="span" tone="critical">
            {t("notifications.fixErrors")}
          </Text>
        )}
        <Button variant="primary" loading={busy} onClick={save}>
          {t("notifications.save")}
        </Button>
      </InlineStack>
    </BlockStack>
  );
}

type PreviewAnswer = Partial<RenderedPreview> & { problem?: TemplateProblem; error?: string };
type TemplateAnswer = Answer & { kind?: MessageKind; locale?: MessageLocale; reset?: boolean };
type MemberHit = { id: string; customerId: string; name: string; email: string | null };

function TemplateEditor({ data }: { data: PageData }) {
  const { t } = useTranslation();
  const labels = useMessageLabels();
  const problemText = useProblemText();
  const [kind, setKind] = useState<MessageKind>(MESSAGE_KINDS[0]);
  const [locale, setLocale] = useState<MessageLocale>(data.settings.defaultLocale);
  const [drafts, setDrafts] = useState<Record<string, { subject: string; body: string }>>({});
  const [member, setMember] = useState<MemberHit | null>(null);
  const [search, setSearch] = useState("");
  const [to, setTo] = useState("");
  const saver = useFetcher<TemplateAnswer>();
  const previewer = useFetcher<PreviewAnswer>();
  const finder = useFetcher<{ members?: MemberHit[] }>();
  const tester = useFetcher<Answer & { to?: string }>();
  const key = `${kind}:${locale}`;
  const saved = data.templates.find((template) => template.kind === kind && template.locale === locale)!;
  const draft = drafts[key] ?? { subject: saved.subject, body: saved.body };
  const edit = (change: Partial<typeof draft>) => setDrafts({ ...drafts, [key]: { ...draft, ...change } });

  // Once saved or reset, the page's data holds the template: the draft gives way to it.
  const done = saver.state === "idle" && saver.data?.ok ? `${saver.data.kind}:${saver.data.locale}` : null;
  useEffect(() => {
    if (done) setDrafts((current) => Object.fromEntries(Object.entries(current).filter(([k]) => k !== done)));
  }, [done, saver.data]);

  const submitPreview = previewer.submit;
  const memberId = member?.id ?? null;
  useEffect(() => {
    const timer = setTimeout(
      () =>
        submitPreview(
          { intent: "preview", kind, locale, subject: draft.subject, body: draft.body, memberId },
          { method: "post", encType: "application/json" },
        ),
      400,
    );
    return () => clearTimeout(timer);
  }, [submitPreview, kind, locale, draft.subject, draft.body, memberId]);

  const submitSearch = finder.submit;
  useEffect(() => {
    if (!search.trim()) return;
    const timer = setTimeout(
      () => submitSearch({ intent: "members", search }, { method: "post", encType: "application/json" }),
      300,
    );
    return () => clearTimeout(timer);
  }, [submitSearch, search]);

  const send = (intent: "saveTemplate" | "resetTemplate") =>
    saver.submit({ intent, kind, locale, ...draft }, { method: "post", encType: "application/json" });
  const preview = previewer.data;
  const answer = saver.state === "idle" ? saver.data : undefined;
  const answerHere = answer && answer.kind === kind && answer.locale === locale;
  const tested = tester.state === "idle" ? tester.data : undefined;

  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          {t("notifications.templates.title")}
        </Text>
        <Text as="p" tone="subdued">
          {t("notifications.templates.help")}
        </Text>
        <InlineStack gap="300" blockAlign="end">
          <Select
            label={t("notifications.templates.kind")}
            options={MESSAGE_KINDS.map((value) => ({ label: labels.kind(value), value }))}
            value={kind}
            onChange={(value) => setKind(value as MessageKind)}
          />
          <Badge tone={saved.customised ? "info" : undefined}>
            {saved.customised ? t("notifications.templates.customised") : t("notifications.templates.default")}
          </Badge>
        </InlineStack>
        <Tabs
          tabs={[
            { id: "ja", content: t("notifications.languages.ja") },
            { id: "en", content: t("notifications.languages.en") },
          ]}
          selected={locale === "ja" ? 0 : 1}
          onSelect={(index) => setLocale(index === 0 ? "ja" : "en")}
        />
        {answerHere && answer.problem && (
          <Banner tone="critical" title={t("notifications.templates.refused")}>
            {problemText(answer.problem)}
          </Banner>
        )}
        {answerHere && answer.ok && (
          <Banner tone="success">
            {answer.reset ? t("notifications.templates.resetDone") : t("notifications.templates.saved")}
          </Banner>
        )}
        <InlineGrid columns={{ xs: 1, lg: 2 }} gap="400">
          <BlockStack gap="300">
            <TextField
              label={t("notifications.templates.subject")}
              value={draft.subject}
              onChange={(subject) => edit({ subject })}
              autoComplete="off"
            />
            <TextField
              label={t("notifications.templates.body")}
              value={draft.body}
              onChange={(body) => edit({ body })}
              multiline={14}
              monospaced
              autoComplete="off"
            />
            <BlockStack gap="100">
              <Text as="h3" variant="headingSm">
                {t("notifications.templates.variables")}
              </Text>
              <InlineStack gap="100" wrap>
                {data.variables[kind].map((name) => (
                  <code key={name} style={{ fontSize: 12, background: "#f1f1f1", padding: "1px 4px" }}>
                    {`{{ ${name} }}`}
                  </code>
                ))}
              </InlineStack>
            </BlockStack>
            <InlineStack gap="300">
              <Button variant="primary" loading={saver.state !== "idle"} onClick={() => send("saveTemplate")}>
                {t("notifications.templates.save")}
              </Button>
              <Button disabled={!saved.customised} onClick={() => send("resetTemplate")}>
                {t("notifications.templates.reset")}
              </Button>
            </InlineStack>
          </BlockStack>
          <BlockStack gap="300">
            <Text as="h3" variant="headingSm">
              {t("notifications.preview.title")}
            </Text>
            <TextField
              label={t("notifications.preview.member")}
              placeholder={t("notifications.preview.search")}
              value={search}
              onChange={setSearch}
              autoComplete="off"
            />
            {search.trim() && finder.data?.members && (
              <BlockStack gap="100">
                {finder.data.members.length === 0 && (
                  <Text as="p" tone="subdued">
                    {t("notifications.preview.noMatch")}
                  </Text>
                )}
                {finder.data.members.map((hit) => (
                  <Button
                    key={hit.id}
                    variant="plain"
                    textAlign="start"
                    onClick={() => {
                      setMember(hit);
                      setSearch("");
                    }}
                  >
                    {[hit.name || `#${hit.customerId}`, hit.email].filter(Boolean).join(" · ")}
                  </Button>
                ))}
              </BlockStack>
            )}
            <InlineStack gap="200" blockAlign="center">
              {preview?.member && (
                <Text as="p" tone="subdued">
                  {preview.member.id
                    ? t("notifications.preview.for", { name: preview.member.name })
                    : t("notifications.preview.sample", { name: preview.member.name })}
                </Text>
              )}
              {member && (
                <Button variant="plain" onClick={() => setMember(null)}>
                  {t("notifications.preview.useSample")}
                </Button>
              )}
              {previewer.state !== "idle" && (
                <Text as="span" tone="subdued">
                  {t("notifications.preview.loading")}
                </Text>
              )}
            </InlineStack>
            {preview?.problem && <Banner tone="warning">{problemText(preview.problem)}</Banner>}
            {preview?.error && <Banner tone="critical">{preview.error}</Banner>}
            {preview?.html && (
              <>
                <Text as="p" fontWeight="semibold">
                  {t("notifications.preview.subject", { subject: preview.subject })}
                </Text>
                <iframe
                  title={t("notifications.preview.frame")}
                  sandbox=""
                  srcDoc={preview.html}
                  style={{ width: "100%", height: 420, border: "1px solid #e3e3e3", borderRadius: 8 }}
                />
                <Text as="h3" variant="headingSm">
                  {t("notifications.preview.text")}
                </Text>
                <Box background="bg-surface-secondary" padding="200" borderRadius="200">
                  <pre style={{ whiteSpace: "pre-wrap", margin: 0, fontSize: 12 }}>{preview.text}</pre>
                </Box>
              </>
            )}
            <InlineStack gap="200" blockAlign="end">
              <TextField
                label={t("notifications.test.to")}
                helpText={t("notifications.test.help")}
                type="email"
                value={to}
                onChange={setTo}
                autoComplete="email"
              />
              <Button
                loading={tester.state !== "idle"}
                disabled={!to.trim()}
                onClick={() =>
                  tester.submit(
                    { intent: "test", kind, locale, ...draft, memberId, to },
                    { method: "post", encType: "application/json" },
                  )
                }
              >
                {t("notifications.test.send")}
              </Button>
            </InlineStack>
            {tested?.ok && <Banner tone="success">{t("notifications.test.sent", { to: tested.to })}</Banner>}
            {tested?.error && <Banner tone="critical">{tested.error}</Banner>}
            {tested?.problem && <Banner tone="critical">{problemText(tested.problem)}</Banner>}
          </BlockStack>
        </InlineGrid>
      </BlockStack>
    </Card>
  );
}

function FailedMessages({ data }: { data: PageData }) {
  const { t } = useTranslation();
  const labels = useMessageLabels();
  const [params] = useSearchParams();
  const retrier = useFetcher<{ retried?: number }>();
  const retry = (messageId?: string) =>
    retrier.submit(
      { intent: "retry", ...(messageId ? { messageId } : {}) },
      { method: "post", encType: "application/json" },
    );
  const retried = retrier.state === "idle" ? retrier.data?.retried : undefined;
  return (
    <BlockStack gap="200">
      {retried !== undefined && <Banner tone="success">{t("notifications.failed.retried", { count: retried })}</Banner>}
      <TableCard
        title={t("notifications.failed.title")}
        empty={data.failed.length === 0 ? t("notifications.failed.none") : null}
        columnContentTypes={["text", "text", "text", "text", "numeric", "text"]}
        headings={[
          t("notifications.failed.date"),
          t("notifications.failed.kind"),
          t("notifications.failed.member"),
          t("notifications.failed.error"),
          t("notifications.failed.attempts"),
          "",
        ]}
        rows={data.failed.map((message) => [
          dateTime(message.createdAt, data.locale),
          `${labels.kind(message.kind)} (${labels.channel(message.channel)})`,
          message.member ? (
            <Link url={embeddedHref(`/app/customers/${message.member.id}`, params)}>
              {message.member.name || message.recipient || `#${message.member.customerId}`}
            </Link>
          ) : (
            (message.recipient ?? "—")
          ),
          message.lastError ?? "—",
          message.attempts,
          <Button size="slim" loading={retrier.state !== "idle"} onClick={() => retry(message.id)}>
            {t("notifications.failed.retry")}
          </Button>,
        ])}
      />
      {data.failed.length > 0 && (
        <InlineStack align="space-between" blockAlign="center">
          <Text as="p" tone="subdued">
            {t("notifications.failed.help")}
          </Text>
          <Button loading={retrier.state !== "idle"} onClick={() => retry()}>
            {t("notifications.failed.retryAll")}
          </Button>
        </InlineStack>
      )}
    </BlockStack>
  );
}

export default function NotificationsPage() {
  const data = useLoaderData() as PageData;
  const { t } = useTranslation();
  const { sender } = data;
  return (
    <Page title={t("notifications.title")} subtitle={t("notifications.subtitle")}>
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {t("notifications.status.title")}
              </Text>
              {data.smtpConfigured ? (
                <Text as="p">{t("notifications.status.smtpOn")}</Text>
              ) : (
                <Banner tone="warning">{t("notifications.status.smtpOff")}</Banner>
              )}
              {sender ? (
                <Text as="p">{t("notifications.status.sender", { name: sender.name, email: sender.email })}</Text>
              ) : (
                <Banner tone="warning">{t("notifications.status.noSender")}</Banner>
              )}
              <Text as="h3" variant="headingSm">
                {t("notifications.status.last30")}
              </Text>
              <InlineStack gap="400">
                {STATUSES.map((status) => (
                  <InlineStack key={status} gap="100" blockAlign="center">
                    <StatusBadge status={status} />
                    <Text as="span" numeric>
                      {data.counts[status].toLocaleString(data.locale)}
                    </Text>
                  </InlineStack>
                ))}
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <SettingsCards data={data} />
        </Layout.Section>
        <Layout.Section>
          <TemplateEditor data={data} />
        </Layout.Section>
        <Layout.Section>
          <FailedMessages data={data} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
