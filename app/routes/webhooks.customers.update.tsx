import { customerUpdateAction } from "../sync/sync-webhooks.server";

export const action = customerUpdateAction;
