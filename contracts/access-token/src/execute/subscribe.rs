//! Buying premium access: every check first, then the burn (by cw20-base) and the record.

use crate::state::{Subscription, SUBSCRIPTIONS, TIERS};
use crate::ContractError;
use cosmwasm_std::{
    Addr, DepsMut, Env, Event, MessageInfo, OverflowError, OverflowOperation, Response, Timestamp,
    Uint128,
};
use cw20_base::state::BALANCES;

const NANOS_PER_SECOND: u64 = 1_000_000_000;

/// Where the price comes from.
pub enum Payment {
    /// Burned from the subscriber's own balance (`Subscribe`).
    FromBalance,
    /// Already sent to this contract by GRID's `Send`; burned from the contract's balance. The
    /// amount must be exactly the price.
    Received(Uint128),
}

fn mul_overflow() -> OverflowError {
    OverflowError::new(OverflowOperation::Mul)
}

pub fn subscribe(
    mut deps: DepsMut,
    env: Env,
    subscriber: Addr,
    tier_id: String,
    periods: u32,
    payment: Payment,
) -> Result<Response, ContractError> {
    if periods == 0 {
        return Err(ContractError::ZeroPeriods);
    }
    let tier =
        TIERS
            .may_load(deps.storage, &tier_id)?
            .ok_or_else(|| ContractError::UnknownTier {
                tier: tier_id.clone(),
            })?;
    let price = tier.price_per_period.checked_mul(Uint128::from(periods))?;
    let duration_nanos = tier
        .period_seconds
        .checked_mul(u64::from(periods))
        .and_then(|s| s.checked_mul(NANOS_PER_SECOND))
        .ok_or_else(mul_overflow)?;

    let now = env.block.time;
    let current = SUBSCRIPTIONS
        .may_load(deps.storage, &subscriber)?
        .filter(|s| s.is_active(now));
    if let Some(current) = &current {
        if current.tier != tier.id {
            return Err(ContractError::TierSwitchWhileActive {
                address: subscriber.to_string(),
                current: current.tier.clone(),
                requested: tier.id,
                expires_at: current.expires_at.seconds(),
            });
        }
    }
    let (since, term_start, paid_before) = match &current {
        Some(s) => (s.since, s.expires_at, s.paid),
        None => (now, now, Uint128::zero()),
    };
    let expires_at = Timestamp::from_nanos(
        term_start
            .nanos()
            .checked_add(duration_nanos)
            .ok_or_else(|| OverflowError::new(OverflowOperation::Add))?,
    );
    let paid = paid_before.checked_add(price)?;

    let burner = match payment {
        Payment::FromBalance => {
            let balance = BALANCES
                .may_load(deps.storage, &subscriber)?
                .unwrap_or_default();
            if balance < price {
                return Err(ContractError::InsufficientBalance {
                    address: subscriber.to_string(),
                    balance,
                    required: price,
                });
            }
            subscriber.clone()
        }
        Payment::Received(amount) => {
            if amount != price {
                return Err(ContractError::WrongAmount {
                    tier: tier.id,
                    periods,
                    expected: price,
                    got: amount,
                });
            }
            env.contract.address.clone()
        }
    };

    let burn = cw20_base::contract::execute_burn(
        deps.branch(),
        env,
        MessageInfo {
            sender: burner,
            funds: vec![],
        },
        price,
    )?;
    SUBSCRIPTIONS.save(
        deps.storage,
        &subscriber,
        &Subscription {
            tier: tier.id.clone(),
            benefits: tier.benefits(),
            since,
            expires_at,
            paid,
        },
    )?;

    Ok(Response::new()
        .add_attribute("action", "subscribe")
        .add_attribute("subscriber", subscriber.as_str())
        .add_attribute("tier", tier.id)
        .add_attribute("periods", periods.to_string())
        .add_attribute("burned", price)
        .add_attribute("extended", current.is_some().to_string())
        .add_attribute("expires_at", expires_at.seconds().to_string())
        .add_event(Event::new("burn").add_attributes(burn.attributes)))
}
