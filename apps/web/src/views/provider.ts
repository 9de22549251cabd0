// The provider: stake, offers, open leases (with where each stands in commit–reveal and its next
// deadline), earnings and rewards; bond, unbond, claim, withdraw. (Running, committing and revealing
// jobs is the keeper's work; this is the account's view of it.)

import { bond, collect, type OfferResponse } from "@gridshare/client";
import type { View } from "../context";
import { field, h, section, table } from "../dom";
import { amount, denomName, leaseProgress, parseAmount, time } from "../format";

export const providerView: View = (ctx, root) => {
  if (!ctx.gs.canSign) {
    root.append(section("Provider", h("p", {}, "Choose an account or connect a wallet.")));
    return () => undefined;
  }
  const gs = ctx.gs;
  const me = gs.address;
  const denom = ctx.config.paymentDenom;
  const body = h("div", {});
  let stopped = false;

  const bondInput = h("input", { value: "1", "data-testid": "bond-amount" }) as HTMLInputElement;
  const unbondInput = h("input", { value: "1", "data-testid": "unbond-amount" }) as HTMLInputElement;

  const load = async () => {
    const [staker, claims, grid, offers, leases, payments, rewards, provider] = await Promise.all([
      gs.query.staking.staker({ address: me }),
      gs.query.staking.claims({ address: me, limit: 100 }),
      gs.query.grid.balance({ address: me }),
      collect(
        async (startAfter: number | undefined, limit) => (await gs.query.marketplace.offersByProvider({ provider: me, startAfter, limit })).offers,
        (o: OfferResponse) => o.offer_id,
      ),
      gs.query.marketplace.leasesByProvider({ provider: me, limit: 100 }),
      gs.query.escrow.paymentsByPayee({ payee: me, limit: 100 }),
      gs.query.staking.pendingRewards({ address: me }),
      gs.query.marketplace.provider({ address: me }).catch(() => undefined),
    ]);
    if (stopped) return;
    const withdrawable = payments.payments.filter((p) => BigInt(p.withdrawable) > 0n);
    const earned = payments.payments.reduce((sum, p) => sum + BigInt(p.released) - BigInt(p.fees_paid), 0n);
    body.replaceChildren(
      section(
        "Stake",
        table(
          ["Bonded", "Locked by listings", "Unbonding", "GRID in wallet", "Registered as"],
          [[amount(staker.bonded, "ugrid"), amount(staker.locked, "ugrid"), amount(staker.unbonding, "ugrid"), amount(grid.balance, "ugrid"), provider ? `${provider.name} (${provider.region})` : "not registered"]],
          "stake",
        ),
        h("form", { class: "inline", onsubmit: (e: Event) => { e.preventDefault(); void act("Bonding GRID", () => bond(gs, parseAmount(bondInput.value))); } },
          field("Bond GRID", bondInput), h("button", { type: "submit" }, "Bond")),
        h("form", { class: "inline", onsubmit: (e: Event) => { e.preventDefault(); void act("Unbonding GRID", () => gs.tx.staking.unbond({ amount: parseAmount(unbondInput.value).toString() })); } },
          field("Unbond GRID", unbondInput), h("button", { type: "submit" }, "Unbond")),
        claims.claims.length
          ? h("div", {}, table(["Claim", "Amount", "Released at", ""], claims.claims.map((c) => [String(c.id), amount(c.amount, "ugrid"), new Date(c.release_at * 1000).toLocaleTimeString(), c.matured ? "matured" : ""])),
              h("button", { onclick: () => void act("Claiming matured unbondings", () => gs.tx.staking.claim()) }, "Claim matured"))
          : "",
      ),
      section(
        "Offers",
        table(
          ["Offer", "Model", "Units free / total", "Price per GPU-hour", "Duration (s)", "Status"],
          offers.map((o) => [String(o.offer_id), o.model, `${o.free_units} / ${o.units}`, amount(o.price, denomName(o.denom)), `${o.min_duration}–${o.max_duration}`, o.withdrawn ? "withdrawn" : "listed"]),
          "offers",
        ),
      ),
      section(
        "Open leases",
        leases.leases.length
          ? table(
              ["Lease", "Order", "Units", "Price", "State", "Started", "Next"],
              leases.leases.map((l) => [
                String(l.lease_id),
                String(l.order_id),
                l.units,
                amount(l.price, denom),
                // Open leases are active (owing a commitment), committed (revealing once reveals
                // open) or revealed (awaiting the other replicas, a referee or the dispute window).
                h(
                  "span",
                  {},
                  h("span", { "data-testid": `provider-lease-state-${l.lease_id}` }, l.state),
                  l.referee ? h("span", { class: "badge", title: "This lease referees its order: its result decides." }, "referee") : "",
                  l.disputed ? h("span", { class: "badge" }, "disputed") : "",
                ),
                time(l.start),
                h("span", { class: "hint" }, leaseProgress(l)),
              ]),
              "leases",
            )
          : h("p", { class: "hint" }, "No open leases."),
      ),
      section(
        "Earnings",
        h("p", {}, `Earned (after fees) on the latest ${payments.payments.length} leases: ${amount(earned, denom)}`),
        withdrawable.length
          ? h("button", { "data-testid": "withdraw", onclick: () => void act("Withdrawing earnings", () => gs.tx.escrow.withdraw({ leaseIds: withdrawable.map((p) => p.lease_id) })) },
              `Withdraw ${amount(withdrawable.reduce((s, p) => s + BigInt(p.withdrawable), 0n), denom)}`)
          : h("p", { class: "hint" }, "Nothing to withdraw (the keeper withdraws as leases settle)."),
      ),
      section(
        "Staking rewards",
        rewards.rewards.length
          ? table(["Denom", "Pending"], rewards.rewards.map((r) => [denomName(r.denom), amount(r.amount, "native" in r.denom ? r.denom.native : "GRID")]))
          : h("p", { class: "hint" }, "No pending rewards."),
        h("button", { onclick: () => void act("Claiming rewards", () => gs.tx.staking.claimRewards()) }, "Claim rewards"),
      ),
    );
  };

  const act = async (label: string, action: () => Promise<unknown>) => {
    if ((await ctx.run(label, action)) !== undefined) {
      ctx.notify(`${label}: done.`, "ok");
      await load();
    }
  };

  root.append(body);
  void ctx.run("Reading your provider account", load);
  const timer = setInterval(() => void load().catch(() => undefined), 6_000);
  return () => {
    stopped = true;
    clearInterval(timer);
  };
};
