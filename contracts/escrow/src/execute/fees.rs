//! Fees: each release sends its fee to the fee collector, and a collector that refuses it never
//! blocks the release. The fee then stays here, uncollected, until someone delivers it again
//! (`DeliverFees`) or the collector takes it as a plain transfer (`ClaimFees`).

use crate::state::{Config, CONFIG, UNCOLLECTED_FEES};
use crate::{ContractError, FEE_REPLY_ID};
use cosmwasm_std::{
    from_json, to_json_binary, Addr, CosmosMsg, DepsMut, Event, Reply, Response, StdResult,
    Storage, SubMsg, SubMsgResult, Uint128,
};
use gridshare_types::escrow::DenomTotal;
use gridshare_types::fee_collector::FeeCollectorExecuteMsg;
use gridshare_types::{Denom, UncheckedDenom};

/// `DepositRewards {}` on the collector with `amount` attached (a cw20 through its `Send`).
fn deposit_rewards_msg(collector: &Addr, denom: &Denom, amount: Uint128) -> StdResult<CosmosMsg> {
    denom.execute_with_funds_msg(
        collector,
        to_json_binary(&FeeCollectorExecuteMsg::DepositRewards {})?,
        amount,
    )
}

/// The fee of a release, on its way to the collector. If the collector (or the cw20) refuses it,
/// the chain reverts only this submessage, coins included, and calls [`reply`] with the fee in
/// the payload: the release itself stands.
pub(crate) fn fee_submsg(config: &Config, denom: &Denom, amount: Uint128) -> StdResult<SubMsg> {
    let msg = deposit_rewards_msg(&config.fee_collector, denom, amount)?;
    let payload = to_json_binary(&DenomTotal {
        denom: denom.clone(),
        amount,
    })?;
    Ok(SubMsg::reply_on_error(msg, FEE_REPLY_ID).with_payload(payload))
}

/// A fee submessage failed: its coins are still here, so they join the uncollected fees.
pub fn reply(deps: DepsMut, reply: Reply) -> Result<Response, ContractError> {
    if reply.id != FEE_REPLY_ID {
        return Err(ContractError::UnknownReply { id: reply.id });
    }
    let error = match reply.result {
        SubMsgResult::Err(error) => error,
        // Only failures are replied to; a success has delivered the fee.
        SubMsgResult::Ok(_) => return Ok(Response::new()),
    };
    let fee: DenomTotal = from_json(&reply.payload)?;
    let key = fee.denom.key();
    let mut uncollected = UNCOLLECTED_FEES
        .may_load(deps.storage, &key)?
        .unwrap_or_else(|| DenomTotal {
            denom: fee.denom.clone(),
            amount: Uint128::zero(),
        });
    uncollected.amount = uncollected.amount.checked_add(fee.amount)?;
    UNCOLLECTED_FEES.save(deps.storage, &key, &uncollected)?;
    let config = CONFIG.load(deps.storage)?;

    Ok(Response::new().add_event(
        Event::new("fee_uncollected")
            .add_attribute("denom", key)
            .add_attribute("amount", fee.amount)
            .add_attribute("uncollected", uncollected.amount)
            .add_attribute("fee_collector", config.fee_collector.as_str())
            .add_attribute("error", error),
    ))
}

/// Removes and returns every uncollected fee of `denom`; the caller sends it in its response.
fn take_uncollected(storage: &mut dyn Storage, denom: &Denom) -> Result<Uint128, ContractError> {
    let key = denom.key();
    match UNCOLLECTED_FEES.may_load(storage, &key)? {
        Some(fees) if !fees.amount.is_zero() => {
            UNCOLLECTED_FEES.remove(storage, &key);
            Ok(fees.amount)
        }
        _ => Err(ContractError::NoUncollectedFees { denom: key }),
    }
}

/// Anyone: the uncollected fees of `denom` go to the collector again, as a plain message, so that
/// if it still refuses, the whole transaction reverts and the fees stay here.
pub fn deliver_fees(deps: DepsMut, denom: UncheckedDenom) -> Result<Response, ContractError> {
    let denom = denom.validate(deps.api)?;
    let config = CONFIG.load(deps.storage)?;
    let amount = take_uncollected(deps.storage, &denom)?;
    Ok(Response::new()
        .add_message(deposit_rewards_msg(&config.fee_collector, &denom, amount)?)
        .add_attribute("action", "deliver_fees")
        .add_attribute("denom", denom.key())
        .add_attribute("amount", amount)
        .add_attribute("fee_collector", config.fee_collector.as_str()))
}

/// The collector itself takes the uncollected fees of `denom`, with no message to execute.
pub fn claim_fees(
    deps: DepsMut,
    sender: &Addr,
    denom: UncheckedDenom,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    if *sender != config.fee_collector {
        return Err(ContractError::Unauthorized {
            sender: sender.to_string(),
            role: "fee collector",
        });
    }
    let denom = denom.validate(deps.api)?;
    let amount = take_uncollected(deps.storage, &denom)?;
    Ok(Response::new()
        .add_message(denom.transfer_msg(&config.fee_collector, amount)?)
        .add_attribute("action", "claim_fees")
        .add_attribute("denom", denom.key())
        .add_attribute("amount", amount)
        .add_attribute("fee_collector", config.fee_collector.as_str()))
}
