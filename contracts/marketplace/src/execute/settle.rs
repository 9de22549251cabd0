//! How leases end and orders wind down: the payment closed at the right time, the provider paid,
//! reported or slashed, its units freed, and the order's escrow account closed once nothing is
//! left to run or match.

use super::provider::book_entry;
use super::verify::{advance, bond_of};
use crate::external::{
    close_account_msg, close_payment_msg, lowered_lock, refund_msg, report_work_msg,
    set_locked_msg, slash_msg,
};
use crate::matching::lease_cap;
use crate::matching::{offer_key, unrest, Matcher};
use crate::state::{
    Closure, Lease, Order, CLOSED_LEASES, DENOMS, OFFERS, OFFERS_BY_PROVIDER, OFFER_BOOK,
    OFFER_FREE, OPEN_LEASES, ORDERS, ORDER_DEADLINES, PROVIDERS, PROVIDER_HOT,
};
use crate::ContractError;
use cosmwasm_std::{Order as Direction, QuerierWrapper, StdResult, Storage, Uint128};
use cw_storage_plus::Bound;
use gridshare_types::escrow::{fee_on, Rate};
use gridshare_types::marketplace::{CloseReason, LeaseState, OrderStatus};
use gridshare_types::staking::DenomAmount;

/// How a lease ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Result accepted: paid for its billable time, work reported.
    Accept,
    /// Result rejected (by quorum, or by a referee): unpaid, dishonesty slash.
    Reject(CloseReason),
    /// Silent before committing: unpaid, liveness slash.
    Silent,
    /// Revealed without a majority, even with a referee: unpaid, no one to blame.
    NoQuorum,
    /// Revealed without a verdict on an order the renter cut short (cancelled a replica or the
    /// order): paid for its billable time (the renter cannot hold an output and a full refund).
    PaidUnverified,
    /// No commitment by the commit deadline: unpaid, liveness slash.
    Expire,
    /// Committed but no reveal by the reveal deadline: unpaid, liveness slash.
    MissedReveal,
    /// The renter cancelled an active lease: the provider is paid for the time so far.
    RenterCancel,
    /// The provider withdrew from an active lease: unpaid.
    ProviderWithdraw,
    /// The provider handed the lease back as the renter's fault, before any replica committed:
    /// unpaid, no slash, no reputation change (counted in `handed_back`).
    HandBack,
    /// The provider withdrew after another replica committed: unpaid, liveness slash.
    Abandon,
}

/// The seconds a lease with a commitment is billed for: `min(commit time − start,
/// max_runtime_seconds)`, and never past `max_duration`.
pub fn billable_seconds(order: &Order, lease: &Lease) -> u64 {
    lease.result.as_ref().map_or(0, |r| {
        r.committed_at
            .saturating_sub(lease.start)
            .min(order.spec.0.max_runtime_seconds)
            .min(order.max_duration)
    })
}

/// Ends an open lease. The caller saves `order` (and then calls [`finish_order`]).
#[allow(clippy::too_many_arguments)]
pub fn close_lease(
    storage: &mut dyn Storage,
    querier: &QuerierWrapper,
    tx: &mut Matcher,
    order: &mut Order,
    provider_id: u32,
    lease_id: u64,
    mut lease: Lease,
    outcome: Outcome,
) -> Result<(), ContractError> {
    let start = lease.start;
    let max_end = start.saturating_add(order.max_duration);
    let proven_end = start.saturating_add(billable_seconds(order, &lease));
    let dishonest = Some(tx.config.slash);
    let liveness = Some(tx.config.liveness_slash);
    let (state, reason, paid_until, slash) = match outcome {
        Outcome::Accept => (
            LeaseState::Accepted,
            CloseReason::Completed,
            proven_end,
            None,
        ),
        Outcome::Reject(reason) => (LeaseState::Rejected, reason, start, dishonest),
        Outcome::Silent => (LeaseState::Failed, CloseReason::Silent, start, liveness),
        Outcome::NoQuorum => (LeaseState::Failed, CloseReason::NoQuorum, start, None),
        Outcome::PaidUnverified => (
            LeaseState::Cancelled,
            CloseReason::RenterCancelled,
            proven_end,
            None,
        ),
        Outcome::Expire => (LeaseState::Expired, CloseReason::Expired, start, liveness),
        Outcome::MissedReveal => (
            LeaseState::Failed,
            CloseReason::MissedReveal,
            start,
            liveness,
        ),
        Outcome::RenterCancel => (
            LeaseState::Cancelled,
            CloseReason::RenterCancelled,
            tx.now.clamp(start, max_end),
            None,
        ),
        Outcome::ProviderWithdraw => (
            LeaseState::Cancelled,
            CloseReason::ProviderWithdrew,
            start,
            None,
        ),
        Outcome::HandBack => (LeaseState::Cancelled, CloseReason::RenterFault, start, None),
        Outcome::Abandon => (
            LeaseState::Cancelled,
            CloseReason::ProviderWithdrew,
            start,
            liveness,
        ),
    };
    let provider = PROVIDERS.load(storage, provider_id)?;
    let mut hot = PROVIDER_HOT.load(storage, provider_id)?;
    tx.msgs
        .push(close_payment_msg(tx.config, lease_id, paid_until)?);
    match outcome {
        Outcome::Accept => {
            hot.accepted = hot.accepted.saturating_add(1);
            if let Some(mwh) = lease.result.as_ref().and_then(|r| r.energy_mwh) {
                hot.energy_mwh = hot.energy_mwh.saturating_add(mwh);
                hot.energy_measured = hot.energy_measured.saturating_add(1);
            }
            let billable = paid_until - start;
            let gpu_seconds = u64::from(lease.units).saturating_mul(billable);
            if gpu_seconds > 0 {
                let fee = emission_fee(storage, order, &lease, &provider.address, billable)?;
                tx.msgs.push(report_work_msg(
                    tx.config,
                    &provider.address,
                    gpu_seconds,
                    fee,
                )?);
            }
        }
        Outcome::Reject(_) | Outcome::Expire | Outcome::ProviderWithdraw | Outcome::Abandon => {
            hot.rejected = hot.rejected.saturating_add(1);
        }
        Outcome::Silent | Outcome::MissedReveal => hot.missed = hot.missed.saturating_add(1),
        Outcome::HandBack => hot.handed_back = hot.handed_back.saturating_add(1),
        Outcome::NoQuorum | Outcome::PaidUnverified | Outcome::RenterCancel => {}
    }
    if let Some(rule) = slash {
        // A quorum's rejection may have been formed by replicas the renter itself runs: its
        // compensation goes to the treasury, never to the renter.
        let compensation = match outcome {
            Outcome::Reject(CloseReason::RejectedByQuorum) => None,
            _ => Some(&order.renter),
        };
        if let Some(msg) = slash_msg(
            tx.config,
            rule,
            &provider.address,
            reason.name(),
            lease_id,
            compensation,
        )? {
            tx.msgs.push(msg);
        }
    }
    PROVIDER_HOT.save(storage, provider_id, &hot)?;

    lease.state = state;
    if let Some(result) = lease.result.as_mut() {
        result.salt = None;
    }
    lease.closure = Some(Closure {
        reason,
        at: tx.now,
        paid_until,
    });
    OPEN_LEASES.remove(storage, (provider_id, lease_id));
    CLOSED_LEASES.save(storage, lease_id, &lease)?;
    order.open_leases = order.open_leases.saturating_sub(1);
    release_units(storage, querier, tx, lease.offer, lease.units)
}

/// The fee an accepted lease's payment carries for `billable` seconds, by escrow's own accrual
/// rule; it weighs the provider's share of work emissions. A lease the renter bought from itself
/// earns no emission weight: its fee would only move coins between the same account's pockets.
fn emission_fee(
    storage: &dyn Storage,
    order: &Order,
    lease: &Lease,
    provider: &cosmwasm_std::Addr,
    billable: u64,
) -> StdResult<Option<DenomAmount>> {
    if order.renter == *provider {
        return Ok(None);
    }
    let fee = fee_on(accrued(order, lease, billable)?, order.fee_bps);
    if fee.is_zero() {
        return Ok(None);
    }
    Ok(Some(DenomAmount {
        denom: DENOMS.load(storage, order.denom)?,
        amount: fee,
    }))
}

/// What a lease's payment releases for `billable` seconds, by escrow's own accrual rule
/// (`gridshare_types::escrow::Rate::accrued`): the rate `price × units` per hour, capped.
pub fn accrued(order: &Order, lease: &Lease, billable: u64) -> StdResult<Uint128> {
    let rate = Rate::per_hour(lease.price.checked_mul(Uint128::from(lease.units))?);
    let cap = lease_cap(lease.price, lease.units, order.max_duration);
    Ok(rate.accrued(cap, billable))
}

/// Gives a closed lease's units back to its offer: free again (and back in the book), or, for a
/// withdrawn offer, off the listing and out of the collateral lock.
fn release_units(
    storage: &mut dyn Storage,
    querier: &QuerierWrapper,
    tx: &mut Matcher,
    offer_id: u64,
    units: u32,
) -> Result<(), ContractError> {
    let mut offer = OFFERS.load(storage, offer_id)?;
    let market = (offer.model, offer.denom);
    tx.stats.sub_leased(storage, market, units)?;
    if offer.withdrawn {
        offer.units = offer.units.saturating_sub(units);
        OFFERS.save(storage, offer_id, &offer)?;
        tx.stats.sub_listed(storage, market, units)?;
        let mut provider = PROVIDERS.load(storage, offer.provider)?;
        provider.listed_units = provider.listed_units.saturating_sub(u64::from(units));
        if offer.units == 0 {
            OFFERS_BY_PROVIDER.remove(storage, (offer.provider, offer_id));
            provider.offers = provider.offers.saturating_sub(1);
        }
        PROVIDERS.save(storage, offer.provider, &provider)?;
        let lock = lowered_lock(querier, tx.config, &provider.address, provider.listed_units)?;
        tx.msgs
            .push(set_locked_msg(tx.config, &provider.address, lock)?);
    } else {
        let free = OFFER_FREE.may_load(storage, offer_id)?.unwrap_or_default();
        OFFER_FREE.save(storage, offer_id, &free.saturating_add(units))?;
        let key = offer_key(offer_id, &offer);
        if !OFFER_BOOK.has(storage, key) && PROVIDER_HOT.load(storage, offer.provider)?.queued {
            let provider = PROVIDERS.load(storage, offer.provider)?;
            OFFER_BOOK.save(
                storage,
                key,
                &book_entry(
                    offer.provider,
                    &provider,
                    offer.min_duration,
                    offer.max_duration,
                ),
            )?;
        }
        if !tx.freed.contains(&offer_id) {
            tx.freed.push(offer_id);
        }
    }
    Ok(())
}

/// Closes the order's escrow account once no lease runs and nothing more can match: the provider
/// payouts left are pushed and the rest of the budget is refunded.
pub fn finish_order(tx: &mut Matcher, order_id: u64, order: &mut Order) -> StdResult<()> {
    if !order.closed && order.open_leases == 0 && order.status != OrderStatus::Open {
        tx.msgs.push(close_account_msg(tx.config, order_id)?);
        order.closed = true;
    }
    Ok(())
}

/// Stops an open order (cancelled or expired): out of the book, its resting demand withdrawn,
/// and its unmatched budget refunded (the whole account closed when no lease runs).
pub fn stop_order(
    storage: &mut dyn Storage,
    querier: &QuerierWrapper,
    tx: &mut Matcher,
    order_id: u64,
    order: &mut Order,
    status: OrderStatus,
) -> Result<(), ContractError> {
    stop_matching(storage, tx, order_id, order, status)?;
    if order.open_leases > 0 {
        advance(storage, querier, tx, order_id, order)?;
    }
    finish_order(tx, order_id, order)?;
    ORDERS.save(storage, order_id, order)?;
    Ok(())
}

/// Takes an open order out of matching: out of the book, its resting demand withdrawn, and the
/// budget of its unmatched replicas refunded while leases still run (a `k ≥ 2` order keeps its
/// referee's reserve until it is settled; the account's close returns it).
pub fn stop_matching(
    storage: &mut dyn Storage,
    tx: &mut Matcher,
    order_id: u64,
    order: &mut Order,
    status: OrderStatus,
) -> Result<(), ContractError> {
    unrest(storage, order_id, order);
    let unmatched = u64::from(order.unmatched()) * u64::from(order.gpu_count);
    tx.stats
        .sub_demand(storage, &order.models, order.denom, unmatched)?;
    order.status = status;
    if order.open_leases > 0 {
        let reserve = if order.replication >= 2 && order.verification.referee.is_none() {
            bond_of(order)
        } else {
            Uint128::zero()
        };
        let unmatched_budget = order
            .budget
            .saturating_sub(order.committed)
            .saturating_sub(reserve);
        if !unmatched_budget.is_zero() {
            tx.msgs
                .push(refund_msg(tx.config, order_id, unmatched_budget)?);
        }
    }
    Ok(())
}

/// Up to `limit` open orders whose deadline has passed, as (index time, order id), oldest first.
pub fn due_orders(storage: &dyn Storage, now: u64, limit: usize) -> StdResult<Vec<(u64, u64)>> {
    ORDER_DEADLINES
        .keys(
            storage,
            None,
            Some(Bound::inclusive((now, u64::MAX))),
            Direction::Ascending,
        )
        .take(limit)
        .collect()
}

/// Matches the resting orders against offers whose units a settlement freed (capacity arriving).
pub fn rematch_freed(storage: &mut dyn Storage, tx: &mut Matcher) -> Result<(), ContractError> {
    let freed = std::mem::take(&mut tx.freed);
    for offer_id in freed {
        let offer = OFFERS.load(storage, offer_id)?;
        let Some(entry) = OFFER_BOOK.may_load(storage, offer_key(offer_id, &offer))? else {
            continue;
        };
        let hot = PROVIDER_HOT.load(storage, offer.provider)?;
        tx.match_offer(storage, offer_id, &offer, &entry, &hot)?;
    }
    Ok(())
}
