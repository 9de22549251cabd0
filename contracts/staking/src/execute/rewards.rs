//! Staker rewards: deposits raise each denom's reward-per-share index, claims settle and pay.

use super::ledger;
use crate::accumulator;
use crate::state::{RewardPool, UserReward, REWARD_POOLS, USER_REWARDS};
use crate::{ContractError, MAX_REWARD_DENOMS};
use cosmwasm_std::{Addr, DepsMut, Order, Response, StdResult, Storage, Uint128};
use gridshare_types::Denom;

/// Every reward pool (at most `MAX_REWARD_DENOMS`), by denom key.
pub(crate) fn all_pools(storage: &dyn Storage) -> Result<Vec<RewardPool>, ContractError> {
    Ok(REWARD_POOLS
        .range(storage, None, None, Order::Ascending)
        .take(MAX_REWARD_DENOMS)
        .map(|item| item.map(|(_, pool)| pool))
        .collect::<StdResult<_>>()?)
}

/// Brings `addr`'s position in every pool up to date for the bond it has held since its last
/// settlement. Called before every change of that bond.
pub(crate) fn settle_user(
    storage: &mut dyn Storage,
    addr: &Addr,
    bonded: Uint128,
) -> Result<(), ContractError> {
    for pool in all_pools(storage)? {
        let key = pool.denom.key();
        let user = USER_REWARDS
            .may_load(storage, (addr, &key))?
            .unwrap_or_default();
        let settled = accumulator::settle(&pool, &user, bonded)?;
        if settled != user {
            USER_REWARDS.save(storage, (addr, &key), &settled)?;
        }
    }
    Ok(())
}

/// Credits validated, non-zero deposits of accepted reward denoms.
pub fn deposit_rewards(
    deps: DepsMut,
    sender: &Addr,
    deposits: Vec<(Denom, Uint128)>,
) -> Result<Response, ContractError> {
    let total_bonded = ledger::total_bonded(deps.storage)?;
    let mut response = Response::new()
        .add_attribute("action", "deposit_rewards")
        .add_attribute("sender", sender.as_str())
        .add_attribute("total_bonded", total_bonded);
    for (denom, amount) in deposits {
        let key = denom.key();
        let mut pool = REWARD_POOLS
            .may_load(deps.storage, &key)?
            .unwrap_or_else(|| accumulator::new_pool(denom.clone()));
        accumulator::deposit(&mut pool, amount, total_bonded)?;
        REWARD_POOLS.save(deps.storage, &key, &pool)?;
        response = response
            .add_attribute("denom", key)
            .add_attribute("amount", amount)
            .add_attribute("undistributed", pool.undistributed);
    }
    Ok(response)
}

/// Pays `sender` every whole unit it is owed, in every reward denom.
pub fn claim_rewards(deps: DepsMut, sender: &Addr) -> Result<Response, ContractError> {
    let bonded = ledger::bonded(deps.storage, sender)?;
    let mut updates: Vec<(RewardPool, UserReward, Uint128)> = vec![];
    for pool in all_pools(deps.storage)? {
        let key = pool.denom.key();
        let user = USER_REWARDS
            .may_load(deps.storage, (sender, &key))?
            .unwrap_or_default();
        let mut settled = accumulator::settle(&pool, &user, bonded)?;
        let (pay, remainder) = accumulator::payable(&settled)?;
        settled.pending = remainder;
        if !pay.is_zero() {
            updates.push((pool, settled, pay));
        }
    }
    if updates.is_empty() {
        return Err(ContractError::NoRewards {
            address: sender.to_string(),
        });
    }

    let mut response = Response::new()
        .add_attribute("action", "claim_rewards")
        .add_attribute("staker", sender.as_str());
    for (mut pool, settled, pay) in updates {
        let key = pool.denom.key();
        pool.claimed = pool.claimed.checked_add(pay)?;
        REWARD_POOLS.save(deps.storage, &key, &pool)?;
        USER_REWARDS.save(deps.storage, (sender, &key), &settled)?;
        response = response
            .add_message(pool.denom.transfer_msg(sender, pay)?)
            .add_attribute("denom", key)
            .add_attribute("amount", pay);
    }
    Ok(response)
}
