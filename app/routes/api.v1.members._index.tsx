import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { answering, apiCaller, apiJson, parseOr422 } from "../api/http.server";
import { lookupMembers, memberJson } from "../api/members.server";

const Lookup = z
  .object({
    customer_id: z
      .string()
      .regex(/^(gid:\/\/shopify\/Customer\/)?\d{1,20}$/, "a Shopify customer id")
      .optional(),
    email: z.string().email("an email address").max(320).optional(),
    query: z.string().trim().min(1, "at least one character").max(200).optional(),
  })
  .refine((lookup) => Object.values(lookup).filter(Boolean).length === 1, {
    message: "give exactly one of customer_id, email or query",
    path: ["query"],
  });

// GET /api/v1/members?customer_id=|email=|query=: the shop's members found by Shopify customer id, email, or search.
export const loader = ({ request }: LoaderFunctionArgs) =>
  answering(async () => {
    const caller = await apiCaller(request, "read");
    const lookup = parseOr422(Lookup, Object.fromEntries(new URL(request.url).searchParams));
    const members = await lookupMembers(caller.shop.id, lookup as Parameters<typeof lookupMembers>[1]);
    return apiJson({ members: members.map(memberJson) });
  });
