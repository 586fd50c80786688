import { productUpsertAction } from "../webhooks/catalogue-actions.server";

export const action = productUpsertAction("products/create");
