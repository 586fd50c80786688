import { productUpsertAction } from "../earning/catalogue-actions.server";

export const action = productUpsertAction("products/create");
