import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { answering, apiCaller, apiJson, parseOr422, problemResponse } from "../api/http.server";
import { memberEntries } from "../api/members.server";
import { problem } from "../api/problem";

const Query = z.object({
  cursor: z
    .string()
    .regex(/^\d{1,18}$/, "a next_cursor from a previous page")
    .optional(),
});

// GET /api/v1/members/{id}/entries?cursor=: the member's passbook, newest first, a page at a time.
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  answering(async () => {
    const caller = await apiCaller(request, "read");
    const { cursor } = parseOr422(Query, Object.fromEntries(new URL(request.url).searchParams));
    const page = await memberEntries(caller.shop.id, params.id ?? "", cursor ? BigInt(cursor) : null);
    if (!page) return problemResponse(problem(404, "No such member in this shop."));
    return apiJson(page);
  });
