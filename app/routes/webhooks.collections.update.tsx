import { collectionRefreshAction } from "../earning/catalogue-actions.server";

export const action = collectionRefreshAction("collections/update");
