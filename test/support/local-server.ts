import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface LocalServer {
  port: string;
  secret: string;
  baseUrl: string;
  output: () => string;
  stop: () => void;
}

/**
 * Starts the README's `npm run local` for real, on its own port and its own PGlite directory. A server that exits
 * while starting (its random port taken by another test's server) is started again on another port, twice at most.
 */
export async function startLocalServer(attempt = 1): Promise<LocalServer> {
  const port = String(41000 + Math.floor(Math.random() * 2000));
  const secret = "local-mode-test-secret";
  const dataDir = mkdtempSync(join(tmpdir(), "tsumiki-local-"));
  let output = "";
  const server: ChildProcess = spawn("npx", ["tsx", "scripts/local.ts"], {
    env: {
      ...process.env,
      NODE_ENV: "development",
      PORT: port,
      SHOPIFY_API_SECRET: secret,
      SHOPIFY_APP_URL: "",
      DATABASE_URL: `pglite:${dataDir}`,
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  server.stdout!.on("data", (chunk) => (output += chunk));
  server.stderr!.on("data", (chunk) => (output += chunk));
  let exited: number | string | null = null;
  server.on("exit", (code, signal) => (exited = code ?? signal ?? "unknown"));
  const stop = () => {
    try {
      if (server.pid) process.kill(-server.pid, "SIGTERM");
    } catch (error) {
      // Already gone: nothing left to stop.
      if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (exited !== null) {
      stop();
      if (attempt < 3) return startLocalServer(attempt + 1);
      throw new Error(`npm run local exited (${exited}) while starting:\n${output}`);
    }
    try {
      if ((await fetch(`http://127.0.0.1:${port}/`)).ok) {
        return { port, secret, baseUrl: `http://127.0.0.1:${port}`, output: () => output, stop };
      }
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  stop();
  throw new Error(`npm run local did not start:\n${output}`);
}
