// Types generated from the Function's own schema: the input query's shape (generated/api.ts) and the
// schema's types, including the result (generated/schema.ts). Run `npm run typegen` here, or
// `npx graphql-codegen --config extensions/points-discount/codegen.ts` from the project root.
const here = new URL(".", import.meta.url).pathname;
const scalars = { Decimal: "string", JSON: "unknown", Date: "string", ID: "string" };

export default {
  schema: `${here}schema.graphql`,
  documents: `${here}src/*.graphql`,
  generates: {
    [`${here}generated/api.ts`]: {
      plugins: ["typescript-operations"],
      config: { enumType: "string-literal", skipTypename: true, scalars },
    },
    [`${here}generated/schema.ts`]: {
      plugins: ["typescript"],
      config: { enumsAsTypes: true, skipTypename: true, scalars },
    },
  },
};
