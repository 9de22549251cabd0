//! A minimal fee collector that speaks the `DepositRewards {}` protocol and records what arrived
//! through it, standing in for the staking contract in escrow-only scenarios.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{
    from_json, to_json_binary, Binary, Deps, DepsMut, Empty, Env, MessageInfo, Response, StdError,
    StdResult, Uint128,
};
use cw20::Cw20ReceiveMsg;
use cw_storage_plus::Map;
use gridshare_types::fee_collector::FeeCollectorReceiveMsg;

/// Denom key → total deposited through `DepositRewards`.
const DEPOSITED: Map<&str, Uint128> = Map::new("deposited");

#[cw_serde]
pub enum ExecuteMsg {
    DepositRewards {},
    Receive(Cw20ReceiveMsg),
}

#[cw_serde]
pub enum QueryMsg {
    /// Total deposited in a denom key (`native:<denom>` or `cw20:<addr>`).
    Deposited { denom_key: String },
}

pub fn instantiate(_: DepsMut, _: Env, _: MessageInfo, _: Empty) -> StdResult<Response> {
    Ok(Response::new())
}

pub fn execute(deps: DepsMut, _: Env, info: MessageInfo, msg: ExecuteMsg) -> StdResult<Response> {
    match msg {
        ExecuteMsg::DepositRewards {} => {
            if info.funds.is_empty() {
                return Err(StdError::generic_err("DepositRewards without funds"));
            }
            for coin in info.funds {
                add(deps.storage, &format!("native:{}", coin.denom), coin.amount)?;
            }
        }
        ExecuteMsg::Receive(wrapper) => {
            let FeeCollectorReceiveMsg::DepositRewards {} = from_json(&wrapper.msg)?;
            add(
                deps.storage,
                &format!("cw20:{}", info.sender),
                wrapper.amount,
            )?;
        }
    }
    Ok(Response::new())
}

fn add(storage: &mut dyn cosmwasm_std::Storage, key: &str, amount: Uint128) -> StdResult<()> {
    let total = DEPOSITED.may_load(storage, key)?.unwrap_or_default();
    DEPOSITED.save(storage, key, &total.checked_add(amount)?)
}

pub fn query(deps: Deps, _: Env, msg: QueryMsg) -> StdResult<Binary> {
    match msg {
        QueryMsg::Deposited { denom_key } => to_json_binary(
            &DEPOSITED
                .may_load(deps.storage, &denom_key)?
                .unwrap_or_default(),
        ),
    }
}
