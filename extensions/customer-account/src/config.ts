declare const process: { env: Record<string, string | undefined> } | undefined;

/** Where the app answers; set TSUMIKI_APP_URL when building for a deployment. */
export const APP_URL: string =
  (typeof process !== "undefined" && process?.env?.TSUMIKI_APP_URL) || "https://tsumiki.example.com";
