import { collectionRefreshAction } from "../webhooks/catalogue-actions.server";

export const action = collectionRefreshAction("collections/update");
