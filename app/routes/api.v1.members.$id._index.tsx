import type { LoaderFunctionArgs } from "@remix-run/node";
import { answering, apiCaller, apiJson, problemResponse } from "../api/http.server";
import { findMember, memberJson } from "../api/members.server";
import { problem } from "../api/problem";

// GET /api/v1/members/{id}: the member and their balance. Another shop's member is not found, as no member is.
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  answering(async () => {
    const caller = await apiCaller(request, "read");
    const member = await findMember(caller.shop.id, params.id ?? "");
    if (!member) return problemResponse(problem(404, "No such member in this shop."));
    return apiJson({ member: memberJson(member) });
  });
