import { BlockStack, Button, Card, Checkbox, FormLayout, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import type { ProgramSettings, Reward } from "../program/program";
import type { Campaign, EarnRule, Target } from "../earning/rules";
import type { TierLevel, TierSettings } from "../program/tiers";

type Locale = "en" | "ja";
type TargetKind = keyof Target | "all";

const words = {
  en: {
    bonuses: "Bonuses",
    rewards: "Rewards in the storefront widget",
    rewardsHelp: "Shoppers turn points into a single-use discount code. A blank name shows the amount.",
    rewardAmount: "Discount",
    rewardMinimum: "Minimum order (0 for none)",
    rewardCodeDays: "Days a code stays valid (unused, its points come back)",
    birthday: "Birthday bonus (points, once a year; 0 for none)",
    actions: "Actions staff can reward (a review, a follow)",
    points: "Points",
    repeatable: "Can be awarded more than once",
    rules: "Multipliers and exclusions",
    campaigns: "Campaigns",
    tiers: "Tiers (VIP levels)",
    name: "Name",
    appliesTo: "Applies to",
    values: "Which (comma-separated ids, tags or names)",
    customerTags: "Only customers tagged (comma-separated, optional)",
    exclude: "Earns no points",
    extra: "Extra earning (%)",
    add: "Add",
    remove: "Remove",
    starts: "Starts (shop time)",
    ends: "Ends (shop time)",
    weekdays: "Weekdays (0 = Sunday, comma-separated, optional)",
    from: "From (HH:MM, optional)",
    to: "To (HH:MM)",
    bonus: "Bonus points per order",
    basis: "Qualify by",
    period: "Over",
    downgrade: "Downgrade",
    grace: "Grace days",
    threshold: "Threshold (spend in minor units, or points)",
    reach: "Bonus on reaching (points)",
    stacking: "Multipliers, campaigns and tier boosts add up; an exclusion wins over everything.",
    kinds: {
      all: "All products",
      productIds: "Products",
      collectionIds: "Collections",
      productTags: "Product tags",
      vendors: "Vendors",
      productTypes: "Product types",
    },
    bases: { spend: "Spend", points: "Points earned" },
    periods: { rolling12: "Rolling 12 months", calendarYear: "Calendar year", lifetime: "Lifetime" },
    downgrades: { never: "Never", periodEnd: "At the end of the year", grace: "After a grace period" },
  },
  ja: {
    bonuses: "ボーナス",
    rewards: "ストアのウィジェットで交換できる特典",
    rewardsHelp: "ポイントを一回限りの割引コードに交換できます。名前が空欄の場合は金額を表示します。",
    rewardAmount: "割引額",
    rewardMinimum: "最低注文金額（0で制限なし）",
    rewardCodeDays: "コードの有効日数（未使用ならポイントを返却）",
    birthday: "誕生日ボーナス（ポイント、年1回。0で無効）",
    actions: "スタッフが付与するアクション（レビュー、フォローなど）",
    points: "ポイント",
    repeatable: "複数回付与できる",
    rules: "倍率と対象外",
    campaigns: "キャンペーン",
    tiers: "会員ランク",
    name: "名前",
    appliesTo: "対象",
    values: "対象の指定（ID・タグ・名前をカンマ区切り）",
    customerTags: "対象のお客様タグ（カンマ区切り、任意）",
    exclude: "ポイント対象外",
    extra: "追加付与（%）",
    add: "追加",
    remove: "削除",
    starts: "開始（ストアの時刻）",
    ends: "終了（ストアの時刻）",
    weekdays: "曜日（0=日曜、カンマ区切り、任意）",
    from: "開始時刻（HH:MM、任意）",
    to: "終了時刻（HH:MM）",
    bonus: "注文ごとのボーナスポイント",
    basis: "判定基準",
    period: "期間",
    downgrade: "ランクダウン",
    grace: "猶予日数",
    threshold: "基準値（購入額の最小単位、またはポイント）",
    reach: "到達ボーナス（ポイント）",
    stacking: "倍率・キャンペーン・ランク特典は足し算で重なります。対象外の指定がすべてに優先します。",
    kinds: {
      all: "すべての商品",
      productIds: "商品",
      collectionIds: "コレクション",
      productTags: "商品タグ",
      vendors: "販売元",
      productTypes: "商品タイプ",
    },
    bases: { spend: "購入額", points: "獲得ポイント" },
    periods: { rolling12: "直近12か月", calendarYear: "暦年", lifetime: "累計" },
    downgrades: { never: "しない", periodEnd: "年末に判定", grace: "猶予期間のあと" },
  },
};

const list = (text: string) =>
  text
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
const kindOf = (target: Target): TargetKind =>
  (Object.keys(target) as Array<keyof Target>).find((key) => (target[key] ?? []).length > 0) ?? "all";
const num = (value: string) => (value.trim() === "" ? Number.NaN : Number(value));
const newId = () => Math.random().toString(36).slice(2, 10);

function TargetFields({
  target,
  onChange,
  t,
}: {
  target: Target;
  onChange: (t: Target) => void;
  t: (typeof words)["en"];
}) {
  const kind = kindOf(target);
  return (
    <FormLayout.Group>
      <Select
        label={t.appliesTo}
        options={Object.entries(t.kinds).map(([value, label]) => ({ value, label }))}
        value={kind}
        onChange={(value) =>
          onChange(value === "all" ? {} : { [value]: kind === "all" ? [] : (target[kind as keyof Target] ?? []) })
        }
      />
      {kind !== "all" ? (
        <TextField
          label={t.values}
          autoComplete="off"
          value={(target[kind] ?? []).join(", ")}
          onChange={(value) => onChange({ [kind]: list(value) })}
        />
      ) : null}
    </FormLayout.Group>
  );
}

interface Props {
  settings: ProgramSettings;
  errors: Record<string, string>;
  locale: Locale;
  onChange: (settings: ProgramSettings) => void;
}

/** The parts of the program beyond the earn rate: multipliers, campaigns and tiers. */
export function ProgramExtrasEditor({ settings, errors, locale, onChange }: Props) {
  const t = words[locale];
  const setRule = (i: number, rule: EarnRule) =>
    onChange({ ...settings, rules: settings.rules.map((r, j) => (j === i ? rule : r)) });
  const setCampaign = (i: number, campaign: Campaign) =>
    onChange({ ...settings, campaigns: settings.campaigns.map((c, j) => (j === i ? campaign : c)) });
  const setTiers = (tiers: TierSettings) => onChange({ ...settings, tiers });
  const setLevel = (i: number, level: TierLevel) =>
    setTiers({ ...settings.tiers, levels: settings.tiers.levels.map((l, j) => (j === i ? level : l)) });

  const setAction = (i: number, action: ProgramSettings["actions"][number]) =>
    onChange({ ...settings, actions: settings.actions.map((a, j) => (j === i ? action : a)) });
  const setReward = (i: number, reward: Reward) =>
    onChange({ ...settings, rewards: settings.rewards.map((r, j) => (j === i ? reward : r)) });
  // Amounts are typed in major units (¥500, $5.00) and kept in minor units.
  const exponent =
    new Intl.NumberFormat("en", { style: "currency", currency: settings.currency }).resolvedOptions()
      .maximumFractionDigits ?? 0;
  const major = (minor: number) => (minor / 10 ** exponent).toFixed(exponent);
  const minor = (value: string) => (value.trim() === "" ? Number.NaN : Math.round(Number(value) * 10 ** exponent));

  return (
    <BlockStack gap="400">
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {t.bonuses}
          </Text>
          <TextField
            label={t.birthday}
            type="number"
            autoComplete="off"
            value={String(settings.birthdayBonus)}
            error={errors.birthdayBonus}
            onChange={(value) => onChange({ ...settings, birthdayBonus: num(value) })}
          />
          <Text as="h3" variant="headingSm">
            {t.actions}
          </Text>
          {settings.actions.map((action, i) => (
            <FormLayout.Group key={action.id}>
              <TextField
                label={t.name}
                autoComplete="off"
                value={action.name}
                error={errors[`actions.${i}.name`]}
                onChange={(name) => setAction(i, { ...action, name })}
              />
              <TextField
                label={t.points}
                type="number"
                autoComplete="off"
                value={String(action.points)}
                error={errors[`actions.${i}.points`]}
                onChange={(value) => setAction(i, { ...action, points: num(value) })}
              />
              <Checkbox
                label={t.repeatable}
                checked={action.repeatable}
                onChange={(repeatable) => setAction(i, { ...action, repeatable })}
              />
              <Button
                tone="critical"
                onClick={() => onChange({ ...settings, actions: settings.actions.filter((_, j) => j !== i) })}
              >
                {t.remove}
              </Button>
            </FormLayout.Group>
          ))}
          <Button
            onClick={() =>
              onChange({
                ...settings,
                actions: [...settings.actions, { id: newId(), name: "", points: 50, repeatable: false }],
              })
            }
          >
            {t.add}
          </Button>
        </BlockStack>
      </Card>
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {t.rewards}
          </Text>
          <Text as="p" tone="subdued">
            {t.rewardsHelp}
          </Text>
          {errors.rewards && (
            <Text as="p" tone="critical">
              {errors.rewards}
            </Text>
          )}
          {settings.rewards.map((reward, i) => (
            <FormLayout.Group key={reward.id}>
              <TextField
                label={t.name}
                autoComplete="off"
                value={reward.name}
                error={errors[`rewards.${i}.name`]}
                onChange={(name) => setReward(i, { ...reward, name })}
              />
              <TextField
                label={t.points}
                type="number"
                autoComplete="off"
                value={String(reward.points)}
                error={errors[`rewards.${i}.points`]}
                onChange={(value) => setReward(i, { ...reward, points: num(value) })}
              />
              <TextField
                label={`${t.rewardAmount} (${settings.currency})`}
                type="number"
                autoComplete="off"
                value={major(reward.amountMinor)}
                error={errors[`rewards.${i}.amountMinor`]}
                onChange={(value) => setReward(i, { ...reward, amountMinor: minor(value) })}
              />
              <TextField
                label={`${t.rewardMinimum} (${settings.currency})`}
                type="number"
                autoComplete="off"
                value={major(reward.minimumSubtotalMinor)}
                error={errors[`rewards.${i}.minimumSubtotalMinor`]}
                onChange={(value) => setReward(i, { ...reward, minimumSubtotalMinor: minor(value) })}
              />
              <Button
                tone="critical"
                onClick={() => onChange({ ...settings, rewards: settings.rewards.filter((_, j) => j !== i) })}
              >
                {t.remove}
              </Button>
            </FormLayout.Group>
          ))}
          <Button
            onClick={() =>
              onChange({
                ...settings,
                rewards: [
                  ...settings.rewards,
                  {
                    id: newId(),
                    name: "",
                    points: 500,
                    amountMinor: 500 * settings.pointValueMinor,
                    minimumSubtotalMinor: 0,
                  },
                ],
              })
            }
          >
            {t.add}
          </Button>
          <TextField
            label={t.rewardCodeDays}
            type="number"
            autoComplete="off"
            value={String(settings.rewardCodeDays)}
            error={errors.rewardCodeDays}
            onChange={(value) => onChange({ ...settings, rewardCodeDays: num(value) })}
          />
        </BlockStack>
      </Card>
      <Text as="p" tone="subdued">
        {t.stacking}
      </Text>
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {t.rules}
          </Text>
          {settings.rules.map((rule, i) => (
            <FormLayout key={rule.id}>
              <TextField
                label={t.name}
                autoComplete="off"
                value={rule.name}
                error={errors[`rules.${i}.name`]}
                onChange={(name) => setRule(i, { ...rule, name })}
              />
              <TargetFields target={rule.target} t={t} onChange={(target) => setRule(i, { ...rule, target })} />
              <TextField
                label={t.customerTags}
                autoComplete="off"
                value={(rule.customerTags ?? []).join(", ")}
                onChange={(value) => setRule(i, { ...rule, customerTags: list(value) })}
              />
              <InlineStack gap="400" blockAlign="end">
                <Checkbox
                  label={t.exclude}
                  checked={!!rule.exclude}
                  onChange={(exclude) => setRule(i, { ...rule, exclude })}
                />
                {!rule.exclude ? (
                  <TextField
                    label={t.extra}
                    type="number"
                    autoComplete="off"
                    value={String(rule.extraPercent ?? 0)}
                    error={errors[`rules.${i}.extraPercent`]}
                    onChange={(value) => setRule(i, { ...rule, extraPercent: num(value) })}
                  />
                ) : null}
                <Button
                  tone="critical"
                  onClick={() => onChange({ ...settings, rules: settings.rules.filter((_, j) => j !== i) })}
                >
                  {t.remove}
                </Button>
              </InlineStack>
            </FormLayout>
          ))}
          <Button
            onClick={() =>
              onChange({
                ...settings,
                rules: [...settings.rules, { id: newId(), name: "", target: {}, extraPercent: 100 }],
              })
            }
          >
            {t.add}
          </Button>
        </BlockStack>
      </Card>
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {t.campaigns}
          </Text>
          {settings.campaigns.map((campaign, i) => (
            <FormLayout key={campaign.id}>
              <TextField
                label={t.name}
                autoComplete="off"
                value={campaign.name}
                error={errors[`campaigns.${i}.name`]}
                onChange={(name) => setCampaign(i, { ...campaign, name })}
              />
              <FormLayout.Group>
                <TextField
                  label={t.starts}
                  type="datetime-local"
                  autoComplete="off"
                  value={campaign.startsAt}
                  error={errors[`campaigns.${i}.window`]}
                  onChange={(startsAt) => setCampaign(i, { ...campaign, startsAt })}
                />
                <TextField
                  label={t.ends}
                  type="datetime-local"
                  autoComplete="off"
                  value={campaign.endsAt}
                  onChange={(endsAt) => setCampaign(i, { ...campaign, endsAt })}
                />
              </FormLayout.Group>
              <FormLayout.Group>
                <TextField
                  label={t.weekdays}
                  autoComplete="off"
                  value={(campaign.weekdays ?? []).join(", ")}
                  error={errors[`campaigns.${i}.weekdays`]}
                  onChange={(value) => setCampaign(i, { ...campaign, weekdays: list(value).map(Number) })}
                />
                <TextField
                  label={t.from}
                  autoComplete="off"
                  value={campaign.hours?.from ?? ""}
                  error={errors[`campaigns.${i}.hours`]}
                  onChange={(from) =>
                    setCampaign(i, { ...campaign, hours: from ? { from, to: campaign.hours?.to ?? "" } : undefined })
                  }
                />
                <TextField
                  label={t.to}
                  autoComplete="off"
                  value={campaign.hours?.to ?? ""}
                  onChange={(to) => setCampaign(i, { ...campaign, hours: { from: campaign.hours?.from ?? "", to } })}
                />
              </FormLayout.Group>
              <TargetFields
                target={campaign.target}
                t={t}
                onChange={(target) => setCampaign(i, { ...campaign, target })}
              />
              <FormLayout.Group>
                <TextField
                  label={t.extra}
                  type="number"
                  autoComplete="off"
                  value={String(campaign.extraPercent ?? 0)}
                  error={errors[`campaigns.${i}.reward`]}
                  onChange={(value) => setCampaign(i, { ...campaign, extraPercent: num(value) })}
                />
                <TextField
                  label={t.bonus}
                  type="number"
                  autoComplete="off"
                  value={String(campaign.bonusPoints ?? 0)}
                  onChange={(value) => setCampaign(i, { ...campaign, bonusPoints: num(value) })}
                />
              </FormLayout.Group>
              <Button
                tone="critical"
                onClick={() => onChange({ ...settings, campaigns: settings.campaigns.filter((_, j) => j !== i) })}
              >
                {t.remove}
              </Button>
            </FormLayout>
          ))}
          <Button
            onClick={() =>
              onChange({
                ...settings,
                campaigns: [
                  ...settings.campaigns,
                  { id: newId(), name: "", startsAt: "", endsAt: "", target: {}, extraPercent: 100 },
                ],
              })
            }
          >
            {t.add}
          </Button>
        </BlockStack>
      </Card>
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {t.tiers}
          </Text>
          <FormLayout.Group>
            <Select
              label={t.basis}
              options={Object.entries(t.bases).map(([value, label]) => ({ value, label }))}
              value={settings.tiers.basis}
              onChange={(basis) => setTiers({ ...settings.tiers, basis: basis as TierSettings["basis"] })}
            />
            <Select
              label={t.period}
              options={Object.entries(t.periods).map(([value, label]) => ({ value, label }))}
              value={settings.tiers.period}
              onChange={(period) => setTiers({ ...settings.tiers, period: period as TierSettings["period"] })}
            />
            <Select
              label={t.downgrade}
              options={Object.entries(t.downgrades).map(([value, label]) => ({ value, label }))}
              value={settings.tiers.downgrade}
              onChange={(downgrade) =>
                setTiers({ ...settings.tiers, downgrade: downgrade as TierSettings["downgrade"] })
              }
            />
            <TextField
              label={t.grace}
              type="number"
              autoComplete="off"
              value={String(settings.tiers.graceDays)}
              error={errors["tiers.graceDays"]}
              onChange={(value) => setTiers({ ...settings.tiers, graceDays: num(value) })}
            />
          </FormLayout.Group>
          {settings.tiers.levels.map((level, i) => (
            <FormLayout.Group key={level.id}>
              <TextField
                label={t.name}
                autoComplete="off"
                value={level.name}
                error={errors[`tiers.levels.${i}.name`] ?? errors[`tiers.levels.${i}.id`]}
                onChange={(name) => setLevel(i, { ...level, name })}
              />
              <TextField
                label={t.threshold}
                type="number"
                autoComplete="off"
                value={String(level.threshold)}
                error={errors[`tiers.levels.${i}.threshold`]}
                onChange={(value) => setLevel(i, { ...level, threshold: num(value) })}
              />
              <TextField
                label={t.extra}
                type="number"
                autoComplete="off"
                value={String(level.earnExtraPercent)}
                error={errors[`tiers.levels.${i}.earnExtraPercent`]}
                onChange={(value) => setLevel(i, { ...level, earnExtraPercent: num(value) })}
              />
              <TextField
                label={t.reach}
                type="number"
                autoComplete="off"
                value={String(level.reachBonus)}
                error={errors[`tiers.levels.${i}.reachBonus`]}
                onChange={(value) => setLevel(i, { ...level, reachBonus: num(value) })}
              />
              <Button
                tone="critical"
                onClick={() => setTiers({ ...settings.tiers, levels: settings.tiers.levels.filter((_, j) => j !== i) })}
              >
                {t.remove}
              </Button>
            </FormLayout.Group>
          ))}
          <Button
            onClick={() =>
              setTiers({
                ...settings.tiers,
                levels: [
                  ...settings.tiers.levels,
                  {
                    id: newId(),
                    name: "",
                    threshold: (settings.tiers.levels.at(-1)?.threshold ?? 0) + 10_000,
                    earnExtraPercent: 0,
                    reachBonus: 0,
                  },
                ],
              })
            }
          >
            {t.add}
          </Button>
        </BlockStack>
      </Card>
    </BlockStack>
  );
}
