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
import { ProgramExtrasEditor } from "../components/ProgramExtrasEditor";
import { formatMoney } from "../shared/money";
import type { ProgramSettings } from "../program/program";
import { describeProgram, exampleEarn } from "../program/program-rules";
import prisma from "../db.server";
import { saveProgram } from "../program/programs.server";
import { currentProgram, ensureShop } from "../shops/shops.server";
import { authenticate } from "../shopify.server";

const EXAMPLE_ORDER_MINOR: Record<string, number> = { JPY: 5400 };

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const locale: "ja" | "en" = new URL(request.url).searchParams.get("locale")?.startsWith("ja") ? "ja" : "en";
  return prisma.$transaction(async (tx) => {
    const shop = await ensureShop(tx, session.shop);
    const { settings, version } = await currentProgram(tx, shop);
    return { settings, version: version.version, locale, summary: describeProgram(settings, locale) };
  });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
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

const labels = {
  en: {
    title: "Program",
    earning: "Earning",
    points: "Points earned",
    perAmount: "For every (amount spent)",
    example: (amount: string, points: number) => `An order of ${amount} earns ${points} points.`,
    pointValue: "Value of one point at checkout",
    rounding: "Rounding",
    expiryMode: "How points expire",
    expiryModes: {
      lot: "Each earn, that many days after it",
      inactivity: "The whole balance, after that many days without activity",
    },
    roundings: { down: "Down (never over-promise)", nearest: "To the nearest point" },
    pendingDays: "Return window (days before points can be spent)",
    expiryDays: "Points expire after (days; empty for never)",
    signupBonus: "Signup bonus (points)",
    redemption: "Redemption at checkout",
    enabled: "Shoppers can pay with points at checkout",
    minPoints: "Minimum points",
    step: "In steps of",
    maxShare: "Largest share of the subtotal (%)",
    save: "Save",
    saved: (version: number) => `Saved as version ${version}.`,
    invalid: "Some settings need attention.",
  },
  ja: {
    title: "プログラム",
    earning: "ポイント付与",
    points: "付与ポイント",
    perAmount: "お買い上げ金額ごと",
    example: (amount: string, points: number) => `${amount}の注文で${points}ポイントが貯まります。`,
    pointValue: "チェックアウトでの1ポイントの価値",
    rounding: "端数処理",
    expiryMode: "失効のしかた",
    expiryModes: { lot: "獲得ごとに、その日数後", inactivity: "最後の利用からその日数が過ぎたら全ポイント" },
    roundings: { down: "切り捨て", nearest: "四捨五入" },
    pendingDays: "返品期間（ポイントが使えるまでの日数）",
    expiryDays: "有効期限（日数。空欄は無期限）",
    signupBonus: "会員登録ボーナス（ポイント）",
    redemption: "チェックアウトでの利用",
    enabled: "チェックアウトでポイントを使えるようにする",
    minPoints: "最低利用ポイント",
    step: "利用単位",
    maxShare: "小計に対する上限（%）",
    save: "保存",
    saved: (version: number) => `バージョン${version}として保存しました。`,
    invalid: "入力内容を確認してください。",
  },
};

/** A money field edits major units (¥100, $1.00); the settings keep minor units. */
const toMajor = (minor: number, currency: string) => formatMoney({ minor, currency }, "en").replace(/[^\d.]/g, "");

export default function ProgramPage() {
  const { settings: saved, version, locale, summary } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { version?: number; errors?: Record<string, string> } | undefined;
  const submit = useSubmit();
  const saving = useNavigation().state === "submitting";
  const t = labels[locale];
  const [settings, setSettings] = useState<ProgramSettings>(saved);
  const exponent = toMajor(1, settings.currency).split(".")[1]?.length ?? 0;
  const minorOf = (value: string) => Math.round(Number(value) * 10 ** exponent);
  const number = (value: string) => (value.trim() === "" ? Number.NaN : Number(value));
  const errors = result?.errors ?? {};
  const exampleMinor = EXAMPLE_ORDER_MINOR[settings.currency] ?? 54 * 10 ** exponent;
  const exampleText = t.example(
    formatMoney({ minor: exampleMinor, currency: settings.currency }, locale === "ja" ? "ja-JP" : "en-US"),
    exampleEarn(settings, exampleMinor),
  );

  return (
    <Page title={t.title} subtitle={`v${version}`}>
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
              </BlockStack>
            </Card>
            {result?.version ? <Banner tone="success">{t.saved(result.version)}</Banner> : null}
            {result?.errors ? <Banner tone="critical">{t.invalid}</Banner> : null}
            <Card>
              <FormLayout>
                <Text as="h2" variant="headingMd">
                  {t.earning}
                </Text>
                <FormLayout.Group>
                  <TextField
                    label={t.points}
                    type="number"
                    autoComplete="off"
                    value={String(settings.earnRate.points)}
                    error={errors["earnRate.points"]}
                    onChange={(v) =>
                      setSettings({ ...settings, earnRate: { ...settings.earnRate, points: number(v) } })
                    }
                  />
                  <TextField
                    label={t.perAmount}
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
                  label={t.rounding}
                  options={[
                    { value: "down", label: t.roundings.down },
                    { value: "nearest", label: t.roundings.nearest },
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
                  label={t.pendingDays}
                  type="number"
                  autoComplete="off"
                  value={String(settings.pendingDays)}
                  error={errors.pendingDays}
                  onChange={(v) => setSettings({ ...settings, pendingDays: number(v) })}
                />
                <TextField
                  label={t.expiryDays}
                  type="number"
                  autoComplete="off"
                  value={settings.expiryDays === null ? "" : String(settings.expiryDays)}
                  error={errors.expiryDays}
                  onChange={(v) => setSettings({ ...settings, expiryDays: v.trim() === "" ? null : number(v) })}
                />
                <Select
                  label={t.expiryMode}
                  options={[
                    { value: "lot", label: t.expiryModes.lot },
                    { value: "inactivity", label: t.expiryModes.inactivity },
                  ]}
                  value={settings.expiryMode}
                  error={errors.expiryMode}
                  onChange={(expiryMode) =>
                    setSettings({ ...settings, expiryMode: expiryMode as ProgramSettings["expiryMode"] })
                  }
                />
                <TextField
                  label={t.signupBonus}
                  type="number"
                  autoComplete="off"
                  value={String(settings.signupBonus)}
                  error={errors.signupBonus}
                  onChange={(v) => setSettings({ ...settings, signupBonus: number(v) })}
                />
                <Text as="h2" variant="headingMd">
                  {t.redemption}
                </Text>
                <Checkbox
                  label={t.enabled}
                  checked={settings.redemption.enabled}
                  onChange={(enabled) => setSettings({ ...settings, redemption: { ...settings.redemption, enabled } })}
                />
                <FormLayout.Group>
                  <TextField
                    label={t.pointValue}
                    type="number"
                    autoComplete="off"
                    prefix={settings.currency}
                    value={toMajor(settings.pointValueMinor, settings.currency)}
                    error={errors.pointValueMinor}
                    onChange={(v) => setSettings({ ...settings, pointValueMinor: minorOf(v) })}
                  />
                  <TextField
                    label={t.minPoints}
                    type="number"
                    autoComplete="off"
                    value={String(settings.redemption.minPoints)}
                    error={errors["redemption.minPoints"]}
                    onChange={(v) =>
                      setSettings({ ...settings, redemption: { ...settings.redemption, minPoints: number(v) } })
                    }
                  />
                  <TextField
                    label={t.step}
                    type="number"
                    autoComplete="off"
                    value={String(settings.redemption.step)}
                    error={errors["redemption.step"]}
                    onChange={(v) =>
                      setSettings({ ...settings, redemption: { ...settings.redemption, step: number(v) } })
                    }
                  />
                  <TextField
                    label={t.maxShare}
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
              {t.save}
            </Button>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
