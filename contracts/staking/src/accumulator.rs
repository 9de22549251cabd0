//! Reward-per-share arithmetic, free of storage so it can be tested on its own.
//!
//! Every figure is exact in scaled units (`REWARD_SCALE`): a deposit's division remainder is
//! carried into the next deposit, a staker's accrual `bonded × Δindex` is an exact product, and a
//! claim pays whole units only, keeping the staker's sub-unit remainder. Nothing is rounded in a
//! claimer's favour and nothing disappears.

use crate::state::{RewardPool, UserReward};
use crate::{ContractError, REWARD_SCALE};
use cosmwasm_std::{Uint128, Uint256};
use gridshare_types::Denom;

pub fn scale() -> Uint256 {
    Uint256::from(REWARD_SCALE)
}

pub fn new_pool(denom: Denom) -> RewardPool {
    RewardPool {
        denom,
        index: Uint256::zero(),
        carry: Uint256::zero(),
        distributed: Uint256::zero(),
        deposited: Uint128::zero(),
        claimed: Uint128::zero(),
        undistributed: Uint128::zero(),
    }
}

/// Adds `amount` to the pool. With nothing bonded it waits as `undistributed`; otherwise it is
/// distributed together with whatever was waiting and the carried remainder.
pub fn deposit(
    pool: &mut RewardPool,
    amount: Uint128,
    total_bonded: Uint128,
) -> Result<(), ContractError> {
    pool.deposited = pool.deposited.checked_add(amount)?;
    if total_bonded.is_zero() {
        pool.undistributed = pool.undistributed.checked_add(amount)?;
        return Ok(());
    }
    let units = amount.checked_add(pool.undistributed)?;
    let scaled = Uint256::from(units)
        .checked_mul(scale())?
        .checked_add(pool.carry)?;
    let total = Uint256::from(total_bonded);
    let delta = scaled.checked_div(total)?;
    let assigned = delta.checked_mul(total)?;
    pool.undistributed = Uint128::zero();
    pool.carry = scaled.checked_sub(assigned)?;
    pool.index = pool.index.checked_add(delta)?;
    pool.distributed = pool.distributed.checked_add(assigned)?;
    Ok(())
}

/// The staker's position brought up to the pool's index, for a bond of `bonded` held since the
/// last settlement.
pub fn settle(
    pool: &RewardPool,
    user: &UserReward,
    bonded: Uint128,
) -> Result<UserReward, ContractError> {
    let delta = pool.index.checked_sub(user.index)?;
    let accrued = Uint256::from(bonded).checked_mul(delta)?;
    Ok(UserReward {
        index: pool.index,
        pending: user.pending.checked_add(accrued)?,
    })
}

/// The whole units a settled position may take now, and the scaled remainder it keeps.
pub fn payable(user: &UserReward) -> Result<(Uint128, Uint256), ContractError> {
    let units = user.pending.checked_div(scale())?;
    let remainder = user.pending.checked_sub(units.checked_mul(scale())?)?;
    Ok((Uint128::try_from(units)?, remainder))
}

/// Whole units owed to stakers, settled or not (stakers' sub-unit remainders included).
pub fn unclaimed(pool: &RewardPool) -> Result<Uint128, ContractError> {
    let claimed = Uint256::from(pool.claimed).checked_mul(scale())?;
    let owed = pool.distributed.checked_sub(claimed)?;
    Ok(Uint128::try_from(owed.checked_div(scale())?)?)
}

/// Units held for the pool that are attributed to no staker: the carried remainder and the
/// fractional part of what is owed.
pub fn dust(pool: &RewardPool) -> Result<Uint128, ContractError> {
    Ok(held(pool)?
        .checked_sub(pool.undistributed)?
        .checked_sub(unclaimed(pool)?)?)
}

/// Everything the contract holds for this pool.
pub fn held(pool: &RewardPool) -> Result<Uint128, ContractError> {
    Ok(pool.deposited.checked_sub(pool.claimed)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool() -> RewardPool {
        new_pool(Denom::Native("ureward".into()))
    }

    fn units(n: u128) -> Uint128 {
        Uint128::new(n)
    }

    #[test]
    fn nothing_bonded_keeps_deposits_undistributed() {
        let mut p = pool();
        deposit(&mut p, units(100), Uint128::zero()).unwrap();
        assert_eq!(p.undistributed, units(100));
        assert_eq!(p.index, Uint256::zero());
        assert_eq!(dust(&p).unwrap(), Uint128::zero());
        // The next deposit with something bonded takes the backlog along.
        deposit(&mut p, units(50), units(3)).unwrap();
        assert_eq!(p.undistributed, Uint128::zero());
        assert_eq!(p.index, Uint256::from(50 * REWARD_SCALE));
        assert_eq!(unclaimed(&p).unwrap(), units(150));
        assert_eq!(dust(&p).unwrap(), Uint128::zero());
    }

    #[test]
    fn remainders_are_carried_and_reported_as_dust() {
        let mut p = pool();
        // 1 unit over 3 × 10^18 bonded: the index cannot move; everything is carried.
        let total = Uint128::new(3 * REWARD_SCALE);
        deposit(&mut p, units(1), total).unwrap();
        assert_eq!(p.index, Uint256::zero());
        assert_eq!(p.carry, Uint256::from(REWARD_SCALE));
        assert_eq!(dust(&p).unwrap(), units(1));
        deposit(&mut p, units(2), total).unwrap();
        assert_eq!(p.index, Uint256::one());
        assert_eq!(p.carry, Uint256::zero());
        assert_eq!(dust(&p).unwrap(), Uint128::zero());
        assert_eq!(unclaimed(&p).unwrap(), units(3));
    }

    #[test]
    fn settlement_is_exact_and_claims_round_down() {
        let mut p = pool();
        deposit(&mut p, units(10), units(3)).unwrap();
        let user = settle(&p, &UserReward::default(), units(1)).unwrap();
        let (pay, rest) = payable(&user).unwrap();
        assert_eq!(pay, units(3));
        assert!(rest > Uint256::zero() && rest < scale());
        // Three stakers of 1 each take 3 units each; the 10th unit is split into sub-unit
        // remainders and the carry, attributed to no one as a whole unit: dust.
        p.claimed = units(9);
        assert_eq!(unclaimed(&p).unwrap(), Uint128::zero());
        assert_eq!(held(&p).unwrap(), units(1));
        assert_eq!(dust(&p).unwrap(), units(1));
    }

    #[test]
    fn settle_is_idempotent() {
        let mut p = pool();
        deposit(&mut p, units(7), units(7)).unwrap();
        let once = settle(&p, &UserReward::default(), units(7)).unwrap();
        let twice = settle(&p, &once, units(7)).unwrap();
        assert_eq!(once, twice);
        assert_eq!(payable(&twice).unwrap().0, units(7));
    }

    #[test]
    fn overflowing_deposits_fail() {
        let mut p = pool();
        deposit(&mut p, Uint128::MAX, units(1)).unwrap();
        assert!(matches!(
            deposit(&mut p, units(1), units(1)),
            Err(ContractError::Overflow(_))
        ));
    }
}
