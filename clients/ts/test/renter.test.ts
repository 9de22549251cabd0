// A renter's whole flow from TypeScript, served by a real keeper on a real chain: post an order with
// its budget and a committed dispute salt, follow it through commit, reveal and the dispute window
// to acceptance (websocket, polling, and a websocket that cannot connect), fetch the output and
// verify it, and see the settlement in balances. Plus the typed errors a dApp shows.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  acceptedLease,
  ContractError,
  disputeLease,
  disputeSaltHash,
  fetchVerifiedOutput,
  followOrder,
  type GridShare,
  inlineInput,
  InsufficientFundsError,
  type JobRequest,
  marketStats,
  type OrderUpdate,
  OutputHashMismatchError,
  deliverOrderKey,
  generatePrivacyKey,
  openOutput,
  postOrder,
  sealInput,
  priceHistory,
  providers,
  sha256Hex,
} from "../src/index.js";
import { chain, connectAs } from "./env.js";

const PRICE = 3_600_000_000n; // the keeper's default price: 1 USDC (10^6 uusdc) per GPU-second

function sha256Job(input: Uint8Array): JobRequest {
  return {
    spec: { workload: { sha256: {} }, inputs: inlineInput(input), deterministic: true, max_runtime_seconds: 60 },
    requirements: { models: ["cpu-dev"] },
    maxPrice: PRICE,
    maxDuration: 120,
    denom: "uusdc",
  };
}

describe("renter flow against the local chain", chain, () => {
  let renter: GridShare;

  before(async () => {
    renter = await connectAs("renter1");
  });
  after(() => renter?.disconnect());

  it("posts a job, follows it over the websocket to a verified result, and pays exactly what escrow released", async () => {
    const input = new TextEncoder().encode(`gridshare ts client ${Date.now()}`);
    const before = await renter.balance(renter.address, "uusdc");
    const posted = await postOrder(renter, sha256Job(input));
    assert.equal(posted.budget, 120_000_000n, "1 USDC a second for 120 s, one replica (k = 1 funds no referee)");
    assert.match(posted.disputeSalt, /^[0-9a-f]{64}$/, "the secret dispute salt comes back to the caller");
    assert.equal((await disputeSaltHash(posted.disputeSalt)).length, 64);

    const updates: OrderUpdate[] = [];
    const done = await followOrder(renter, posted.orderId, { timeoutMs: 90_000, onUpdate: (u) => updates.push(u) });
    assert.equal(done.websocket, "connected");
    assert.ok(done.eventsSeen > 0, "the websocket reported marketplace transactions");
    assert.ok(updates.some((u) => u.source === "event"), "at least one change was picked up from an event");
    assert.equal(done.order.closed, true);
    const states = updates.flatMap((u) => u.changed.map((l) => l.state));
    assert.ok(states.includes("accepted"), `lease states seen: ${states.join(", ")}`);
    assert.ok(!states.includes("rejected") && !states.includes("failed"), `lease states seen: ${states.join(", ")}`);
    // A k = 1 order's dispute bond is one replica's budget, in the order's denom.
    assert.equal(done.order.dispute_bond, "120000000");
    assert.deepEqual(done.order.denom, { native: "uusdc" });
    assert.equal(done.order.disputed, false);

    const lease = acceptedLease(done.order, done.leases);
    assert.ok(lease?.result, "an accepted lease with a result");
    assert.equal(lease.referee, false);
    // Committed, then revealed (opening the commitment), then accepted once the dispute window ended.
    assert.match(lease.result.commitment, /^[0-9a-f]{64}$/);
    assert.ok(lease.result.revealed_at, "the result was revealed");
    assert.ok(lease.result.committed_at <= lease.result.revealed_at);
    assert.equal(lease.result.sha256, done.order.canonical_sha256, "the accepted hash is the order's canonical hash");
    assert.equal(lease.dispute_deadline ?? null, null, "a final lease has no dispute window left");
    assert.equal(lease.finalizable_at ?? null, null, "nor anything left to finalize");
    const output = await fetchVerifiedOutput(lease);
    assert.equal(output.sha256, lease.result.sha256);
    assert.equal(Buffer.from(output.bytes).toString("hex"), await sha256Hex(input), "the keeper hashed our input");

    // Gas is paid in ugrid, so the uusdc balance moved by exactly what escrow released.
    const payment = await renter.query.escrow.payment({ leaseId: lease.lease_id });
    const after = await renter.balance(renter.address, "uusdc");
    assert.equal(before - after, BigInt(payment.released));
    assert.ok(BigInt(payment.released) <= posted.budget);

    // Browsers fetch outputs from another origin: the keeper allows it.
    const served = await fetch(lease.result.output_uri);
    assert.equal(served.headers.get("access-control-allow-origin"), "*");
    await served.arrayBuffer();

    // A commitment the bytes do not match is caught (what a dApp turns into a dispute).
    const forged = { ...lease, result: { ...lease.result, sha256: "ab".repeat(32) } };
    await assert.rejects(fetchVerifiedOutput(forged), OutputHashMismatchError);

    // Past the dispute window the result is accepted: a dispute with the right salt and the bond
    // attached is refused by the contract (and nothing is spent but gas).
    const beforeDispute = await renter.balance(renter.address, "uusdc");
    await assert.rejects(disputeLease(renter, { leaseId: lease.lease_id, salt: posted.disputeSalt }), (e: unknown) => {
      assert.ok(e instanceof ContractError, String(e));
      assert.equal(e.contract, "marketplace");
      assert.match(e.reason, /is Accepted, not Revealed/);
      return true;
    });
    assert.equal(await renter.balance(renter.address, "uusdc"), beforeDispute, "the refused bond stayed with the renter");
  });

  it("runs a private job: the input on chain and the output on the wire are sealed, the renter opens and verifies", async () => {
    const input = new TextEncoder().encode(`a private input ${Date.now()}`);
    const order = await generatePrivacyKey();
    const mine = await generatePrivacyKey();
    const sealed = await sealInput(order, input);
    const job = sha256Job(sealed);
    const posted = await postOrder(renter, { ...job, spec: { ...job.spec, output_key: mine.publicKey } });
    const onChain = await renter.query.marketplace.order({ orderId: posted.orderId });
    assert.equal(onChain.spec.output_key, mine.publicKey);
    assert.ok(!Buffer.from(onChain.spec.inputs && "inline" in onChain.spec.inputs ? onChain.spec.inputs.inline.data : "", "base64").includes(Buffer.from(input)), "the order carries ciphertext");

    // Once matched, the replica's keeper gets the order key sealed to it (the Rust keeper checks it).
    const delivered = new Set<number>();
    const deadline = Date.now() + 60_000;
    while (delivered.size === 0) {
      assert.ok(Date.now() < deadline, "no lease was matched");
      const { leases } = await renter.query.marketplace.leasesByOrder({ orderId: posted.orderId });
      for (const lease of leases.filter((l) => l.state === "active")) {
        const provider = await renter.query.marketplace.provider({ address: lease.provider });
        await deliverOrderKey(provider, lease, order.secret);
        delivered.add(lease.lease_id);
      }
      if (delivered.size === 0) await new Promise((r) => setTimeout(r, 500));
    }
    const done = await followOrder(renter, posted.orderId, { timeoutMs: 90_000 });
    const lease = acceptedLease(done.order, done.leases);
    assert.ok(lease?.result, "an accepted lease with a result");
    const served = new Uint8Array(await (await fetch(lease.result.output_uri)).arrayBuffer());
    const expected = await sha256Hex(input);
    assert.notEqual(Buffer.from(served).toString("hex"), expected, "the keeper serves only the sealed output");
    const output = await fetchVerifiedOutput(lease, { renterSecret: mine.secret });
    assert.equal(Buffer.from(output.bytes).toString("hex"), expected, "the keeper ran our plaintext input");
    await assert.rejects(openOutput(order.secret, lease.lease_id, served), /does not open/);
  });

  it("follows by polling alone, and falls back to polling when the websocket cannot connect", async () => {
    const accepted = (s: { leases: { state: string }[] }) => s.leases.some((l) => l.state === "accepted");
    const polled = await postOrder(renter, sha256Job(new TextEncoder().encode("poll only")));
    const byPolling = await followOrder(renter, polled.orderId, {
      websocket: false,
      pollMs: 500,
      until: accepted,
      timeoutMs: 90_000,
    });
    assert.equal(byPolling.websocket, "off");
    assert.equal(byPolling.eventsSeen, 0);

    const unreachable = await postOrder(renter, sha256Job(new TextEncoder().encode("no websocket")));
    const fallback = await followOrder(renter, unreachable.orderId, {
      websocket: "ws://127.0.0.1:9/websocket",
      pollMs: 500,
      until: accepted,
      timeoutMs: 90_000,
    });
    assert.equal(fallback.websocket, "failed");
    assert.ok(accepted(fallback));
  });

  it("reads market statistics and the provider list", async () => {
    const stats = await marketStats(renter);
    const cpu = stats.find((m) => m.model === "cpu-dev");
    assert.ok(cpu, `markets: ${stats.map((m) => m.model).join(", ")}`);
    assert.ok(cpu.matches >= 3, "the jobs above were matched in this market");
    assert.ok(cpu.listed_units >= 1);
    assert.equal(cpu.last_price, PRICE.toString());
    const history = await priceHistory(renter, { model: "cpu-dev" });
    assert.ok(history.length >= 3, `${history.length} matches in the price history`);
    assert.ok(history.every((p) => p.price === PRICE && p.time > 0));
    assert.ok(history.every((p, i) => i === 0 || history[i - 1].time <= p.time), "oldest first");
    const cache = new Map();
    const first = await priceHistory(renter, { cache });
    assert.equal(cache.size, first.length, "every lease read once is cached");
    assert.deepEqual(await priceHistory(renter, { cache }), first);
    const listed = await providers(renter);
    assert.ok(listed.some((p) => p.name === "local-provider1" && p.counters.accepted >= 3));
  });

  it("surfaces the contract's reason, and an account that cannot pay, as typed errors", async () => {
    await assert.rejects(renter.query.marketplace.order({ orderId: 999_999 }), (e: unknown) => {
      assert.ok(e instanceof ContractError, String(e));
      assert.equal(e.contract, "marketplace");
      assert.equal(e.operation, "query");
      assert.match(e.reason, /999999/);
      return true;
    });

    const job = sha256Job(new TextEncoder().encode("short budget"));
    await assert.rejects(
      renter.tx.marketplace.postOrder(
        {
          spec: job.spec,
          requirements: {},
          gpuCount: 1,
          maxPrice: PRICE.toString(),
          maxDuration: 120,
          replication: 1,
          deadline: (await renter.chainTimeSeconds()) + 600,
        },
        "auto",
        undefined,
        [{ denom: "uusdc", amount: "1" }],
      ),
      (e: unknown) => {
        assert.ok(e instanceof ContractError, String(e));
        assert.equal(e.contract, "marketplace");
        assert.equal(e.operation, "execute");
        assert.equal(e.messageIndex, 0);
        assert.match(e.reason, /120000000/, "the reason names the budget that was due");
        return true;
      },
    );

    // k = 2 funds a referee too: two replicas' budgets are not enough.
    await assert.rejects(
      renter.tx.marketplace.postOrder(
        {
          spec: job.spec,
          requirements: {},
          gpuCount: 1,
          maxPrice: PRICE.toString(),
          maxDuration: 120,
          replication: 2,
          deadline: (await renter.chainTimeSeconds()) + 600,
        },
        "auto",
        undefined,
        [{ denom: "uusdc", amount: "240000000" }],
      ),
      (e: unknown) => {
        assert.ok(e instanceof ContractError, String(e));
        assert.match(e.reason, /360000000/, "three replica budgets are due: two replicas and a referee");
        return true;
      },
    );

    // 10^12 uusdc is the whole genesis balance; a budget of twice that cannot be attached.
    await assert.rejects(
      postOrder(renter, { ...job, maxPrice: 2_000_000_000_000n * 3600n, maxDuration: 1 }),
      InsufficientFundsError,
    );
  });
});
