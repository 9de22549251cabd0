//! The verification game: how an order's replicas are judged.
//!
//! Every replica commits to its result before its `commit_deadline` (`start + max_duration`).
//! Reveals open when no replica of the order can still commit or match: every open replica
//! committed (and none is left to match), or the others missed their commit deadline. From then
//! the replicas have `reveal_window` seconds to reveal. Missing either deadline is a liveness
//! fault. Once every committed replica revealed (or the reveal deadline passed) the order is
//! judged:
//!
//! - `k ≥ 2`: a hash revealed by `⌊k/2⌋ + 1` replicas is accepted; the replicas that revealed
//!   another are rejected (dishonesty). Without such a majority a referee is matched.
//! - `k = 1`: the revealed result is accepted when the dispute window closes, unless the renter
//!   disputes (with a bond that funds a referee).
//!
//! The referee is one more replica (lease index `k`) on a provider the order did not use, picked
//! by rendezvous hashing over the eligible offers listed before the order was posted, seeded with
//! the revealed salts and the renter's dispute salt — values nobody knew all of when they chose
//! their own. It commits and reveals like any replica, on its own deadlines. Its hash decides:
//! the replicas that agree with it are accepted, the others rejected. If the referee fails its
//! deadlines, or none can be matched, a `k = 1` result stands and `k ≥ 2` replicas close without
//! a result (unpaid, unslashed).
//!
//! Everything is moved on by [`advance`], run after every commit, reveal, close and `Finalize`,
//! so every lease reaches a final state by its deadlines through permissionless calls.

use super::settle::{accrued, billable_seconds, close_lease, stop_matching, Outcome};
use crate::external::forfeit_msg;
use crate::matching::{fits_order, is_live, lease_cap, Matcher};
use crate::reputation::reputation_of;
use crate::state::{
    Lease, Order, OFFERS, OFFER_BOOK, OFFER_FREE, OPEN_LEASES, PROVIDERS, PROVIDER_HOT,
};
use crate::ContractError;
use cosmwasm_std::{Order as Direction, QuerierWrapper, Storage, Uint128};
use cw_storage_plus::Bound;
use gridshare_types::marketplace::{dispute_bond, lease_id, CloseReason, LeaseState, OrderStatus};
use sha2::{Digest, Sha256};

/// One open lease of an order.
pub struct Replica {
    pub provider: u32,
    pub lease_id: u64,
    pub lease: Lease,
}

impl Replica {
    fn hash(&self) -> Option<&str> {
        self.lease.result.as_ref()?.sha256.as_deref()
    }
}

/// The last second a lease may commit.
pub fn commit_deadline(lease: &Lease, order: &Order) -> u64 {
    lease.start.saturating_add(order.max_duration)
}

/// The last second a committed lease may reveal: the order's reveal window, or for the referee,
/// `reveal_window` after its own commitment.
pub fn reveal_deadline(
    lease: &Lease,
    order: &Order,
    referee: bool,
    reveal_window: u64,
) -> Option<u64> {
    let opened = if referee {
        lease.result.as_ref().map(|r| r.committed_at)
    } else {
        order.verification.reveals_open_at
    };
    opened.map(|at| at.saturating_add(reveal_window))
}

/// When a revealed single-replica result's dispute window closes.
pub fn dispute_window_end(lease: &Lease, dispute_window: u64) -> Option<u64> {
    let revealed = lease.result.as_ref()?.revealed_at?;
    Some(revealed.saturating_add(dispute_window))
}

/// The open leases of an order: its replicas, and its referee if one is open.
pub fn open_leases(
    storage: &dyn Storage,
    order_id: u64,
    order: &Order,
) -> Result<(Vec<Replica>, Option<Replica>), ContractError> {
    let mut replicas = vec![];
    let mut referee = None;
    for replica in 0..=order.replication {
        let Some(provider) = order.provider_of(replica) else {
            continue;
        };
        let id = lease_id(order_id, replica).ok_or(ContractError::LeaseNotFound { lease_id: 0 })?;
        if let Some(lease) = OPEN_LEASES.may_load(storage, (provider, id))? {
            let open = Replica {
                provider,
                lease_id: id,
                lease,
            };
            if replica == order.replication {
                referee = Some(open);
            } else {
                replicas.push(open);
            }
        }
    }
    Ok((replicas, referee))
}

/// Moves an order's verification on by its deadlines and verdicts. Returns whether anything
/// changed. The caller saves `order` (after `finish_order`).
pub fn advance(
    storage: &mut dyn Storage,
    querier: &QuerierWrapper,
    tx: &mut Matcher,
    order_id: u64,
    order: &mut Order,
) -> Result<bool, ContractError> {
    let now = tx.now;
    let mut progressed = false;
    let (open, referee) = open_leases(storage, order_id, order)?;

    // Replicas that never committed: a liveness fault once their commit deadline passed.
    let mut replicas = vec![];
    for r in open {
        if r.lease.state == LeaseState::Active && now > commit_deadline(&r.lease, order) {
            close(storage, querier, tx, order, r, Outcome::Expire)?;
            progressed = true;
        } else {
            replicas.push(r);
        }
    }

    // Reveals open once nobody can still commit or be matched.
    if order.verification.reveals_open_at.is_none() {
        let can_still_match = order.status == OrderStatus::Open && now < order.deadline;
        let waiting = replicas.iter().any(|r| r.lease.state == LeaseState::Active);
        if !waiting && !replicas.is_empty() && !can_still_match {
            if order.status == OrderStatus::Open {
                stop_matching(storage, tx, order_id, order, OrderStatus::Expired)?;
            }
            order.verification.reveals_open_at = Some(now);
            progressed = true;
        }
    }
    let Some(opened) = order.verification.reveals_open_at else {
        return Ok(progressed);
    };

    // Replicas that committed but did not reveal in time: a liveness fault.
    let deadline = opened.saturating_add(tx.config.reveal_window);
    let mut revealed = vec![];
    let mut pending = false;
    for r in replicas {
        match r.lease.state {
            LeaseState::Committed if now > deadline => {
                close(storage, querier, tx, order, r, Outcome::MissedReveal)?;
                progressed = true;
            }
            LeaseState::Revealed => revealed.push(r),
            _ => pending = true,
        }
    }
    if revealed.is_empty() {
        return Ok(progressed);
    }
    if let Some(canonical) = order.canonical.clone() {
        // Late reveals are judged against the result already accepted.
        let by_referee = order.verification.referee.is_some();
        settle_against(
            storage, querier, tx, order, revealed, &canonical, by_referee,
        )?;
        return Ok(true);
    }
    if let Some(referee) = referee {
        if pending {
            return Ok(progressed);
        }
        return Ok(judge_by_referee(storage, querier, tx, order, revealed, referee)? || progressed);
    }
    if order.verification.referee.is_some() {
        // The referee closed without answering: reaped for silence, or its lease closed early
        // by its provider or the renter. Judged like a referee that missed its deadlines —
        // otherwise the revealed replicas would wait forever. (An override closes the disputed
        // lease itself first, so nothing is left revealed here then.)
        unanswered(storage, querier, tx, order, revealed)?;
        return Ok(true);
    }
    if order.replication == 1 {
        let Some(single) = revealed.pop() else {
            return Ok(progressed);
        };
        let window_over = dispute_window_end(&single.lease, tx.config.dispute_window)
            .is_some_and(|end| now >= end);
        if single.lease.disputed || !window_over {
            return Ok(progressed);
        }
        order.canonical = single.hash().map(str::to_string);
        close(storage, querier, tx, order, single, Outcome::Accept)?;
        return Ok(true);
    }

    // k ≥ 2: a strict majority of the order's replicas, whatever happened to the others. It is
    // final as soon as it exists: the replicas still to reveal cannot outvote it.
    let majority = usize::from(order.replication) / 2 + 1;
    let winner = revealed
        .iter()
        .filter_map(Replica::hash)
        .find(|h| revealed.iter().filter(|o| o.hash() == Some(*h)).count() >= majority)
        .map(str::to_string);
    if let Some(canonical) = winner {
        settle_against(storage, querier, tx, order, revealed, &canonical, false)?;
        order.canonical = Some(canonical);
        return Ok(true);
    }
    if pending {
        return Ok(progressed);
    }
    let seed = referee_seed(order_id, &revealed, None);
    if open_referee(storage, tx, order_id, order, &seed)?.is_none() {
        no_verdict(storage, querier, tx, order, revealed)?;
    }
    Ok(true)
}

/// Whether reveals are open for the order, or would open at the next `advance`: nobody can
/// still commit (every open replica committed or missed its deadline) or be matched.
pub fn reveals_open(
    storage: &dyn Storage,
    order_id: u64,
    order: &Order,
    now: u64,
) -> Result<bool, ContractError> {
    if order.verification.reveals_open_at.is_some() {
        return Ok(true);
    }
    if order.status == OrderStatus::Open && now < order.deadline {
        return Ok(false);
    }
    let (replicas, _) = open_leases(storage, order_id, order)?;
    Ok(replicas
        .iter()
        .all(|r| r.lease.state != LeaseState::Active || now > commit_deadline(&r.lease, order)))
}

/// The referee has answered (or failed its deadlines): its hash decides.
fn judge_by_referee(
    storage: &mut dyn Storage,
    querier: &QuerierWrapper,
    tx: &mut Matcher,
    order: &mut Order,
    revealed: Vec<Replica>,
    referee: Replica,
) -> Result<bool, ContractError> {
    let now = tx.now;
    let verdict = match referee.lease.state {
        LeaseState::Active if now > commit_deadline(&referee.lease, order) => None,
        LeaseState::Committed
            if reveal_deadline(&referee.lease, order, true, tx.config.reveal_window)
                .is_some_and(|d| now > d) =>
        {
            None
        }
        LeaseState::Revealed => referee.hash().map(str::to_string),
        _ => return Ok(false),
    };
    let Some(verdict) = verdict else {
        // The referee failed: it is at fault, and the replicas are judged without it.
        let fault = if referee.lease.state == LeaseState::Active {
            Outcome::Expire
        } else {
            Outcome::MissedReveal
        };
        close(storage, querier, tx, order, referee, fault)?;
        unanswered(storage, querier, tx, order, revealed)?;
        return Ok(true);
    };
    let agrees = revealed.iter().any(|r| r.hash() == Some(verdict.as_str()));
    if order.replication == 1 || agrees {
        // k = 1: the renter's dispute and the referee against the provider, or the referee with
        // the provider. k ≥ 2: the referee and the replicas that agree with it are the majority.
        let referee_paid = accrued(
            order,
            &referee.lease,
            billable_seconds(order, &referee.lease),
        )?;
        close(storage, querier, tx, order, referee, Outcome::Accept)?;
        if order.replication == 1 && agrees {
            // The renter lost its dispute: what the referee did not use of its bond goes to the
            // provider it disputed.
            forfeit_bond(storage, tx, order, &revealed, referee_paid)?;
        }
        settle_against(storage, querier, tx, order, revealed, &verdict, true)?;
        order.canonical = Some(verdict);
    } else {
        // k ≥ 2 and no replica agrees: the referee's result is as unconfirmed as theirs, so it
        // closes with them without a verdict (never accepted and paid for an output nobody
        // confirmed, which would pay a referee that committed anything at all).
        let mut unconfirmed = revealed;
        unconfirmed.push(referee);
        no_verdict(storage, querier, tx, order, unconfirmed)?;
    }
    Ok(true)
}

/// Sends the disputed provider the part of the renter's bond the referee's pay left.
fn forfeit_bond(
    storage: &dyn Storage,
    tx: &mut Matcher,
    order: &Order,
    revealed: &[Replica],
    referee_paid: Uint128,
) -> Result<(), ContractError> {
    let rest = order.verification.bond.saturating_sub(referee_paid);
    let Some(disputed) = revealed.first() else {
        return Ok(());
    };
    if rest.is_zero() {
        return Ok(());
    }
    let provider = PROVIDERS.load(storage, disputed.provider)?.address;
    tx.msgs.push(forfeit_msg(
        tx.config,
        gridshare_types::marketplace::order_of_lease(disputed.lease_id),
        rest,
        &provider,
    )?);
    Ok(())
}

/// The referee gave no answer (it failed its deadlines, or closed without revealing): a `k = 1`
/// result stands and the bond returns with the account; `k ≥ 2` replicas close without a verdict.
fn unanswered(
    storage: &mut dyn Storage,
    querier: &QuerierWrapper,
    tx: &mut Matcher,
    order: &mut Order,
    mut revealed: Vec<Replica>,
) -> Result<(), ContractError> {
    if order.replication == 1 {
        if let Some(single) = revealed.pop() {
            order.canonical = single.hash().map(str::to_string);
            close(storage, querier, tx, order, single, Outcome::Accept)?;
        }
        Ok(())
    } else {
        no_verdict(storage, querier, tx, order, revealed)
    }
}

/// Accepts the revealed replicas that agree with `canonical` and rejects the others
/// (dishonesty). Only a referee, which no party chose, sends the slashed provider's compensation
/// to the renter.
fn settle_against(
    storage: &mut dyn Storage,
    querier: &QuerierWrapper,
    tx: &mut Matcher,
    order: &mut Order,
    revealed: Vec<Replica>,
    canonical: &str,
    by_referee: bool,
) -> Result<(), ContractError> {
    for r in revealed {
        let outcome = if r.hash() == Some(canonical) {
            Outcome::Accept
        } else if !by_referee {
            Outcome::Reject(CloseReason::RejectedByQuorum)
        } else if order.replication == 1 {
            Outcome::Reject(CloseReason::DisputeWon)
        } else {
            Outcome::Reject(CloseReason::RejectedByReferee)
        };
        close(storage, querier, tx, order, r, outcome)?;
    }
    Ok(())
}

/// No result can be accepted: the revealed replicas close unpaid and unslashed — or, when the
/// renter cancelled a replica after one committed, paid for their billable time.
fn no_verdict(
    storage: &mut dyn Storage,
    querier: &QuerierWrapper,
    tx: &mut Matcher,
    order: &mut Order,
    revealed: Vec<Replica>,
) -> Result<(), ContractError> {
    let outcome = if order.verification.cut_short {
        Outcome::PaidUnverified
    } else {
        Outcome::NoQuorum
    };
    for r in revealed {
        close(storage, querier, tx, order, r, outcome)?;
    }
    Ok(())
}

fn close(
    storage: &mut dyn Storage,
    querier: &QuerierWrapper,
    tx: &mut Matcher,
    order: &mut Order,
    r: Replica,
    outcome: Outcome,
) -> Result<(), ContractError> {
    close_lease(
        storage, querier, tx, order, r.provider, r.lease_id, r.lease, outcome,
    )
}

/// The referee's selection seed: `sha256("gridshare-referee" ‖ order id ‖ renter salt ‖ revealed
/// salts)`. Each provider fixed its salt in its commitment before any other salt was revealed,
/// and the renter committed its salt with the order, so no single party can steer the draw.
pub fn referee_seed(order_id: u64, revealed: &[Replica], renter_salt: Option<&str>) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(b"gridshare-referee");
    hasher.update(order_id.to_be_bytes());
    hasher.update(renter_salt.unwrap_or_default().as_bytes());
    for r in revealed {
        if let Some(salt) = r.lease.result.as_ref().and_then(|x| x.salt.as_deref()) {
            hasher.update(salt.as_bytes());
        }
    }
    hasher.finalize().into()
}

/// Matches a referee for the order (lease index `replication`), if an eligible offer is listed
/// and the order's account can fund it. An eligible offer rests in the book for one of the
/// order's models and its denom at no more than its max price, fits its durations and region,
/// was listed before the order was posted, and belongs to a live provider with the order's
/// minimum reputation that is neither the renter nor one of its replicas. Among at most
/// `max_scan` of them, the one with the lowest `sha256(seed ‖ offer id)` wins: removing another
/// offer never changes the winner, and adding one after the order was posted is not possible.
pub fn open_referee(
    storage: &mut dyn Storage,
    tx: &mut Matcher,
    order_id: u64,
    order: &mut Order,
    seed: &[u8; 32],
) -> Result<Option<u64>, ContractError> {
    let Some(pick) = pick_referee(storage, tx, order, seed)? else {
        return Ok(None);
    };
    let offer = OFFERS.load(storage, pick.offer_id)?;
    let payee = PROVIDERS.load(storage, pick.provider)?.address;
    let key = (offer.model, offer.denom, (pick.price.u128(), pick.offer_id));
    let replica = order.replication;
    let id = tx.open_lease(
        storage,
        order_id,
        order,
        pick.offer_id,
        key,
        pick.provider,
        &payee,
        pick.free,
        replica,
    )?;
    order.verification.referee = Some(pick.provider);
    Ok(Some(id))
}

/// The offer a referee would be matched on (see [`open_referee`]); reads only.
pub struct RefereePick {
    pub offer_id: u64,
    pub provider: u32,
    pub price: Uint128,
    pub free: u32,
}

pub fn pick_referee(
    storage: &dyn Storage,
    tx: &Matcher,
    order: &Order,
    seed: &[u8; 32],
) -> Result<Option<RefereePick>, ContractError> {
    if order.verification.referee.is_some() {
        return Ok(None);
    }
    let headroom = order
        .budget
        .saturating_add(order.verification.bond)
        .saturating_sub(order.committed);
    let max_price = order.max_price.u128();
    let mut examined = 0u32;
    let mut best: Option<([u8; 32], u64, u32, Uint128, u32)> = None;
    'models: for model in order.models.clone() {
        let range = OFFER_BOOK.prefix((model, order.denom)).range(
            storage,
            None,
            Some(Bound::inclusive((max_price, u64::MAX))),
            Direction::Ascending,
        );
        for item in range {
            if examined >= tx.config.max_scan {
                break 'models;
            }
            examined += 1;
            let ((price, offer_id), entry) = item?;
            let price = Uint128::new(price);
            let cap = lease_cap(price, order.gpu_count, order.max_duration);
            if !fits_order(&entry, order)
                || order.providers.contains(&entry.provider)
                || entry.address == order.renter
                || cap.is_zero()
                || cap > headroom
            {
                continue;
            }
            let offer = OFFERS.load(storage, offer_id)?;
            let free = OFFER_FREE.may_load(storage, offer_id)?.unwrap_or_default();
            if offer.created_at > order.created_at || free < order.gpu_count {
                continue;
            }
            let Some(hot) = PROVIDER_HOT.may_load(storage, entry.provider)? else {
                continue;
            };
            if !is_live(&hot, tx.now, tx.config.max_silence)
                || order
                    .requirements
                    .min_reputation
                    .is_some_and(|min| reputation_of(&hot) < min)
            {
                continue;
            }
            let draw: [u8; 32] = Sha256::new()
                .chain_update(seed)
                .chain_update(offer_id.to_be_bytes())
                .finalize()
                .into();
            if best.as_ref().is_none_or(|b| draw < b.0) {
                best = Some((draw, offer_id, entry.provider, price, free));
            }
        }
    }
    Ok(
        best.map(|(_, offer_id, provider, price, free)| RefereePick {
            offer_id,
            provider,
            price,
            free,
        }),
    )
}

/// The bond a dispute of this order attaches: one replica's budget.
pub fn bond_of(order: &Order) -> Uint128 {
    dispute_bond(order.gpu_count, order.max_price, order.max_duration).unwrap_or(Uint128::MAX)
}

/// The earliest time at which [`advance`] can move the order on by a deadline (`Finalize`'s
/// "not before"); `None` when it waits on a party's action only, or nothing is open.
pub fn next_deadline(
    storage: &dyn Storage,
    config: &crate::state::Config,
    order_id: u64,
    order: &Order,
) -> Result<Option<u64>, ContractError> {
    let (replicas, referee) = open_leases(storage, order_id, order)?;
    let mut times = vec![];
    for r in &replicas {
        match r.lease.state {
            LeaseState::Active => times.push(commit_deadline(&r.lease, order).saturating_add(1)),
            LeaseState::Committed => {
                if let Some(d) = reveal_deadline(&r.lease, order, false, config.reveal_window) {
                    times.push(d.saturating_add(1));
                }
            }
            LeaseState::Revealed if order.replication == 1 && !r.lease.disputed => {
                times.extend(dispute_window_end(&r.lease, config.dispute_window));
            }
            _ => {}
        }
    }
    // The order's deadline opens reveals only when no replica still owes a commitment (those
    // that do are due at their own commit deadlines above): otherwise `Finalize` would be
    // announced for a time at which it is still refused.
    if order.verification.reveals_open_at.is_none()
        && order.status == OrderStatus::Open
        && !replicas.is_empty()
        && replicas.iter().all(|r| r.lease.state != LeaseState::Active)
    {
        times.push(order.deadline);
    }
    if let Some(r) = referee {
        match r.lease.state {
            LeaseState::Active => times.push(commit_deadline(&r.lease, order).saturating_add(1)),
            LeaseState::Committed => {
                if let Some(d) = reveal_deadline(&r.lease, order, true, config.reveal_window) {
                    times.push(d.saturating_add(1));
                }
            }
            _ => {}
        }
    }
    Ok(times.into_iter().min())
}
