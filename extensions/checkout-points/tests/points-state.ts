import type { PointsState } from "../src/redemption";

/** What the app answers for a logged-in shopper with points, in a yen shop with the default program. */
export function pointsState(over: Partial<PointsState> = {}): PointsState {
  return {
    enabled: true,
    loggedIn: true,
    balance: 1200,
    currency: "JPY",
    pointValueMinor: 1,
    minPoints: 100,
    step: 100,
    maxShareBasisPoints: 5000,
    reservation: null,
    ...over,
  };
}
