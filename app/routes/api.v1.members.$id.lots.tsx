import type { LoaderFunctionArgs } from "@remix-run/node";
import { answering, apiCaller, apiJson, problemResponse } from "../api/http.server";
import { findMember, memberLots } from "../api/members.server";
import { problem } from "../api/problem";

// GET /api/v1/members/{id}/lots: the member's lots still holding points, nearest expiry first.
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  answering(async () => {
    const caller = await apiCaller(request, "read");
    const member = await findMember(caller.shop.id, params.id ?? "");
    if (!member) return problemResponse(problem(404, "No such member in this shop."));
    return apiJson({ lots: await memberLots(member.id) });
  });
