// What a market page shows: per-model statistics, the catalogue, providers and the ask side.

import type { GridShare } from "./client.js";
import type {
  MarketCursor,
  MarketStatsResponse,
  ModelResponse,
  OfferResponse,
  OrderResponse,
  ProviderResponse,
  UncheckedDenom,
} from "./generated/Marketplace.types.js";
import { collect, type PageOptions } from "./pagination.js";

const denomOf = (d: MarketStatsResponse["denom"]): UncheckedDenom =>
  "native" in d ? { native: d.native } : { cw20: d.cw20 };

/** Statistics of every market with activity: best ask, free units, utilization, last and EWMA price. */
export function marketStats(gs: GridShare, options?: PageOptions): Promise<MarketStatsResponse[]> {
  return collect(
    async (startAfter: MarketCursor | undefined, limit) =>
      (await gs.query.marketplace.allMarketStats({ startAfter, limit })).stats,
    (m) => ({ model: m.model, denom: denomOf(m.denom) }),
    options,
  );
}

/** The GPU catalogue, retired models included. */
export function models(gs: GridShare, options?: PageOptions): Promise<ModelResponse[]> {
  return collect(
    async (startAfter: string | undefined, limit) => (await gs.query.marketplace.models({ startAfter, limit })).models,
    (m) => m.id,
    options,
  );
}

/** Registered providers, with reputation counters. */
export function providers(gs: GridShare, options?: PageOptions): Promise<ProviderResponse[]> {
  return collect(
    async (startAfter: number | undefined, limit) =>
      (await gs.query.marketplace.providers({ startAfter, limit })).providers,
    (p) => p.id,
    options,
  );
}

/** The ask side of one market, cheapest first. */
export function offersByModel(gs: GridShare, model: string, denom: string, options?: PageOptions): Promise<OfferResponse[]> {
  return collect(
    async (startAfter: { offer_id: number; price: string } | undefined, limit) =>
      (await gs.query.marketplace.offersByModel({ model, denom: { native: denom }, startAfter, limit })).offers,
    (o) => ({ offer_id: o.offer_id, price: o.price }),
    options,
  );
}

/** A renter's orders, oldest first. */
export function ordersByRenter(gs: GridShare, renter: string, options?: PageOptions): Promise<OrderResponse[]> {
  return collect(
    async (startAfter: number | undefined, limit) =>
      (await gs.query.marketplace.ordersByRenter({ renter, startAfter, limit })).orders,
    (o) => o.order_id,
    options,
  );
}

export interface PricePoint {
  leaseId: number;
  model: string;
  /** Per GPU-hour, base units of the offer's denom. */
  price: bigint;
  /** Chain time the lease started, seconds. */
  time: number;
}

/**
 * Prices of the latest matches (newest last), read from the transactions whose marketplace events
 * carry `lease_ids`: CometBFT's tx index is the history the contract does not keep. At most
 * `maxLeases` leases, from at most `maxLeases` transactions.
 */
export interface PriceHistoryOptions {
  /** Only this model's matches. */
  model?: string;
  /** At most this many leases (≤ 500). Default 50. */
  maxLeases?: number;
  /**
   * Points already read, by lease id: a lease's price, start and model never change, so a page
   * that refreshes the chart passes the same map and queries only new leases.
   */
  cache?: Map<number, PricePoint>;
}

export async function priceHistory(gs: GridShare, options: PriceHistoryOptions = {}): Promise<PricePoint[]> {
  const maxLeases = Math.min(options.maxLeases ?? 50, 500);
  const comet = await gs.comet();
  const search = await comet.txSearch({
    query: `wasm._contract_address='${gs.contracts.marketplace}' AND wasm.lease_ids EXISTS`,
    order_by: "desc",
    per_page: Math.min(maxLeases, 100),
    page: 1,
  });
  const ids: number[] = [];
  for (const tx of search.txs) {
    for (const event of tx.result.events) {
      if (event.type !== "wasm") continue;
      const attr = (key: string) => event.attributes.find((a: { key: string }) => a.key === key)?.value;
      if (attr("_contract_address") !== gs.contracts.marketplace) continue;
      for (const id of (attr("lease_ids") ?? "").split(",")) if (id) ids.push(Number(id));
    }
  }
  const models = new Map<number, string>();
  const points: PricePoint[] = [];
  for (const leaseId of ids.slice(0, maxLeases)) {
    let point = options.cache?.get(leaseId);
    if (!point) {
      const lease = await gs.query.marketplace.lease({ leaseId });
      let model = models.get(lease.offer_id);
      if (model === undefined) {
        model = (await gs.query.marketplace.offer({ offerId: lease.offer_id })).model;
        models.set(lease.offer_id, model);
      }
      point = { leaseId, model, price: BigInt(lease.price), time: lease.start };
      options.cache?.set(leaseId, point);
    }
    if (options.model === undefined || point.model === options.model) points.push(point);
  }
  return points.sort((a, b) => a.time - b.time || a.leaseId - b.leaseId);
}
