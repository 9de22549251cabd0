// How the app writes amounts and errors for a person (no browser, no chain).

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ContractError, InsufficientFundsError } from "@gridshare/client";
import { amount, errorMessage, parseAmount } from "../src/format.js";

describe("amounts", () => {
  it("show micro-denoms with their six decimals and no trailing zeros", () => {
    assert.equal(amount(1_234_567n, "uusdc"), "1.234567 USDC");
    assert.equal(amount("120000000", "uusdc"), "120 USDC");
    assert.equal(amount(5n, "ugrid"), "0.000005 GRID");
    assert.equal(amount(null, "uusdc"), "–");
  });

  it("parse what a person types, refusing more precision than the denom has", () => {
    assert.equal(parseAmount("1.5"), 1_500_000n);
    assert.equal(parseAmount(" 3600 "), 3_600_000_000n);
    assert.throws(() => parseAmount("1.1234567"), /at most 6 decimals/);
    assert.throws(() => parseAmount("-1"), /not an amount/);
    assert.throws(() => parseAmount("ten"), /not an amount/);
  });
});

describe("errors", () => {
  it("read as sentences that name the contract and its reason", () => {
    const refused = new ContractError("marketplace", "wasm1…", "execute", "insufficient budget: 120 required, 1 attached", 0);
    assert.equal(errorMessage(refused), "The marketplace contract refused: insufficient budget: 120 required, 1 attached");
    assert.equal(errorMessage(new InsufficientFundsError("5uusdc is smaller than 300uusdc")), "Not enough funds: 5uusdc is smaller than 300uusdc");
  });
});
