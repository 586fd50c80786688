/** @jsxImportSource preact */
import { useEffect, useState } from "preact/hooks";
import { changeProfile, loadPoints, type AccountPoints } from "./api";
import { day, explain, failureOf, money, Notice, points, type Failure } from "./words";

type Line = AccountPoints["passbook"][number];

/** One passbook line in words a customer understands. */
function lineTitle(line: Line): string {
  const { translate } = shopify.i18n;
  const order = line.orderName ?? "";
  switch (line.kind) {
    case "earn":
      return line.campaign
        ? translate("passbook.kind.campaign", { campaign: line.campaign })
        : order
          ? translate("passbook.kind.earn", { order })
          : translate("passbook.kind.earnNoOrder");
    case "bonus":
      return line.campaign
        ? translate("passbook.kind.campaign", { campaign: line.campaign })
        : translate("passbook.kind.bonus");
    case "redeem":
      return order ? translate("passbook.kind.redeem", { order }) : translate("passbook.kind.redeemNoOrder");
    case "reverse":
      return translate(line.points < 0 ? "passbook.kind.reverseTaken" : "passbook.kind.reverseGiven", { order });
    default:
      return translate(`passbook.kind.${line.kind}`);
  }
}

function Passbook({ lines }: { lines: Line[] }) {
  const { translate } = shopify.i18n;
  return (
    <s-section heading={translate("passbook.heading")}>
      {lines.length === 0 ? (
        <s-text>{translate("passbook.empty")}</s-text>
      ) : (
        <s-stack gap="base">
          {lines.map((line) => (
            <s-stack key={line.id} gap="small-300">
              <s-stack direction="inline" gap="base" justifyContent="space-between">
                <s-text>
                  {translate("passbook.line", {
                    date: day(line.at),
                    title: line.pending
                      ? translate("passbook.pendingTitle", { title: lineTitle(line) })
                      : lineTitle(line),
                  })}
                </s-text>
                <s-text>
                  {translate("passbook.amount", {
                    points: `${line.points > 0 ? "+" : ""}${points(line.points)}`,
                    balance: points(line.balance),
                  })}
                </s-text>
              </s-stack>
              {line.explanation && <s-text color="subdued">{explain(line.explanation)}</s-text>}
            </s-stack>
          ))}
        </s-stack>
      )}
    </s-section>
  );
}

function Tier({ state }: { state: AccountPoints }) {
  const { translate } = shopify.i18n;
  const member = state.member!;
  const next = member.nextTier;
  return (
    <s-section>
      <s-stack gap="small-200">
        <s-text>{member.tier ? translate("page.tier", { tier: member.tier.name }) : translate("page.noTier")}</s-text>
        {member.tier && state.tierExtraPercent ? (
          <s-text color="subdued">{translate("page.tierBenefit", { percent: points(state.tierExtraPercent) })}</s-text>
        ) : null}
        {next ? (
          <s-text>
            {state.program.tierBasis === "spend"
              ? translate("page.toNextSpend", {
                  amount: money(next.remaining, state.program.currency),
                  tier: next.name,
                })
              : translate("page.toNextPoints", { points: points(next.remaining), tier: next.name })}
          </s-text>
        ) : member.tier ? (
          <s-text>{translate("page.topTier")}</s-text>
        ) : null}
      </s-stack>
    </s-section>
  );
}

function Rewards({ state }: { state: AccountPoints }) {
  const { translate } = shopify.i18n;
  const currency = state.program.currency;
  return (
    <s-section heading={translate("rewards.heading")}>
      <s-stack gap="small-200">
        {state.rewards.length === 0 ? (
          <s-text>{translate("rewards.empty")}</s-text>
        ) : (
          state.rewards.map((reward) => (
            <s-text key={reward.id}>
              {translate("rewards.reward", {
                amount: money(reward.amountMinor, currency),
                points: points(reward.points),
              })}
            </s-text>
          ))
        )}
        {state.codes.length > 0 && <s-heading>{translate("rewards.codes")}</s-heading>}
        {state.codes.map((code) => (
          <s-text key={code.code}>
            {translate("rewards.code", {
              code: code.code,
              amount: money(code.amountMinor, currency),
              date: day(code.expiresAt),
            })}
          </s-text>
        ))}
      </s-stack>
    </s-section>
  );
}

export function PointsPage() {
  const { translate } = shopify.i18n;
  const [state, setState] = useState<AccountPoints | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);

  const load = () =>
    loadPoints()
      .then((points) => {
        setState(points);
        setFailure(null);
      })
      .catch((error: unknown) => setFailure(failureOf("errors.load")(error)));

  useEffect(() => {
    void load();
  }, []);

  async function join() {
    setBusy(true);
    try {
      await changeProfile({ action: "join", termsVersion: state!.membership.termsVersion });
      await load();
    } catch (error) {
      setFailure(failureOf("errors.save")(error));
    } finally {
      setBusy(false);
    }
  }

  let body;
  if (!state) {
    body = failure ? <Notice failure={failure} /> : <s-spinner accessibilityLabel={translate("page.heading")} />;
  } else if (!state.member) {
    body = (
      <s-section>
        <s-stack gap="base">
          {failure && <Notice failure={failure} />}
          <s-text>{translate("profile.notMember")}</s-text>
          <s-text color="subdued">{translate("profile.terms", { version: state.membership.termsVersion })}</s-text>
          <s-button variant="primary" loading={busy} onClick={join}>
            {translate("profile.join")}
          </s-button>
        </s-stack>
      </s-section>
    );
  } else {
    const member = state.member;
    body = (
      <s-stack gap="base">
        {member.blocked && <s-banner tone="warning">{translate("page.blocked")}</s-banner>}
        <s-section>
          <s-stack gap="small-200">
            <s-heading>{translate("page.available", { points: points(member.available) })}</s-heading>
            <s-text>{translate("page.pending", { points: points(member.pending) })}</s-text>
            {member.pending > 0 && <s-text color="subdued">{translate("page.pendingHelp")}</s-text>}
            {member.debt > 0 && <s-text>{translate("page.debt", { points: points(member.debt) })}</s-text>}
            <s-text>
              {member.expiringSoon
                ? translate("page.expiring", {
                    points: points(member.expiringSoon.points),
                    date: day(new Date(new Date(member.expiringSoon.at).getTime() - 1).toISOString()),
                  })
                : translate("page.noExpiry")}
            </s-text>
          </s-stack>
        </s-section>
        <Tier state={state} />
        <Passbook lines={state.passbook} />
        <Rewards state={state} />
      </s-stack>
    );
  }
  return <s-page heading={translate("page.heading")}>{body}</s-page>;
}
