/** `npm start`: the production build (`npm run build`) on $HOST:$PORT; every interface when HOST is unset. */
import { existsSync } from "node:fs";
import { ConfigError, readConfig } from "../app/config.server";
import { startServer } from "./http";

if (existsSync(".env")) process.loadEnvFile(".env");
process.env.NODE_ENV ??= "production";
try {
  readConfig();
} catch (error) {
  // Named plainly, once, instead of as a stack trace from deep inside the build.
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
await startServer({ dev: false, port: Number(process.env.PORT ?? 3000), host: process.env.HOST || undefined });
