import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { answering, parseOr422 } from "../api/http.server";
import { once, operationKey } from "../api/idempotency.server";
import { postOnly, writeRequest } from "../api/write.server";
import { adjustPoints } from "../api/writes.server";

const Adjustment = z.object({
  points: z
    .number()
    .int("a whole number")
    .min(-999_999_999)
    .max(999_999_999)
    .refine((points) => points !== 0, "other than 0 (negative to remove points)"),
  reason: z.string().trim().min(3, "at least 3 characters: the passbook shows it").max(500),
});

// POST /api/v1/members/{id}/adjustments {points, reason}: a staff adjustment by the key, once per Idempotency-Key.
export const action = ({ request, params }: ActionFunctionArgs) =>
  answering(async () => {
    const { caller, idempotent, json } = await writeRequest(request);
    const body = parseOr422(Adjustment, json);
    const key = operationKey(caller, idempotent);
    return once(caller, idempotent, () => adjustPoints(caller, params.id ?? "", body, key));
  });

export const loader = postOnly;
