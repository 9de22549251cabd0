//! Entry points: refuse native coins, then hand each message to cw20-base or to its premium action.

use crate::error::ContractError;
use crate::execute::subscribe::{subscribe, Payment};
use crate::execute::{admin, cw20 as token};
use crate::msg::{ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg, ReceiveMsg};
use crate::state::{ADMIN, TIERS};
use crate::{query, CONTRACT_NAME, CONTRACT_VERSION};
use cosmwasm_std::{
    from_json, to_json_binary, Binary, Deps, DepsMut, Env, MessageInfo, Response, StdResult,
    Uint128,
};
use cw20::Cw20ReceiveMsg;
use cw20_base::allowances as cw20_allowances;
use cw20_base::contract as cw20_contract;
use cw20_base::enumerable as cw20_enumerable;
use gridshare_plumbing::funds::nonpayable;

#[cfg_attr(not(feature = "library"), cosmwasm_std::entry_point)]
pub fn instantiate(
    mut deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    nonpayable(&info)?;
    // cw20-base sums the initial balances without checking.
    msg.initial_balances
        .iter()
        .try_fold(Uint128::zero(), |sum, c| sum.checked_add(c.amount))?;
    let admin = match &msg.admin {
        Some(admin) => deps.api.addr_validate(admin)?,
        None => info.sender.clone(),
    };
    admin::validate_initial_tiers(&msg.tiers)?;

    // cw20-base's own checks (name, symbol, decimals, duplicate balances, cap) happen inside; it
    // records its cw2 version before them, which a failed instantiate discards with everything else.
    cw20_contract::instantiate(deps.branch(), env, info, msg.cw20_base())?;
    for tier in &msg.tiers {
        TIERS.save(deps.storage, &tier.id, tier)?;
    }
    ADMIN.save(deps.storage, &admin)?;
    // cw20-base records itself; this contract is `access-token`.
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;

    Ok(Response::new()
        .add_attribute("action", "instantiate")
        .add_attribute("symbol", msg.symbol)
        .add_attribute("admin", admin.as_str())
        .add_attribute("tiers", msg.tiers.len().to_string()))
}

#[cfg_attr(not(feature = "library"), cosmwasm_std::entry_point)]
pub fn execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: ExecuteMsg,
) -> Result<Response, ContractError> {
    nonpayable(&info)?;
    match msg {
        ExecuteMsg::Transfer { recipient, amount } => Ok(cw20_contract::execute_transfer(
            deps, env, info, recipient, amount,
        )?),
        ExecuteMsg::Burn { amount } => Ok(cw20_contract::execute_burn(deps, env, info, amount)?),
        ExecuteMsg::Send {
            contract,
            amount,
            msg,
        } => Ok(cw20_contract::execute_send(
            deps, env, info, contract, amount, msg,
        )?),
        ExecuteMsg::Mint { recipient, amount } => token::mint(deps, env, info, recipient, amount),
        ExecuteMsg::IncreaseAllowance {
            spender,
            amount,
            expires,
        } => token::increase_allowance(deps, env, info, spender, amount, expires),
        ExecuteMsg::DecreaseAllowance {
            spender,
            amount,
            expires,
        } => Ok(cw20_allowances::execute_decrease_allowance(
            deps, env, info, spender, amount, expires,
        )?),
        ExecuteMsg::TransferFrom {
            owner,
            recipient,
            amount,
        } => Ok(cw20_allowances::execute_transfer_from(
            deps, env, info, owner, recipient, amount,
        )?),
        ExecuteMsg::BurnFrom { owner, amount } => Ok(cw20_allowances::execute_burn_from(
            deps, env, info, owner, amount,
        )?),
        ExecuteMsg::SendFrom {
            owner,
            contract,
            amount,
            msg,
        } => Ok(cw20_allowances::execute_send_from(
            deps, env, info, owner, contract, amount, msg,
        )?),
        ExecuteMsg::UpdateMarketing {
            project,
            description,
            marketing,
        } => Ok(cw20_contract::execute_update_marketing(
            deps,
            env,
            info,
            project,
            description,
            marketing,
        )?),
        ExecuteMsg::UploadLogo(logo) => {
            Ok(cw20_contract::execute_upload_logo(deps, env, info, logo)?)
        }
        ExecuteMsg::UpdateMinter { new_minter } => Ok(cw20_contract::execute_update_minter(
            deps, env, info, new_minter,
        )?),

        ExecuteMsg::Subscribe { tier, periods } => {
            subscribe(deps, env, info.sender, tier, periods, Payment::FromBalance)
        }
        ExecuteMsg::Receive(wrapper) => receive_cw20(deps, env, info, wrapper),
        ExecuteMsg::SetTier { tier } => admin::set_tier(deps, &info.sender, tier),
        ExecuteMsg::RemoveTier { tier } => admin::remove_tier(deps, &info.sender, tier),
        ExecuteMsg::UpdateOwnership(action) => {
            admin::update_ownership(deps, &env, &info.sender, action)
        }
    }
}

/// A cw20 `Send` to this contract. Only GRID itself (this contract's own `Send`) is trusted: any
/// other token's `Receive` would be a claim of a payment that never happened here.
fn receive_cw20(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    wrapper: Cw20ReceiveMsg,
) -> Result<Response, ContractError> {
    if info.sender != env.contract.address {
        return Err(ContractError::WrongToken {
            token: info.sender.to_string(),
            expected: env.contract.address.to_string(),
        });
    }
    let subscriber = deps.api.addr_validate(&wrapper.sender)?;
    match from_json(&wrapper.msg)? {
        ReceiveMsg::Subscribe { tier, periods } => subscribe(
            deps,
            env,
            subscriber,
            tier,
            periods,
            Payment::Received(wrapper.amount),
        ),
    }
}

#[cfg_attr(not(feature = "library"), cosmwasm_std::entry_point)]
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> StdResult<Binary> {
    match msg {
        QueryMsg::Balance { address } => {
            to_json_binary(&cw20_contract::query_balance(deps, address)?)
        }
        QueryMsg::TokenInfo {} => to_json_binary(&cw20_contract::query_token_info(deps)?),
        QueryMsg::Minter {} => to_json_binary(&cw20_contract::query_minter(deps)?),
        QueryMsg::Allowance { owner, spender } => {
            to_json_binary(&cw20_allowances::query_allowance(deps, owner, spender)?)
        }
        QueryMsg::AllAllowances {
            owner,
            start_after,
            limit,
        } => to_json_binary(&cw20_enumerable::query_owner_allowances(
            deps,
            owner,
            start_after,
            limit,
        )?),
        QueryMsg::AllSpenderAllowances {
            spender,
            start_after,
            limit,
        } => to_json_binary(&cw20_enumerable::query_spender_allowances(
            deps,
            spender,
            start_after,
            limit,
        )?),
        QueryMsg::AllAccounts { start_after, limit } => to_json_binary(
            &cw20_enumerable::query_all_accounts(deps, start_after, limit)?,
        ),
        QueryMsg::MarketingInfo {} => to_json_binary(&cw20_contract::query_marketing_info(deps)?),
        QueryMsg::DownloadLogo {} => to_json_binary(&cw20_contract::query_download_logo(deps)?),

        QueryMsg::Access { address } => to_json_binary(&query::access(deps, &env, address)?),
        QueryMsg::Subscription { address } => {
            to_json_binary(&query::subscription(deps, &env, address)?)
        }
        QueryMsg::Tier { id } => to_json_binary(&query::tier(deps, id)?),
        QueryMsg::Tiers { start_after, limit } => {
            to_json_binary(&query::tiers(deps, start_after, limit)?)
        }
        QueryMsg::Admin {} => to_json_binary(&query::admin(deps)?),
        QueryMsg::Ownership {} => to_json_binary(&query::ownership(deps)?),
    }
}

#[cfg_attr(not(feature = "library"), cosmwasm_std::entry_point)]
pub fn migrate(deps: DepsMut, _env: Env, _msg: MigrateMsg) -> Result<Response, ContractError> {
    gridshare_types::migrate::upgrade(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)
}
