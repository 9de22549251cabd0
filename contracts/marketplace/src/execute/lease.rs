//! Leases after the match: results, verification (quorum or dispute window), early closes.

use super::order::normalize_sha256;
use super::settle::{close_lease, evaluate_quorum, finish_order, Outcome};
use super::{ensure_owner, load_lease, provider_id, LoadedLease};
use crate::matching::Matcher;
use crate::state::{StoredResult, CONFIG, OPEN_LEASES, ORDERS};
use crate::{ContractError, MAX_URL_LEN};
use cosmwasm_std::{Addr, DepsMut, Env, Response};
use gridshare_types::marketplace::{CloseReason, LeaseState};

/// An open lease in the expected state.
fn expect_state(loaded: &LoadedLease, expected: LeaseState) -> Result<(), ContractError> {
    if loaded.lease.state != expected {
        return Err(ContractError::WrongLeaseState {
            lease_id: loaded.lease_id,
            state: loaded.lease.state,
            expected,
        });
    }
    Ok(())
}

/// Saves the order, closes its account when it is done, matches freed capacity, and returns the
/// gathered messages.
fn conclude(
    deps: DepsMut,
    env: &Env,
    mut tx: Matcher,
    order_id: u64,
    mut order: crate::state::Order,
) -> Result<Response, ContractError> {
    finish_order(&mut tx, order_id, &mut order)?;
    ORDERS.save(deps.storage, order_id, &order)?;
    Ok(tx.finish(deps.storage, &env.contract.address)?)
}

pub struct Submission {
    pub lease_id: u64,
    pub sha256: String,
    pub output_uri: String,
    pub runtime_seconds: u64,
    pub energy_wh: u64,
}

pub fn submit_result(
    deps: DepsMut,
    env: &Env,
    sender: &Addr,
    msg: Submission,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let sha256 = normalize_sha256(&msg.sha256)?;
    if msg.output_uri.is_empty() || msg.output_uri.len() > MAX_URL_LEN {
        return Err(ContractError::InvalidResult {
            field: "output_uri",
            reason: "must be 1 to 512 bytes",
        });
    }
    let loaded = load_lease(deps.storage, msg.lease_id)?;
    let sender_id = provider_id(deps.storage, sender).ok();
    if sender_id != Some(loaded.provider) {
        return Err(ContractError::NotLeaseProvider {
            sender: sender.to_string(),
            lease_id: msg.lease_id,
        });
    }
    if loaded.lease.result.is_some() {
        return Err(ContractError::AlreadySubmitted {
            lease_id: msg.lease_id,
        });
    }
    expect_state(&loaded, LeaseState::Active)?;
    let now = env.block.time.seconds();
    let LoadedLease {
        lease_id,
        order_id,
        mut order,
        provider,
        mut lease,
        ..
    } = loaded;
    lease.state = LeaseState::Submitted;
    lease.result = Some(StoredResult {
        sha256: sha256.clone(),
        output_uri: msg.output_uri,
        runtime_seconds: msg.runtime_seconds,
        energy_wh: msg.energy_wh,
        submitted_at: now,
    });
    OPEN_LEASES.save(deps.storage, (provider, lease_id), &lease)?;
    let mut tx = Matcher::new(&config, now);
    evaluate_quorum(deps.storage, &deps.querier, &mut tx, order_id, &mut order)?;
    Ok(conclude(deps, env, tx, order_id, order)?
        .add_attribute("action", "submit_result")
        .add_attribute("lease_id", lease_id.to_string())
        .add_attribute("sha256", sha256))
}

/// The renter cancels (the provider is paid for the time so far) or the provider withdraws (paid
/// nothing) an active lease.
pub fn close(
    deps: DepsMut,
    env: &Env,
    sender: &Addr,
    lease_id: u64,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let loaded = load_lease(deps.storage, lease_id)?;
    let outcome = if loaded.order.renter == *sender {
        Outcome::RenterCancel
    } else if provider_id(deps.storage, sender).ok() == Some(loaded.provider) {
        Outcome::ProviderWithdraw
    } else {
        return Err(ContractError::NotLeaseParty {
            sender: sender.to_string(),
            lease_id,
        });
    };
    expect_state(&loaded, LeaseState::Active)?;
    let LoadedLease {
        order_id,
        mut order,
        provider,
        lease,
        ..
    } = loaded;
    let mut tx = Matcher::new(&config, env.block.time.seconds());
    close_lease(
        deps.storage,
        &deps.querier,
        &mut tx,
        &mut order,
        provider,
        lease_id,
        lease,
        outcome,
    )?;
    evaluate_quorum(deps.storage, &deps.querier, &mut tx, order_id, &mut order)?;
    let reason = match outcome {
        Outcome::RenterCancel => "renter_cancelled",
        _ => "provider_withdrew",
    };
    Ok(conclude(deps, env, tx, order_id, order)?
        .add_attribute("action", "close_lease")
        .add_attribute("lease_id", lease_id.to_string())
        .add_attribute("reason", reason))
}

/// Anyone: accepts a single-replica result after its dispute window, or expires an active lease
/// past its max duration.
pub fn finalize(deps: DepsMut, env: &Env, lease_id: u64) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let now = env.block.time.seconds();
    let loaded = load_lease(deps.storage, lease_id)?;
    let outcome = match loaded.lease.state {
        LeaseState::Active => {
            let until = loaded.lease.start.saturating_add(loaded.order.max_duration);
            if now <= until {
                return Err(ContractError::LeaseNotOverdue { lease_id, until });
            }
            Outcome::Expire
        }
        LeaseState::Submitted => {
            if loaded.order.replication >= 2 {
                return Err(ContractError::QuorumVerified {
                    lease_id,
                    replication: loaded.order.replication,
                });
            }
            if loaded.lease.disputed {
                return Err(ContractError::Disputed { lease_id });
            }
            let until = window_end(&loaded, config.dispute_window);
            if now < until {
                return Err(ContractError::DisputeWindowOpen { lease_id, until });
            }
            Outcome::Accept
        }
        state => {
            return Err(ContractError::WrongLeaseState {
                lease_id,
                state,
                expected: LeaseState::Submitted,
            })
        }
    };
    let LoadedLease {
        order_id,
        mut order,
        provider,
        lease,
        ..
    } = loaded;
    let mut tx = Matcher::new(&config, now);
    close_lease(
        deps.storage,
        &deps.querier,
        &mut tx,
        &mut order,
        provider,
        lease_id,
        lease,
        outcome,
    )?;
    evaluate_quorum(deps.storage, &deps.querier, &mut tx, order_id, &mut order)?;
    Ok(conclude(deps, env, tx, order_id, order)?
        .add_attribute("action", "finalize")
        .add_attribute("lease_id", lease_id.to_string())
        .add_attribute(
            "outcome",
            if outcome == Outcome::Accept {
                "accepted"
            } else {
                "expired"
            },
        ))
}

/// When a submitted lease's dispute window closes.
pub fn window_end(loaded: &LoadedLease, dispute_window: u64) -> u64 {
    loaded
        .lease
        .result
        .as_ref()
        .map_or(0, |r| r.submitted_at)
        .saturating_add(dispute_window)
}

pub fn dispute(
    deps: DepsMut,
    env: &Env,
    sender: &Addr,
    lease_id: u64,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let loaded = load_lease(deps.storage, lease_id)?;
    if loaded.order.renter != *sender {
        return Err(ContractError::NotRenter {
            sender: sender.to_string(),
            order_id: loaded.order_id,
        });
    }
    expect_state(&loaded, LeaseState::Submitted)?;
    if loaded.order.replication >= 2 {
        return Err(ContractError::QuorumVerified {
            lease_id,
            replication: loaded.order.replication,
        });
    }
    if loaded.lease.disputed {
        return Err(ContractError::AlreadyDisputed { lease_id });
    }
    let closed_at = window_end(&loaded, config.dispute_window);
    if env.block.time.seconds() >= closed_at {
        return Err(ContractError::DisputeWindowClosed {
            lease_id,
            closed_at,
        });
    }
    let mut lease = loaded.lease;
    lease.disputed = true;
    OPEN_LEASES.save(deps.storage, (loaded.provider, lease_id), &lease)?;
    Ok(Response::new()
        .add_attribute("action", "dispute")
        .add_attribute("lease_id", lease_id.to_string()))
}

pub fn resolve_dispute(
    deps: DepsMut,
    env: &Env,
    sender: &Addr,
    lease_id: u64,
    uphold_result: bool,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    ensure_owner(&config, sender)?;
    let loaded = load_lease(deps.storage, lease_id)?;
    expect_state(&loaded, LeaseState::Submitted)?;
    if !loaded.lease.disputed {
        return Err(ContractError::NotDisputed { lease_id });
    }
    let outcome = if uphold_result {
        Outcome::Accept
    } else {
        Outcome::Reject(CloseReason::DisputeWon)
    };
    let LoadedLease {
        order_id,
        mut order,
        provider,
        lease,
        ..
    } = loaded;
    let mut tx = Matcher::new(&config, env.block.time.seconds());
    close_lease(
        deps.storage,
        &deps.querier,
        &mut tx,
        &mut order,
        provider,
        lease_id,
        lease,
        outcome,
    )?;
    Ok(conclude(deps, env, tx, order_id, order)?
        .add_attribute("action", "resolve_dispute")
        .add_attribute("lease_id", lease_id.to_string())
        .add_attribute("upheld", uphold_result.to_string()))
}
