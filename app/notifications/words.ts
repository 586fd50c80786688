import en from "./locales/en.json";
import ja from "./locales/ja.json";
import type { MessageKind, MessageLocale } from "./kinds";

/**
 * The words of messages: default templates (Liquid), footers, statement lines and the unsubscribe page, in
 * app/notifications/locales/{ja,en}.json. A catalog of its own because Liquid and i18next both use {{ }}.
 */
export const messageCatalogs: Record<MessageLocale, typeof en> = { ja, en };

export function defaultTemplate(kind: MessageKind, locale: MessageLocale): { subject: string; body: string } {
  return messageCatalogs[locale].templates[kind];
}

type Words = typeof en;
type Group = "footer" | "statement" | "unsubscribe" | "entry";

/** One catalog text with its {{ name }} placeholders filled (values are text; callers escape for HTML). */
export function word<G extends Group>(
  locale: MessageLocale,
  group: G,
  key: keyof Words[G],
  values: Record<string, string> = {},
): string {
  const text = (messageCatalogs[locale][group] as Record<string, string>)[key as string];
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => values[name] ?? "");
}
