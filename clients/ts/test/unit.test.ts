// Offline checks of the hand-written layer: budget arithmetic, dispute salts, error classification,
// pagination, output verification. These run without a chain.

import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { createHash } from "node:crypto";
import {
  acceptedLease,
  generatePrivacyKey,
  openOutput,
  orderKeyEnvelope,
  PrivacyError,
  sealInput,
  canDispute,
  collect,
  ContractError,
  contractNames,
  disputeLease,
  disputeSaltHash,
  fetchVerifiedOutput,
  fundedReplicas,
  type GridShare,
  InsufficientFundsError,
  InvalidRequestError,
  type LeaseResponse,
  MAX_PAGE,
  NetworkError,
  newDisputeSalt,
  NoResultError,
  type OrderResponse,
  OutOfGasError,
  OutputFetchError,
  OutputHashMismatchError,
  orderBudget,
  parseDeployment,
  postOrder,
  saltBytes,
  sha256Hex,
  toGridShareError,
  TxError,
  websocketUrl,
} from "../src/index.js";

/** A lease as the marketplace answers it; `overrides` sets what a test is about. */
function leaseOf(overrides: Partial<LeaseResponse> = {}): LeaseResponse {
  return {
    lease_id: 48,
    order_id: 3,
    offer_id: 1,
    provider: "p",
    price: "1",
    units: 1,
    start: 0,
    state: "accepted",
    disputed: false,
    referee: false,
    commit_deadline: 120,
    result: null,
    ...overrides,
  };
}

/** A k = 1 order as the marketplace answers it; `overrides` sets what a test is about. */
function orderOf(overrides: Partial<OrderResponse> = {}): OrderResponse {
  return {
    order_id: 3,
    renter: "r",
    denom: { native: "uusdc" },
    budget: "120",
    committed: "120",
    spec: { workload: { sha256: {} }, inputs: { inline: { data: "" } }, deterministic: true, max_runtime_seconds: 60 },
    requirements: {},
    eligible_models: ["cpu-dev"],
    gpu_count: 1,
    max_price: "3600",
    max_duration: 120,
    replication: 1,
    deadline: 0,
    created_at: 0,
    priority: 0,
    fee_bps: 250,
    status: "filled",
    lease_ids: [48],
    open_leases: 1,
    canonical_sha256: null,
    dispute_bond: "120",
    disputed: false,
    closed: false,
    ...overrides,
  };
}

/** What a fake connection was asked to send. */
interface Sent {
  contract: string;
  msg: Record<string, unknown>;
  funds: { denom: string; amount: string }[] | undefined;
}

/**
 * A connection that answers `lease` and `order` queries from the given values and records every
 * message instead of signing it, with the wasm events the marketplace would emit.
 */
function fakeConnection(order: OrderResponse, lease: LeaseResponse, sent: Sent[]): GridShare {
  const marketplace = "wasm1market";
  const executed = (contract: string, msg: Record<string, unknown>, funds?: Sent["funds"]) => {
    sent.push({ contract, msg, funds });
    return {
      transactionHash: "AB".repeat(32),
      height: 7,
      events: [
        {
          type: "wasm",
          attributes: [
            { key: "_contract_address", value: marketplace },
            { key: "order_id", value: String(order.order_id) },
            { key: "referee_lease", value: String(order.order_id * 16 + 1) },
          ],
        },
      ],
    };
  };
  const fake = {
    address: "wasm1renter",
    contracts: { marketplace },
    chainTimeSeconds: async () => 1_000,
    query: {
      marketplace: {
        lease: async ({ leaseId }: { leaseId: number }) => ({ ...lease, lease_id: leaseId }),
        order: async ({ orderId }: { orderId: number }) => ({ ...order, order_id: orderId }),
      },
    },
    tx: {
      marketplace: {
        postOrder: async (m: Record<string, unknown>, _fee: unknown, _memo: unknown, funds: Sent["funds"]) =>
          executed(marketplace, { post_order: m }, funds),
        dispute: async (m: Record<string, unknown>, _fee: unknown, _memo: unknown, funds: Sent["funds"]) =>
          executed(marketplace, { dispute: m }, funds),
      },
    },
    signingClient: {
      execute: async (_sender: string, contract: string, msg: Record<string, unknown>) => executed(contract, msg),
    },
  };
  return fake as unknown as GridShare;
}

describe("orderBudget", () => {
  it("is fundedReplicas(k) × gpus × price × duration / 3600, rounded up against the renter", () => {
    assert.equal(orderBudget({ maxPrice: 3_600_000_000n, maxDuration: 300 }), 300_000_000n);
    assert.equal(orderBudget({ maxPrice: 1, maxDuration: 1 }), 1n);
    assert.equal(orderBudget({ maxPrice: 3601, maxDuration: 1 }), 2n);
    // k = 1 funds one replica; k ≥ 2 funds its replicas and one referee.
    assert.equal(orderBudget({ maxPrice: "3600", maxDuration: 1, replication: 1, gpuCount: 3 }), 3n);
    assert.equal(orderBudget({ maxPrice: "3600", maxDuration: 1, replication: 2, gpuCount: 3 }), 9n);
    assert.equal(orderBudget({ maxPrice: "3600", maxDuration: 1, replication: 3, gpuCount: 3 }), 12n);
    assert.equal(orderBudget({ maxPrice: 3_600_000_000n, maxDuration: 120, replication: 2 }), 360_000_000n);
    // Rounded up once, over the whole product: 3 × 1 × 1 × 1 / 3600 is 1, not 3 × 1.
    assert.equal(orderBudget({ maxPrice: 1, maxDuration: 1, replication: 2 }), 1n);
    assert.equal(orderBudget({ maxPrice: 1200, maxDuration: 1, replication: 2 }), 1n);
    assert.equal(orderBudget({ maxPrice: 1201, maxDuration: 1, replication: 2 }), 2n);
  });

  it("funds a referee only from replication 2 on", () => {
    assert.deepEqual([1, 2, 3, 5, 15].map(fundedReplicas), [1, 3, 4, 6, 16]);
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
    // 2^128 - 1 fits for k = 1 but not with a referee's budget on top.
    assert.equal(orderBudget({ maxPrice: max, maxDuration: 3600 }), max);
    assert.throws(() => orderBudget({ maxPrice: max, maxDuration: 3600, replication: 2 }), InvalidRequestError);
  });
});

describe("dispute salts", () => {
  it("hash the salt's bytes, as the contract's salt_hash does", async () => {
    // sha256 of the bytes 0x00..0x0f (checked with node's crypto when this test was written).
    const salt = "000102030405060708090a0b0c0d0e0f";
    const expected = "be45cb2605bf36bebde684841a28f0fd43c69850a3dce5fedba69928ee3a8991";
    assert.equal(await disputeSaltHash(salt), expected);
    assert.equal(await disputeSaltHash(salt.toUpperCase()), expected, "either case of hex");
    assert.equal(createHash("sha256").update(Buffer.from(salt, "hex")).digest("hex"), expected);
    // Not the hash of the hex text.
    assert.notEqual(await disputeSaltHash(salt), createHash("sha256").update(salt).digest("hex"));
  });

  it("are 32 fresh random bytes", async () => {
    const a = newDisputeSalt();
    const b = newDisputeSalt();
    assert.match(a, /^[0-9a-f]{64}$/);
    assert.notEqual(a, b);
    assert.equal((await disputeSaltHash(a)).length, 64);
  });

  it("are 16 to 32 bytes of hex, or refused", async () => {
    assert.equal(saltBytes("00".repeat(16)).length, 16);
    assert.equal(saltBytes("ff".repeat(32)).length, 32);
    for (const bad of ["00".repeat(15), "00".repeat(33), "0".repeat(33), "zz".repeat(16), ""]) {
      assert.throws(() => saltBytes(bad), InvalidRequestError, bad);
    }
    await assert.rejects(disputeSaltHash("00"), InvalidRequestError);
  });
});

describe("postOrder", () => {
  it("attaches the budget, commits the sha256 of a fresh salt, and returns the salt", async () => {
    const sent: Sent[] = [];
    const gs = fakeConnection(orderOf({ order_id: 9 }), leaseOf(), sent);
    const job = {
      spec: orderOf().spec,
      maxPrice: 3_600_000_000n,
      maxDuration: 120,
      replication: 2,
      denom: "uusdc",
    };
    const posted = await postOrder(gs, job);
    assert.equal(posted.orderId, 9);
    assert.equal(posted.budget, 360_000_000n, "two replicas and a referee, 120 s at 1 USDC a second");
    assert.match(posted.disputeSalt, /^[0-9a-f]{64}$/);
    const [post] = sent;
    assert.deepEqual(post.funds, [{ denom: "uusdc", amount: "360000000" }]);
    const msg = post.msg.post_order as { disputeSaltHash: string; deadline: number; replication: number };
    assert.equal(msg.disputeSaltHash, await disputeSaltHash(posted.disputeSalt));
    assert.equal(msg.deadline, 1600, "chain time + 600 s, in seconds");
    assert.equal(msg.replication, 2);

    const again = await postOrder(gs, job);
    assert.notEqual(again.disputeSalt, posted.disputeSalt, "every order gets its own salt");
    const chosen = await postOrder(gs, { ...job, disputeSalt: "AB".repeat(16) });
    assert.equal(chosen.disputeSalt, "ab".repeat(16), "a salt the caller chose, normalized");
    await assert.rejects(postOrder(gs, { ...job, disputeSalt: "ab" }), InvalidRequestError);
  });
});

describe("disputes", () => {
  const now = 1_000;
  const revealed = leaseOf({
    state: "revealed",
    result: { commitment: "c".repeat(64), output_uri: "u", runtime_seconds: 1, energy_mwh: null, committed_at: 1, sha256: "ab".repeat(32), revealed_at: 2 },
    dispute_deadline: now + 4,
  });

  it("are offered for a revealed, undisputed, non-referee result of a k = 1 order inside its window", () => {
    const order = orderOf();
    assert.equal(canDispute(order, revealed, now), true);
    assert.equal(canDispute(order, revealed, now + 3), true);
    assert.equal(canDispute(order, revealed, now + 4), false, "the window closes at the deadline");
    assert.equal(canDispute(order, { ...revealed, state: "committed" }, now), false);
    assert.equal(canDispute(order, { ...revealed, state: "accepted" }, now), false);
    assert.equal(canDispute(order, { ...revealed, disputed: true }, now), false);
    assert.equal(canDispute(order, { ...revealed, referee: true }, now), false);
    assert.equal(canDispute(order, { ...revealed, dispute_deadline: null }, now), false);
    assert.equal(canDispute(orderOf({ replication: 2 }), revealed, now), false, "quorum verifies k ≥ 2");
    assert.equal(canDispute(orderOf({ disputed: true }), revealed, now), false);
  });

  it("attach the order's bond as native funds", async () => {
    const sent: Sent[] = [];
    const gs = fakeConnection(orderOf({ dispute_bond: "120000000" }), revealed, sent);
    const salt = "0F".repeat(32);
    const result = await disputeLease(gs, { leaseId: 48, salt });
    assert.equal(result.bond, 120_000_000n);
    assert.deepEqual(result.denom, { native: "uusdc" });
    assert.equal(result.refereeLease, 49);
    assert.deepEqual(sent, [
      { contract: "wasm1market", msg: { dispute: { leaseId: 48, salt: "0f".repeat(32) } }, funds: [{ denom: "uusdc", amount: "120000000" }] },
    ]);
    await assert.rejects(disputeLease(gs, { leaseId: 48, salt: "0f" }), InvalidRequestError);
    assert.equal(sent.length, 1, "a malformed salt sends nothing");
  });

  it("send the bond of a cw20 order to the marketplace with the dispute hook", async () => {
    const sent: Sent[] = [];
    const gs = fakeConnection(orderOf({ denom: { cw20: "wasm1token" }, dispute_bond: "500" }), revealed, sent);
    const salt = "11".repeat(16);
    const result = await disputeLease(gs, { leaseId: 48, salt });
    assert.equal(result.bond, 500n);
    assert.equal(sent.length, 1);
    const { contract, msg, funds } = sent[0];
    assert.equal(contract, "wasm1token");
    assert.equal(funds, undefined);
    const send = msg.send as { contract: string; amount: string; msg: string };
    assert.equal(send.contract, "wasm1market");
    assert.equal(send.amount, "500");
    assert.deepEqual(JSON.parse(Buffer.from(send.msg, "base64").toString("utf8")), { dispute: { lease_id: 48, salt } });
  });
});

describe("acceptedLease", () => {
  const sha = "ab".repeat(32);
  const result = { commitment: "c".repeat(64), output_uri: "u", runtime_seconds: 1, energy_mwh: null, committed_at: 1 };

  it("is an accepted lease whose revealed hash is the order's canonical one", () => {
    const accepted = leaseOf({ lease_id: 49, state: "accepted", result: { ...result, sha256: sha, revealed_at: 2 } });
    const rejected = leaseOf({ lease_id: 48, state: "rejected", result: { ...result, sha256: "cd".repeat(32), revealed_at: 2 } });
    assert.equal(acceptedLease(orderOf({ canonical_sha256: sha }), [rejected, accepted])?.lease_id, 49);
    assert.equal(acceptedLease(orderOf({ canonical_sha256: sha.toUpperCase() }), [accepted])?.lease_id, 49);
  });

  it("is nothing before the order accepted a result, or for a result that is not the canonical one", () => {
    const revealedOnly = leaseOf({ state: "revealed", result: { ...result, sha256: sha, revealed_at: 2 } });
    const committedOnly = leaseOf({ state: "committed", result: { ...result, sha256: null } });
    assert.equal(acceptedLease(orderOf(), [revealedOnly, committedOnly]), undefined);
    assert.equal(acceptedLease(orderOf({ canonical_sha256: sha }), [revealedOnly, committedOnly]), undefined);
    const otherHash = leaseOf({ state: "accepted", result: { ...result, sha256: "cd".repeat(32) } });
    assert.equal(acceptedLease(orderOf({ canonical_sha256: sha }), [otherHash]), undefined);
    const noHash = leaseOf({ state: "accepted", result: { ...result, sha256: null } });
    assert.equal(acceptedLease(orderOf({ canonical_sha256: sha }), [noHash]), undefined);
    assert.equal(acceptedLease(orderOf({ canonical_sha256: null }), [noHash]), undefined);
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
  it("returns bytes that hash to the revealed sha256 and refuses bytes that do not", async () => {
    const body = new TextEncoder().encode("gridshare output");
    const server = createServer((req, res) => {
      if (req.url === "/missing") res.writeHead(404).end();
      else res.writeHead(200, { "content-type": "application/octet-stream" }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    const lease = (path: string, sha256: string | null): LeaseResponse =>
      leaseOf({
        lease_id: 7,
        result: {
          commitment: "c".repeat(64),
          output_uri: `http://127.0.0.1:${port}${path}`,
          sha256,
          runtime_seconds: 1,
          energy_mwh: null,
          committed_at: 0,
          revealed_at: sha256 === null ? null : 1,
        },
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
      // Committed but not revealed: nothing to verify against yet.
      await assert.rejects(fetchVerifiedOutput(lease("/out", null)), (e: unknown) => {
        assert.ok(e instanceof NoResultError);
        assert.match(e.message, /not revealed yet/);
        return true;
      });
      await assert.rejects(fetchVerifiedOutput(leaseOf({ state: "active" })), NoResultError);
    } finally {
      server.close();
    }
  });
});

describe("private jobs", () => {
  it("seal an input behind the order key's public half, fresh every time", async () => {
    const order = await generatePrivacyKey();
    assert.match(order.publicKey, /^x25519:[0-9a-f]{64}$/);
    assert.equal(order.secret.length, 32);
    const input = new TextEncoder().encode("secret input");
    const a = await sealInput(order, input);
    const b = await sealInput(order, input);
    // The order's public key, then HPKE's encapsulated key, then ciphertext and a 16-byte tag.
    assert.equal(a.length, 32 + 32 + input.length + 16);
    assert.equal(Buffer.from(a.slice(0, 32)).toString("hex"), order.publicKey.slice(7));
    assert.notDeepEqual(a, b);
    assert.ok(!Buffer.from(a).includes(Buffer.from("secret")));
  });

  it("refuse keys that are not x25519 and outputs that do not open", async () => {
    const provider = { public_key: "secp256k1:00" } as unknown as Parameters<typeof orderKeyEnvelope>[0];
    await assert.rejects(orderKeyEnvelope(provider, 16, new Uint8Array(32)), PrivacyError);
    const mine = await generatePrivacyKey();
    await assert.rejects(openOutput(mine.secret, 16, new Uint8Array(80)), PrivacyError);
    await assert.rejects(openOutput(mine.secret, 16, new Uint8Array(3)), PrivacyError);
  });
});
