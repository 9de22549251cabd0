// How the app writes amounts and errors for a person (no browser, no chain).

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ContractError, InsufficientFundsError, type LeaseResponse } from "@gridshare/client";
import { amount, energy, errorMessage, leaseProgress, parseAmount, time } from "../src/format.js";
import { disputeSaltKey, loadDisputeSalt, saveDisputeSalt, type SaltStorage } from "../src/salts.js";

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

describe("energy", () => {
  it("says unmeasured for a keeper that could not measure, and never shows that as zero", () => {
    assert.equal(energy(null), "unmeasured");
    assert.equal(energy(undefined), "unmeasured");
    assert.equal(energy(0), "0 mWh");
    assert.equal(energy(742), "742 mWh");
    assert.equal(energy(2_500), "2.50 Wh");
    assert.equal(energy(125_000), "125.0 Wh");
    assert.equal(energy(3_400_000), "3.40 kWh");
  });
});

describe("errors", () => {
  it("read as sentences that name the contract and its reason", () => {
    const refused = new ContractError("marketplace", "wasm1…", "execute", "insufficient budget: 120 required, 1 attached", 0);
    assert.equal(errorMessage(refused), "The marketplace contract refused: insufficient budget: 120 required, 1 attached");
    assert.equal(errorMessage(new InsufficientFundsError("5uusdc is smaller than 300uusdc")), "Not enough funds: 5uusdc is smaller than 300uusdc");
  });
});

describe("lease progress", () => {
  const at = (seconds: number) => seconds;
  const lease = (overrides: Partial<LeaseResponse>): LeaseResponse => ({
    lease_id: 16,
    order_id: 1,
    offer_id: 1,
    provider: "p",
    price: "1",
    units: 1,
    start: at(1_000),
    state: "active",
    disputed: false,
    referee: false,
    commit_deadline: at(1_120),
    ...overrides,
  });

  it("names the contract's next deadline for each commit–reveal state", () => {
    assert.equal(leaseProgress(lease({})), `commit by ${time(at(1_120))}`);
    assert.equal(leaseProgress(lease({ state: "committed" })), "reveals open when every replica committed");
    assert.equal(leaseProgress(lease({ state: "committed", reveal_deadline: at(1_200) })), `reveal by ${time(at(1_200))}`);
    assert.equal(leaseProgress(lease({ state: "revealed", dispute_deadline: at(1_204) })), `disputable until ${time(at(1_204))}`);
    assert.equal(
      leaseProgress(lease({ state: "revealed", disputed: true, dispute_deadline: at(1_300) })),
      `disputed: referee decides by ${time(at(1_300))}`,
    );
    assert.equal(leaseProgress(lease({ state: "revealed", finalizable_at: at(1_260) })), `final at ${time(at(1_260))}`);
    assert.equal(leaseProgress(lease({ state: "revealed" })), "waiting for the other replicas");
    assert.equal(
      leaseProgress(lease({ state: "rejected", closed_at: at(1_300), close_reason: "rejected_by_referee" })),
      `closed ${time(at(1_300))} (rejected by referee)`,
    );
    assert.equal(leaseProgress(lease({ state: "accepted" })), "accepted");
  });
});

describe("dispute salts in the browser", () => {
  const memory = (): SaltStorage & { items: Map<string, string> } => {
    const items = new Map<string, string>();
    return { items, getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v) };
  };

  it("are kept per chain, marketplace and order", () => {
    const key = disputeSaltKey("gridshare-app", "wasm1market", 7);
    assert.equal(key, "gridshare:dispute-salt:gridshare-app:wasm1market:7");
    assert.notEqual(disputeSaltKey("other-chain", "wasm1market", 7), key);
    assert.notEqual(disputeSaltKey("gridshare-app", "wasm1other", 7), key);
    const storage = memory();
    const salt = "ab".repeat(32);
    assert.equal(saveDisputeSalt(storage, key, salt), true);
    assert.equal(loadDisputeSalt(storage, key), salt);
    assert.equal(loadDisputeSalt(storage, disputeSaltKey("gridshare-app", "wasm1market", 8)), undefined);
  });

  it("survive a storage that is missing, refuses, or holds something else", () => {
    const key = disputeSaltKey("c", "m", 1);
    assert.equal(saveDisputeSalt(undefined, key, "ab".repeat(32)), false);
    assert.equal(loadDisputeSalt(undefined, key), undefined);
    const full: SaltStorage = {
      getItem: () => null,
      setItem: () => {
        throw new Error("QuotaExceededError");
      },
    };
    assert.equal(saveDisputeSalt(full, key, "ab".repeat(32)), false);
    const storage = memory();
    storage.items.set(key, "not a salt");
    assert.equal(loadDisputeSalt(storage, key), undefined);
  });
});
