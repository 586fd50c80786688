import type { LoaderFunctionArgs } from "@remix-run/node";
import { answering, apiCaller, apiJson } from "../api/http.server";
import { programSummary } from "../api/program.server";

// GET /api/v1/program: the program version in force, summarised.
export const loader = ({ request }: LoaderFunctionArgs) =>
  answering(async () => apiJson(await programSummary((await apiCaller(request, "read")).shop)));
