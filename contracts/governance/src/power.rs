//! Voting power, as the staking contract's snapshots tell it.
//!
//! Staking answers `VotingPowerAtHeight { height: Some(h) }` with the bond at the start of block
//! `h`: a change made at height `h` is visible from `h + 1`. A proposal made at height `h` reads
//! power at `h`, so stake bonded in the proposal's own block or later never counts, and stake
//! unbonded before it never counts either.

use cosmwasm_std::{Addr, Deps, StdResult, Uint128};
use gridshare_types::staking::{QueryMsg as StakingQueryMsg, VotingPowerResponse};

pub fn voting_power(deps: Deps, staking: &Addr, address: &Addr, height: u64) -> StdResult<Uint128> {
    let response: VotingPowerResponse = deps.querier.query_wasm_smart(
        staking,
        &StakingQueryMsg::VotingPowerAtHeight {
            address: address.to_string(),
            height: Some(height),
        },
    )?;
    Ok(response.power)
}

pub fn total_power(deps: Deps, staking: &Addr, height: u64) -> StdResult<Uint128> {
    let response: VotingPowerResponse = deps.querier.query_wasm_smart(
        staking,
        &StakingQueryMsg::TotalPowerAtHeight {
            height: Some(height),
        },
    )?;
    Ok(response.power)
}
