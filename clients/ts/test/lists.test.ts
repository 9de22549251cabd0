// Paginated lists on the real chain: more items than one page holds, walked with the cursor, and
// the contracts' clamp of `limit` (100) observed from the client.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { collect, type GridShare, inlineInput, MAX_PAGE, models, ordersByRenter } from "../src/index.js";
import { chain, connectAs } from "./env.js";

const ORDERS = MAX_PAGE + 5;

describe("paginated lists against the local chain", chain, () => {
  let renter: GridShare;

  before(async () => {
    renter = await connectAs("provider2"); // an account no other test or keeper signs with
  });
  after(() => renter?.disconnect());

  it("walks more orders than a page holds, in order, whatever the page size", async () => {
    // Orders for a model nobody offers rest in the book; one transaction posts them all.
    const deadline = (await renter.chainTimeSeconds()) + 3600;
    const order = {
      post_order: {
        spec: { workload: { sha256: {} }, inputs: inlineInput(new Uint8Array([1])), deterministic: true, max_runtime_seconds: 1 },
        requirements: { models: ["h100"] },
        gpu_count: 1,
        max_price: "3600",
        max_duration: 1,
        replication: 1,
        deadline,
      },
    };
    const instructions = Array.from({ length: ORDERS }, () => ({
      contractAddress: renter.contracts.marketplace,
      msg: order,
      funds: [{ denom: "uusdc", amount: "1" }],
    }));
    await renter.signingClient.executeMultiple(renter.address, instructions, "auto");

    const owner = renter.address;
    const oneBigPage = await renter.query.marketplace.ordersByRenter({ renter: owner, limit: 1000 });
    assert.equal(oneBigPage.orders.length, MAX_PAGE, "the contract clamps limit to 100");
    const byDefault = await renter.query.marketplace.ordersByRenter({ renter: owner });
    assert.equal(byDefault.orders.length, 10, "the default page is 10");

    const all = await ordersByRenter(renter, owner);
    assert.equal(all.length, ORDERS);
    const ids = all.map((o) => o.order_id);
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b), "ascending ids");
    assert.equal(new Set(ids).size, ORDERS, "no order twice");
    assert.ok(all.every((o) => o.renter === owner && o.status === "open"));

    let pages = 0;
    const small = await collect(
      async (startAfter: number | undefined, limit) => {
        pages += 1;
        return (await renter.query.marketplace.ordersByRenter({ renter: owner, startAfter, limit })).orders;
      },
      (o) => o.order_id,
      { pageSize: 7 },
    );
    assert.deepEqual(small.map((o) => o.order_id), ids);
    assert.equal(pages, Math.ceil((ORDERS + 1) / 7), "15 full pages of 7 and a short last one");
  });

  it("pages the catalogue two models at a time", async () => {
    const whole = await models(renter);
    const paged = await models(renter, { pageSize: 2 });
    assert.deepEqual(paged, whole);
    assert.ok(whole.some((m) => m.id === "cpu-dev"));
  });
});
