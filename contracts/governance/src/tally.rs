//! The outcome of a vote, from its tally, the total power at its start and its rules.
//!
//! In this order: fewer votes (of any option) than `ceil(quorum × total power)` → rejected;
//! `veto > veto_threshold × all votes` → vetoed; `yes > threshold × (yes + no + veto)` → passed;
//! otherwise rejected. A veto therefore needs the quorum: a handful of voters in an empty vote can
//! never forfeit somebody's deposit.

use crate::msg::{ProposalStatus, Tally, VotingRules};
use crate::ContractError;
use cosmwasm_std::Uint128;

pub fn cast(tally: &Tally) -> Result<Uint128, ContractError> {
    Ok(tally
        .yes
        .checked_add(tally.no)?
        .checked_add(tally.abstain)?
        .checked_add(tally.veto)?)
}

/// `Passed`, `Rejected` or `Vetoed`.
pub fn outcome(
    tally: &Tally,
    total_power: Uint128,
    rules: &VotingRules,
) -> Result<ProposalStatus, ContractError> {
    let cast = cast(tally)?;
    let quorum = total_power.checked_mul_ceil(rules.quorum)?;
    if cast.is_zero() || cast < quorum {
        return Ok(ProposalStatus::Rejected);
    }
    if tally.veto > cast.checked_mul_floor(rules.veto_threshold)? {
        return Ok(ProposalStatus::Vetoed);
    }
    let decisive = tally.yes.checked_add(tally.no)?.checked_add(tally.veto)?;
    // For integers, `yes > t × d` is exactly `yes > floor(t × d)`.
    if !decisive.is_zero() && tally.yes > decisive.checked_mul_floor(rules.threshold)? {
        Ok(ProposalStatus::Passed)
    } else {
        Ok(ProposalStatus::Rejected)
    }
}
