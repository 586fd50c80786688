import { mkdtempSync, rmSync } from "node:fs";
import { createServer, connect, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase, type Database } from "../../app/db.server";

/**
 * A database the app can lose in the middle of a test, as it is lost in production, and a way to look at it again
 * afterwards (to check that nothing was written):
 * - PGlite in a directory of its own, closed under the app ("PGlite is closed"), then opened again from its files;
 * - on a PostgreSQL run, the test's own database reached through a TCP relay that the test shuts: open connections
 *   are cut and new ones refused (ECONNREFUSED), exactly what the app sees when the server goes away.
 */
export interface LosableDatabase {
  /** What the app runs on. */
  database: Database;
  /** The database goes away. */
  lose(): Promise<void>;
  /** A client on the same data that was never lost, for checking what remains. */
  inspect(): Promise<Database>;
  dispose(): Promise<void>;
}

export async function losableDatabase(): Promise<LosableDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl && /^postgres(ql)?:\/\//.test(serverUrl)) return postgresBehindRelay(serverUrl);
  const dir = mkdtempSync(join(tmpdir(), "tsumiki-outage-"));
  const database = openDatabase(`pglite:${dir}`);
  await database.migrate();
  let inspector: Database | undefined;
  return {
    database,
    lose: () => database.driver.close(),
    inspect: async () => (inspector ??= openDatabase(`pglite:${dir}`)),
    dispose: async () => {
      await inspector?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function postgresBehindRelay(serverUrl: string): Promise<LosableDatabase> {
  const target = new URL(serverUrl);
  const sockets = new Set<Socket>();
  const relay: Server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      // A cut connection errors on both ends: the app's driver sees it, the relay does not care.
      socket.on("error", () => socket.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => relay.listen(0, "127.0.0.1", resolve));
  const relayed = new URL(serverUrl);
  relayed.hostname = "127.0.0.1";
  relayed.port = String((relay.address() as { port: number }).port);
  const database = openDatabase(relayed.toString());
  let inspector: Database | undefined;
  return {
    database,
    lose: async () => {
      await new Promise<void>((resolve) => {
        relay.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
    inspect: async () => (inspector ??= openDatabase(serverUrl)),
    dispose: async () => {
      await database.close().catch(() => undefined);
      await inspector?.close();
    },
  };
}
