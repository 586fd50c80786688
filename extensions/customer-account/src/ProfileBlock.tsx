/** @jsxImportSource preact */
import { useEffect, useState } from "preact/hooks";
import { changeProfile, loadProfile, type AccountProfile, type ProfileChange } from "./api";
import { day, failureOf, Notice, points, type Failure } from "./words";

const pad = (n: number) => String(n).padStart(2, "0");
const valueOf = (event: Event) => (event.currentTarget as unknown as { value: string }).value;

/** "07-14" as the customer reads a birthday: a month and a day, no year. */
function birthdayText(birthday: string): string {
  const [month, dayOfMonth] = birthday.split("-").map(Number);
  return shopify.i18n.formatDate(new Date(Date.UTC(2000, month - 1, dayOfMonth)), {
    month: "long",
    day: "numeric",
    timeZone: "UTC",
  });
}

function Birthday({
  profile,
  save,
  busy,
}: {
  profile: AccountProfile;
  save: (c: ProfileChange) => void;
  busy: boolean;
}) {
  const { translate } = shopify.i18n;
  const [month, setMonth] = useState("01");
  const [dayOfMonth, setDay] = useState("01");
  if (profile.birthday) {
    return <s-text>{translate("profile.birthdaySaved", { date: birthdayText(profile.birthday) })}</s-text>;
  }
  return (
    <s-stack gap="small-200">
      <s-text color="subdued">
        {profile.birthdayBonus > 0
          ? translate("profile.birthdayHelp", { points: points(profile.birthdayBonus) })
          : translate("profile.birthdayHelpNoBonus")}
      </s-text>
      <s-stack direction="inline" gap="base" alignItems="end">
        <s-select label={translate("profile.month")} value={month} onChange={(e: Event) => setMonth(valueOf(e))}>
          {Array.from({ length: 12 }, (_, i) => (
            <s-option key={i} value={pad(i + 1)}>
              {String(i + 1)}
            </s-option>
          ))}
        </s-select>
        <s-select label={translate("profile.day")} value={dayOfMonth} onChange={(e: Event) => setDay(valueOf(e))}>
          {Array.from({ length: 31 }, (_, i) => (
            <s-option key={i} value={pad(i + 1)}>
              {String(i + 1)}
            </s-option>
          ))}
        </s-select>
        <s-button loading={busy} onClick={() => save({ action: "birthday", birthday: `${month}-${dayOfMonth}` })}>
          {translate("profile.saveBirthday")}
        </s-button>
      </s-stack>
    </s-stack>
  );
}

export function ProfileBlock() {
  const { translate } = shopify.i18n;
  const [profile, setProfile] = useState<AccountProfile | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);
  const [leaving, setLeaving] = useState(false);

  useEffect(() => {
    loadProfile()
      .then(setProfile)
      .catch((error: unknown) => setFailure(failureOf("errors.load")(error)));
  }, []);

  async function save(change: ProfileChange) {
    setBusy(true);
    setFailure(null);
    try {
      setProfile(await changeProfile(change));
      setLeaving(false);
    } catch (error) {
      setFailure(failureOf("errors.save")(error));
    } finally {
      setBusy(false);
    }
  }

  if (!profile) {
    return (
      <s-section heading={translate("profile.heading")}>
        {failure ? <Notice failure={failure} /> : <s-spinner accessibilityLabel={translate("profile.heading")} />}
      </s-section>
    );
  }
  const { membership } = profile;
  return (
    <s-section heading={translate("profile.heading")}>
      <s-stack gap="base">
        {failure && <Notice failure={failure} />}
        {membership.mode === "all" ? (
          <s-text>{translate("profile.everyone")}</s-text>
        ) : !membership.member ? (
          <s-stack gap="small-200">
            <s-text>{translate("profile.notMember")}</s-text>
            <s-text color="subdued">{translate("profile.terms", { version: membership.termsVersion })}</s-text>
            <s-button
              variant="primary"
              loading={busy}
              onClick={() => save({ action: "join", termsVersion: membership.termsVersion })}
            >
              {translate("profile.join")}
            </s-button>
          </s-stack>
        ) : (
          <s-stack gap="small-200">
            {membership.joinedAt && <s-text>{translate("profile.joined", { date: day(membership.joinedAt) })}</s-text>}
            {leaving ? (
              <s-stack gap="small-200">
                <s-text>
                  {translate(profile.onLeave === "forfeit" ? "profile.leaveForfeit" : "profile.leaveKeep", {
                    points: points(profile.available),
                  })}
                </s-text>
                <s-stack direction="inline" gap="base">
                  <s-button tone="critical" loading={busy} onClick={() => save({ action: "leave", confirm: true })}>
                    {translate("profile.confirmLeave")}
                  </s-button>
                  <s-button variant="secondary" onClick={() => setLeaving(false)}>
                    {translate("profile.cancel")}
                  </s-button>
                </s-stack>
              </s-stack>
            ) : (
              <s-button variant="secondary" onClick={() => setLeaving(true)}>
                {translate("profile.leave")}
              </s-button>
            )}
          </s-stack>
        )}
        {membership.member && (
          <s-stack gap="base">
            <s-heading>{translate("profile.birthday")}</s-heading>
            <Birthday profile={profile} save={save} busy={busy} />
            <s-switch
              label={translate("profile.emails")}
              checked={profile.pointsNewsEmails}
              disabled={busy}
              onChange={(event: Event) =>
                save({
                  action: "emails",
                  pointsNewsEmails: (event.currentTarget as unknown as { checked: boolean }).checked,
                })
              }
            />
          </s-stack>
        )}
      </s-stack>
    </s-section>
  );
}
