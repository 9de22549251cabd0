//! The admin's levers (governance's, once it takes over): tiers, and the admin role itself, which
//! changes hands in two steps (`gridshare_plumbing::owner`).

use crate::msg::Tier;
use crate::state::{ADMIN, TIERS};
use crate::{ContractError, MAX_FEE_DISCOUNT_BPS, MAX_TIERS, MAX_TIER_ID_LEN};
use cosmwasm_std::{Addr, DepsMut, Env, Order, Response, StdResult, Storage};
use gridshare_plumbing::OwnerAction;

pub fn validate_tier(tier: &Tier) -> Result<(), ContractError> {
    let invalid_id = |reason| ContractError::InvalidTierId {
        id: tier.id.clone(),
        reason,
    };
    if tier.id.is_empty() || tier.id.len() > MAX_TIER_ID_LEN {
        return Err(invalid_id("length must be between 1 and 32 bytes"));
    }
    if !tier
        .id
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
    {
        return Err(invalid_id("may only contain a-z, 0-9, - and _"));
    }
    if tier.price_per_period.is_zero() {
        return Err(ContractError::ZeroTierPrice {
            tier: tier.id.clone(),
        });
    }
    if tier.period_seconds == 0 {
        return Err(ContractError::ZeroTierPeriod {
            tier: tier.id.clone(),
        });
    }
    if tier.fee_discount_bps > MAX_FEE_DISCOUNT_BPS {
        return Err(ContractError::DiscountTooHigh {
            tier: tier.id.clone(),
            fee_discount_bps: tier.fee_discount_bps,
            max: MAX_FEE_DISCOUNT_BPS,
        });
    }
    Ok(())
}

/// Checks the initial tiers: each valid, ids unique, at most `MAX_TIERS`.
pub fn validate_initial_tiers(tiers: &[Tier]) -> Result<(), ContractError> {
    if tiers.len() > MAX_TIERS {
        return Err(ContractError::TooManyTiers { max: MAX_TIERS });
    }
    for (i, tier) in tiers.iter().enumerate() {
        validate_tier(tier)?;
        if tiers[..i].iter().any(|t| t.id == tier.id) {
            return Err(ContractError::DuplicateTier {
                tier: tier.id.clone(),
            });
        }
    }
    Ok(())
}

pub fn ensure_admin(storage: &dyn Storage, sender: &Addr) -> Result<(), ContractError> {
    if *sender == ADMIN.load(storage)? {
        Ok(())
    } else {
        Err(ContractError::Unauthorized {
            sender: sender.to_string(),
            role: "admin",
        })
    }
}

pub fn set_tier(deps: DepsMut, sender: &Addr, tier: Tier) -> Result<Response, ContractError> {
    ensure_admin(deps.storage, sender)?;
    validate_tier(&tier)?;
    if !TIERS.has(deps.storage, &tier.id) {
        let existing = TIERS
            .keys(deps.storage, None, None, Order::Ascending)
            .take(MAX_TIERS)
            .collect::<StdResult<Vec<_>>>()?;
        if existing.len() >= MAX_TIERS {
            return Err(ContractError::TooManyTiers { max: MAX_TIERS });
        }
    }
    TIERS.save(deps.storage, &tier.id, &tier)?;
    Ok(Response::new()
        .add_attribute("action", "set_tier")
        .add_attribute("tier", tier.id)
        .add_attribute("price_per_period", tier.price_per_period)
        .add_attribute("period_seconds", tier.period_seconds.to_string())
        .add_attribute("fee_discount_bps", tier.fee_discount_bps.to_string())
        .add_attribute("priority", tier.priority.to_string())
        .add_attribute("max_open_orders", tier.max_open_orders.to_string()))
}

pub fn remove_tier(deps: DepsMut, sender: &Addr, tier: String) -> Result<Response, ContractError> {
    ensure_admin(deps.storage, sender)?;
    if !TIERS.has(deps.storage, &tier) {
        return Err(ContractError::UnknownTier { tier });
    }
    TIERS.remove(deps.storage, &tier);
    Ok(Response::new()
        .add_attribute("action", "remove_tier")
        .add_attribute("tier", tier))
}

/// Offers, accepts or withdraws the admin role; the admin changes only when the pending admin
/// accepts.
pub fn update_ownership(
    deps: DepsMut,
    env: &Env,
    sender: &Addr,
    action: OwnerAction,
) -> Result<Response, ContractError> {
    let mut admin = ADMIN.load(deps.storage)?;
    let attributes = gridshare_plumbing::owner::update_ownership(
        deps.storage,
        deps.api,
        env.block.time.seconds(),
        &mut admin,
        sender,
        action,
    )?;
    ADMIN.save(deps.storage, &admin)?;
    Ok(Response::new().add_attributes(attributes))
}
