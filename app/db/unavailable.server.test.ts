import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Prisma, PrismaClient } from "../generated/prisma/client";
import { MoneyError } from "../shared/money";
import { createAdapter } from "./adapter.server";
import { isDatabaseUnavailable, orUnavailable, RETRY_AFTER_SECONDS } from "./unavailable.server";

/** A local port nothing listens on: connecting to it is refused, as a stopped PostgreSQL server refuses. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** What `work` throws (the test fails if it does not throw). */
async function thrown(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}

const client = (url: string) => new PrismaClient({ adapter: createAdapter(url).factory });

describe("which errors mean the database cannot be reached", () => {
  let lite: { prisma: PrismaClient; close: () => Promise<void> };

  beforeAll(async () => {
    const { factory, driver } = createAdapter("memory://");
    lite = { prisma: new PrismaClient({ adapter: factory }), close: () => driver.close() };
    await lite.prisma.$executeRawUnsafe(`CREATE TABLE item (id int PRIMARY KEY)`);
  });
  afterAll(async () => {
    await lite.close().catch(() => undefined);
  });

  it("a PostgreSQL server that refuses connections: model queries (P1001), raw queries (P2010) and transactions", async () => {
    const refused = client(`postgres://tsumiki@127.0.0.1:${await closedPort()}/tsumiki`);
    const query = await thrown(() => refused.$queryRaw`SELECT 1`);
    expect((query as { code: string }).code).toBe("P2010");
    expect(isDatabaseUnavailable(query)).toBe(true);
    expect(isDatabaseUnavailable(await thrown(() => refused.$executeRaw`SELECT 1`))).toBe(true);
    expect(isDatabaseUnavailable(await thrown(() => refused.$transaction(async (tx) => tx.$queryRaw`SELECT 1`)))).toBe(
      true,
    );
  });

  it("a server that names an administrator shutdown (57P01) in the middle of a transaction", async () => {
    await lite.prisma.$executeRawUnsafe(`
      CREATE FUNCTION shut_down() RETURNS trigger AS $$ BEGIN
        RAISE EXCEPTION 'terminating connection due to administrator command' USING ERRCODE = 'admin_shutdown';
      END $$ LANGUAGE plpgsql`);
    await lite.prisma.$executeRawUnsafe(`CREATE TABLE doomed (id int)`);
    await lite.prisma.$executeRawUnsafe(
      `CREATE TRIGGER doomed_shut_down AFTER INSERT ON doomed FOR EACH ROW EXECUTE FUNCTION shut_down()`,
    );
    const error = await thrown(() =>
      lite.prisma.$transaction(async (tx) => tx.$executeRaw`INSERT INTO doomed VALUES (1)`),
    );
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it("errors from a database that answered are not: a unique violation, division by zero, a missing row", async () => {
    await lite.prisma.$executeRaw`INSERT INTO item VALUES (1)`;
    expect(isDatabaseUnavailable(await thrown(() => lite.prisma.$executeRaw`INSERT INTO item VALUES (1)`))).toBe(false);
    expect(isDatabaseUnavailable(await thrown(() => lite.prisma.$queryRaw`SELECT 1 / 0`))).toBe(false);
    expect(isDatabaseUnavailable(await thrown(() => lite.prisma.$queryRaw`SELECT * FROM missing_table`))).toBe(false);
  });

  it("errors that have nothing to do with the database are not", () => {
    for (const error of [
      new Error("boom"),
      new MoneyError("amount too large"),
      new TypeError("Cannot read properties of undefined"),
      new Response(null, { status: 400 }),
      "Connection",
      null,
      undefined,
      // A code that looks like a SQLSTATE but comes from no database driver.
      Object.assign(new Error("odd"), { code: "08006" }),
    ]) {
      expect(isDatabaseUnavailable(error)).toBe(false);
    }
  });

  it("Prisma's initialization error, the pg driver's socket errors and lost connections, wherever in the cause chain", () => {
    expect(isDatabaseUnavailable(new Prisma.PrismaClientInitializationError("Can't reach database", "6.19.3"))).toBe(
      true,
    );
    const reset = Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET", syscall: "read", errno: -104 });
    expect(isDatabaseUnavailable(reset)).toBe(true);
    expect(isDatabaseUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isDatabaseUnavailable(new Error("wrapped", { cause: new Error("wrapped again", { cause: reset }) }))).toBe(
      true,
    );
    const cycle: { cause?: unknown } = new Error("loops");
    cycle.cause = cycle;
    expect(isDatabaseUnavailable(cycle)).toBe(false);
  });

  it("a PGlite database that was closed", async () => {
    const { factory, driver } = createAdapter("memory://");
    const closed = new PrismaClient({ adapter: factory });
    await closed.$queryRaw`SELECT 1`;
    await driver.close();
    const error = await thrown(() => closed.$queryRaw`SELECT 1`);
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it("orUnavailable answers 503 with Retry-After and a JSON reason, and lets any other error through", async () => {
    const answer = await orUnavailable(async () => {
      throw new Error("PGlite is closed");
    });
    expect(answer.status).toBe(503);
    expect(answer.headers.get("Retry-After")).toBe(String(RETRY_AFTER_SECONDS));
    expect(await answer.json()).toEqual({ error: expect.any(String), code: "unavailable" });
    const bug = new Error("a bug");
    await expect(
      orUnavailable(async () => {
        throw bug;
      }),
    ).rejects.toBe(bug);
    const refusal = new Response(null, { status: 400 });
    await expect(
      orUnavailable(async () => {
        throw refusal;
      }),
    ).rejects.toBe(refusal);
  });
});
