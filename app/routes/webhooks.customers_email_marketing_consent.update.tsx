import { marketingConsentAction } from "../sync/sync-webhooks.server";

export const action = marketingConsentAction;
