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

/**
 * Plans taking `points` back for a reversal: first from the lot the order itself earned, then from other
 * available lots nearest to expiry, then from pending lots; whatever is left is the shortfall. At most
 * `availableCap` comes out of available lots, so points a checkout holds are never taken.
 */
export function planReversal(
  lots: LotState[],
  points: number,
  ownLotId: string | null,
  availableCap = Number.POSITIVE_INFINITY,
): TakePlan {
  const own = lots.filter((lot) => lot.id === ownLotId);
  const others = lots.filter((lot) => lot.id !== ownLotId);
  const ordered = [
    ...own,
    ...others.filter((lot) => !lot.pending).sort(byExpiry),
    ...others.filter((lot) => lot.pending).sort(byExpiry),
  ];
  return take(ordered, points, availableCap);
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
