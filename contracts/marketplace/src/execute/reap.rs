//! The reaper: anyone may fail the open leases of providers silent for longer than `max_silence`.
//!
//! It reads the reap queue, (time to check, provider), up to now. A provider found alive is
//! re-keyed to the first moment it could be silent (`last_heartbeat + max_silence + 1`), so the
//! heartbeat itself never touches the queue. A silent provider's uncommitted leases fail unpaid
//! (no result, no pay), the provider takes the liveness slash and its missed-liveness counter
//! grows. A lease that committed is never closed for silence: its order's verification judges it
//! by its deadlines (the step only moves the order on). Once a silent provider has no open
//! lease it leaves the queue and its offers leave the book (it is dormant until its next
//! heartbeat). Every step (a provider looked at, a lease closed) counts against the limit.
//!
//! Each lease closes in its own crank step (see [`super::crank`]): a lease that cannot be
//! closed is skipped with an event and its provider is looked at again later, while the other
//! providers' leases in the batch settle.

use super::crank::dispatch;
use super::order::crank_limit;
use super::provider::reap_check_time;
use crate::state::{Lease, CONFIG, OPEN_LEASES, PROVIDER_HOT, REAP_QUEUE};
use crate::ContractError;
use cosmwasm_std::{DepsMut, Env, Order as Direction, Response, StdResult};
use cw_storage_plus::Bound;
use gridshare_types::marketplace::CrankStep;

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
    let mut steps = vec![];
    let (mut checked, mut closing) = (0u32, 0u32);
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
        let mut exhausted = false;
        for (lease_id, _) in open {
            if budget == 0 {
                exhausted = true;
                break;
            }
            budget -= 1;
            closing += 1;
            steps.push(CrankStep::ReapLease { lease_id });
        }
        steps.push(CrankStep::ReapDone {
            provider,
            queued_at: at,
            exhausted,
        });
    }
    let contract = &env.contract.address;
    Ok(Response::new()
        .add_submessages(
            steps
                .iter()
                .map(|step| dispatch(contract, step))
                .collect::<StdResult<Vec<_>>>()?,
        )
        .add_attribute("action", "reap")
        .add_attribute("providers_checked", checked.to_string())
        .add_attribute("lease_steps", closing.to_string()))
}
