// The renter: post a job (estimated cost shown before signing), watch its leases live, download and
// verify the result, cancel, dispute.

import {
  acceptedLease,
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
  type Workload,
} from "@gridshare/client";
import type { View } from "../context";
import { field, h, section, table } from "../dom";
import { amount, errorMessage, parseAmount, short, time } from "../format";

const FINAL_LEASE = new Set(["accepted", "rejected", "failed", "cancelled", "expired"]);

export const renterView: View = (ctx, root) => {
  if (!ctx.gs.canSign) {
    root.append(section("Renter", h("p", {}, "Choose an account or connect a wallet to post jobs.")));
    return () => undefined;
  }
  const denom = ctx.config.paymentDenom;
  const follows = new AbortController();
  let stopped = false;

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
      const budget = orderBudget(request());
      estimate.textContent = `Escrowed now, at most: ${amount(budget, denom)}. You pay for the seconds used; the rest is refunded.`;
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

  const drawOrders = (orders: OrderResponse[]) => {
    const recent = [...orders].reverse().slice(0, 20);
    ordersBox.replaceChildren(
      ...recent.map((order) => {
        const leases = leasesOf.get(order.order_id) ?? [];
        const accepted = acceptedLease(order, leases);
        const status = order.closed ? `${order.status}, closed` : order.status;
        return h(
          "article",
          { class: "order", "data-testid": `order-${order.order_id}`, "data-status": order.status, "data-closed": String(order.closed) },
          h("header", {}, h("strong", {}, `Order ${order.order_id}`), ` · ${status} · budget ${amount(order.budget, denom)} · posted ${time(order.created_at)}`),
          leases.length
            ? table(
                ["Lease", "Provider", "Price/GPU-h", "State", "Result", ""],
                leases.map((l) => [
                  String(l.lease_id),
                  h("code", { title: l.provider }, short(l.provider)),
                  amount(l.price, denom),
                  h("span", { "data-testid": `lease-state-${l.lease_id}` }, l.state),
                  l.result ? h("code", { title: l.result.sha256 }, `${l.result.sha256.slice(0, 12)}… (${l.result.runtime_seconds}s)`) : "–",
                  l.state === "submitted" && !l.disputed
                    ? h("button", { class: "danger", onclick: () => void dispute(l.lease_id) }, "Dispute")
                    : l.disputed ? "disputed" : "",
                ]),
              )
            : h("p", { class: "hint" }, "Waiting for a provider…"),
          h(
            "div",
            { class: "actions" },
            accepted ? h("button", { "data-testid": `verify-${order.order_id}`, onclick: () => void verify(order.order_id, accepted) }, "Download and verify") : "",
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
    const orders = await ordersByRenter(ctx.gs, ctx.gs.address, { maxItems: 500 });
    for (const order of orders.slice(-20)) {
      if (!order.closed || !leasesOf.has(order.order_id)) {
        const page = await ctx.gs.query.marketplace.leasesByOrder({ orderId: order.order_id, limit: 100 });
        leasesOf.set(order.order_id, page.leases);
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
    const posted = await ctx.run("Signing and posting the job", async () => postOrder(ctx.gs, request()));
    if (!posted) return;
    ctx.notify(`Order ${posted.orderId} posted; ${amount(posted.budget, denom)} held in escrow.`, "ok");
    await refresh();
    void follow(posted.orderId);
  };
  const verify = async (orderId: number, lease: LeaseResponse) => {
    const output = await ctx.run("Downloading and verifying the output", () => fetchVerifiedOutput(lease));
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
  const dispute = async (leaseId: number) => {
    if (await ctx.run(`Disputing lease ${leaseId}`, () => ctx.gs.tx.marketplace.dispute({ leaseId }))) {
      ctx.notify(`Lease ${leaseId} disputed: the payment waits for the resolution.`, "ok");
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

