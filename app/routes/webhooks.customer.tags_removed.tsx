import { customerTagsRemovedAction } from "../sync/sync-webhooks.server";

export const action = customerTagsRemovedAction;
