//! Read-only views; every list is paginated and clamped.

use crate::execute::{load_lease, verify, LoadedLease};
use crate::matching::is_live;
use crate::reputation::reputation_of;
use crate::state::{
    Lease, Offer, Order, Provider, ProviderHot, Stats, CONFIG, DENOMS, DENOM_IDS, MODELS,
    MODEL_IDS, OFFERS, OFFERS_BY_PROVIDER, OFFER_BOOK, OFFER_FREE, OPEN_LEASES, ORDERS, PROVIDERS,
    PROVIDER_HOT, PROVIDER_IDS, STATS,
};
use crate::stats::{free_units, suggested_price, utilization_bps};
use crate::wire::{AccountIds, EscrowAsk};
use cosmwasm_std::{Deps, Env, Order as Direction, StdError, StdResult, Uint128};
use cw_storage_plus::Bound;
use gridshare_types::marketplace::{
    lease_id, replica_of_lease, ConfigResponse, LeaseResponse, LeaseResult, LeasesResponse,
    MarketCursor, MarketStatsListResponse, MarketStatsResponse, ModelResponse, ModelsResponse,
    OfferResponse, OffersResponse, OrderResponse, OrdersResponse, ParamsResponse, PriceCursor,
    ProviderResponse, ProvidersResponse, ReputationCounters, Requirements, Telemetry,
};
use gridshare_types::owner::OwnershipResponse;
use gridshare_types::pagination::clamp_limit;
use gridshare_types::{Denom, UncheckedDenom};

pub fn ownership(deps: Deps) -> StdResult<OwnershipResponse> {
    gridshare_plumbing::owner::ownership(deps.storage, CONFIG.load(deps.storage)?.owner)
}

pub fn config(deps: Deps) -> StdResult<ConfigResponse> {
    let c = CONFIG.load(deps.storage)?;
    Ok(ConfigResponse {
        owner: c.owner,
        escrow: c.escrow,
        staking: c.staking,
        access_token: c.access_token,
        params: ParamsResponse {
            accepted_denoms: c.denoms.into_iter().map(|d| d.denom).collect(),
            take_rate_bps: c.take_rate_bps,
            heartbeat_interval: c.heartbeat_interval,
            max_silence: c.max_silence,
            dispute_window: c.dispute_window,
            reveal_window: c.reveal_window,
            slash: c.slash,
            liveness_slash: c.liveness_slash,
            max_matches: c.max_matches,
            max_scan: c.max_scan,
            max_reap: c.max_reap,
            max_replication: c.max_replication,
            max_inline_bytes: c.max_inline_bytes,
            max_eligible_models: c.max_eligible_models,
        },
    })
}

// ---- catalogue -------------------------------------------------------------------------------

pub fn model(deps: Deps, id: String) -> StdResult<ModelResponse> {
    let model = MODELS
        .may_load(deps.storage, &id)?
        .ok_or_else(|| missing_named("model", &id))?;
    Ok(ModelResponse {
        id,
        vram_mib: model.vram_mib,
        compute_capability: model.cc,
        benchmark_score: model.score,
        retired: model.retired,
    })
}

pub fn models(
    deps: Deps,
    start_after: Option<String>,
    limit: Option<u32>,
) -> StdResult<ModelsResponse> {
    let models = MODELS
        .range(
            deps.storage,
            start_after.as_deref().map(Bound::exclusive),
            None,
            Direction::Ascending,
        )
        .take(clamp_limit(limit))
        .map(|item| {
            let (id, model) = item?;
            Ok(ModelResponse {
                id,
                vram_mib: model.vram_mib,
                compute_capability: model.cc,
                benchmark_score: model.score,
                retired: model.retired,
            })
        })
        .collect::<StdResult<_>>()?;
    Ok(ModelsResponse { models })
}

/// "Not found" errors through one formatter per id type rather than one per call site.
fn missing(what: &str, id: u64) -> StdError {
    StdError::not_found(format!("{what} {id}"))
}

fn missing_named(what: &str, id: &dyn std::fmt::Display) -> StdError {
    StdError::not_found(format!("{what} {id}"))
}

fn model_id(deps: Deps, idx: u32) -> StdResult<String> {
    MODEL_IDS.load(deps.storage, idx)
}

fn denom(deps: Deps, id: u32) -> StdResult<Denom> {
    DENOMS.load(deps.storage, id)
}

// ---- providers -------------------------------------------------------------------------------

fn provider_response(id: u32, p: Provider, hot: ProviderHot) -> ProviderResponse {
    ProviderResponse {
        id,
        reputation: reputation_of(&hot),
        address: p.address,
        name: p.name,
        region: p.region,
        endpoint: p.endpoint,
        public_key: p.public_key,
        active: p.active,
        registered_at: p.registered_at,
        last_heartbeat: hot.last_heartbeat,
        telemetry: hot.has_telemetry.then_some(Telemetry {
            utilization_pct: hot.utilization_pct,
            power_watts: hot.power_watts,
        }),
        counters: ReputationCounters {
            accepted: hot.accepted,
            rejected: hot.rejected,
            missed_liveness: hot.missed,
            handed_back: hot.handed_back,
        },
        listed_units: p.listed_units,
        offers: p.offers,
        energy_mwh: hot.energy_mwh,
        energy_measured: hot.energy_measured,
    }
}

fn provider_id(deps: Deps, address: &str) -> StdResult<u32> {
    let address = deps.api.addr_validate(address)?;
    PROVIDER_IDS
        .may_load(deps.storage, &address)?
        .ok_or_else(|| missing_named("provider", &address))
}

pub fn provider(deps: Deps, address: String) -> StdResult<ProviderResponse> {
    let id = provider_id(deps, &address)?;
    Ok(provider_response(
        id,
        PROVIDERS.load(deps.storage, id)?,
        PROVIDER_HOT.load(deps.storage, id)?,
    ))
}

pub fn providers(
    deps: Deps,
    start_after: Option<u32>,
    limit: Option<u32>,
) -> StdResult<ProvidersResponse> {
    let providers = PROVIDERS
        .range(
            deps.storage,
            start_after.map(Bound::exclusive),
            None,
            Direction::Ascending,
        )
        .take(clamp_limit(limit))
        .map(|item| {
            let (id, p) = item?;
            Ok(provider_response(
                id,
                p,
                PROVIDER_HOT.load(deps.storage, id)?,
            ))
        })
        .collect::<StdResult<_>>()?;
    Ok(ProvidersResponse { providers })
}

// ---- offers ----------------------------------------------------------------------------------

fn offer_response(deps: Deps, offer_id: u64, offer: Offer) -> StdResult<OfferResponse> {
    Ok(OfferResponse {
        offer_id,
        provider: PROVIDERS.load(deps.storage, offer.provider)?.address,
        model: model_id(deps, offer.model)?,
        denom: denom(deps, offer.denom)?,
        price: offer.price,
        units: offer.units,
        free_units: OFFER_FREE
            .may_load(deps.storage, offer_id)?
            .unwrap_or_default(),
        min_duration: offer.min_duration,
        max_duration: offer.max_duration,
        withdrawn: offer.withdrawn,
        created_at: offer.created_at,
    })
}

pub fn offer(deps: Deps, offer_id: u64) -> StdResult<OfferResponse> {
    let offer = OFFERS
        .may_load(deps.storage, offer_id)?
        .ok_or_else(|| missing("offer", offer_id))?;
    offer_response(deps, offer_id, offer)
}

pub fn offers_by_provider(
    deps: Deps,
    provider: String,
    start_after: Option<u64>,
    limit: Option<u32>,
) -> StdResult<OffersResponse> {
    let id = provider_id(deps, &provider)?;
    let offers = OFFERS_BY_PROVIDER
        .prefix(id)
        .keys(
            deps.storage,
            start_after.map(Bound::exclusive),
            None,
            Direction::Ascending,
        )
        .take(clamp_limit(limit))
        .map(|offer_id| {
            let offer_id = offer_id?;
            offer_response(deps, offer_id, OFFERS.load(deps.storage, offer_id)?)
        })
        .collect::<StdResult<_>>()?;
    Ok(OffersResponse { offers })
}

/// The ids of a market, or an error naming what is unknown.
fn market_ids(deps: Deps, model: &str, denom: &UncheckedDenom) -> StdResult<(u32, u32, Denom)> {
    let idx = MODELS
        .may_load(deps.storage, model)?
        .ok_or_else(|| missing_named("model", &model))?
        .idx;
    let denom = denom
        .validate(deps.api)
        .map_err(|e| StdError::generic_err(e.to_string()))?;
    let id = DENOM_IDS
        .may_load(deps.storage, &denom.key())?
        .ok_or_else(|| missing_named("denom", &denom))?;
    Ok((idx, id, denom))
}

pub fn offers_by_model(
    deps: Deps,
    model: String,
    denom: UncheckedDenom,
    start_after: Option<PriceCursor>,
    limit: Option<u32>,
) -> StdResult<OffersResponse> {
    let (idx, denom_id, _) = market_ids(deps, &model, &denom)?;
    let offers = OFFER_BOOK
        .prefix((idx, denom_id))
        .keys(
            deps.storage,
            start_after.map(|c| Bound::exclusive((c.price.u128(), c.offer_id))),
            None,
            Direction::Ascending,
        )
        .take(clamp_limit(limit))
        .map(|key| {
            let (_, offer_id) = key?;
            offer_response(deps, offer_id, OFFERS.load(deps.storage, offer_id)?)
        })
        .collect::<StdResult<_>>()?;
    Ok(OffersResponse { offers })
}

// ---- orders ----------------------------------------------------------------------------------

fn order_response(deps: Deps, order_id: u64, order: Order) -> StdResult<OrderResponse> {
    let lease_ids = lease_ids_of(order_id, &order);
    let dispute_bond = verify::bond_of(&order);
    let eligible_models: Vec<String> = order
        .models
        .iter()
        .map(|idx| model_id(deps, *idx))
        .collect::<StdResult<_>>()?;
    let req = order.requirements;
    Ok(OrderResponse {
        order_id,
        denom: denom(deps, order.denom)?,
        requirements: Requirements {
            models: (!req.from_floors).then(|| eligible_models.clone()),
            min_vram_mib: req.min_vram_mib,
            min_compute_capability: req.min_compute_capability,
            region: req.region,
            min_reputation: req.min_reputation,
        },
        eligible_models,
        renter: order.renter,
        budget: order.budget,
        committed: order.committed,
        spec: order.spec.into(),
        gpu_count: order.gpu_count,
        max_price: order.max_price,
        max_duration: order.max_duration,
        replication: order.replication,
        deadline: order.deadline,
        created_at: order.created_at,
        priority: order.priority,
        fee_bps: order.fee_bps,
        status: order.status,
        lease_ids,
        open_leases: order.open_leases,
        canonical_sha256: order.canonical,
        dispute_bond,
        disputed: order.verification.disputed,
        referee_lease: order
            .verification
            .referee
            .and_then(|_| lease_id(order_id, order.replication)),
        reveals_open_at: order.verification.reveals_open_at,
        closed: order.closed,
    })
}

/// Every lease id of an order: its matched replicas, then its referee.
fn lease_ids_of(order_id: u64, order: &Order) -> Vec<u64> {
    (0..=order.replication)
        .filter(|replica| order.provider_of(*replica).is_some())
        .filter_map(|replica| lease_id(order_id, replica))
        .collect()
}

pub fn order(deps: Deps, order_id: u64) -> StdResult<OrderResponse> {
    let order = ORDERS
        .may_load(deps.storage, order_id)?
        .ok_or_else(|| missing("order", order_id))?;
    order_response(deps, order_id, order)
}

/// A renter's orders. Escrow already indexes every order's account (id = order id) by its
/// depositor (the renter), so the marketplace pages through that index instead of writing a
/// second one on every order.
pub fn orders_by_renter(
    deps: Deps,
    renter: String,
    start_after: Option<u64>,
    limit: Option<u32>,
) -> StdResult<OrdersResponse> {
    let renter = deps.api.addr_validate(&renter)?;
    let config = CONFIG.load(deps.storage)?;
    let accounts: AccountIds = deps.querier.query_wasm_smart(
        &config.escrow,
        &EscrowAsk::AccountsByDepositor {
            depositor: renter.as_str(),
            start_after,
            limit: Some(clamp_limit(limit) as u32),
        },
    )?;
    let orders = accounts
        .accounts
        .into_iter()
        .take(clamp_limit(limit))
        .filter_map(|account| {
            ORDERS
                .may_load(deps.storage, account.account_id)
                .transpose()
                .map(|order| (account.account_id, order))
        })
        .filter(|(_, order)| order.as_ref().map_or(true, |o| o.renter == renter))
        .map(|(id, order)| order_response(deps, id, order?))
        .collect::<StdResult<_>>()?;
    Ok(OrdersResponse { orders })
}

// ---- leases ----------------------------------------------------------------------------------

fn lease_response(
    deps: Deps,
    lease_id: u64,
    order_id: u64,
    provider: u32,
    lease: Lease,
) -> StdResult<LeaseResponse> {
    let order = ORDERS.load(deps.storage, order_id)?;
    let config = CONFIG.load(deps.storage)?;
    let referee = replica_of_lease(lease_id) == order.replication;
    let open = lease.closure.is_none();
    let reveal_deadline = verify::reveal_deadline(&lease, &order, referee, config.reveal_window)
        .filter(|_| open && lease.result.is_some());
    let finalizable_at = if open {
        verify::next_deadline(deps.storage, &config, order_id, &order)
            .map_err(|e| StdError::generic_err(e.to_string()))?
    } else {
        None
    };
    let dispute_deadline = if !open || order.replication != 1 || referee {
        None
    } else if lease.disputed {
        order
            .provider_of(order.replication)
            .and_then(|p| {
                let id = gridshare_types::marketplace::lease_id(order_id, order.replication)?;
                OPEN_LEASES.may_load(deps.storage, (p, id)).ok().flatten()
            })
            .map(|r| verify::commit_deadline(&r, &order).saturating_add(config.reveal_window))
    } else {
        verify::dispute_window_end(&lease, config.dispute_window)
    };
    let reveals_open_at = if referee {
        lease.result.as_ref().map(|r| r.committed_at)
    } else {
        order.verification.reveals_open_at
    };
    Ok(LeaseResponse {
        lease_id,
        order_id,
        offer_id: lease.offer,
        provider: PROVIDERS.load(deps.storage, provider)?.address,
        units: lease.units,
        price: lease.price,
        start: lease.start,
        state: lease.state,
        commit_deadline: verify::commit_deadline(&lease, &order),
        reveals_open_at,
        reveal_deadline,
        finalizable_at,
        dispute_deadline,
        result: lease.result.map(|r| LeaseResult {
            commitment: r.commitment,
            output_uri: r.output_uri,
            runtime_seconds: r.runtime_seconds,
            energy_mwh: r.energy_mwh,
            committed_at: r.committed_at,
            sha256: r.sha256,
            revealed_at: r.revealed_at,
        }),
        disputed: lease.disputed,
        referee,
        close_reason: lease.closure.as_ref().map(|c| c.reason),
        closed_at: lease.closure.as_ref().map(|c| c.at),
        paid_until: lease.closure.as_ref().map(|c| c.paid_until),
    })
}

pub fn lease(deps: Deps, lease_id: u64) -> StdResult<LeaseResponse> {
    let LoadedLease {
        order_id,
        provider,
        lease,
        ..
    } = load_lease(deps.storage, lease_id).map_err(|_| missing("lease", lease_id))?;
    lease_response(deps, lease_id, order_id, provider, lease)
}

pub fn leases_by_order(
    deps: Deps,
    order_id: u64,
    start_after: Option<u64>,
    limit: Option<u32>,
) -> StdResult<LeasesResponse> {
    let order = ORDERS
        .may_load(deps.storage, order_id)?
        .ok_or_else(|| missing("order", order_id))?;
    let leases = lease_ids_of(order_id, &order)
        .into_iter()
        .filter(|id| start_after.is_none_or(|after| *id > after))
        .take(clamp_limit(limit))
        .map(|id| {
            let loaded = load_lease(deps.storage, id).map_err(|_| missing("lease", id))?;
            lease_response(deps, id, order_id, loaded.provider, loaded.lease)
        })
        .collect::<StdResult<_>>()?;
    Ok(LeasesResponse { leases })
}

pub fn leases_by_provider(
    deps: Deps,
    provider: String,
    start_after: Option<u64>,
    limit: Option<u32>,
) -> StdResult<LeasesResponse> {
    let id = provider_id(deps, &provider)?;
    let leases = OPEN_LEASES
        .prefix(id)
        .range(
            deps.storage,
            start_after.map(Bound::exclusive),
            None,
            Direction::Ascending,
        )
        .take(clamp_limit(limit))
        .map(|item| {
            let (lease_id, lease) = item?;
            let order_id = gridshare_types::marketplace::order_of_lease(lease_id);
            lease_response(deps, lease_id, order_id, id, lease)
        })
        .collect::<StdResult<_>>()?;
    Ok(LeasesResponse { leases })
}

// ---- market statistics -----------------------------------------------------------------------

fn stats_response(
    deps: Deps,
    env: &Env,
    (idx, denom_id): (u32, u32),
    stats: Stats,
) -> StdResult<MarketStatsResponse> {
    let best_ask = best_ask(deps, env, idx, denom_id)?;
    Ok(MarketStatsResponse {
        model: model_id(deps, idx)?,
        denom: denom(deps, denom_id)?,
        best_ask,
        listed_units: stats.listed,
        free_units: free_units(&stats),
        leased_units: stats.leased,
        resting_demand_units: stats.demand,
        utilization_bps: utilization_bps(&stats),
        suggested_price: suggested_price(&stats, best_ask),
        ewma_price: stats.ewma,
        last_price: stats.last_price,
        matches: stats.matches,
    })
}

/// The cheapest offer of the market whose provider is alive (a few dead heads skipped at most).
fn best_ask(deps: Deps, env: &Env, idx: u32, denom_id: u32) -> StdResult<Option<Uint128>> {
    let config = CONFIG.load(deps.storage)?;
    let now = env.block.time.seconds();
    for item in OFFER_BOOK
        .prefix((idx, denom_id))
        .range(deps.storage, None, None, Direction::Ascending)
        .take(config.max_scan as usize)
    {
        let ((price, _), entry) = item?;
        let live = PROVIDER_HOT
            .may_load(deps.storage, entry.provider)?
            .is_some_and(|hot| is_live(&hot, now, config.max_silence));
        if live {
            return Ok(Some(Uint128::new(price)));
        }
    }
    Ok(None)
}

pub fn market_stats(
    deps: Deps,
    env: &Env,
    model: String,
    denom: UncheckedDenom,
) -> StdResult<MarketStatsResponse> {
    let (idx, denom_id, _) = market_ids(deps, &model, &denom)?;
    let stats = STATS
        .may_load(deps.storage, (idx, denom_id))?
        .unwrap_or_default();
    stats_response(deps, env, (idx, denom_id), stats)
}

pub fn all_market_stats(
    deps: Deps,
    env: &Env,
    start_after: Option<MarketCursor>,
    limit: Option<u32>,
) -> StdResult<MarketStatsListResponse> {
    let start = match start_after {
        Some(cursor) => {
            let (idx, denom_id, _) = market_ids(deps, &cursor.model, &cursor.denom)?;
            Some(Bound::exclusive((idx, denom_id)))
        }
        None => None,
    };
    let stats = STATS
        .range(deps.storage, start, None, Direction::Ascending)
        .take(clamp_limit(limit))
        .map(|item| {
            let (key, stats) = item?;
            stats_response(deps, env, key, stats)
        })
        .collect::<StdResult<_>>()?;
    Ok(MarketStatsListResponse { stats })
}
