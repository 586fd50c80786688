/** Environment variables, as read from process.env (or given by a test). */
export type Env = Record<string, string | undefined>;

export const REQUIRED_ENV = ["SHOPIFY_API_KEY", "SHOPIFY_API_SECRET", "SHOPIFY_APP_URL", "SCOPES"] as const;

export interface AppConfig {
  apiKey: string;
  apiSecret: string;
  appUrl: string;
  scopes: string[];
}

export class ConfigError extends Error {}

/** Reads the app's configuration, naming every missing variable at once so a deploy fails clearly. */
export function readConfig(env: Env = process.env): AppConfig {
  const missing = REQUIRED_ENV.filter((name) => !env[name]?.trim());
  if (missing.length > 0) {
    throw new ConfigError(
      `Tsumiki cannot start: missing environment variable${missing.length > 1 ? "s" : ""} ${missing.join(", ")}. ` +
        "Copy .env.example to .env and fill it in, or run `npm run local` for the local defaults.",
    );
  }
  let appUrl: URL;
  try {
    appUrl = new URL(env.SHOPIFY_APP_URL!);
  } catch {
    throw new ConfigError(`Tsumiki cannot start: SHOPIFY_APP_URL "${env.SHOPIFY_APP_URL}" is not a URL.`);
  }
  return {
    apiKey: env.SHOPIFY_API_KEY!,
    apiSecret: env.SHOPIFY_API_SECRET!,
    appUrl: appUrl.origin,
    scopes: env
      .SCOPES!.split(",")
      .map((scope) => scope.trim())
      .filter(Boolean),
  };
}
