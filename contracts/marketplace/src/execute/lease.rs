//! Leases after the match: commitments, reveals, disputes, early closes and `Finalize`. The
//! verdicts themselves are [`super::verify`]'s.

use super::order::normalize_sha256;
use super::settle::{close_lease, finish_order, Outcome};
use super::verify::{
    advance, bond_of, commit_deadline, dispute_window_end, open_leases, open_referee, pick_referee,
    referee_seed, reveal_deadline, reveals_open,
};
use super::{ensure_owner, load_lease, provider_id, LoadedLease};
use crate::external::top_up_msg;
use crate::matching::Matcher;
use crate::state::{StoredResult, CONFIG, DENOMS, OPEN_LEASES, ORDERS};
use crate::{ContractError, MAX_URL_LEN};
use cosmwasm_std::{Addr, DepsMut, Env, Response, Uint128};
use gridshare_types::marketplace::{
    order_of_lease, replica_of_lease, CloseReason, LeaseState, RenterFault,
};
use gridshare_types::verification::{encode_hex, result_commitment, salt_hash};
use gridshare_types::Denom;

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

/// The lease, checked to belong to `sender` as its provider.
fn own_lease(deps: &DepsMut, sender: &Addr, lease_id: u64) -> Result<LoadedLease, ContractError> {
    let loaded = load_lease(deps.storage, lease_id)?;
    if provider_id(deps.storage, sender).ok() != Some(loaded.provider) {
        return Err(ContractError::NotLeaseProvider {
            sender: sender.to_string(),
            lease_id,
        });
    }
    Ok(loaded)
}

/// Moves the order on, saves it, closes its account when it is done, matches freed capacity,
/// and returns the gathered messages.
fn conclude(
    deps: DepsMut,
    env: &Env,
    mut tx: Matcher,
    order_id: u64,
    mut order: crate::state::Order,
) -> Result<Response, ContractError> {
    advance(deps.storage, &deps.querier, &mut tx, order_id, &mut order)?;
    finish_order(&mut tx, order_id, &mut order)?;
    ORDERS.save(deps.storage, order_id, &order)?;
    Ok(tx.finish(deps.storage, &env.contract.address)?)
}

pub struct Commitment {
    pub lease_id: u64,
    pub commitment: String,
    pub output_uri: String,
    pub runtime_seconds: u64,
    pub energy_mwh: Option<u64>,
}

pub fn commit(
    deps: DepsMut,
    env: &Env,
    sender: &Addr,
    msg: Commitment,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let commitment = normalize_sha256(&msg.commitment)?;
    if msg.output_uri.is_empty() || msg.output_uri.len() > MAX_URL_LEN {
        return Err(ContractError::InvalidResult {
            field: "output_uri",
            reason: "must be 1 to 512 bytes",
        });
    }
    let loaded = own_lease(&deps, sender, msg.lease_id)?;
    if loaded.lease.result.is_some() {
        return Err(ContractError::AlreadySubmitted {
            lease_id: msg.lease_id,
        });
    }
    expect_state(&loaded, LeaseState::Active)?;
    let now = env.block.time.seconds();
    let deadline = commit_deadline(&loaded.lease, &loaded.order);
    if now > deadline {
        return Err(ContractError::CommitDeadlinePassed {
            lease_id: msg.lease_id,
            deadline,
        });
    }
    let LoadedLease {
        lease_id,
        order_id,
        order,
        provider,
        mut lease,
    } = loaded;
    lease.state = LeaseState::Committed;
    lease.result = Some(StoredResult {
        commitment: commitment.clone(),
        output_uri: msg.output_uri,
        runtime_seconds: msg.runtime_seconds,
        energy_mwh: msg.energy_mwh,
        committed_at: now,
        sha256: None,
        revealed_at: None,
        salt: None,
    });
    OPEN_LEASES.save(deps.storage, (provider, lease_id), &lease)?;
    let tx = Matcher::new(&config, now);
    Ok(conclude(deps, env, tx, order_id, order)?
        .add_attribute("action", "commit_result")
        .add_attribute("lease_id", lease_id.to_string())
        .add_attribute("commitment", commitment))
}

pub fn reveal(
    deps: DepsMut,
    env: &Env,
    sender: &Addr,
    lease_id: u64,
    sha256: String,
    salt: String,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let sha256 = normalize_sha256(&sha256)?;
    let salt = salt.to_ascii_lowercase();
    let now = env.block.time.seconds();
    let loaded = own_lease(&deps, sender, lease_id)?;
    expect_state(&loaded, LeaseState::Committed)?;
    let LoadedLease {
        order_id,
        mut order,
        provider,
        lease,
        ..
    } = loaded;
    let referee = replica_of_lease(lease_id) == order.replication;
    let open = referee || reveals_open(deps.storage, order_id, &order, now)?;
    if !open {
        return Err(ContractError::RevealsNotOpen { lease_id });
    }
    // Opened now if this reveal is the first since the others' deadlines passed.
    let opened_at = order.verification.reveals_open_at.unwrap_or(now);
    let mut probe = order.clone();
    probe.verification.reveals_open_at = Some(opened_at);
    if let Some(deadline) = reveal_deadline(&lease, &probe, referee, config.reveal_window) {
        if now > deadline {
            return Err(ContractError::RevealDeadlinePassed { lease_id, deadline });
        }
    }
    let expected = lease
        .result
        .as_ref()
        .map(|r| r.commitment.clone())
        .unwrap_or_default();
    let opened = result_commitment(&sha256, lease_id, sender.as_str(), &salt).ok_or(
        ContractError::InvalidResult {
            field: "salt",
            reason: "must be hex of 16 to 32 bytes",
        },
    )?;
    if opened != expected {
        return Err(ContractError::CommitmentMismatch { lease_id, expected });
    }
    // Every check passed: apply the deadlines that passed (opening reveals), then the reveal.
    let mut tx = Matcher::new(&config, now);
    advance(deps.storage, &deps.querier, &mut tx, order_id, &mut order)?;
    let mut lease = OPEN_LEASES
        .may_load(deps.storage, (provider, lease_id))?
        .ok_or(ContractError::LeaseNotFound { lease_id })?;
    let commitment = expected;
    lease.state = LeaseState::Revealed;
    if let Some(result) = lease.result.as_mut() {
        result.sha256 = Some(sha256.clone());
        result.revealed_at = Some(now);
        result.salt = Some(salt);
    }
    OPEN_LEASES.save(deps.storage, (provider, lease_id), &lease)?;
    Ok(conclude(deps, env, tx, order_id, order)?
        .add_attribute("action", "reveal_result")
        .add_attribute("lease_id", lease_id.to_string())
        .add_attribute("commitment", commitment)
        .add_attribute("sha256", sha256))
}

/// The renter (cancels: the provider is paid for the time so far) or the provider (withdraws:
/// paid nothing) closes an active lease. Leaving after another replica committed is a fault;
/// cancelling after a replica committed pays the committed replicas for their billable time.
pub fn close(
    deps: DepsMut,
    env: &Env,
    sender: &Addr,
    lease_id: u64,
    renter_fault: Option<RenterFault>,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let loaded = load_lease(deps.storage, lease_id)?;
    let is_renter = loaded.order.renter == *sender;
    if !is_renter && provider_id(deps.storage, sender).ok() != Some(loaded.provider) {
        return Err(ContractError::NotLeaseParty {
            sender: sender.to_string(),
            lease_id,
        });
    }
    expect_state(&loaded, LeaseState::Active)?;
    let LoadedLease {
        order_id,
        mut order,
        provider,
        lease,
        ..
    } = loaded;
    let (replicas, _) = open_leases(deps.storage, order_id, &order)?;
    let someone_committed =
        replicas.iter().any(|r| r.lease.result.is_some()) || order.canonical.is_some();
    let others_running = replicas.len() > 1;
    // A renter fault is the provider's word alone: it is refused from the renter and once a
    // replica committed (the job evidently ran somewhere), so it can never turn a withdrawal that
    // is a liveness fault into a free one.
    if renter_fault.is_some() && (is_renter || someone_committed) {
        return Err(ContractError::RenterFaultRefused {
            lease_id,
            by_renter: is_renter,
        });
    }
    let outcome = match (is_renter, someone_committed, renter_fault) {
        (true, _, _) => {
            order.verification.cut_short |= others_running;
            Outcome::RenterCancel
        }
        (false, false, Some(_)) => {
            order.verification.cut_short |= others_running;
            Outcome::HandBack
        }
        (false, true, _) => Outcome::Abandon,
        (false, false, None) => Outcome::ProviderWithdraw,
    };
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
    let reason = match outcome {
        Outcome::RenterCancel => "renter_cancelled",
        Outcome::HandBack => "renter_fault",
        _ => "provider_withdrew",
    };
    let response = conclude(deps, env, tx, order_id, order)?
        .add_attribute("action", "close_lease")
        .add_attribute("lease_id", lease_id.to_string())
        .add_attribute("reason", reason);
    Ok(match renter_fault {
        Some(fault) => response.add_attribute("fault", fault.as_str()),
        None => response,
    })
}

/// Anyone: applies every deadline of the lease's order that has passed and the verdicts they
/// allow. Refused when nothing is due yet.
pub fn finalize(deps: DepsMut, env: &Env, lease_id: u64) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let now = env.block.time.seconds();
    let order_id = order_of_lease(lease_id);
    let mut order = ORDERS
        .may_load(deps.storage, order_id)?
        .filter(|order| order.provider_of(replica_of_lease(lease_id)).is_some())
        .ok_or(ContractError::LeaseNotFound { lease_id })?;
    let mut tx = Matcher::new(&config, now);
    // `advance` reads the order's open leases itself: the lease is read again only to explain a
    // refusal.
    if !advance(deps.storage, &deps.querier, &mut tx, order_id, &mut order)? {
        let lease = load_lease(deps.storage, lease_id)?.lease;
        if lease.closure.is_some() {
            return Err(ContractError::WrongLeaseState {
                lease_id,
                state: lease.state,
                expected: LeaseState::Revealed,
            });
        }
        let until = super::verify::next_deadline(deps.storage, &config, order_id, &order)?
            .unwrap_or(u64::MAX);
        return Err(ContractError::LeaseNotOverdue { lease_id, until });
    }
    finish_order(&mut tx, order_id, &mut order)?;
    ORDERS.save(deps.storage, order_id, &order)?;
    Ok(tx
        .finish(deps.storage, &env.contract.address)?
        .add_attribute("action", "finalize")
        .add_attribute("lease_id", lease_id.to_string()))
}

/// The renter disputes a revealed single-replica result inside its dispute window, paying the
/// bond (one coin of the order's denom) that funds a referee, which is matched at once.
pub fn dispute(
    deps: DepsMut,
    env: &Env,
    sender: &Addr,
    paid: (Denom, Uint128),
    lease_id: u64,
    salt: String,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let loaded = load_lease(deps.storage, lease_id)?;
    if loaded.order.renter != *sender {
        return Err(ContractError::NotRenter {
            sender: sender.to_string(),
            order_id: loaded.order_id,
        });
    }
    if loaded.order.replication >= 2 {
        return Err(ContractError::QuorumVerified {
            lease_id,
            replication: loaded.order.replication,
        });
    }
    expect_state(&loaded, LeaseState::Revealed)?;
    if loaded.lease.disputed {
        return Err(ContractError::AlreadyDisputed { lease_id });
    }
    let now = env.block.time.seconds();
    let closed_at = dispute_window_end(&loaded.lease, config.dispute_window).unwrap_or(0);
    if now >= closed_at {
        return Err(ContractError::DisputeWindowClosed {
            lease_id,
            closed_at,
        });
    }
    let committed_hash = loaded.order.verification.dispute_salt_hash.clone().ok_or(
        ContractError::NoDisputeSalt {
            order_id: loaded.order_id,
        },
    )?;
    let prefix = encode_hex(committed_hash.as_slice());
    if !salt_hash(&salt).is_some_and(|hash| hash.starts_with(&prefix) && !prefix.is_empty()) {
        return Err(ContractError::DisputeSaltMismatch {
            order_id: loaded.order_id,
        });
    }
    let denom = DENOMS.load(deps.storage, loaded.order.denom)?;
    let bond = bond_of(&loaded.order);
    if paid.0 != denom || paid.1 != bond {
        return Err(ContractError::WrongBond {
            expected: format!("{bond} {denom}"),
            got: format!("{} {}", paid.1, paid.0),
        });
    }
    let LoadedLease {
        order_id,
        mut order,
        provider,
        mut lease,
        ..
    } = loaded;
    let mut tx = Matcher::new(&config, now);
    order.verification.bond = bond;
    let (replicas, _) = open_leases(deps.storage, order_id, &order)?;
    let seed = referee_seed(order_id, &replicas, Some(&salt));
    if pick_referee(deps.storage, &tx, &order, &seed)?.is_none() {
        return Err(ContractError::NoReferee { order_id });
    }
    lease.disputed = true;
    OPEN_LEASES.save(deps.storage, (provider, lease_id), &lease)?;
    order.verification.disputed = true;
    tx.msgs.push(top_up_msg(&config, &denom, order_id, bond)?);
    let referee = open_referee(deps.storage, &mut tx, order_id, &mut order, &seed)?
        .ok_or(ContractError::NoReferee { order_id })?;
    ORDERS.save(deps.storage, order_id, &order)?;
    Ok(tx
        .finish(deps.storage, &env.contract.address)?
        .add_attribute("action", "dispute")
        .add_attribute("lease_id", lease_id.to_string())
        .add_attribute("referee_lease", referee.to_string())
        .add_attribute("bond", bond))
}

/// The owner's override of a dispute (never needed: the referee or its deadline decides).
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
    expect_state(&loaded, LeaseState::Revealed)?;
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
    if uphold_result {
        order.canonical = lease.result.as_ref().and_then(|r| r.sha256.clone());
    }
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
    // The referee's work is no longer needed: paid for its time so far.
    let (_, referee) = open_leases(deps.storage, order_id, &order)?;
    if let Some(r) = referee {
        close_lease(
            deps.storage,
            &deps.querier,
            &mut tx,
            &mut order,
            r.provider,
            r.lease_id,
            r.lease,
            Outcome::RenterCancel,
        )?;
    }
    Ok(conclude(deps, env, tx, order_id, order)?
        .add_attribute("action", "resolve_dispute")
        .add_attribute("lease_id", lease_id.to_string())
        .add_attribute("upheld", uphold_result.to_string()))
}
