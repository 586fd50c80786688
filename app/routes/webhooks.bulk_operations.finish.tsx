import { bulkOperationFinishAction } from "../sync/sync-webhooks.server";

export const action = bulkOperationFinishAction;
