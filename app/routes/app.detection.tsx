import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useSearchParams } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import prisma from "../db.server";
import {
  DEFAULT_FRAUD_CONFIG,
  fraudSettingsFor,
  FraudSettingsRefused,
  saveFraudSettings,
  type FraudConfig,
} from "../fraud/settings.server";
import { thresholdsSchema, type Thresholds } from "../fraud/thresholds";
import { adminLocale, embeddedHref, type AdminLocale } from "../i18n/admin-locale";
import type { AdminT } from "../i18n/catalog";
import { ensureShop } from "../shops/shops.server";
import { authenticate } from "../shopify.server";
import { staffJsonAction } from "../staff/staff-action.server";

interface DetectionData {
  locale: AdminLocale;
  config: FraudConfig;
  defaults: FraudConfig;
}

// GET /app/detection: the shop's detection settings, and the defaults the form can go back to.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return prisma.$transaction(async (tx): Promise<DetectionData> => {
    const shop = await ensureShop(tx, session.shop);
    return {
      locale: adminLocale(request),
      config: await fraudSettingsFor(tx, shop.id),
      defaults: DEFAULT_FRAUD_CONFIG,
    };
  });
};

interface FieldError {
  path: string;
  message: string;
}

/** One message per field, in the admin's language: of a field's issues, the first, or the tightest lower bound. */
function fieldErrors(issues: z.core.$ZodIssue[], t: AdminT): FieldError[] {
  const byPath = new Map<string, z.core.$ZodIssue>();
  for (const issue of issues) {
    const path = issue.path.join(".");
    const seen = byPath.get(path);
    const tighter =
      seen?.code === "too_small" && issue.code === "too_small" && Number(issue.minimum) > Number(seen.minimum);
    if (!seen || tighter) byPath.set(path, issue);
  }
  return [...byPath].map(([path, issue]) => ({ path, message: messageOf(issue, t) }));
}

function messageOf(issue: z.core.$ZodIssue, t: AdminT): string {
  switch (issue.code) {
    case "invalid_type":
      if (issue.expected === "boolean") return t("detection.errors.toggle");
      if (issue.expected === "int") return t("detection.errors.whole");
      return issue.expected === "number" ? t("detection.errors.number") : t("detection.errors.invalid");
    case "too_small":
      return issue.inclusive
        ? t("detection.errors.min", { minimum: Number(issue.minimum) })
        : t("detection.errors.above", { minimum: Number(issue.minimum) });
    case "too_big":
      return t("detection.errors.max", { maximum: Number(issue.maximum) });
    case "custom":
      return issue.path.join(".") === "thresholds.blockAtScore"
        ? t("detection.errors.blockBelowHold")
        : t("detection.errors.invalid");
    default:
      return t("detection.errors.invalid");
  }
}

// POST {enabled, thresholds}: check every threshold against its bounds, then save and audit. Nothing is written when
// anything is refused: the answer names each field and why.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { staff, t, body } = await staffJsonAction(request, "program");
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    const error = t("detection.malformed");
    return Response.json({ error, fields: [{ path: "", message: error }] }, { status: 400 });
  }
  const { enabled, thresholds } = body as { enabled?: unknown; thresholds?: unknown };
  const parsed = thresholdsSchema.safeParse(thresholds);
  const issues: z.core.$ZodIssue[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({ ...issue, path: ["thresholds", ...issue.path] }));
  if (typeof enabled !== "boolean") {
    issues.unshift({ code: "invalid_type", expected: "boolean", path: ["enabled"], message: "" });
  }
  if (!parsed.success || typeof enabled !== "boolean") {
    return Response.json({ error: t("detection.refused"), fields: fieldErrors(issues, t) }, { status: 422 });
  }
  const input = { enabled, thresholds: parsed.data };
  try {
    const config = await prisma.$transaction((tx) => saveFraudSettings(tx, staff.shop.id, input, staff.actor));
    return Response.json({ ok: true, config });
  } catch (error) {
    if (!(error instanceof FraudSettingsRefused)) throw error;
    const fields = [{ path: "thresholds", message: t("detection.errors.invalid") }];
    return Response.json({ error: t("detection.refused"), fields, reason: error.message }, { status: 422 });
  }
};

type RuleKey = Exclude<keyof Thresholds, "holdAtScore" | "blockAtScore">;

/** Each rule's numeric thresholds, in the order the page shows them. */
const RULE_FIELDS = {
  velocity: ["minZ", "minOrdersHour", "minOrdersDay", "ownMinActiveDays", "baselineDays"],
  largeOrder: ["minHistoryOrders", "minZ", "minRatio", "shopPercentile", "firstOrderMinZ"],
  redeemRefund: ["minCount", "windowDays"],
  signupFarming: ["minMembers", "windowHours"],
  flaggedRedemption: [],
  birthday: ["windowDays"],
  staffOutlier: ["minZ", "minStaff", "minAdjustments", "windowDays"],
} as const satisfies { [R in RuleKey]: readonly Exclude<keyof Thresholds[R], "enabled">[] };

const RULES = Object.keys(RULE_FIELDS) as RuleKey[];

type FieldPath = { [R in RuleKey]: `${R}.${(typeof RULE_FIELDS)[R][number]}` }[RuleKey];

/** The settings as the form edits them: numbers as typed, keyed by their path ("velocity.minZ"). */
interface Form {
  enabled: boolean;
  holdAtScore: string;
  blockAtScore: string;
  rules: Record<RuleKey, boolean>;
  values: Record<FieldPath, string>;
}

const fieldsOf = (rule: RuleKey): readonly string[] => RULE_FIELDS[rule];
const valueAt = (thresholds: Thresholds, rule: RuleKey, field: string) =>
  (thresholds[rule] as unknown as Record<string, number>)[field];

function toForm(config: FraudConfig): Form {
  const { thresholds } = config;
  const rules = {} as Record<RuleKey, boolean>;
  const values = {} as Record<string, string>;
  for (const rule of RULES) {
    rules[rule] = thresholds[rule].enabled;
    for (const field of fieldsOf(rule)) values[`${rule}.${field}`] = String(valueAt(thresholds, rule, field));
  }
  return {
    enabled: config.enabled,
    holdAtScore: String(thresholds.holdAtScore),
    blockAtScore: thresholds.blockAtScore === null ? "" : String(thresholds.blockAtScore),
    rules,
    values: values as Record<FieldPath, string>,
  };
}

/** What the form sends: numbers where numbers go (what is not one is sent as typed, so the server names it). */
function fromForm(form: Form) {
  const number = (text: string) => (text.trim() !== "" && Number.isFinite(Number(text)) ? Number(text) : text);
  const thresholds: Record<string, number | string | null | Record<string, number | string | boolean>> = {
    holdAtScore: number(form.holdAtScore),
    blockAtScore: form.blockAtScore.trim() === "" ? null : number(form.blockAtScore),
  };
  for (const rule of RULES) {
    const settings: Record<string, number | string | boolean> = { enabled: form.rules[rule] };
    for (const field of fieldsOf(rule)) settings[field] = number(form.values[`${rule}.${field}` as FieldPath]);
    thresholds[rule] = settings;
  }
  return { enabled: form.enabled, thresholds };
}

/** Each rule's words and each threshold's label and help, spelled out so the catalog test sees every key. */
function useRuleText() {
  const { t } = useTranslation();
  const rules: Record<RuleKey, { title: string; help: string }> = {
    velocity: { title: t("detection.rules.velocity.title"), help: t("detection.rules.velocity.help") },
    largeOrder: { title: t("detection.rules.largeOrder.title"), help: t("detection.rules.largeOrder.help") },
    redeemRefund: { title: t("detection.rules.redeemRefund.title"), help: t("detection.rules.redeemRefund.help") },
    signupFarming: {
      title: t("detection.rules.signupFarming.title"),
      help: t("detection.rules.signupFarming.help"),
    },
    flaggedRedemption: {
      title: t("detection.rules.flaggedRedemption.title"),
      help: t("detection.rules.flaggedRedemption.help"),
    },
    birthday: { title: t("detection.rules.birthday.title"), help: t("detection.rules.birthday.help") },
    staffOutlier: { title: t("detection.rules.staffOutlier.title"), help: t("detection.rules.staffOutlier.help") },
  };
  const fields: Record<FieldPath, { label: string; help: string }> = {
    "velocity.minZ": {
      label: t("detection.rules.velocity.minZ"),
      help: t("detection.rules.velocity.minZHelp"),
    },
    "velocity.minOrdersHour": {
      label: t("detection.rules.velocity.minOrdersHour"),
      help: t("detection.rules.velocity.minOrdersHourHelp"),
    },
    "velocity.minOrdersDay": {
      label: t("detection.rules.velocity.minOrdersDay"),
      help: t("detection.rules.velocity.minOrdersDayHelp"),
    },
    "velocity.ownMinActiveDays": {
      label: t("detection.rules.velocity.ownMinActiveDays"),
      help: t("detection.rules.velocity.ownMinActiveDaysHelp"),
    },
    "velocity.baselineDays": {
      label: t("detection.rules.velocity.baselineDays"),
      help: t("detection.rules.velocity.baselineDaysHelp"),
    },
    "largeOrder.minHistoryOrders": {
      label: t("detection.rules.largeOrder.minHistoryOrders"),
      help: t("detection.rules.largeOrder.minHistoryOrdersHelp"),
    },
    "largeOrder.minZ": {
      label: t("detection.rules.largeOrder.minZ"),
      help: t("detection.rules.largeOrder.minZHelp"),
    },
    "largeOrder.minRatio": {
      label: t("detection.rules.largeOrder.minRatio"),
      help: t("detection.rules.largeOrder.minRatioHelp"),
    },
    "largeOrder.shopPercentile": {
      label: t("detection.rules.largeOrder.shopPercentile"),
      help: t("detection.rules.largeOrder.shopPercentileHelp"),
    },
    "largeOrder.firstOrderMinZ": {
      label: t("detection.rules.largeOrder.firstOrderMinZ"),
      help: t("detection.rules.largeOrder.firstOrderMinZHelp"),
    },
    "redeemRefund.minCount": {
      label: t("detection.rules.redeemRefund.minCount"),
      help: t("detection.rules.redeemRefund.minCountHelp"),
    },
    "redeemRefund.windowDays": {
      label: t("detection.rules.redeemRefund.windowDays"),
      help: t("detection.rules.redeemRefund.windowDaysHelp"),
    },
    "signupFarming.minMembers": {
      label: t("detection.rules.signupFarming.minMembers"),
      help: t("detection.rules.signupFarming.minMembersHelp"),
    },
    "signupFarming.windowHours": {
      label: t("detection.rules.signupFarming.windowHours"),
      help: t("detection.rules.signupFarming.windowHoursHelp"),
    },
    "birthday.windowDays": {
      label: t("detection.rules.birthday.windowDays"),
      help: t("detection.rules.birthday.windowDaysHelp"),
    },
    "staffOutlier.minZ": {
      label: t("detection.rules.staffOutlier.minZ"),
      help: t("detection.rules.staffOutlier.minZHelp"),
    },
    "staffOutlier.minStaff": {
      label: t("detection.rules.staffOutlier.minStaff"),
      help: t("detection.rules.staffOutlier.minStaffHelp"),
    },
    "staffOutlier.minAdjustments": {
      label: t("detection.rules.staffOutlier.minAdjustments"),
      help: t("detection.rules.staffOutlier.minAdjustmentsHelp"),
    },
    "staffOutlier.windowDays": {
      label: t("detection.rules.staffOutlier.windowDays"),
      help: t("detection.rules.staffOutlier.windowDaysHelp"),
    },
  };
  return { rules, fields };
}

type Answer = { ok?: boolean; error?: string; fields?: FieldError[] };

export default function DetectionSettings() {
  const data = useLoaderData() as DetectionData;
  const { t } = useTranslation();
  const text = useRuleText();
  const [params] = useSearchParams();
  const fetcher = useFetcher<Answer>();
  const [form, setForm] = useState(() => toForm(data.config));
  const defaults = toForm(data.defaults);
  const busy = fetcher.state !== "idle";
  const answer = busy ? undefined : fetcher.data;
  const n = (value: string) => (value === "" ? value : Number(value).toLocaleString(data.locale));
  const errorOf = (path: string) =>
    answer?.fields?.find((field) => field.path === `thresholds.${path}` || field.path.startsWith(`thresholds.${path}.`))
      ?.message;
  const ruleError = (rule: RuleKey) => errorOf(`${rule}.enabled`);
  const save = () => fetcher.submit(fromForm(form), { method: "post", encType: "application/json" });
  const setValue = (path: FieldPath, value: string) => setForm({ ...form, values: { ...form.values, [path]: value } });
  const withDefault = (help: string, value: string) =>
    `${help} ${value === "" ? t("detection.defaultOff") : t("detection.defaultValue", { value: n(value) })}`;

  return (
    <Page
      title={t("detection.title")}
      subtitle={t("detection.subtitle")}
      backAction={{ content: t("review.title"), url: embeddedHref("/app/review", params) }}
      primaryAction={{ content: t("detection.save"), onAction: save, loading: busy }}
      secondaryActions={[{ content: t("detection.reset"), onAction: () => setForm(defaults) }]}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {answer?.ok && <Banner tone="success">{t("detection.saved")}</Banner>}
            {answer?.error && <Banner tone="critical">{answer.error}</Banner>}
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("detection.general.title")}
                </Text>
                <Checkbox
                  label={t("detection.general.enabled")}
                  helpText={t("detection.general.enabledHelp")}
                  checked={form.enabled}
                  onChange={(enabled) => setForm({ ...form, enabled })}
                  error={answer?.fields?.find((field) => field.path === "enabled")?.message}
                />
                <InlineGrid columns={{ xs: 1, md: 2 }} gap="300">
                  <TextField
                    label={t("detection.general.holdAtScore")}
                    helpText={withDefault(t("detection.general.holdAtScoreHelp"), defaults.holdAtScore)}
                    type="number"
                    value={form.holdAtScore}
                    onChange={(holdAtScore) => setForm({ ...form, holdAtScore })}
                    error={errorOf("holdAtScore")}
                    autoComplete="off"
                  />
                  <TextField
                    label={t("detection.general.blockAtScore")}
                    helpText={withDefault(t("detection.general.blockAtScoreHelp"), defaults.blockAtScore)}
                    placeholder={t("detection.general.off")}
                    type="number"
                    value={form.blockAtScore}
                    onChange={(blockAtScore) => setForm({ ...form, blockAtScore })}
                    error={errorOf("blockAtScore")}
                    autoComplete="off"
                  />
                </InlineGrid>
              </BlockStack>
            </Card>
            {RULES.map((rule) => (
              <Card key={rule}>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    {text.rules[rule].title}
                  </Text>
                  <Text as="p" tone="subdued">
                    {text.rules[rule].help}
                  </Text>
                  <Checkbox
                    label={t("detection.ruleEnabled")}
                    checked={form.rules[rule]}
                    onChange={(on) => setForm({ ...form, rules: { ...form.rules, [rule]: on } })}
                    error={ruleError(rule)}
                  />
                  {fieldsOf(rule).length > 0 && (
                    <InlineGrid columns={{ xs: 1, md: 2 }} gap="300">
                      {fieldsOf(rule).map((field) => {
                        const path = `${rule}.${field}` as FieldPath;
                        return (
                          <TextField
                            key={path}
                            label={text.fields[path].label}
                            helpText={withDefault(text.fields[path].help, defaults.values[path])}
                            type="number"
                            value={form.values[path]}
                            onChange={(value) => setValue(path, value)}
                            error={errorOf(path)}
                            autoComplete="off"
                          />
                        );
                      })}
                    </InlineGrid>
                  )}
                </BlockStack>
              </Card>
            ))}
            <Text as="p" tone="subdued">
              {t("detection.resetHelp")}
            </Text>
            <InlineStack gap="300" align="end">
              <Button onClick={() => setForm(defaults)}>{t("detection.reset")}</Button>
              <Button variant="primary" loading={busy} onClick={save}>
                {t("detection.save")}
              </Button>
            </InlineStack>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
