/**
 * The HTTP server of `npm start` (the production build) and `npm run local` (the Vite dev server in middleware
 * mode). Ours rather than remix-serve, for three reasons: remix-serve replaces Node's fetch globals with a
 * polyfill whose Response has no static json() (every JSON route answered 500 in production), where this server
 * leaves Node 22's own fetch, Request and Response in place; local mode must
 * bind to loopback itself and let routes see the connection's real address; and an oversized body must be
 * refused by its declared length before a byte of it is read.
 */
import { createServer, type Server } from "node:http";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import morgan from "morgan";
import { bodyLimitFor, bodyTooLargeBody } from "../app/http/body-limits";
import { localMode } from "../app/local/local.server";

export interface ServerOptions {
  /** Serve the app through Vite's dev server (`npm run local`) instead of the production build (`npm start`). */
  dev: boolean;
  port: number;
  /** Where to listen; every interface when unset, outside local mode. */
  host?: string;
}

export async function startServer({ dev, port, host: requestedHost }: ServerOptions): Promise<Server> {
  // Throws (and the server does not start) for local mode in production or on a non-loopback HOST.
  const local = localMode();
  const host = local ? (requestedHost ?? "127.0.0.1") : requestedHost;
  const app = express();
  const server = createServer(app);
  app.disable("x-powered-by");

  app.use((req, res, next) => {
    const limit = bodyLimitFor(req.path);
    const declared = Number(req.headers["content-length"] ?? 0);
    if (!(declared > limit)) return next();
    // Answered before reading: the connection closes after the answer, so the unread body is never buffered.
    res.set("Connection", "close").status(413).json(bodyTooLargeBody(limit));
  });

  let build: ServerBuild | (() => Promise<ServerBuild>);
  if (!dev) {
    const buildPath = new URL("../build/server/index.js", import.meta.url).href;
    build = (await import(buildPath)) as ServerBuild;
    app.use(compression());
    app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
    app.use(express.static("build/client", { maxAge: "1h" }));
  } else {
    const vite = await import("vite").then(({ createServer: createVite }) =>
      createVite({ server: { middlewareMode: true, hmr: { server } } }),
    );
    app.use(vite.middlewares);
    build = () => vite.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>;
  }
  app.use(morgan(dev ? "dev" : "combined"));
  app.all(
    "*",
    createRequestHandler({
      build,
      mode: dev ? "development" : "production",
      // The connection's own address: local-only pages trust this, never a Host header.
      getLoadContext: (req) => ({ remoteAddress: req.socket.remoteAddress }),
    }),
  );

  server.listen(port, host, () => {
    const address = server.address();
    const where = typeof address === "string" ? address : `${address?.address}:${address?.port}`;
    console.log(`Tsumiki ${dev ? "development" : "production"} server listening on ${where}`);
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      server.close(() => process.exit(0));
      server.closeIdleConnections();
    });
  }
  return server;
}
