/** The admin speaks the merchant's language: Shopify passes it as `locale` when it opens the app. */
export type AdminLocale = "en" | "ja";

export function adminLocale(request: Request | URL): AdminLocale {
  const url = request instanceof URL ? request : new URL(request.url);
  return url.searchParams.get("locale")?.startsWith("ja") ? "ja" : "en";
}

/** A link inside the admin that keeps the language. */
export function withLocale(path: string, locale: AdminLocale): string {
  return `${path}${path.includes("?") ? "&" : "?"}locale=${locale}`;
}

export function dateTime(iso: string | null, locale: AdminLocale): string {
  if (!iso) return "—";
  return new Intl.DateTimeFormat(locale === "ja" ? "ja-JP" : "en-US", {
    dateStyle: "medium",
    timeStyle: "short",
  }).format(new Date(iso));
}

export function day(iso: string | null, locale: AdminLocale): string {
  if (!iso) return "—";
  return new Intl.DateTimeFormat(locale === "ja" ? "ja-JP" : "en-US", { dateStyle: "medium" }).format(new Date(iso));
}
