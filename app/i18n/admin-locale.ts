/** The admin speaks the merchant's language: Shopify passes it as `locale` when it opens the app. */
export type AdminLocale = "en" | "ja";

export function adminLocale(request: Request | URL): AdminLocale {
  const url = request instanceof URL ? request : new URL(request.url);
  return url.searchParams.get("locale")?.startsWith("ja") ? "ja" : "en";
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

/** A shop-local calendar day ("2026-03-31") as the admin writes dates, never shifted by a time zone. */
export function calendarDay(ymd: string | null, locale: AdminLocale): string {
  if (!ymd) return "—";
  return new Intl.DateTimeFormat(locale === "ja" ? "ja-JP" : "en-US", { dateStyle: "medium", timeZone: "UTC" }).format(
    new Date(`${ymd}T00:00:00Z`),
  );
}

/** What the admin opened the app with; kept on in-app links so a page loaded outside App Bridge (local mode) stays signed in. */
const EMBEDDED_PARAMS = ["embedded", "shop", "host", "id_token", "locale"];

export function embeddedHref(path: string, current: URLSearchParams, extra: Record<string, string> = {}): string {
  const next = new URLSearchParams();
  for (const key of EMBEDDED_PARAMS) {
    const value = current.get(key);
    if (value) next.set(key, value);
  }
  for (const [key, value] of Object.entries(extra)) next.set(key, value);
  const query = next.toString();
  return query ? `${path}?${query}` : path;
}
