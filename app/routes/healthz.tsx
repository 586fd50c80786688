import prisma from "../db.server";

// GET /healthz: 200 when the server answers and its database does; 503 otherwise. For load balancers and operators.
export const loader = async () => {
  try {
    await prisma.$queryRaw`SELECT 1`;
  } catch (error) {
    return Response.json({ status: "unavailable", database: (error as Error).message }, { status: 503 });
  }
  return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
};
