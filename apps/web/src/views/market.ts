// The market: GPU models with their order book summary, price history, and the providers.

import { marketStats, models, type PricePoint, priceHistory, providers } from "@gridshare/client";
import { priceChart } from "../chart";
import type { View } from "../context";
import { h, section, table } from "../dom";
import { amount, denomName, energy, percent, short } from "../format";

export const marketView: View = (ctx, root) => {
  const body = h("div", {}, h("p", {}, "Loading the market…"));
  root.append(body);
  let stopped = false;
  const history = new Map<number, PricePoint>();

  const load = async () => {
    const [catalogue, stats, points, list] = await Promise.all([
      models(ctx.gs),
      marketStats(ctx.gs),
      priceHistory(ctx.gs, { maxLeases: 50, cache: history }),
      providers(ctx.gs),
    ]);
    if (stopped) return;
    const denom = ctx.config.paymentDenom;
    const rows = catalogue.map((m) => {
      const s = stats.find((x) => x.model === m.id && denomName(x.denom) === denom);
      return [
        h("strong", {}, m.id),
        `${(m.vram_mib / 1024).toFixed(0)} GiB`,
        `${m.compute_capability.major}.${m.compute_capability.minor}`,
        amount(s?.best_ask, denom),
        s ? `${s.free_units} / ${s.listed_units}` : "0 / 0",
        s ? percent(s.utilization_bps) : "–",
        amount(s?.last_price, denom),
        amount(s?.ewma_price, denom),
        m.retired ? "retired" : "",
      ];
    });
    body.replaceChildren(
      section(
        "GPU models",
        h("p", { class: "hint" }, "Prices are per GPU-hour."),
        table(["Model", "VRAM", "CC", "Best ask", "Free / listed", "Utilization", "Last price", "EWMA", ""], rows, "models"),
      ),
      section("Price history (latest matches)", priceChart(points, (p) => amount(p, denom))),
      section(
        "Providers",
        table(
          ["Name", "Region", "Address", "Reputation", "Accepted", "Rejected", "Missed", "Handed back", "Energy", "Units", "Active"],
          list.map((p) => [
            p.name,
            p.region,
            h("code", { title: p.address }, short(p.address)),
            `${(p.reputation / 10).toFixed(1)}%`,
            p.counters.accepted,
            p.counters.rejected,
            p.counters.missed_liveness,
            h("span", { title: "Leases handed back as the renter's fault: not part of the reputation" }, String(p.counters.handed_back)),
            h(
              "span",
              { title: `Energy of accepted results, as its keeper measured it: ${p.energy_measured} of ${p.counters.accepted} measured` },
              p.energy_measured ? energy(p.energy_mwh) : "unmeasured",
            ),
            p.listed_units,
            p.active ? "yes" : "no",
          ]),
          "providers",
        ),
      ),
    );
  };

  void ctx.run("Reading the market", load);
  const timer = setInterval(() => void load().catch(() => undefined), 10_000);
  return () => {
    stopped = true;
    clearInterval(timer);
  };
};
