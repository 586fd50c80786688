import { Badge, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { dateTime, type AdminLocale } from "../i18n/admin-locale";
import { TableCard } from "./TableCard";

/** The admin's names for a message's kind, channel and status (each key spelled out for the catalog's check). */
export function useMessageLabels() {
  const { t } = useTranslation();
  const kind = (value: string): string => {
    switch (value) {
      case "points_earned":
        return t("notifications.kinds.points_earned");
      case "expiry_reminder":
        return t("notifications.kinds.expiry_reminder");
      case "tier_changed":
        return t("notifications.kinds.tier_changed");
      case "reward_issued":
        return t("notifications.kinds.reward_issued");
      case "reward_expiring":
        return t("notifications.kinds.reward_expiring");
      case "birthday":
        return t("notifications.kinds.birthday");
      case "monthly_statement":
        return t("notifications.kinds.monthly_statement");
      case "program_change":
        return t("notifications.kinds.program_change");
      case "statement":
        return t("notifications.kinds.statement");
      default:
        return value;
    }
  };
  const channel = (value: string): string =>
    value === "email" ? t("notifications.channels.email") : value === "flow" ? t("notifications.channels.flow") : value;
  const status = (value: string): string => {
    switch (value) {
      case "pending":
        return t("notifications.statuses.pending");
      case "sending":
        return t("notifications.statuses.sending");
      case "sent":
        return t("notifications.statuses.sent");
      case "skipped":
        return t("notifications.statuses.skipped");
      case "failed":
        return t("notifications.statuses.failed");
      default:
        return value;
    }
  };
  return { kind, channel, status };
}

const STATUS_TONE: Record<string, "success" | "critical" | "attention" | "info" | undefined> = {
  sent: "success",
  failed: "critical",
  pending: "attention",
  sending: "info",
};

export function StatusBadge({ status }: { status: string }) {
  const labels = useMessageLabels();
  return <Badge tone={STATUS_TONE[status]}>{labels.status(status)}</Badge>;
}

export interface MemberMessageRow {
  id: string;
  kind: string;
  channel: string;
  status: string;
  subject: string | null;
  createdAt: string;
  sentAt: string | null;
  lastError: string | null;
}

/** The passbook's Messages card: what the program sent (or tried to send) this member, newest first. */
export function MemberMessagesCard({ messages, locale }: { messages: MemberMessageRow[]; locale: AdminLocale }) {
  const { t } = useTranslation();
  const labels = useMessageLabels();
  return (
    <TableCard
      title={t("notifications.passbook.title")}
      empty={messages.length === 0 ? t("notifications.passbook.none") : null}
      columnContentTypes={["text", "text", "text", "text", "text", "text"]}
      headings={[
        t("notifications.passbook.columns.date"),
        t("notifications.passbook.columns.kind"),
        t("notifications.passbook.columns.channel"),
        t("notifications.passbook.columns.status"),
        t("notifications.passbook.columns.subject"),
        t("notifications.passbook.columns.error"),
      ]}
      rows={messages.map((message) => [
        dateTime(message.sentAt ?? message.createdAt, locale),
        labels.kind(message.kind),
        labels.channel(message.channel),
        <StatusBadge key="status" status={message.status} />,
        message.subject ?? "—",
        message.lastError ? (
          <Text as="span" tone={message.status === "failed" ? "critical" : "subdued"}>
            {message.lastError}
          </Text>
        ) : (
          ""
        ),
      ])}
    />
  );
}
