// The renter: post a job (estimated cost shown before signing), watch its leases live through
// commit, reveal and referee, download and verify the result, cancel, dispute (with the bond and the
// dispute salt kept in this browser, see ../salts.ts).

import {
  acceptedLease,
  canDispute,
  disputeLease,
  fetchVerifiedOutput,
  followOrder,
  inlineInput,
  type JobRequest,
  type LeaseResponse,
  models,
  type OrderResponse,
  orderBudget,
  ordersByRenter,
  postOrder,
  sealInput,
  generatePrivacyKey,
  type Workload,
} from "@gridshare/client";
import { deliverKeys, loadKey, orderKeyName, renterKey, renterKeyName, saveOrderKey } from "../privacy";
import type { View } from "../context";
import { field, h, section, table } from "../dom";
import { amount, denomName, energy, errorMessage, leaseProgress, parseAmount, short, time } from "../format";
import { browserStorage, disputeSaltKey, loadDisputeSalt, saveDisputeSalt } from "../salts";

const FINAL_LEASE = new Set(["accepted", "rejected", "failed", "cancelled", "expired"]);

export const renterView: View = (ctx, root) => {
  if (!ctx.gs.canSign) {
    root.append(section("Renter", h("p", {}, "Choose an account or connect a wallet to post jobs.")));
    return () => undefined;
  }
  const denom = ctx.config.paymentDenom;
  const follows = new AbortController();
  let stopped = false;
  // Dispute salts are kept per order in localStorage, keyed by chain id + marketplace address +
  // order id (`gridshare:dispute-salt:<chain>:<marketplace>:<order>`, see ../salts.ts): order ids
  // restart on every chain and deployment.
  const storage = browserStorage();
  const saltKey = (orderId: number) => disputeSaltKey(ctx.config.chainId, ctx.gs.contracts.marketplace, orderId);
  // Chain time (seconds) as of the latest refresh: the dispute window is the contract's clock.
  let chainNow = Math.floor(Date.now() / 1000);

  // ---- the job form -------------------------------------------------------------------------
  const workload = h("select", { name: "workload", "data-testid": "workload" },
    h("option", { value: "sha256" }, "sha256 of the input"),
    h("option", { value: "mat_mul_int" }, "integer matrix product (two 4×4 matrices of ones)"),
  );
  const input = h("textarea", { name: "input", rows: 3, "data-testid": "input" }) as HTMLTextAreaElement;
  input.value = "hello, GridShare";
  const model = h("select", { name: "model", "data-testid": "model" }, h("option", { value: "" }, "any model"));
  const region = h("input", { name: "region", placeholder: "any", "data-testid": "region" }) as HTMLInputElement;
  const minReputation = h("input", { name: "min-reputation", type: "number", min: 0, max: 100, placeholder: "0", "data-testid": "min-reputation" }) as HTMLInputElement;
  const gpus = h("input", { name: "gpus", type: "number", min: 1, value: 1, "data-testid": "gpus" }) as HTMLInputElement;
  const price = h("input", { name: "price", value: "3600", "data-testid": "max-price" }) as HTMLInputElement;
  const duration = h("input", { name: "duration", type: "number", min: 1, value: 120, "data-testid": "max-duration" }) as HTMLInputElement;
  const replication = h("input", { name: "replication", type: "number", min: 1, max: 5, value: 1, "data-testid": "replication" }) as HTMLInputElement;
  const estimate = h("p", { class: "estimate", "data-testid": "estimate" });
  const privateJob = h("input", { name: "private", type: "checkbox", "data-testid": "private" }) as HTMLInputElement;
  const orderKey = (orderId: number) => loadKey(storage, orderKeyName(ctx.config.chainId, ctx.gs.contracts.marketplace, orderId));
  const delivered = new Set<number>();

  const request = (): JobRequest => {
    const bytes = new TextEncoder().encode(input.value);
    let work: Workload = { sha256: {} };
    let data = bytes;
    if (workload.value === "mat_mul_int") {
      work = { mat_mul_int: { m: 4, n: 4, k: 4 } };
      data = new Uint8Array(4 * 16 * 2).map((_, i) => (i % 4 === 0 ? 1 : 0)); // i32 little-endian ones
    }
    return {
      spec: { workload: work, inputs: inlineInput(data), deterministic: true, max_runtime_seconds: 60 },
      requirements: {
        ...(model.value ? { models: [model.value] } : {}),
        ...(region.value.trim() ? { region: region.value.trim() } : {}),
        // Reputation is kept in tenths of a percent on chain.
        ...(minReputation.value ? { min_reputation: Math.round(Number(minReputation.value) * 10) } : {}),
      },
      gpuCount: Number(gpus.value),
      maxPrice: parseAmount(price.value),
      maxDuration: Number(duration.value),
      replication: Number(replication.value),
      denom,
    };
  };
  const updateEstimate = () => {
    try {
      const job = request();
      const budget = orderBudget(job);
      const k = job.replication ?? 1;
      // k ≥ 2 also funds a referee that settles replicas that disagree (see orderBudget).
      const funded = k >= 2 ? ` (${k} replicas and a referee, used only if they disagree)` : "";
      estimate.textContent = `Escrowed now, at most: ${amount(budget, denom)}${funded}. You pay for the seconds used; the rest is refunded.`;
      estimate.classList.remove("invalid");
    } catch (error) {
      estimate.textContent = errorMessage(error);
      estimate.classList.add("invalid");
    }
  };
  const form = h(
    "form",
    {
      "data-testid": "job-form",
      onsubmit: (e: Event) => {
        e.preventDefault();
        void submit();
      },
      oninput: updateEstimate,
      onchange: updateEstimate,
    },
    field("Workload", workload),
    field("Input", input),
    field("GPU model", model),
    field("Region", region),
    field("Min provider reputation (%)", minReputation),
    field("GPUs", gpus),
    field(`Max price (${denom.slice(1).toUpperCase()} per GPU-hour)`, price),
    field("Max duration (s)", duration),
    field("Replicas", replication),
    field("Private (input and output sealed; this browser keeps the keys)", privateJob),
    estimate,
    h("button", { type: "submit", "data-testid": "post-job" }, "Sign and post the job"),
  );
  updateEstimate();
  void models(ctx.gs).then((list) => {
    for (const m of list.filter((m) => !m.retired)) model.append(h("option", { value: m.id }, m.id));
  });

  // ---- my orders ------------------------------------------------------------------------------
  const ordersBox = h("div", { "data-testid": "orders" });
  const verified = new Map<number, string>();
  const leasesOf = new Map<number, LeaseResponse[]>();

  // A committed result shows its commitment; the output's hash only once revealed.
  const resultCell = (l: LeaseResponse) => {
    const result = l.result;
    if (!result) return "–";
    if (result.sha256 == null) {
      return h("code", { title: `commitment ${result.commitment}; the output's hash is revealed once reveals open` }, `committed ${result.commitment.slice(0, 8)}…`);
    }
    return h(
      "span",
      {},
      h("code", { title: result.sha256 }, `${result.sha256.slice(0, 12)}… (${result.runtime_seconds}s)`),
      " ",
      h("span", { class: "hint", "data-testid": `energy-${l.lease_id}`, title: "Energy as the provider's keeper measured it (NVML or RAPL)" }, energy(result.energy_mwh)),
    );
  };

  // Dispute: a revealed, undisputed, non-referee result of a k = 1 order inside its dispute window,
  // with this order's salt kept in this browser.
  const disputeCell = (order: OrderResponse, l: LeaseResponse) => {
    if (canDispute(order, l, chainNow)) {
      const bond = amount(order.dispute_bond, denomName(order.denom));
      return loadDisputeSalt(storage, saltKey(order.order_id))
        ? h("button", {
            class: "danger",
            "data-testid": `dispute-${l.lease_id}`,
            title: `Attaches a bond of ${bond}, which pays a referee`,
            onclick: () => void dispute(order, l.lease_id),
          }, `Dispute (bond ${bond})`)
        : h("span", { class: "hint", title: "The order's dispute salt was kept by the browser that posted it." }, "no dispute salt in this browser");
    }
    return l.disputed ? h("span", { "data-testid": `disputed-${l.lease_id}` }, "disputed") : "";
  };

  const drawOrders = (orders: OrderResponse[]) => {
    const recent = [...orders].reverse().slice(0, 20);
    ordersBox.replaceChildren(
      ...recent.map((order) => {
        const leases = leasesOf.get(order.order_id) ?? [];
        const accepted = acceptedLease(order, leases);
        const status = order.closed ? `${order.status}, closed` : order.status;
        const replicas = order.replication === 1 ? "1 replica" : `${order.replication} replicas`;
        return h(
          "article",
          { class: "order", "data-testid": `order-${order.order_id}`, "data-status": order.status, "data-closed": String(order.closed) },
          h(
            "header",
            {},
            h("strong", {}, `Order ${order.order_id}`),
            ` · ${status} · ${replicas} · budget ${amount(order.budget, denom)} · posted ${time(order.created_at)}`,
            order.disputed ? " · disputed" : "",
          ),
          leases.length
            ? table(
                ["Lease", "Provider", "Price/GPU-h", "State", "Result", "Next", ""],
                leases.map((l) => [
                  String(l.lease_id),
                  h("code", { title: l.provider }, short(l.provider)),
                  amount(l.price, denom),
                  h(
                    "span",
                    {},
                    h("span", { "data-testid": `lease-state-${l.lease_id}` }, l.state),
                    l.referee ? h("span", { class: "badge", "data-testid": `referee-${l.lease_id}`, title: "This lease is the order's referee: its result decides." }, "referee") : "",
                  ),
                  resultCell(l),
                  h("span", { class: "hint", "data-testid": `lease-next-${l.lease_id}` }, leaseProgress(l)),
                  disputeCell(order, l),
                ]),
              )
            : h("p", { class: "hint" }, "Waiting for a provider…"),
          h(
            "div",
            { class: "actions" },
            accepted ? h("button", { "data-testid": `verify-${order.order_id}`, onclick: () => void verify(order.order_id, accepted, Boolean(order.spec.output_key)) }, "Download and verify") : "",
            verified.has(order.order_id) ? h("span", { class: "ok", "data-testid": `verified-${order.order_id}` }, `✓ verified ${verified.get(order.order_id)}`) : "",
            !order.closed && order.status === "open"
              ? h("button", { class: "danger", "data-testid": `cancel-${order.order_id}`, onclick: () => void cancel(order.order_id) }, "Cancel")
              : "",
          ),
        );
      }),
    );
    if (recent.length === 0) ordersBox.append(h("p", { class: "hint" }, "No orders yet."));
  };

  const refresh = async () => {
    const [orders, now] = await Promise.all([
      ordersByRenter(ctx.gs, ctx.gs.address, { maxItems: 500 }),
      ctx.gs.chainTimeSeconds(),
    ]);
    chainNow = now;
    for (const order of orders.slice(-20)) {
      if (!order.closed || !leasesOf.has(order.order_id)) {
        const page = await ctx.gs.query.marketplace.leasesByOrder({ orderId: order.order_id, limit: 100 });
        leasesOf.set(order.order_id, page.leases);
        if (!order.closed) await deliverKeys(ctx.gs, order, page.leases, orderKey(order.order_id), delivered);
      }
    }
    if (!stopped) drawOrders(orders);
  };

  // Follow a fresh order with websocket events so its progress shows within a block.
  const follow = (orderId: number) =>
    followOrder(ctx.gs, orderId, {
      signal: follows.signal,
      timeoutMs: 600_000,
      onUpdate: (u) => {
        leasesOf.set(orderId, u.leases);
        for (const l of u.changed) {
          ctx.notify(`Order ${orderId}: lease ${l.lease_id} ${l.state}${FINAL_LEASE.has(l.state) ? "" : "…"}`, l.state === "accepted" ? "ok" : "info");
        }
        void refresh();
      },
    }).catch(() => undefined);

  const submit = async () => {
    const job = request();
    // A private job: the input sealed to a fresh order key, the output to this browser's key.
    let sealedWith: Awaited<ReturnType<typeof generatePrivacyKey>> | undefined;
    if (privateJob.checked) {
      const mine = await renterKey(storage, renterKeyName(ctx.config.chainId, ctx.gs.contracts.marketplace));
      if (!mine) {
        ctx.notify("This browser cannot store keys: a private job's output could never be opened here.", "error");
        return;
      }
      sealedWith = await generatePrivacyKey();
      const data = "inline" in job.spec.inputs ? job.spec.inputs.inline.data : "";
      const plain = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
      job.spec = { ...job.spec, inputs: inlineInput(await sealInput(sealedWith, plain)), output_key: mine.publicKey };
    }
    const posted = await ctx.run("Signing and posting the job", async () => postOrder(ctx.gs, job));
    if (!posted) return;
    if (sealedWith && !saveOrderKey(storage, orderKeyName(ctx.config.chainId, ctx.gs.contracts.marketplace, posted.orderId), sealedWith)) {
      ctx.notify(`This browser could not keep order ${posted.orderId}'s key: its providers cannot run it.`, "error");
    }
    // The salt is the only way to dispute this order later: keep it before anything else. (Only a
    // single-replica order can be disputed; quorum verifies the others.)
    const kept = saveDisputeSalt(storage, saltKey(posted.orderId), posted.disputeSalt);
    const held = `Order ${posted.orderId} posted; ${amount(posted.budget, denom)} held in escrow.`;
    if ((job.replication ?? 1) !== 1) ctx.notify(held, "ok");
    else if (kept) ctx.notify(`${held} Its dispute salt is kept in this browser.`, "ok");
    else ctx.notify(`${held} This browser could not store its dispute salt; to dispute the result, keep it: ${posted.disputeSalt}`, "error");
    await refresh();
    void follow(posted.orderId);
  };
  const verify = async (orderId: number, lease: LeaseResponse, sealed: boolean) => {
    // A private job's output is sealed to this browser's key: opened first, then verified.
    const mine = sealed ? loadKey(storage, renterKeyName(ctx.config.chainId, ctx.gs.contracts.marketplace)) : undefined;
    if (sealed && !mine) {
      ctx.notify(`Order ${orderId} is private and its key is not in this browser: its output cannot be opened here.`, "error");
      return;
    }
    const output = await ctx.run("Downloading and verifying the output", () =>
      fetchVerifiedOutput(lease, mine ? { renterSecret: mine.secret } : {}),
    );
    if (!output) return;
    verified.set(orderId, output.sha256.slice(0, 16));
    const blob = new Blob([output.bytes as Uint8Array<ArrayBuffer>], { type: "application/octet-stream" });
    const link = h("a", { href: URL.createObjectURL(blob), download: `order-${orderId}-lease-${lease.lease_id}.bin` }, "save the output");
    ctx.notify(`Output of order ${orderId} verified against the chain (sha256 ${output.sha256.slice(0, 16)}…). `, "ok");
    document.querySelector(".notice.ok")?.append(link);
    await refresh();
  };
  const cancel = async (orderId: number) => {
    if (await ctx.run(`Cancelling order ${orderId}`, () => ctx.gs.tx.marketplace.cancelOrder({ orderId }))) {
      ctx.notify(`Order ${orderId} cancelled; the unused budget is refunded.`, "ok");
      await refresh();
    }
  };
  const dispute = async (order: OrderResponse, leaseId: number) => {
    const salt = loadDisputeSalt(storage, saltKey(order.order_id));
    if (!salt) {
      ctx.notify(`Order ${order.order_id}'s dispute salt is not in this browser: it cannot be disputed from here.`, "error");
      return;
    }
    const bond = amount(order.dispute_bond, denomName(order.denom));
    const question =
      `Dispute lease ${leaseId} of order ${order.order_id}? This attaches a bond of ${bond}, which pays a referee ` +
      "to run the job again; its result decides, and what it does not use is refunded with the order.";
    if (!window.confirm(question)) return;
    const done = await ctx.run(`Disputing lease ${leaseId} (bond ${bond})`, () => disputeLease(ctx.gs, { leaseId, salt }));
    if (done) {
      const referee = done.refereeLease === undefined ? "a referee" : `referee lease ${done.refereeLease}`;
      ctx.notify(
        `Lease ${leaseId} disputed with a bond of ${amount(done.bond, denomName(done.denom))}: ${referee} runs the job again, and its result decides.`,
        "ok",
      );
      await refresh();
    }
  };

  root.append(section("Post a job", form), section("My orders", ordersBox));
  void ctx.run("Reading your orders", refresh);
  const timer = setInterval(() => void refresh().catch(() => undefined), 4_000);
  return () => {
    stopped = true;
    clearInterval(timer);
    follows.abort();
  };
};

