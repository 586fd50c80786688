import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { answering, parseOr422 } from "../api/http.server";
import { once, operationKey } from "../api/idempotency.server";
import { postOnly, writeRequest } from "../api/write.server";
import { redeemForMember } from "../api/writes.server";

const Redemption = z.object({ reward_id: z.string().trim().min(1, "a reward's id").max(100) });

// POST /api/v1/members/{id}/redemptions {reward_id}: points into a single-use discount code for the member.
export const action = ({ request, params }: ActionFunctionArgs) =>
  answering(async () => {
    const { caller, idempotent, json } = await writeRequest(request);
    const body = parseOr422(Redemption, json);
    const key = operationKey(caller, idempotent);
    return once(caller, idempotent, () => redeemForMember(caller, params.id ?? "", body.reward_id, key));
  });

export const loader = postOnly;
