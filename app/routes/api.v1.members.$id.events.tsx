import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { answering, parseOr422 } from "../api/http.server";
import { once } from "../api/idempotency.server";
import { postOnly, writeRequest } from "../api/write.server";
import { recordEvent } from "../api/writes.server";

const Event = z.object({ action_id: z.string().trim().min(1, "a custom action's id").max(100) });

// POST /api/v1/members/{id}/events {action_id}: the member did one of the program's custom actions; earns its bonus.
export const action = ({ request, params }: ActionFunctionArgs) =>
  answering(async () => {
    const { caller, idempotent, json } = await writeRequest(request);
    const body = parseOr422(Event, json);
    return once(caller, idempotent, () => recordEvent(caller, params.id ?? "", body.action_id));
  });

export const loader = postOnly;
