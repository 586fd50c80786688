import { majorUnit } from "./money";

/** Points per amount of the shop's currency: `points` for every `perMinor` minor units of the earn base. */
export interface EarnRate {
  points: number;
  perMinor: number;
}

export interface ProgramSettings {
  currency: string;
  earnRate: EarnRate;
  /** Points for a new customer account; 0 turns the bonus off. */
  signupBonus: number;
  /** Days an earn stays pending (the return window); 0 means spendable at once. */
  pendingDays: number;
  /** Days after earning that a lot expires; null means never. */
  expiryDays: number | null;
}

/**
 * Until a merchant saves a program: 1 point per ¥100 for currencies without a minor unit, and
 * 1 point per major unit ($1, €1) for the others.
 */
export function defaultProgram(currency: string): ProgramSettings {
  const perMinor = majorUnit(currency) === 1 ? 100 : majorUnit(currency);
  return { currency, earnRate: { points: 1, perMinor }, signupBonus: 0, pendingDays: 0, expiryDays: null };
}
