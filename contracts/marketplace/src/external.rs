//! What the marketplace asks and tells the other contracts: escrow (accounts and payments),
//! staking (collateral, locks, slashes, work) and the access token (premium tiers).

use crate::state::Config;
use crate::wire::{AccessAsk, AccessView, EscrowCall as EscrowMsg, StakingAsk, StakingCall};
use crate::ContractError;
use cosmwasm_std::{to_json_binary, Addr, CosmosMsg, QuerierWrapper, StdResult, Uint128, WasmMsg};
use gridshare_types::escrow::{Rate, BPS_DENOMINATOR};
use gridshare_types::marketplace::SlashRule;
use gridshare_types::staking::{CollateralResponse, DenomAmount};
use gridshare_types::Denom;

fn execute(contract: &Addr, msg: &impl serde::Serialize) -> StdResult<CosmosMsg> {
    Ok(WasmMsg::Execute {
        contract_addr: contract.to_string(),
        msg: to_json_binary(msg)?,
        funds: vec![],
    }
    .into())
}

// ---- access token ----------------------------------------------------------------------------

/// What a renter's tier grants an order: matching priority and a fee discount (bps of the fee).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tier {
    pub priority: u8,
    pub fee_discount_bps: u16,
}

/// The renter's premium tier. No access-token contract, no active subscription, or a failing
/// lookup all mean the standard tier: a broken token contract never bricks order posting.
pub fn access_tier(querier: &QuerierWrapper, config: &Config, renter: &Addr) -> Tier {
    let Some(token) = &config.access_token else {
        return Tier::default();
    };
    let answer: StdResult<AccessView> = querier.query_wasm_smart(
        token,
        &AccessAsk::Access {
            address: renter.as_str(),
        },
    );
    match answer {
        Ok(AccessView {
            tier: Some(benefits),
        }) => Tier {
            priority: benefits.priority,
            fee_discount_bps: benefits.fee_discount_bps.min(BPS_DENOMINATOR),
        },
        _ => Tier::default(),
    }
}

/// The fee of an order's payments: the take rate less the tier's discount, rounded down.
pub fn fee_bps(take_rate_bps: u16, discount_bps: u16) -> u16 {
    let discount = u32::from(discount_bps.min(BPS_DENOMINATOR));
    let fee = u32::from(take_rate_bps) * (u32::from(BPS_DENOMINATOR) - discount)
        / u32::from(BPS_DENOMINATOR);
    // At most the take rate, itself a u16.
    u16::try_from(fee).unwrap_or(take_rate_bps)
}

// ---- staking ---------------------------------------------------------------------------------

pub fn collateral(
    querier: &QuerierWrapper,
    config: &Config,
    provider: &Addr,
    gpus: u32,
) -> StdResult<CollateralResponse> {
    querier.query_wasm_smart(
        &config.staking,
        &StakingAsk::Collateral {
            address: provider.as_str(),
            gpus,
        },
    )
}

/// Checks that `provider`'s bond covers `gpus` GPUs and returns the amount to lock.
pub fn required_collateral(
    querier: &QuerierWrapper,
    config: &Config,
    provider: &Addr,
    gpus: u64,
) -> Result<Uint128, ContractError> {
    let gpus = u32::try_from(gpus).map_err(|_| ContractError::InvalidParam {
        param: "units",
        value: gpus.to_string(),
        reason: "a provider lists at most u32::MAX units",
    })?;
    let answer = collateral(querier, config, provider, gpus)?;
    if !answer.sufficient || answer.bonded < answer.required {
        return Err(ContractError::InsufficientCollateral {
            bonded: answer.bonded,
            required: answer.required,
            gpus,
        });
    }
    Ok(answer.required)
}

/// The lock for `gpus` listed units after units were released: never more than is locked now.
/// A release only ever lowers what backs the listing; asking for more (after governance raised
/// `min_stake_per_gpu`, or after a slash) would make staking refuse, and with it the settlement.
pub fn lowered_lock(
    querier: &QuerierWrapper,
    config: &Config,
    provider: &Addr,
    gpus: u64,
) -> Result<Uint128, ContractError> {
    let gpus = u32::try_from(gpus).unwrap_or(u32::MAX);
    let answer = collateral(querier, config, provider, gpus)?;
    Ok(answer.required.min(answer.locked))
}

pub fn set_locked_msg(config: &Config, provider: &Addr, amount: Uint128) -> StdResult<CosmosMsg> {
    execute(
        &config.staking,
        &StakingCall::SetLocked {
            provider: provider.as_str(),
            amount,
        },
    )
}

/// The slash for one bad lease under `rule` (the dishonesty or the liveness slash), or nothing
/// when the rule takes nothing. Staking computes the amount from the bond when the message
/// executes, so several slashes in one transaction compound. `compensation` receives staking's
/// compensation share; `None` sends it all to the treasury (a rejection by a quorum the renter's
/// own choice of replicas may have formed must never pay the renter).
pub fn slash_msg(
    config: &Config,
    rule: SlashRule,
    provider: &Addr,
    reason: &str,
    lease_id: u64,
    compensation: Option<&Addr>,
) -> StdResult<Option<CosmosMsg>> {
    let takes_nothing = match rule {
        SlashRule::Fixed { amount } => amount.is_zero(),
        SlashRule::BondBps { bps } => bps == 0,
    };
    if takes_nothing {
        return Ok(None);
    }
    execute(
        &config.staking,
        &StakingCall::Slash {
            provider: provider.as_str(),
            rule,
            reason,
            lease_id: Some(lease_id),
            compensation: compensation.map(Addr::as_str),
        },
    )
    .map(Some)
}

pub fn report_work_msg(
    config: &Config,
    provider: &Addr,
    gpu_seconds: u64,
    fee: Option<DenomAmount>,
) -> StdResult<CosmosMsg> {
    execute(
        &config.staking,
        &StakingCall::ReportWork {
            provider: provider.as_str(),
            gpu_seconds,
            fee_paid: fee,
        },
    )
}

// ---- escrow ----------------------------------------------------------------------------------

/// Forwards an order's funds to escrow as the order's account: native coins ride along with
/// `OpenAccount`; a cw20 goes through `Send` with the same message as its hook.
pub fn open_account_msg(
    config: &Config,
    denom: &Denom,
    order_id: u64,
    renter: &Addr,
    amount: Uint128,
) -> StdResult<CosmosMsg> {
    denom.execute_with_funds_msg(
        &config.escrow,
        to_json_binary(&EscrowMsg::OpenAccount {
            account_id: order_id,
            depositor: renter.as_str(),
        })?,
        amount,
    )
}

/// Adds a dispute bond to the order's escrow account (`TopUp`), native or cw20 alike.
pub fn top_up_msg(
    config: &Config,
    denom: &Denom,
    order_id: u64,
    amount: Uint128,
) -> StdResult<CosmosMsg> {
    denom.execute_with_funds_msg(
        &config.escrow,
        to_json_binary(&EscrowMsg::TopUp {
            account_id: order_id,
        })?,
        amount,
    )
}

pub struct NewPayment<'a> {
    pub order_id: u64,
    pub lease_id: u64,
    pub payee: &'a Addr,
    pub rate_per_hour: Uint128,
    pub cap: Uint128,
    pub fee_bps: u16,
}

pub fn open_payment_msg(config: &Config, p: NewPayment) -> StdResult<CosmosMsg> {
    execute(
        &config.escrow,
        &EscrowMsg::OpenPayment {
            account_id: p.order_id,
            lease_id: p.lease_id,
            payee: p.payee.as_str(),
            rate: Rate::per_hour(p.rate_per_hour),
            start: None,
            cap: p.cap,
            fee_bps: p.fee_bps,
        },
    )
}

pub fn close_payment_msg(config: &Config, lease_id: u64, until: u64) -> StdResult<CosmosMsg> {
    execute(
        &config.escrow,
        &EscrowMsg::ClosePayment {
            lease_id,
            until: Some(until),
        },
    )
}

pub fn refund_msg(config: &Config, order_id: u64, amount: Uint128) -> StdResult<CosmosMsg> {
    execute(
        &config.escrow,
        &EscrowMsg::Refund {
            account_id: order_id,
            amount,
        },
    )
}

/// Pays `amount` of the order's account to `to`: a lost dispute bond, forfeited.
pub fn forfeit_msg(
    config: &Config,
    order_id: u64,
    amount: Uint128,
    to: &Addr,
) -> StdResult<CosmosMsg> {
    execute(
        &config.escrow,
        &EscrowMsg::Forfeit {
            account_id: order_id,
            amount,
            to: to.as_str(),
        },
    )
}

pub fn close_account_msg(config: &Config, order_id: u64) -> StdResult<CosmosMsg> {
    execute(
        &config.escrow,
        &EscrowMsg::CloseAccount {
            account_id: order_id,
            until: None,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fee_is_the_take_rate_less_the_discount_rounded_down() {
        assert_eq!(fee_bps(250, 0), 250);
        assert_eq!(fee_bps(250, 10_000), 0);
        assert_eq!(fee_bps(250, 5_000), 125);
        // 333 × 0.9999 = 332.97 → 332.
        assert_eq!(fee_bps(333, 1), 332);
        assert_eq!(fee_bps(10_000, 20_000), 0);
        assert_eq!(fee_bps(u16::MAX, 0), u16::MAX);
    }
}
