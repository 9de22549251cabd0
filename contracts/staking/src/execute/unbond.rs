//! Unbonding into claims, and taking matured claims.

use super::{ledger, rewards};
use crate::funds::ensure_positive;
use crate::state::{Claim, CLAIMS, CONFIG, LOCKED, NEXT_CLAIM_ID};
use crate::{ContractError, MAX_CLAIMS};
use cosmwasm_std::{Addr, DepsMut, Env, OverflowError, OverflowOperation, Response, Uint128};

pub fn unbond(
    deps: DepsMut,
    env: &Env,
    staker: &Addr,
    amount: Uint128,
) -> Result<Response, ContractError> {
    ensure_positive(amount)?;
    let config = CONFIG.load(deps.storage)?;
    let bonded = ledger::bonded(deps.storage, staker)?;
    if amount > bonded {
        return Err(ContractError::InsufficientBond {
            bonded,
            requested: amount,
        });
    }
    let remaining = bonded.checked_sub(amount)?;
    let locked = LOCKED.may_load(deps.storage, staker)?.unwrap_or_default();
    if remaining < locked {
        return Err(ContractError::StakeLocked {
            bonded,
            locked,
            requested: amount,
        });
    }
    let release_at = env
        .block
        .time
        .seconds()
        .checked_add(config.unbonding_period)
        .ok_or(OverflowError::new(OverflowOperation::Add))?;
    // Unbonds that mature in the same second share one claim.
    let claims = ledger::claims_of(deps.storage, staker)?;
    let existing = claims.iter().find(|(_, c)| c.release_at == release_at);
    let count = ledger::claim_count(deps.storage, staker)?;
    if existing.is_none() && count >= MAX_CLAIMS {
        return Err(ContractError::TooManyClaims {
            address: staker.to_string(),
            max: MAX_CLAIMS,
        });
    }

    // Everything that can fail is computed before the first write.
    let (claim_id, claim) = match existing {
        Some((id, claim)) => (
            *id,
            Claim {
                amount: claim.amount.checked_add(amount)?,
                release_at,
            },
        ),
        None => (
            NEXT_CLAIM_ID.may_load(deps.storage)?.unwrap_or_default(),
            Claim { amount, release_at },
        ),
    };
    let next_id = claim_id
        .checked_add(1)
        .ok_or(OverflowError::new(OverflowOperation::Add))?;
    ledger::total_claims(deps.storage)?.checked_add(amount)?;

    rewards::settle_user(deps.storage, staker, bonded)?;
    ledger::set_bonded(deps.storage, env.block.height, staker, bonded, remaining)?;
    CLAIMS.save(deps.storage, (staker, claim_id), &claim)?;
    if existing.is_none() {
        NEXT_CLAIM_ID.save(deps.storage, &next_id)?;
        // Below MAX_CLAIMS (checked above), so this cannot saturate.
        ledger::set_claim_count(deps.storage, staker, count.saturating_add(1))?;
    }
    ledger::add_to_total_claims(deps.storage, amount)?;

    Ok(Response::new()
        .add_attribute("action", "unbond")
        .add_attribute("staker", staker.as_str())
        .add_attribute("amount", amount)
        .add_attribute("bonded", remaining)
        .add_attribute("claim_id", claim_id.to_string())
        .add_attribute("release_at", release_at.to_string()))
}

/// Pays every matured claim of `staker`.
pub fn claim(deps: DepsMut, env: &Env, staker: &Addr) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let now = env.block.time.seconds();
    let claims = ledger::claims_of(deps.storage, staker)?;
    let (matured, pending): (Vec<_>, Vec<_>) =
        claims.into_iter().partition(|(_, c)| c.release_at <= now);
    if matured.is_empty() {
        return Err(ContractError::NothingToClaim {
            address: staker.to_string(),
            next_release: pending.iter().map(|(_, c)| c.release_at).min(),
        });
    }

    let mut amount = Uint128::zero();
    for (id, claim) in &matured {
        amount = amount.checked_add(claim.amount)?;
        CLAIMS.remove(deps.storage, (staker, *id));
    }
    // At most MAX_CLAIMS were loaded, so the count fits.
    let left = u32::try_from(pending.len()).unwrap_or(MAX_CLAIMS);
    ledger::set_claim_count(deps.storage, staker, left)?;
    ledger::sub_from_total_claims(deps.storage, amount)?;

    Ok(Response::new()
        .add_message(config.stake_denom.transfer_msg(staker, amount)?)
        .add_attribute("action", "claim")
        .add_attribute("staker", staker.as_str())
        .add_attribute("amount", amount)
        .add_attribute("claims_paid", matured.len().to_string())
        .add_attribute("claims_left", left.to_string()))
}
