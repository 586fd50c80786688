/**
 * Who is a member. In an "all" program every customer is one (today's behaviour: customers/create enrols them).
 * In a "join" program a Member row is only the customer's record (Shopify's profile, kept by sync and customer
 * webhooks); the customer is a member while they have joined and not left since.
 */
export function isMember(
  mode: "all" | "join",
  member: { joinedAt: Date | null; leftAt: Date | null } | null | undefined,
): boolean {
  if (mode === "all") return true;
  return member?.joinedAt != null && member.leftAt == null;
}
