// Offline checks of the hand-written layer: budget arithmetic, error classification, pagination,
// output verification. These run without a chain.

import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import {
  collect,
  ContractError,
  contractNames,
  fetchVerifiedOutput,
  InsufficientFundsError,
  InvalidRequestError,
  type LeaseResponse,
  MAX_PAGE,
  NetworkError,
  OutOfGasError,
  OutputFetchError,
  OutputHashMismatchError,
  orderBudget,
  parseDeployment,
  sha256Hex,
  toGridShareError,
  TxError,
  websocketUrl,
} from "../src/index.js";

describe("orderBudget", () => {
  it("is replication × gpus × price × duration / 3600, rounded up against the renter", () => {
    assert.equal(orderBudget({ maxPrice: 3_600_000_000n, maxDuration: 300 }), 300_000_000n);
    assert.equal(orderBudget({ maxPrice: 1, maxDuration: 1 }), 1n);
    assert.equal(orderBudget({ maxPrice: "3600", maxDuration: 1, replication: 2, gpuCount: 3 }), 6n);
    assert.equal(orderBudget({ maxPrice: 3601, maxDuration: 1 }), 2n);
  });

  it("refuses amounts a Uint128 cannot hold and counts that are not positive integers", () => {
    const max = (1n << 128n) - 1n;
    assert.throws(() => orderBudget({ maxPrice: max, maxDuration: 7200 }), InvalidRequestError);
    assert.throws(() => orderBudget({ maxPrice: max + 1n, maxDuration: 1 }), InvalidRequestError);
    assert.throws(() => orderBudget({ maxPrice: -1n, maxDuration: 1 }), InvalidRequestError);
    assert.throws(() => orderBudget({ maxPrice: "1.5", maxDuration: 1 }), InvalidRequestError);
    assert.throws(() => orderBudget({ maxPrice: 1, maxDuration: 0 }), InvalidRequestError);
    assert.throws(() => orderBudget({ maxPrice: 1, maxDuration: 1, replication: 256 }), InvalidRequestError);
    assert.throws(() => orderBudget({ maxPrice: 1, maxDuration: 1.5 }), InvalidRequestError);
  });
});

describe("toGridShareError", () => {
  const names = contractNames({ grid: "g", staking: "s", escrow: "e", marketplace: "m", governance: "v" });

  it("names the contract and keeps its reason for a failed execute, by message index", () => {
    const raw = new Error(
      "Query failed with (6): rpc error: code = Unknown desc = failed to execute message; message index: 1: " +
        "Generic error: order 9 not found: execute wasm contract failed [CosmWasm/wasmd@v0.55.0/x/wasm/keeper/keeper.go:433] " +
        "With gas wanted: '300000000' and gas used: '97231' : unknown request",
    );
    const error = toGridShareError(raw, "execute", ["m", "v"], names);
    assert.ok(error instanceof ContractError);
    assert.equal(error.contract, "governance");
    assert.equal(error.contractAddress, "v");
    assert.equal(error.reason, "order 9 not found");
    assert.equal(error.messageIndex, 1);
    assert.equal(error.cause, raw);
  });

  it("reads a failed query's reason", () => {
    const raw = new Error(
      "Query failed with (6): rpc error: code = Unknown desc = proposal 42 not found: query wasm contract failed: unknown request",
    );
    const error = toGridShareError(raw, "query", ["v"], names);
    assert.ok(error instanceof ContractError);
    assert.equal(error.operation, "query");
    assert.equal(error.reason, "proposal 42 not found");
    assert.equal(error.message, "governance query: proposal 42 not found");
    const direct = toGridShareError(
      new Error("Query failed with (6): order 999999 not found: query wasm contract failed: unknown request"),
      "query",
      ["m"],
      names,
    );
    assert.ok(direct instanceof ContractError);
    assert.equal(direct.reason, "order 999999 not found");
  });

  it("tells funds, gas, broadcast and network failures apart", () => {
    const poor = toGridShareError(
      new Error("Query failed with (6): rpc error: code = Unknown desc = spendable balance 5uusdc is smaller than 300uusdc: insufficient funds"),
      "execute",
      ["m"],
      names,
    );
    assert.ok(poor instanceof InsufficientFundsError);
    assert.match(poor.detail, /5uusdc is smaller than 300uusdc/);
    assert.ok(toGridShareError(new Error("out of gas in location: wasm"), "execute", [], names) instanceof OutOfGasError);
    const hash = "AB".repeat(32);
    const broadcast = toGridShareError(
      new Error(`Broadcasting transaction failed with code 13 (codespace: sdk). Log: insufficient fee; tx ${hash}`),
      "execute",
      [],
      names,
    );
    assert.ok(broadcast instanceof InsufficientFundsError || broadcast instanceof TxError);
    const coded = toGridShareError(new Error(`Broadcasting transaction failed with code 32 (codespace: sdk) ${hash}`), "execute", [], names);
    assert.ok(coded instanceof TxError);
    assert.equal(coded.code, 32);
    assert.equal(coded.txHash, hash);
    assert.ok(toGridShareError(new TypeError("fetch failed"), "query", [], names) instanceof NetworkError);
  });
});

describe("pagination", () => {
  it("walks every page with the cursor, never asks for more than the contracts' limit, and caps the total", async () => {
    const items = Array.from({ length: 250 }, (_, i) => i + 1);
    const asked: number[] = [];
    const fetchPage = async (after: number | undefined, limit: number) => {
      asked.push(limit);
      const from = after ?? 0;
      return items.filter((i) => i > from).slice(0, limit);
    };
    assert.deepEqual(await collect(fetchPage, (i) => i, { pageSize: 1000 }), items);
    assert.ok(asked.every((l) => l === MAX_PAGE), `asked ${asked.join(",")}`);
    assert.deepEqual(await collect(fetchPage, (i) => i, { pageSize: 7, maxItems: 20 }), items.slice(0, 20));
    assert.deepEqual(await collect(fetchPage, (i) => i, { pageSize: 0 }), items, "a page size below 1 is clamped up");
  });

  it("keeps walking when the contract clamps pages below the limit asked", async () => {
    // Governance returns at most 8 proposals a page whatever the limit: a short page is not the end.
    const items = Array.from({ length: 20 }, (_, i) => i + 1);
    const clamped = async (after: number | undefined, limit: number) =>
      items.filter((i) => i > (after ?? 0)).slice(0, Math.min(limit, 8));
    assert.deepEqual(await collect(clamped, (i) => i), items);
  });
});

describe("deployment files", () => {
  it("are checked for every contract", () => {
    const contracts = { grid: "g", staking: "s", escrow: "e", marketplace: "m", governance: "v" };
    assert.equal(parseDeployment({ chain_id: "c", deployer: "d", codes: {}, contracts }).contracts.marketplace, "m");
    assert.throws(() => parseDeployment({ chain_id: "c", contracts: { ...contracts, escrow: "" } }), /contracts\.escrow/);
    assert.throws(() => parseDeployment(null), /not a GridShare deployment/);
  });
});

describe("websocketUrl", () => {
  it("is the RPC's /websocket with a ws scheme", () => {
    assert.equal(websocketUrl("http://127.0.0.1:26657"), "ws://127.0.0.1:26657/websocket");
    assert.equal(websocketUrl("https://rpc.example.org/"), "wss://rpc.example.org/websocket");
  });
});

describe("fetchVerifiedOutput", () => {
  it("returns bytes that hash to the commitment and refuses bytes that do not", async () => {
    const body = new TextEncoder().encode("gridshare output");
    const server = createServer((req, res) => {
      if (req.url === "/missing") res.writeHead(404).end();
      else res.writeHead(200, { "content-type": "application/octet-stream" }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    const lease = (path: string, sha256: string): LeaseResponse => ({
      lease_id: 7,
      order_id: 3,
      offer_id: 1,
      provider: "p",
      price: "1",
      units: 1,
      start: "0",
      state: "accepted",
      disputed: false,
      result: { output_uri: `http://127.0.0.1:${port}${path}`, sha256, runtime_seconds: 1, energy_wh: 0, submitted_at: "0" },
    });
    try {
      const good = await sha256Hex(body);
      const ok = await fetchVerifiedOutput(lease("/out", good.toUpperCase()));
      assert.deepEqual(ok.bytes, body);
      assert.equal(ok.sha256, good);
      await assert.rejects(fetchVerifiedOutput(lease("/out", "00".repeat(32))), (e: unknown) => {
        assert.ok(e instanceof OutputHashMismatchError);
        assert.equal(e.actual, good);
        return true;
      });
      await assert.rejects(fetchVerifiedOutput(lease("/missing", good)), OutputFetchError);
      await assert.rejects(fetchVerifiedOutput(lease("/out", good), { maxBytes: 4 }), /over the 4-byte limit/);
    } finally {
      server.close();
    }
  });
});
