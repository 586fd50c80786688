/** What the spending and reversal planners need to know about a lot. */
export interface LotState {
  id: string;
  remaining: number;
  earnedAt: Date;
  expiresAt: Date | null;
  pending: boolean;
}

export interface LotTake {
  lotId: string;
  points: number;
  pending: boolean;
}

export interface TakePlan {
  takes: LotTake[];
  /** Points that no lot could cover: debt for a reversal. */
  shortfall: number;
}

/** Nearest expiry first (never-expiring last), then oldest first, so the points most at risk go first. */
export function byExpiry(a: LotState, b: LotState): number {
  const ax = a.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
  const bx = b.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
  if (ax !== bx) return ax - bx;
  if (a.earnedAt.getTime() !== b.earnedAt.getTime()) return a.earnedAt.getTime() - b.earnedAt.getTime();
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Points a reversal should take from one of the order's own lots before looking anywhere else. */
export interface OwnShare {
  lotId: string;
  points: number;
}

/**
 * Plans taking `points` back for a reversal: first from the lots the order itself earned (each up to its
 * share of the reversal when `own` gives shares; a single lot id takes as much as it holds), then from
 * other available lots nearest to expiry (the order's own lots among them, for what their shares did not
 * cover), then from pending lots; whatever is left is the shortfall. At most `availableCap` comes out of
 * available lots, so points a checkout holds are never taken.
 */
export function planReversal(
  lots: LotState[],
  points: number,
  own: string | null | OwnShare[],
  availableCap = Number.POSITIVE_INFINITY,
): TakePlan {
  const shares: OwnShare[] = own === null ? [] : typeof own === "string" ? [{ lotId: own, points }] : own;
  const byId = new Map(lots.map((lot) => [lot.id, lot]));
  const first: LotState[] = [];
  for (const share of shares) {
    const lot = byId.get(share.lotId);
    if (lot && share.points > 0) first.push({ ...lot, remaining: Math.min(lot.remaining, share.points) });
  }
  const firstPlan = take(first, points, availableCap);
  const taken = new Map(firstPlan.takes.map((t) => [t.lotId, t.points]));
  const rest = lots
    .map((lot) => ({ ...lot, remaining: lot.remaining - (taken.get(lot.id) ?? 0) }))
    .filter((lot) => lot.remaining > 0);
  const availableTaken = firstPlan.takes.reduce((sum, t) => sum + (t.pending ? 0 : t.points), 0);
  const restPlan = take(
    [...rest.filter((lot) => !lot.pending).sort(byExpiry), ...rest.filter((lot) => lot.pending).sort(byExpiry)],
    firstPlan.shortfall,
    availableCap - availableTaken,
  );
  // One take per lot: a lot drawn on in both passes gives its points in one allocation.
  const takes = [...firstPlan.takes];
  for (const t of restPlan.takes) {
    const same = takes.find((existing) => existing.lotId === t.lotId);
    if (same) same.points += t.points;
    else takes.push(t);
  }
  return { takes, shortfall: restPlan.shortfall };
}

/** Plans spending `points` from available lots only, nearest to expiry first, at most `availableCap`. */
export function planSpend(lots: LotState[], points: number, availableCap = Number.POSITIVE_INFINITY): TakePlan {
  return take(lots.filter((lot) => !lot.pending).sort(byExpiry), points, availableCap);
}

function take(ordered: LotState[], points: number, availableCap: number): TakePlan {
  if (!Number.isSafeInteger(points) || points < 0) throw new RangeError("points must be a non-negative integer");
  const takes: LotTake[] = [];
  let left = points;
  let availableLeft = Math.max(0, availableCap);
  for (const lot of ordered) {
    if (left === 0) break;
    const amount = Math.min(lot.remaining, left, lot.pending ? Number.POSITIVE_INFINITY : availableLeft);
    if (!lot.pending) availableLeft -= Math.max(0, amount);
    if (amount <= 0) continue;
    takes.push({ lotId: lot.id, points: amount, pending: lot.pending });
    left -= amount;
  }
  return { takes, shortfall: left };
}
