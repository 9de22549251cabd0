//! Cranks that never revert for others.
//!
//! `Reap`, `ExpireOrders` and the re-matching of freed capacity touch entries that belong to
//! many people. Each entry is one [`CrankStep`], sent by the marketplace to itself as a
//! sub-message that replies only on error: a step that fails is rolled back by the chain (its
//! storage writes and its messages to escrow and staking alike), the reply records a
//! `crank_skipped` event naming the step and the reason, and the other steps go through. A
//! skipped entry is moved out of the way (looked at again after `max_silence`), so entries that
//! cannot be processed never fill the head of a queue that a crank's limit counts.

use super::provider::{delist, reap_check_time};
use super::settle::{close_lease, finish_order, rematch_freed, stop_order, Outcome};
use super::verify::advance;
use super::{load_lease, load_order};
use crate::matching::Matcher;
use crate::state::{
    Config, CONFIG, OPEN_LEASES, ORDERS, ORDER_DEADLINES, PROVIDER_HOT, REAP_QUEUE,
};
use crate::ContractError;
use cosmwasm_std::{
    from_json, to_json_binary, Addr, DepsMut, Env, Event, Order as Direction, Reply, Response,
    StdResult, SubMsg, SubMsgResult, WasmMsg,
};
use gridshare_types::marketplace::{CrankStep, LeaseState, OrderStatus};

/// The one reply id: what failed travels in the reply's payload.
pub const CRANK_REPLY: u64 = 1;

/// `{"crank": step}`, the JSON of `ExecuteMsg::Crank`, without instantiating the serializer of
/// every other execute message (tens of KiB of wasm the contract never uses).
#[derive(serde::Serialize)]
#[serde(rename_all = "snake_case")]
enum SelfCall<'a> {
    Crank(&'a CrankStep),
}

/// `step` as a sub-message to this contract that is rolled back and skipped if it fails.
pub fn dispatch(contract: &Addr, step: &CrankStep) -> StdResult<SubMsg> {
    let msg = WasmMsg::Execute {
        contract_addr: contract.to_string(),
        msg: to_json_binary(&SelfCall::Crank(step))?,
        funds: vec![],
    };
    Ok(SubMsg::reply_on_error(msg, CRANK_REPLY).with_payload(to_json_binary(step)?))
}

pub fn run(
    mut deps: DepsMut,
    env: &Env,
    sender: &Addr,
    step: CrankStep,
) -> Result<Response, ContractError> {
    if *sender != env.contract.address {
        return Err(ContractError::Unauthorized {
            sender: sender.to_string(),
            role: "marketplace itself",
        });
    }
    let config = CONFIG.load(deps.storage)?;
    let mut tx = Matcher::new(&config, env.block.time.seconds());
    match step {
        CrankStep::ReapLease { lease_id } => reap_lease(deps.branch(), &mut tx, lease_id)?,
        CrankStep::ReapDone {
            provider,
            queued_at,
            exhausted,
        } => reap_done(
            deps.branch(),
            &config,
            tx.now,
            provider,
            queued_at,
            exhausted,
        )?,
        CrankStep::ExpireOrder { order_id, due_at } => {
            expire_order(deps.branch(), &mut tx, order_id, due_at)?
        }
        CrankStep::Rematch { offers } => {
            tx.freed = offers;
            rematch_freed(deps.storage, &mut tx)?;
        }
    }
    Ok(tx.finish(deps.storage, &env.contract.address)?)
}

/// A failed step: say which and why, and move its entry out of the crank's way.
pub fn skipped(deps: DepsMut, env: &Env, reply: Reply) -> Result<Response, ContractError> {
    let SubMsgResult::Err(reason) = reply.result else {
        return Ok(Response::new());
    };
    let step: CrankStep = from_json(&reply.payload)?;
    let config = CONFIG.load(deps.storage)?;
    let retry_at = env.block.time.seconds().saturating_add(config.max_silence);
    let (kind, id) = match &step {
        CrankStep::ReapLease { lease_id } => ("reap_lease", lease_id.to_string()),
        CrankStep::ReapDone {
            provider,
            queued_at,
            ..
        } => {
            REAP_QUEUE.remove(deps.storage, (*queued_at, *provider));
            REAP_QUEUE.save(deps.storage, (retry_at, *provider), &())?;
            ("reap_provider", provider.to_string())
        }
        CrankStep::ExpireOrder { order_id, due_at } => {
            ORDER_DEADLINES.remove(deps.storage, (*due_at, *order_id));
            ORDER_DEADLINES.save(deps.storage, (retry_at, *order_id), &())?;
            ("expire_order", order_id.to_string())
        }
        CrankStep::Rematch { offers } => ("rematch", gridshare_plumbing::comma_list(offers)),
    };
    Ok(Response::new().add_event(
        Event::new("crank_skipped")
            .add_attribute("step", kind)
            .add_attribute("id", id)
            .add_attribute("reason", reason),
    ))
}

/// One open lease of a silent provider: an uncommitted lease fails unpaid; a committed one is
/// left to its order's verification, which this step moves on by any deadline that passed.
fn reap_lease(deps: DepsMut, tx: &mut Matcher, lease_id: u64) -> Result<(), ContractError> {
    let loaded = load_lease(deps.storage, lease_id)?;
    if !OPEN_LEASES.has(deps.storage, (loaded.provider, lease_id)) {
        // Closed by an earlier step of this crank (a verdict settled it).
        return Ok(());
    }
    let hot = PROVIDER_HOT.load(deps.storage, loaded.provider)?;
    if hot.last_heartbeat.saturating_add(tx.config.max_silence) >= tx.now {
        return Ok(());
    }
    let (order_id, mut order) = (loaded.order_id, loaded.order);
    if loaded.lease.state == LeaseState::Active {
        close_lease(
            deps.storage,
            &deps.querier,
            tx,
            &mut order,
            loaded.provider,
            lease_id,
            loaded.lease,
            Outcome::Silent,
        )?;
    }
    advance(deps.storage, &deps.querier, tx, order_id, &mut order)?;
    finish_order(tx, order_id, &mut order)?;
    ORDERS.save(deps.storage, order_id, &order)?;
    Ok(())
}

/// A silent provider after its leases were handled: dormant (out of the queue and the book)
/// once nothing is open, else looked at again after another silence period (disputed results,
/// or leases whose step was skipped).
fn reap_done(
    deps: DepsMut,
    config: &Config,
    now: u64,
    provider: u32,
    queued_at: u64,
    exhausted: bool,
) -> Result<(), ContractError> {
    if exhausted {
        return Ok(());
    }
    REAP_QUEUE.remove(deps.storage, (queued_at, provider));
    let open = OPEN_LEASES
        .prefix(provider)
        .keys(deps.storage, None, None, Direction::Ascending)
        .next()
        .is_some();
    if open {
        REAP_QUEUE.save(deps.storage, (reap_check_time(config, now), provider), &())?;
    } else {
        let mut hot = PROVIDER_HOT.load(deps.storage, provider)?;
        hot.queued = false;
        PROVIDER_HOT.save(deps.storage, provider, &hot)?;
        delist(deps.storage, provider)?;
    }
    Ok(())
}

/// One order from the deadline index: expired if it is still open and overdue; an index entry
/// that no longer names an open order is dropped.
fn expire_order(
    deps: DepsMut,
    tx: &mut Matcher,
    order_id: u64,
    due_at: u64,
) -> Result<(), ContractError> {
    ORDER_DEADLINES.remove(deps.storage, (due_at, order_id));
    let mut order = load_order(deps.storage, order_id)?;
    if order.status == OrderStatus::Open && tx.now >= order.deadline {
        stop_order(
            deps.storage,
            &deps.querier,
            tx,
            order_id,
            &mut order,
            OrderStatus::Expired,
        )?;
    }
    Ok(())
}
