/** The balance effect of one ledger entry. */
export interface EntryEffect {
  points: number;
  pendingPoints: number;
  debtPoints: number;
  /** Change to points held by checkout reservations; 0 for most entries. */
  reservedPoints?: number;
}

export interface Balance {
  available: number;
  pending: number;
  debt: number;
  reserved: number;
}

/**
 * Available moves by the net change, minus what went to pending, plus what was booked as debt instead,
 * minus what a reservation now holds.
 */
export function availableChange(effect: EntryEffect): number {
  return effect.points - effect.pendingPoints + effect.debtPoints - (effect.reservedPoints ?? 0);
}

/** The balance the ledger implies: the truth a cached balance must match. */
export function balanceFromLedger(entries: Iterable<EntryEffect>): Balance {
  const balance: Balance = { available: 0, pending: 0, debt: 0, reserved: 0 };
  for (const entry of entries) {
    balance.available += availableChange(entry);
    balance.pending += entry.pendingPoints;
    balance.debt += entry.debtPoints;
    balance.reserved += entry.reservedPoints ?? 0;
  }
  return balance;
}

/**
 * The effect of taking points back (a reversal): what lots covered comes out of available or pending,
 * the rest becomes debt.
 */
export function reversalEffect(takes: Array<{ points: number; pending: boolean }>, total: number): EntryEffect {
  const fromPending = takes.filter((t) => t.pending).reduce((sum, t) => sum + t.points, 0);
  const covered = takes.reduce((sum, t) => sum + t.points, 0);
  return { points: -total, pendingPoints: -fromPending, debtPoints: total - covered };
}

/** New points first pay off debt; the rest lands in the lot. */
export function settleDebt(debt: number, earned: number): { repaid: number; intoLot: number } {
  const repaid = Math.min(debt, earned);
  return { repaid, intoLot: earned - repaid };
}
