import { readFileSync } from "node:fs";
import {
  buildSchema,
  coerceInputValue,
  execute,
  parse,
  validate,
  type GraphQLInputType,
  type GraphQLSchema,
} from "graphql";
import type { CartLinesDiscountsGenerateRunInputQuery as Input } from "../generated/api";

const here = new URL("..", import.meta.url).pathname;
export const schema: GraphQLSchema = buildSchema(readFileSync(`${here}schema.graphql`, "utf8"));
export const inputQuery = readFileSync(`${here}src/cart_lines_discounts_generate_run.graphql`, "utf8");

/**
 * Fails unless `input` is exactly what Shopify would send for the input query: the query is executed
 * against the Function's schema with the fixture as the data, so every field must exist, have the
 * schema's type and nullability, and nothing may be missing or extra.
 */
export function assertValidInput(input: Input): void {
  const invalid = validate(schema, parse(inputQuery));
  if (invalid.length > 0) throw new Error(invalid.map((e) => e.message).join("; "));
  const result = execute({
    schema,
    document: parse(inputQuery),
    rootValue: input,
    fieldResolver: (source, _args, _context, info) => (source as Record<string, unknown>)?.[info.path.key as string],
  });
  if ("errors" in result && result.errors?.length) throw new Error(result.errors.map((e) => e.message).join("; "));
  const data = JSON.parse(JSON.stringify((result as { data: unknown }).data));
  if (JSON.stringify(data) !== JSON.stringify(input)) {
    throw new Error(
      `fixture has fields the query does not ask for:\n${JSON.stringify(input)}\n${JSON.stringify(data)}`,
    );
  }
}

/** Fails unless `output` coerces to the schema's CartLinesDiscountsGenerateRunResult. */
export function assertValidOutput(output: unknown): void {
  const type = schema.getType("CartLinesDiscountsGenerateRunResult") as GraphQLInputType;
  coerceInputValue(output, type, (path, _invalid, error) => {
    throw new Error(`output invalid at ${path.join(".")}: ${error.message}`);
  });
}

export interface CartSpec {
  subtotal?: string;
  currency?: string;
  nonce?: string | null;
  reservation?: unknown;
  loggedIn?: boolean;
  language?: string;
  rate?: string;
  today?: string;
  classes?: Array<"ORDER" | "PRODUCT" | "SHIPPING">;
  configuration?: unknown;
}

export const RESERVATION = {
  v: 1,
  nonce: "n0nce-abc",
  points: 500,
  amountMinor: 500,
  currency: "JPY",
  expiresOn: "2026-11-24",
};

/** A checkout's Function input, as the input query shapes it. */
export function cart(spec: CartSpec = {}): Input {
  const loggedIn = spec.loggedIn ?? true;
  return {
    cart: {
      cost: { subtotalAmount: { amount: spec.subtotal ?? "10000.0", currencyCode: (spec.currency ?? "JPY") as never } },
      attribute: spec.nonce === null ? null : { value: spec.nonce ?? RESERVATION.nonce },
      buyerIdentity: loggedIn
        ? {
            customer: {
              reservation: spec.reservation === null ? null : { jsonValue: spec.reservation ?? RESERVATION },
            },
          }
        : { customer: null },
    },
    discount: {
      discountClasses: spec.classes ?? ["ORDER"],
      configuration:
        spec.configuration === undefined ? { jsonValue: { maxShareBasisPoints: 5000 } } : (spec.configuration as never),
    },
    localization: { language: { isoCode: (spec.language ?? "EN") as never } },
    presentmentCurrencyRate: spec.rate ?? "1.0",
    shop: { localTime: { date: spec.today ?? "2026-11-24" } },
  };
}

/**
 * A 200-line cart: the largest Shopify runs a Function on. The input query reads the subtotal, not the
 * lines, so a 200-line cart costs the Function no more than a 1-line one; this is the benchmark's input.
 */
export function twoHundredLineCart(): Input {
  const lines = Array.from({ length: 200 }, (_, i) => 1000 + i * 7);
  return cart({ subtotal: `${lines.reduce((a, b) => a + b, 0)}.0` });
}
