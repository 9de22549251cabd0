//! The reaper: anyone may fail the open leases of providers silent for longer than `max_silence`.
//!
//! It reads the reap queue, (time to check, provider), up to now. A provider found alive is
//! re-keyed to the first moment it could be silent (`last_heartbeat + max_silence + 1`), so the
//! heartbeat itself never touches the queue. A silent provider's open leases fail: each payment
//! closes at the last heartbeat (the renter gets the unproven time back), the provider is slashed
//! and its missed-liveness counter grows; a single-replica result whose dispute window is over is
//! accepted instead, and disputed results wait for governance. Once a silent provider has no open
//! lease it leaves the queue and its offers leave the book (it is dormant until its next
//! heartbeat). Every step (a provider looked at, a lease closed) counts against the limit.

use super::lease::window_end;
use super::load_lease;
use super::order::crank_limit;
use super::provider::{delist, reap_check_time};
use super::settle::{close_lease, evaluate_quorum, finish_order, rematch_freed, Outcome};
use crate::matching::Matcher;
use crate::state::{Lease, CONFIG, OPEN_LEASES, ORDERS, PROVIDER_HOT, REAP_QUEUE};
use crate::ContractError;
use cosmwasm_std::{DepsMut, Env, Order as Direction, Response, StdResult};
use cw_storage_plus::Bound;
use gridshare_types::marketplace::LeaseState;

pub fn reap(deps: DepsMut, env: &Env, limit: Option<u32>) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let mut budget = crank_limit(limit, config.max_reap)?;
    let now = env.block.time.seconds();
    let due: Vec<(u64, u32)> = REAP_QUEUE
        .keys(
            deps.storage,
            None,
            Some(Bound::inclusive((now, u32::MAX))),
            Direction::Ascending,
        )
        .take(budget as usize)
        .collect::<StdResult<_>>()?;
    let mut tx = Matcher::new(&config, now);
    let (mut checked, mut failed) = (0u32, 0u32);
    for (at, provider) in due {
        if budget == 0 {
            break;
        }
        budget -= 1;
        checked += 1;
        let mut hot = PROVIDER_HOT.load(deps.storage, provider)?;
        let silent = hot.last_heartbeat.saturating_add(config.max_silence) < now;
        let open: Vec<(u64, Lease)> = OPEN_LEASES
            .prefix(provider)
            .range(deps.storage, None, None, Direction::Ascending)
            .take(budget as usize + 1)
            .collect::<StdResult<_>>()?;
        if !silent {
            REAP_QUEUE.remove(deps.storage, (at, provider));
            if hot.active || !open.is_empty() {
                let next = reap_check_time(&config, hot.last_heartbeat);
                REAP_QUEUE.save(deps.storage, (next, provider), &())?;
            } else {
                hot.queued = false;
                PROVIDER_HOT.save(deps.storage, provider, &hot)?;
            }
            continue;
        }
        let mut disputed = 0usize;
        let mut remaining = open.len();
        for (lease_id, lease) in open {
            if budget == 0 {
                break;
            }
            let loaded = load_lease(deps.storage, lease_id)?;
            let outcome = match lease.state {
                LeaseState::Submitted if lease.disputed => {
                    disputed += 1;
                    continue;
                }
                LeaseState::Submitted
                    if loaded.order.replication == 1
                        && now >= window_end(&loaded, config.dispute_window) =>
                {
                    Outcome::Accept
                }
                _ => Outcome::Silent {
                    last_heartbeat: hot.last_heartbeat,
                },
            };
            budget -= 1;
            failed += 1;
            remaining -= 1;
            let (order_id, mut order) = (loaded.order_id, loaded.order);
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
            finish_order(&mut tx, order_id, &mut order)?;
            ORDERS.save(deps.storage, order_id, &order)?;
        }
        if remaining == 0 {
            // Silent with nothing open: dormant until the next heartbeat.
            REAP_QUEUE.remove(deps.storage, (at, provider));
            let mut hot = PROVIDER_HOT.load(deps.storage, provider)?;
            hot.queued = false;
            PROVIDER_HOT.save(deps.storage, provider, &hot)?;
            delist(deps.storage, provider)?;
        } else if remaining == disputed {
            // Only disputed results are left: look again after another silence period.
            REAP_QUEUE.remove(deps.storage, (at, provider));
            REAP_QUEUE.save(deps.storage, (reap_check_time(&config, now), provider), &())?;
        }
    }
    rematch_freed(deps.storage, &deps.querier, &mut tx)?;
    Ok(tx
        .finish(deps.storage)?
        .add_attribute("action", "reap")
        .add_attribute("providers_checked", checked.to_string())
        .add_attribute("leases_closed", failed.to_string()))
}
