import { emailStem, normalizeAddress, normalizePhone } from "./identity";
import { HOUR_MS, type Signal, signal } from "./signals";
import type { Thresholds } from "./thresholds";

export interface NewMember {
  memberId: string;
  createdAt: number;
  email?: string | null;
  phone?: string | null;
  /** The default shipping address as one line (postal code, prefecture, city, lines). */
  address?: string | null;
  /**
   * The phone and address as the database keeps them (app/fraud/identity-keys.server.ts): already normalised and
   * keyed, compared as opaque strings. Each takes the place of the raw value when given.
   */
  phoneKey?: string | null;
  addressKey?: string | null;
}

/**
 * Signup-bonus farming: `minMembers` or more new members within `windowHours` sharing an email stem, a normalised
 * shipping address or a normalised phone. Groups that share members are merged, and each merged group is one
 * signal naming every member in it. The caller passes the members created since the last scan less one window,
 * so a burst that straddles two scans is still seen whole.
 */
export function signupFarming(members: readonly NewMember[], t: Thresholds["signupFarming"]): Signal[] {
  if (!t.enabled) return [];
  const groups = new Map<string, NewMember[]>();
  for (const m of members) {
    const keys = [
      ["email", emailStem(m.email)],
      ["phone", m.phoneKey ?? normalizePhone(m.phone)],
      ["address", m.addressKey ?? normalizeAddress(m.address)],
    ] as const;
    for (const [kind, value] of keys) {
      if (!value) continue;
      const key = `${kind}:${value}`;
      const list = groups.get(key);
      if (list) list.push(m);
      else groups.set(key, [m]);
    }
  }

  // Union-find over members that fall in one burst of one key.
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r) as string;
    parent.set(x, r);
    return r;
  };
  const reasons = new Map<string, Set<string>>();
  const windowMs = t.windowHours * HOUR_MS;
  for (const [key, list] of groups) {
    if (list.length < t.minMembers) continue;
    const sorted = [...list].sort((a, b) => a.createdAt - b.createdAt);
    const inBurst = new Set<string>();
    let start = 0;
    for (let end = 0; end < sorted.length; end++) {
      while (sorted[end].createdAt - sorted[start].createdAt > windowMs) start++;
      if (end - start + 1 >= t.minMembers) for (let i = start; i <= end; i++) inBurst.add(sorted[i].memberId);
    }
    if (inBurst.size === 0) continue;
    const ids = [...inBurst];
    for (const id of ids) if (!parent.has(id)) parent.set(id, id);
    for (const id of ids.slice(1)) parent.set(find(id), find(ids[0]));
    for (const id of ids) {
      const r = reasons.get(id) ?? new Set<string>();
      r.add(key.slice(0, key.indexOf(":")));
      reasons.set(id, r);
    }
  }

  const clusters = new Map<string, string[]>();
  for (const id of parent.keys()) {
    const root = find(id);
    clusters.set(root, [...(clusters.get(root) ?? []), id]);
  }
  return [...clusters.values()].map((ids) => {
    const shared = [...new Set(ids.flatMap((id) => [...(reasons.get(id) ?? [])]))].sort();
    return signal(
      "signup_farming",
      shared.join("_"),
      ids.length / t.minMembers,
      `${ids.length} new members within ${t.windowHours} hours sharing ${shared.join(", ")}`,
      { figures: { members: ids.length, windowHours: t.windowHours }, memberIds: ids.sort() },
    );
  });
}
