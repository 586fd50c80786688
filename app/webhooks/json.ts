/**
 * Parses a webhook body without losing Shopify's 64-bit ids: an integer beyond 2^53 is kept as its exact
 * digits (a string) instead of being rounded by JSON.parse.
 */
export function parseJsonExact(text: string): unknown {
  return JSON.parse(text, function (this: unknown, _key: string, value: unknown, context?: { source?: string }) {
    if (
      typeof value === "number" &&
      !Number.isSafeInteger(value) &&
      context?.source &&
      /^-?\d+$/.test(context.source)
    ) {
      return context.source;
    }
    return value;
  } as (key: string, value: unknown) => unknown);
}
