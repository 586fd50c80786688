// What the HTTP server (server/index.ts) hands every loader and action besides the request.
declare module "@remix-run/server-runtime" {
  interface AppLoadContext {
    /** The TCP peer's address, from the socket: never from a header a client can write. */
    remoteAddress?: string;
  }
}

export {};
