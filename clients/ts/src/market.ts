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
