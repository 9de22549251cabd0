// A proposal's life from TypeScript on the real chain: the deployer offers the marketplace to
// governance, a token holder bonds GRID for voting power, proposes accepting it and a catalogue
// change, votes, and executes it once the vote and the timelock are over. The deployment's
// voting period is 6 s.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  bond,
  ContractError,
  executeProposal,
  type GridShare,
  models,
  propose,
  proposals,
  proposalTimes,
  vote,
  votes,
  votingPower,
  wasmExecute,
} from "../src/index.js";
import { chain, connectAs, sleep } from "./env.js";

describe("governance from TypeScript", chain, () => {
  let deployer: GridShare;
  let holder: GridShare;
  let outsider: GridShare;

  before(async () => {
    [deployer, holder, outsider] = await Promise.all([connectAs("validator"), connectAs("renter2"), connectAs("renter1")]);
  });
  after(() => [deployer, holder, outsider].forEach((gs) => gs?.disconnect()));

  it("creates, votes on and executes a proposal that changes the GPU catalogue", async () => {
    // Two-step hand-over: the offer changes nothing until governance accepts it by proposal.
    await deployer.tx.marketplace.updateOwnership({
      transfer_ownership: { new_owner: deployer.contracts.governance, expiry: null },
    });
    const offered = await deployer.query.marketplace.ownership();
    assert.equal(offered.owner, deployer.address);
    assert.equal(offered.pending_owner, deployer.contracts.governance);

    await bond(holder, 10_000_000n);
    assert.equal((await holder.query.staking.staker({ address: holder.address })).bonded, "10000000");
    assert.equal(await votingPower(holder, holder.address), 10_000_000n);

    const accept = wasmExecute(holder.contracts.marketplace, { update_ownership: { accept_ownership: {} } });
    const addB200 = wasmExecute(holder.contracts.marketplace, {
      add_model: {
        model: { id: "b200", vram_mib: 184_320, compute_capability: { major: 10, minor: 0 }, benchmark_score: 2_000 },
      },
    });
    const id = await propose(holder, {
      title: "List the B200",
      description: "Adds NVIDIA B200 to the GPU catalogue.",
      messages: [accept, addB200],
    });
    const opened = await holder.query.governance.proposal({ proposalId: id });
    assert.equal(opened.status, "open");
    assert.equal(opened.proposer, holder.address);

    // No stake, no vote: the contract says so, and nothing is recorded.
    await assert.rejects(vote(outsider, id, "no"), (e: unknown) => {
      assert.ok(e instanceof ContractError, String(e));
      assert.equal(e.contract, "governance");
      return true;
    });

    await vote(holder, id, "yes");
    await assert.rejects(vote(holder, id, "no"), (e: unknown) => e instanceof ContractError && /vote/i.test(e.reason));
    await assert.rejects(executeProposal(holder, id), ContractError, "the vote is still open");

    const ballots = await votes(holder, id);
    assert.deepEqual(
      ballots.map((b) => [b.voter, b.vote, b.power]),
      [[holder.address, "yes", "10000000"]],
    );

    // Wait out the voting period and the timelock on chain time.
    for (let i = 0; i < 60; i++) {
      const { executableIn } = await proposalTimes(holder, await holder.query.governance.proposal({ proposalId: id }));
      if (executableIn === 0) break;
      await sleep(500);
    }
    await sleep(1_000); // the block after the deadline
    const executed = await executeProposal(outsider, id); // anyone may execute a passed proposal
    assert.equal(executed.status, "executed");
    assert.equal(executed.tally.yes, "10000000");
    const accepted = await holder.query.marketplace.ownership();
    assert.equal(accepted.owner, holder.contracts.governance);
    assert.equal(accepted.pending_owner, null);

    const catalogue = await models(holder);
    const b200 = catalogue.find((m) => m.id === "b200");
    assert.ok(b200, `catalogue: ${catalogue.map((m) => m.id).join(", ")}`);
    assert.equal(b200.vram_mib, 184_320);
    assert.ok((await proposals(holder)).some((p) => p.id === id && p.status === "executed"));
  });
});
