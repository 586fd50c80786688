import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  FormLayout,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ProgramExtrasEditor } from "../components/ProgramExtrasEditor";
import { formatMoney } from "../shared/money";
import type { ProgramSettings } from "../program/program";
import { exampleEarn } from "../program/program-rules";
import { programSummary } from "../insights/reports.server";
import prisma from "../db.server";
import { saveProgram } from "../program/programs.server";
import { currentProgram, ensureShop } from "../shops/shops.server";
import { authenticate } from "../shopify.server";
import { permissionRefusal } from "../staff/staff.server";

const EXAMPLE_ORDER_MINOR: Record<string, number> = { JPY: 5400 };

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const locale: "ja" | "en" = new URL(request.url).searchParams.get("locale")?.startsWith("ja") ? "ja" : "en";
  const { shop, settings, version } = await prisma.$transaction(async (tx) => {
    const shop = await ensureShop(tx, session.shop);
    const { settings, version } = await currentProgram(tx, shop);
    return { shop, settings, version: version.version };
  });
  // Outside the transaction: with a language model configured, a new version's summary waits for its rewrite.
  const summary = await programSummary(prisma, shop, { settings, version }, locale);
  return { settings, version, locale, summary: summary.lines, summarySource: summary.source };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const auth = await authenticate.admin(request);
  const { session, sessionToken } = auth;
  const refused = await permissionRefusal(request, auth, "program");
  if (refused) return refused;
  const body = (await request.json().catch(() => null)) as { settings?: ProgramSettings } | null;
  if (!body?.settings || typeof body.settings !== "object") {
    return Response.json({ errors: { form: "Send the program settings as JSON." } }, { status: 400 });
  }
  const actor = `staff:${sessionToken?.sub ?? "unknown"}`;
  const result = await prisma.$transaction(async (tx) =>
    saveProgram(tx, await ensureShop(tx, session.shop), body.settings!, actor),
  );
  return Response.json(result, { status: "errors" in result ? 422 : 200 });
};

/** A money field edits major units (¥100, $1.00); the settings keep minor units. */
const toMajor = (minor: number, currency: string) => formatMoney({ minor, currency }, "en").replace(/[^\d.]/g, "");

export default function ProgramPage() {
  const { settings: saved, version, locale, summary, summarySource } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { version?: number; errors?: Record<string, string> } | undefined;
  const submit = useSubmit();
  const saving = useNavigation().state === "submitting";
  const { t } = useTranslation();
  const [settings, setSettings] = useState<ProgramSettings>(saved);
  const exponent = toMajor(1, settings.currency).split(".")[1]?.length ?? 0;
  const minorOf = (value: string) => Math.round(Number(value) * 10 ** exponent);
  const number = (value: string) => (value.trim() === "" ? Number.NaN : Number(value));
  const errors = result?.errors ?? {};
  const exampleMinor = EXAMPLE_ORDER_MINOR[settings.currency] ?? 54 * 10 ** exponent;
  const exampleText = t("program.earning.example", {
    amount: formatMoney({ minor: exampleMinor, currency: settings.currency }, locale === "ja" ? "ja-JP" : "en-US"),
    count: exampleEarn(settings, exampleMinor),
  });

  return (
    <Page title={t("program.title")} subtitle={t("program.version", { version })}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="200">
                {summary.map((line) => (
                  <Text as="p" key={line}>
                    {line}
                  </Text>
                ))}
                {summarySource === "model" ? (
                  <Text as="p" variant="bodySm" tone="subdued">
                    {t("insightReport.source.model")}
                  </Text>
                ) : null}
              </BlockStack>
            </Card>
            {result?.version ? <Banner tone="success">{t("program.saved", { version: result.version })}</Banner> : null}
            {result?.errors ? <Banner tone="critical">{t("program.invalid")}</Banner> : null}
            <Card>
              <FormLayout>
                <Text as="h2" variant="headingMd">
                  {t("program.earning.title")}
                </Text>
                <FormLayout.Group>
                  <TextField
                    label={t("program.earning.points")}
                    type="number"
                    autoComplete="off"
                    value={String(settings.earnRate.points)}
                    error={errors["earnRate.points"]}
                    onChange={(v) =>
                      setSettings({ ...settings, earnRate: { ...settings.earnRate, points: number(v) } })
                    }
                  />
                  <TextField
                    label={t("program.earning.perAmount")}
                    type="number"
                    autoComplete="off"
                    prefix={settings.currency}
                    value={toMajor(settings.earnRate.perMinor, settings.currency)}
                    error={errors["earnRate.perMinor"]}
                    onChange={(v) =>
                      setSettings({ ...settings, earnRate: { ...settings.earnRate, perMinor: minorOf(v) } })
                    }
                  />
                </FormLayout.Group>
                <Select
                  label={t("program.earning.rounding")}
                  options={[
                    { value: "down", label: t("program.earning.roundings.down") },
                    { value: "nearest", label: t("program.earning.roundings.nearest") },
                  ]}
                  value={settings.rounding}
                  error={errors.rounding}
                  onChange={(rounding) =>
                    setSettings({ ...settings, rounding: rounding as ProgramSettings["rounding"] })
                  }
                />
                <Text as="p" tone="subdued" id="earn-example">
                  {exampleText}
                </Text>
                <TextField
                  label={t("program.earning.pendingDays")}
                  type="number"
                  autoComplete="off"
                  value={String(settings.pendingDays)}
                  error={errors.pendingDays}
                  onChange={(v) => setSettings({ ...settings, pendingDays: number(v) })}
                />
                <TextField
                  label={t("program.expiry.days")}
                  type="number"
                  autoComplete="off"
                  value={settings.expiryDays === null ? "" : String(settings.expiryDays)}
                  error={errors.expiryDays}
                  onChange={(v) => setSettings({ ...settings, expiryDays: v.trim() === "" ? null : number(v) })}
                />
                <Select
                  label={t("program.expiry.mode")}
                  options={[
                    { value: "lot", label: t("program.expiry.modes.lot") },
                    { value: "inactivity", label: t("program.expiry.modes.inactivity") },
                  ]}
                  value={settings.expiryMode}
                  error={errors.expiryMode}
                  onChange={(expiryMode) =>
                    setSettings({ ...settings, expiryMode: expiryMode as ProgramSettings["expiryMode"] })
                  }
                />
                <TextField
                  label={t("program.earning.signupBonus")}
                  type="number"
                  autoComplete="off"
                  value={String(settings.signupBonus)}
                  error={errors.signupBonus}
                  onChange={(v) => setSettings({ ...settings, signupBonus: number(v) })}
                />
                <Text as="h2" variant="headingMd">
                  {t("program.redemption.title")}
                </Text>
                <Checkbox
                  label={t("program.redemption.enabled")}
                  checked={settings.redemption.enabled}
                  onChange={(enabled) => setSettings({ ...settings, redemption: { ...settings.redemption, enabled } })}
                />
                <FormLayout.Group>
                  <TextField
                    label={t("program.redemption.pointValue")}
                    type="number"
                    autoComplete="off"
                    prefix={settings.currency}
                    value={toMajor(settings.pointValueMinor, settings.currency)}
                    error={errors.pointValueMinor}
                    onChange={(v) => setSettings({ ...settings, pointValueMinor: minorOf(v) })}
                  />
                  <TextField
                    label={t("program.redemption.minPoints")}
                    type="number"
                    autoComplete="off"
                    value={String(settings.redemption.minPoints)}
                    error={errors["redemption.minPoints"]}
                    onChange={(v) =>
                      setSettings({ ...settings, redemption: { ...settings.redemption, minPoints: number(v) } })
                    }
                  />
                  <TextField
                    label={t("program.redemption.step")}
                    type="number"
                    autoComplete="off"
                    value={String(settings.redemption.step)}
                    error={errors["redemption.step"]}
                    onChange={(v) =>
                      setSettings({ ...settings, redemption: { ...settings.redemption, step: number(v) } })
                    }
                  />
                  <TextField
                    label={t("program.redemption.maxShare")}
                    type="number"
                    autoComplete="off"
                    suffix="%"
                    value={String(settings.redemption.maxShareBasisPoints / 100)}
                    error={errors["redemption.maxShareBasisPoints"]}
                    onChange={(v) =>
                      setSettings({
                        ...settings,
                        redemption: { ...settings.redemption, maxShareBasisPoints: Math.round(number(v) * 100) },
                      })
                    }
                  />
                </FormLayout.Group>
              </FormLayout>
            </Card>
            <ProgramExtrasEditor settings={settings} errors={errors} locale={locale} onChange={setSettings} />
            <Button
              variant="primary"
              loading={saving}
              onClick={() => submit({ settings } as never, { method: "post", encType: "application/json" })}
            >
              {t("program.save")}
            </Button>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
