import type { LoaderFunctionArgs } from "@remix-run/node";
import { answering, apiCaller, apiJson } from "../api/http.server";
import { tierList } from "../api/program.server";

// GET /api/v1/tiers: the program's tiers, lowest first.
export const loader = ({ request }: LoaderFunctionArgs) =>
  answering(async () => apiJson(await tierList((await apiCaller(request, "read")).shop)));
