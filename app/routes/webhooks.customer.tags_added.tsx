import { customerTagsAddedAction } from "../sync/sync-webhooks.server";

export const action = customerTagsAddedAction;
