import { BlockStack, Button, Card, Checkbox, FormLayout, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import type { AdminT } from "../i18n/catalog";
import type { ProgramSettings, Reward } from "../program/program";
import type { Campaign, EarnRule, Target } from "../earning/rules";
import type { TierLevel, TierSettings } from "../program/tiers";

type Locale = "en" | "ja";
type TargetKind = keyof Target | "all";

const list = (text: string) =>
  text
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
const kindOf = (target: Target): TargetKind =>
  (Object.keys(target) as Array<keyof Target>).find((key) => (target[key] ?? []).length > 0) ?? "all";
const num = (value: string) => (value.trim() === "" ? Number.NaN : Number(value));
const newId = () => Math.random().toString(36).slice(2, 10);

function TargetFields({ target, onChange, t }: { target: Target; onChange: (t: Target) => void; t: AdminT }) {
  const kind = kindOf(target);
  const kinds: Record<TargetKind, string> = {
    all: t("program.targets.kinds.all"),
    productIds: t("program.targets.kinds.productIds"),
    collectionIds: t("program.targets.kinds.collectionIds"),
    productTags: t("program.targets.kinds.productTags"),
    vendors: t("program.targets.kinds.vendors"),
    productTypes: t("program.targets.kinds.productTypes"),
  };
  return (
    <FormLayout.Group>
      <Select
        label={t("program.targets.appliesTo")}
        options={Object.entries(kinds).map(([value, label]) => ({ value, label }))}
        value={kind}
        onChange={(value) =>
          onChange(value === "all" ? {} : { [value]: kind === "all" ? [] : (target[kind as keyof Target] ?? []) })
        }
      />
      {kind !== "all" ? (
        <TextField
          label={t("program.targets.values")}
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

/** The parts of the program beyond the earn rate: membership, bonuses, multipliers, campaigns and tiers. */
export function ProgramExtrasEditor({ settings, errors, locale, onChange }: Props) {
  const { t } = useTranslation(undefined, { lng: locale });
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

  const membership = settings.membership;
  const setMembership = (change: Partial<ProgramSettings["membership"]>) =>
    onChange({ ...settings, membership: { ...membership, ...change } });

  return (
    <BlockStack gap="400">
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {t("membership.title")}
          </Text>
          <Select
            label={t("membership.mode")}
            options={[
              { value: "all", label: t("membership.modes.all") },
              { value: "join", label: t("membership.modes.join") },
            ]}
            value={membership.mode}
            error={errors["membership.mode"]}
            helpText={t("membership.help")}
            onChange={(value) => setMembership({ mode: value === "join" ? "join" : "all" })}
          />
          <FormLayout.Group>
            <TextField
              label={t("membership.termsVersion")}
              autoComplete="off"
              value={membership.termsVersion}
              error={errors["membership.termsVersion"]}
              helpText={t("membership.termsVersionHelp")}
              onChange={(termsVersion) => setMembership({ termsVersion })}
            />
            <TextField
              label={t("membership.termsUrl")}
              type="url"
              autoComplete="off"
              value={membership.termsUrl ?? ""}
              error={errors["membership.termsUrl"]}
              onChange={(value) => setMembership({ termsUrl: value.trim() === "" ? null : value.trim() })}
            />
          </FormLayout.Group>
          <Select
            label={t("membership.onLeave")}
            options={[
              { value: "keep", label: t("membership.onLeaves.keep") },
              { value: "forfeit", label: t("membership.onLeaves.forfeit") },
            ]}
            value={membership.onLeave}
            error={errors["membership.onLeave"]}
            onChange={(value) => setMembership({ onLeave: value === "forfeit" ? "forfeit" : "keep" })}
          />
        </BlockStack>
      </Card>
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {t("program.bonuses.title")}
          </Text>
          <TextField
            label={t("program.bonuses.birthday")}
            type="number"
            autoComplete="off"
            value={String(settings.birthdayBonus)}
            error={errors.birthdayBonus}
            onChange={(value) => onChange({ ...settings, birthdayBonus: num(value) })}
          />
          <Text as="h3" variant="headingSm">
            {t("program.actions.title")}
          </Text>
          {settings.actions.map((action, i) => (
            <FormLayout.Group key={action.id}>
              <TextField
                label={t("program.fields.name")}
                autoComplete="off"
                value={action.name}
                error={errors[`actions.${i}.name`]}
                onChange={(name) => setAction(i, { ...action, name })}
              />
              <TextField
                label={t("program.fields.points")}
                type="number"
                autoComplete="off"
                value={String(action.points)}
                error={errors[`actions.${i}.points`]}
                onChange={(value) => setAction(i, { ...action, points: num(value) })}
              />
              <Checkbox
                label={t("program.actions.repeatable")}
                checked={action.repeatable}
                onChange={(repeatable) => setAction(i, { ...action, repeatable })}
              />
              <Button
                tone="critical"
                onClick={() => onChange({ ...settings, actions: settings.actions.filter((_, j) => j !== i) })}
              >
                {t("common.remove")}
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
            {t("common.add")}
          </Button>
        </BlockStack>
      </Card>
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {t("program.rewards.title")}
          </Text>
          <Text as="p" tone="subdued">
            {t("program.rewards.help")}
          </Text>
          {errors.rewards && (
            <Text as="p" tone="critical">
              {errors.rewards}
            </Text>
          )}
          {settings.rewards.map((reward, i) => (
            <FormLayout.Group key={reward.id}>
              <TextField
                label={t("program.fields.name")}
                autoComplete="off"
                value={reward.name}
                error={errors[`rewards.${i}.name`]}
                onChange={(name) => setReward(i, { ...reward, name })}
              />
              <TextField
                label={t("program.fields.points")}
                type="number"
                autoComplete="off"
                value={String(reward.points)}
                error={errors[`rewards.${i}.points`]}
                onChange={(value) => setReward(i, { ...reward, points: num(value) })}
              />
              <TextField
                label={t("program.rewards.amount", { currency: settings.currency })}
                type="number"
                autoComplete="off"
                value={major(reward.amountMinor)}
                error={errors[`rewards.${i}.amountMinor`]}
                onChange={(value) => setReward(i, { ...reward, amountMinor: minor(value) })}
              />
              <TextField
                label={t("program.rewards.minimum", { currency: settings.currency })}
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
                {t("common.remove")}
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
            {t("common.add")}
          </Button>
          <TextField
            label={t("program.rewards.codeDays")}
            type="number"
            autoComplete="off"
            value={String(settings.rewardCodeDays)}
            error={errors.rewardCodeDays}
            onChange={(value) => onChange({ ...settings, rewardCodeDays: num(value) })}
          />
        </BlockStack>
      </Card>
      <Text as="p" tone="subdued">
        {t("program.stacking")}
      </Text>
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {t("program.rules.title")}
          </Text>
          {settings.rules.map((rule, i) => (
            <FormLayout key={rule.id}>
              <TextField
                label={t("program.fields.name")}
                autoComplete="off"
                value={rule.name}
                error={errors[`rules.${i}.name`]}
                onChange={(name) => setRule(i, { ...rule, name })}
              />
              <TargetFields target={rule.target} t={t} onChange={(target) => setRule(i, { ...rule, target })} />
              <TextField
                label={t("program.rules.customerTags")}
                autoComplete="off"
                value={(rule.customerTags ?? []).join(", ")}
                onChange={(value) => setRule(i, { ...rule, customerTags: list(value) })}
              />
              <InlineStack gap="400" blockAlign="end">
                <Checkbox
                  label={t("program.rules.exclude")}
                  checked={!!rule.exclude}
                  onChange={(exclude) => setRule(i, { ...rule, exclude })}
                />
                {!rule.exclude ? (
                  <TextField
                    label={t("program.fields.extra")}
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
                  {t("common.remove")}
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
            {t("common.add")}
          </Button>
        </BlockStack>
      </Card>
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {t("program.campaigns.title")}
          </Text>
          {settings.campaigns.map((campaign, i) => (
            <FormLayout key={campaign.id}>
              <TextField
                label={t("program.fields.name")}
                autoComplete="off"
                value={campaign.name}
                error={errors[`campaigns.${i}.name`]}
                onChange={(name) => setCampaign(i, { ...campaign, name })}
              />
              <FormLayout.Group>
                <TextField
                  label={t("program.campaigns.starts")}
                  type="datetime-local"
                  autoComplete="off"
                  value={campaign.startsAt}
                  error={errors[`campaigns.${i}.window`]}
                  onChange={(startsAt) => setCampaign(i, { ...campaign, startsAt })}
                />
                <TextField
                  label={t("program.campaigns.ends")}
                  type="datetime-local"
                  autoComplete="off"
                  value={campaign.endsAt}
                  onChange={(endsAt) => setCampaign(i, { ...campaign, endsAt })}
                />
              </FormLayout.Group>
              <FormLayout.Group>
                <TextField
                  label={t("program.campaigns.weekdays")}
                  autoComplete="off"
                  value={(campaign.weekdays ?? []).join(", ")}
                  error={errors[`campaigns.${i}.weekdays`]}
                  onChange={(value) => setCampaign(i, { ...campaign, weekdays: list(value).map(Number) })}
                />
                <TextField
                  label={t("program.campaigns.from")}
                  autoComplete="off"
                  value={campaign.hours?.from ?? ""}
                  error={errors[`campaigns.${i}.hours`]}
                  onChange={(from) =>
                    setCampaign(i, { ...campaign, hours: from ? { from, to: campaign.hours?.to ?? "" } : undefined })
                  }
                />
                <TextField
                  label={t("program.campaigns.to")}
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
                  label={t("program.fields.extra")}
                  type="number"
                  autoComplete="off"
                  value={String(campaign.extraPercent ?? 0)}
                  error={errors[`campaigns.${i}.reward`]}
                  onChange={(value) => setCampaign(i, { ...campaign, extraPercent: num(value) })}
                />
                <TextField
                  label={t("program.campaigns.bonus")}
                  type="number"
                  autoComplete="off"
                  value={String(campaign.bonusPoints ?? 0)}
                  onChange={(value) => setCampaign(i, { ...campaign, bonusPoints: num(value) })}
                />
                <TextField
                  label={t("program.campaigns.bonusExpiry")}
                  helpText={t("program.campaigns.bonusExpiryHelp")}
                  type="number"
                  autoComplete="off"
                  value={campaign.bonusExpiryDays == null ? "" : String(campaign.bonusExpiryDays)}
                  error={errors[`campaigns.${i}.bonusExpiryDays`]}
                  onChange={(value) =>
                    setCampaign(i, { ...campaign, bonusExpiryDays: value.trim() === "" ? null : num(value) })
                  }
                />
              </FormLayout.Group>
              <FormLayout.Group>
                <TextField
                  label={t("campaignLift.holdoutLabel")}
                  helpText={t("campaignLift.holdoutHelp")}
                  type="number"
                  autoComplete="off"
                  value={String(campaign.holdoutPercent ?? 0)}
                  error={errors[`campaigns.${i}.holdoutPercent`]}
                  onChange={(value) => setCampaign(i, { ...campaign, holdoutPercent: num(value) })}
                />
                <Checkbox
                  label={t("campaignLift.draft")}
                  helpText={t("campaignLift.draftHelp")}
                  checked={campaign.draft === true}
                  error={errors[`campaigns.${i}.draft`]}
                  onChange={(draft) => setCampaign(i, { ...campaign, draft })}
                />
              </FormLayout.Group>
              <Button
                tone="critical"
                onClick={() => onChange({ ...settings, campaigns: settings.campaigns.filter((_, j) => j !== i) })}
              >
                {t("common.remove")}
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
            {t("common.add")}
          </Button>
        </BlockStack>
      </Card>
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {t("program.tiers.title")}
          </Text>
          <FormLayout.Group>
            <Select
              label={t("program.tiers.basis")}
              options={[
                { value: "spend", label: t("program.tiers.bases.spend") },
                { value: "points", label: t("program.tiers.bases.points") },
              ]}
              value={settings.tiers.basis}
              onChange={(basis) => setTiers({ ...settings.tiers, basis: basis as TierSettings["basis"] })}
            />
            <Select
              label={t("program.tiers.period")}
              options={[
                { value: "rolling12", label: t("program.tiers.periods.rolling12") },
                { value: "calendarYear", label: t("program.tiers.periods.calendarYear") },
                { value: "lifetime", label: t("program.tiers.periods.lifetime") },
              ]}
              value={settings.tiers.period}
              onChange={(period) => setTiers({ ...settings.tiers, period: period as TierSettings["period"] })}
            />
            <Select
              label={t("program.tiers.downgrade")}
              options={[
                { value: "never", label: t("program.tiers.downgrades.never") },
                { value: "periodEnd", label: t("program.tiers.downgrades.periodEnd") },
                { value: "grace", label: t("program.tiers.downgrades.grace") },
              ]}
              value={settings.tiers.downgrade}
              onChange={(downgrade) =>
                setTiers({ ...settings.tiers, downgrade: downgrade as TierSettings["downgrade"] })
              }
            />
            <TextField
              label={t("program.tiers.grace")}
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
                label={t("program.fields.name")}
                autoComplete="off"
                value={level.name}
                error={errors[`tiers.levels.${i}.name`] ?? errors[`tiers.levels.${i}.id`]}
                onChange={(name) => setLevel(i, { ...level, name })}
              />
              <TextField
                label={t("program.tiers.threshold")}
                type="number"
                autoComplete="off"
                value={String(level.threshold)}
                error={errors[`tiers.levels.${i}.threshold`]}
                onChange={(value) => setLevel(i, { ...level, threshold: num(value) })}
              />
              <TextField
                label={t("program.fields.extra")}
                type="number"
                autoComplete="off"
                value={String(level.earnExtraPercent)}
                error={errors[`tiers.levels.${i}.earnExtraPercent`]}
                onChange={(value) => setLevel(i, { ...level, earnExtraPercent: num(value) })}
              />
              <TextField
                label={t("program.tiers.reach")}
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
                {t("common.remove")}
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
            {t("common.add")}
          </Button>
        </BlockStack>
      </Card>
    </BlockStack>
  );
}
