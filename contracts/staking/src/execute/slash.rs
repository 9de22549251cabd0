//! Slashing, by the marketplace only: the amount is computed from the rule against the bond as it
//! is when the message executes; bonded stake is taken first, then pending claims
//! (latest-maturing first), never more than exists; the take is split between the compensation
//! recipient and the treasury. A slash that computes to zero succeeds and changes nothing.

use super::{ensure_marketplace, ledger, rewards};
use crate::msg::SlashRule;
use crate::state::{Claim, CLAIMS, CONFIG};
use crate::{ContractError, MAX_REASON_LEN};
use cosmwasm_std::{Addr, DepsMut, Env, Event, Response, Uint128};

/// Basis points in one whole; a `BondBps` above it counts as the whole bond.
pub const BPS_DENOMINATOR: u16 = 10_000;

/// What `rule` takes from a provider whose bond is `bonded` now.
pub fn slash_amount(rule: SlashRule, bonded: Uint128) -> Uint128 {
    match rule {
        SlashRule::Fixed { amount } => amount,
        // bps ≤ denominator, so the result is at most `bonded` and the ratio cannot fail.
        SlashRule::BondBps { bps } => bonded
            .checked_multiply_ratio(bps.min(BPS_DENOMINATOR), BPS_DENOMINATOR)
            .unwrap_or(bonded),
    }
}

fn describe(rule: SlashRule) -> String {
    match rule {
        SlashRule::Fixed { amount } => format!("fixed:{amount}"),
        SlashRule::BondBps { bps } => format!("bond_bps:{bps}"),
    }
}

pub struct Slash {
    pub provider: String,
    pub rule: SlashRule,
    pub reason: String,
    pub lease_id: Option<u64>,
    pub compensation: Option<String>,
}

pub fn slash(
    deps: DepsMut,
    env: &Env,
    sender: &Addr,
    msg: Slash,
) -> Result<Response, ContractError> {
    let Slash {
        provider,
        rule,
        reason,
        lease_id,
        compensation,
    } = msg;
    let config = CONFIG.load(deps.storage)?;
    ensure_marketplace(&config, sender)?;
    if reason.is_empty() || reason.len() > MAX_REASON_LEN {
        return Err(ContractError::InvalidReason {
            len: reason.len(),
            max: MAX_REASON_LEN,
        });
    }
    let provider = deps.api.addr_validate(&provider)?;
    let compensation = compensation
        .map(|addr| deps.api.addr_validate(&addr))
        .transpose()?;

    // The amount follows the bond as it is now, so slashes in one transaction compound.
    let bonded = ledger::bonded(deps.storage, &provider)?;
    let amount = slash_amount(rule, bonded);

    // Bonded stake first.
    let from_bonded = amount.min(bonded);
    if !from_bonded.is_zero() {
        rewards::settle_user(deps.storage, &provider, bonded)?;
        let left = bonded.checked_sub(from_bonded)?;
        ledger::set_bonded(deps.storage, env.block.height, &provider, bonded, left)?;
    }

    // Then pending claims, latest-maturing first (ties: the latest claim first).
    let mut rest = amount.checked_sub(from_bonded)?;
    let mut from_claims = Uint128::zero();
    if !rest.is_zero() {
        let mut claims = ledger::claims_of(deps.storage, &provider)?;
        claims.sort_by(|(a_id, a), (b_id, b)| (b.release_at, b_id).cmp(&(a.release_at, a_id)));
        let mut count = ledger::claim_count(deps.storage, &provider)?;
        for (id, claim) in claims {
            if rest.is_zero() {
                break;
            }
            let take = rest.min(claim.amount);
            let left = claim.amount.checked_sub(take)?;
            if left.is_zero() {
                CLAIMS.remove(deps.storage, (&provider, id));
                count = count.saturating_sub(1);
            } else {
                let claim = Claim {
                    amount: left,
                    release_at: claim.release_at,
                };
                CLAIMS.save(deps.storage, (&provider, id), &claim)?;
            }
            rest = rest.checked_sub(take)?;
            from_claims = from_claims.checked_add(take)?;
        }
        ledger::set_claim_count(deps.storage, &provider, count)?;
        ledger::sub_from_total_claims(deps.storage, from_claims)?;
    }

    let slashed = from_bonded.checked_add(from_claims)?;
    let compensated = match compensation {
        Some(_) => slashed.checked_mul_floor(config.compensation_ratio)?,
        None => Uint128::zero(),
    };
    let to_treasury = slashed.checked_sub(compensated)?;

    let mut response = Response::new();
    if let Some(recipient) = &compensation {
        if !compensated.is_zero() {
            response =
                response.add_message(config.stake_denom.transfer_msg(recipient, compensated)?);
        }
    }
    if !to_treasury.is_zero() {
        response = response.add_message(
            config
                .stake_denom
                .transfer_msg(&config.treasury, to_treasury)?,
        );
    }
    let lease = lease_id.map_or_else(|| "none".to_string(), |id| id.to_string());
    let recipient = compensation
        .as_ref()
        .map_or_else(|| "none".to_string(), Addr::to_string);
    // A crank must never revert because a slash computes to zero or finds nothing to take: the
    // event says what happened instead.
    let outcome = if amount.is_zero() {
        "zero_amount"
    } else if slashed.is_zero() {
        "nothing_to_slash"
    } else {
        "slashed"
    };
    let event = Event::new("slash")
        .add_attribute("provider", provider.as_str())
        .add_attribute("reason", reason)
        .add_attribute("lease_id", lease)
        .add_attribute("rule", describe(rule))
        .add_attribute("bonded", bonded)
        .add_attribute("requested", amount)
        .add_attribute("slashed", slashed)
        .add_attribute("from_bonded", from_bonded)
        .add_attribute("from_claims", from_claims)
        .add_attribute("compensation", recipient)
        .add_attribute("compensated", compensated)
        .add_attribute("to_treasury", to_treasury)
        .add_attribute("outcome", outcome);

    Ok(response
        .add_event(event)
        .add_attribute("action", "slash")
        .add_attribute("provider", provider.as_str())
        .add_attribute("requested", amount)
        .add_attribute("slashed", slashed)
        .add_attribute("outcome", outcome))
}
