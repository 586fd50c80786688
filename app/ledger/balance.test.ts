import { describe, expect, it } from "vitest";
import { balanceFromLedger, reversalEffect, settleDebt } from "./balance";

describe("balances from the ledger", () => {
  it("an earn, a partial reversal and a reversal into debt add up", () => {
    const entries = [
      { points: 54, pendingPoints: 0, debtPoints: 0 },
      reversalEffect([{ points: 10, pending: false }], 10),
      reversalEffect([{ points: 44, pending: false }], 60),
    ];
    expect(balanceFromLedger(entries)).toEqual({ available: 0, pending: 0, debt: 16, reserved: 0 });
  });

  it("pending points are held apart from available ones", () => {
    expect(balanceFromLedger([{ points: 54, pendingPoints: 54, debtPoints: 0 }])).toEqual({
      available: 0,
      pending: 54,
      debt: 0,
      reserved: 0,
    });
  });

  it("new points pay off debt first", () => {
    expect(settleDebt(16, 54)).toEqual({ repaid: 16, intoLot: 38 });
    expect(settleDebt(100, 54)).toEqual({ repaid: 54, intoLot: 0 });
    expect(settleDebt(0, 54)).toEqual({ repaid: 0, intoLot: 54 });
  });
});

describe("reservations in the ledger", () => {
  it("a reservation holds points out of available without taking them from the lots; settling spends them", () => {
    const earn = { points: 1000, pendingPoints: 0, debtPoints: 0 };
    const reserve = { points: 0, pendingPoints: 0, debtPoints: 0, reservedPoints: 500 };
    expect(balanceFromLedger([earn, reserve])).toEqual({ available: 500, pending: 0, debt: 0, reserved: 500 });
    const redeem = { points: -500, pendingPoints: 0, debtPoints: 0, reservedPoints: -500 };
    expect(balanceFromLedger([earn, reserve, redeem])).toEqual({ available: 500, pending: 0, debt: 0, reserved: 0 });
    const release = { points: 0, pendingPoints: 0, debtPoints: 0, reservedPoints: -500 };
    expect(balanceFromLedger([earn, reserve, release])).toEqual({ available: 1000, pending: 0, debt: 0, reserved: 0 });
  });
});
