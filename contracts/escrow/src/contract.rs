//! Entry points: validate the envelope, then hand each message to its action.

use crate::error::ContractError;
use crate::execute::{account, config, ensure_accepted, fees, payment, withdraw};
use crate::msg::{ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg, ReceiveMsg};
use crate::state::{Config, ACCOUNTS, CONFIG, OPEN_ACCOUNTS};
use crate::{query, CONTRACT_NAME, CONTRACT_VERSION};
use cosmwasm_std::{
    from_json, to_json_binary, Binary, Deps, DepsMut, Env, MessageInfo, Order, Reply, Response,
    StdResult, Timestamp,
};
use cw20::Cw20ReceiveMsg;
use gridshare_plumbing::funds::{nonpayable, one_coin};
use gridshare_types::Denom;

#[cfg_attr(not(feature = "library"), cosmwasm_std::entry_point)]
pub fn instantiate(
    deps: DepsMut,
    _env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    nonpayable(&info)?;
    let owner = match msg.owner {
        Some(owner) => deps.api.addr_validate(&owner)?,
        None => info.sender,
    };
    let config = Config {
        owner,
        marketplace: deps.api.addr_validate(&msg.marketplace)?,
        fee_collector: deps.api.addr_validate(&msg.fee_collector)?,
        accepted_denoms: config::validate_denoms(deps.api, &msg.accepted_denoms)?,
    };
    let checks = config::check_denom_chain(&deps.querier, &config, true, true)?;
    CONFIG.save(deps.storage, &config)?;
    OPEN_ACCOUNTS.save(deps.storage, &0)?;
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    Ok(Response::new()
        .add_attribute("action", "instantiate")
        .add_attribute("owner", config.owner.as_str())
        .add_attribute("marketplace", config.marketplace.as_str())
        .add_attribute("fee_collector", config.fee_collector.as_str())
        .add_attributes(checks))
}

#[cfg_attr(not(feature = "library"), cosmwasm_std::entry_point)]
pub fn execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: ExecuteMsg,
) -> Result<Response, ContractError> {
    match msg {
        ExecuteMsg::OpenAccount {
            account_id,
            depositor,
        } => {
            let coin = one_coin(&info)?;
            account::open_account(
                deps,
                &info.sender,
                account_id,
                depositor,
                Denom::Native(coin.denom),
                coin.amount,
            )
        }
        ExecuteMsg::TopUp { account_id } => {
            let coin = one_coin(&info)?;
            account::top_up(
                deps,
                &info.sender,
                account_id,
                Denom::Native(coin.denom),
                coin.amount,
            )
        }
        ExecuteMsg::Receive(wrapper) => {
            nonpayable(&info)?;
            receive_cw20(deps, info, wrapper)
        }
        ExecuteMsg::OpenPayment {
            account_id,
            lease_id,
            payee,
            rate,
            start,
            cap,
            fee_bps,
        } => {
            nonpayable(&info)?;
            payment::open_payment(
                deps,
                &env,
                &info.sender,
                payment::OpenPayment {
                    account_id,
                    lease_id,
                    payee,
                    rate,
                    start: seconds(start),
                    cap,
                    fee_bps,
                },
            )
        }
        ExecuteMsg::Release { lease_id, until } => {
            nonpayable(&info)?;
            payment::release(deps, &env, &info.sender, lease_id, seconds(until))
        }
        ExecuteMsg::ClosePayment { lease_id, until } => {
            nonpayable(&info)?;
            payment::close_payment(deps, &env, &info.sender, lease_id, seconds(until))
        }
        ExecuteMsg::Refund { account_id, amount } => {
            nonpayable(&info)?;
            account::refund(deps, &info.sender, account_id, amount, None)
        }
        ExecuteMsg::Forfeit {
            account_id,
            amount,
            to,
        } => {
            nonpayable(&info)?;
            let to = deps.api.addr_validate(&to)?;
            account::refund(deps, &info.sender, account_id, amount, Some(to))
        }
        ExecuteMsg::CloseAccount { account_id, until } => {
            nonpayable(&info)?;
            account::close_account(deps, &env, &info.sender, account_id, seconds(until))
        }
        ExecuteMsg::Withdraw { lease_ids } => {
            nonpayable(&info)?;
            withdraw::withdraw(deps, &info.sender, lease_ids)
        }
        ExecuteMsg::UpdateConfig {
            marketplace,
            fee_collector,
            accepted_denoms,
        } => {
            nonpayable(&info)?;
            config::update_config(
                deps,
                &info.sender,
                marketplace,
                fee_collector,
                accepted_denoms,
            )
        }
        ExecuteMsg::UpdateOwnership(action) => {
            nonpayable(&info)?;
            config::update_ownership(deps, &env, &info.sender, action)
        }
        ExecuteMsg::DeliverFees { denom } => {
            nonpayable(&info)?;
            fees::deliver_fees(deps, denom)
        }
        ExecuteMsg::ClaimFees { denom } => {
            nonpayable(&info)?;
            fees::claim_fees(deps, &info.sender, denom)
        }
    }
}

/// The only replies escrow asks for: a fee the collector refused (see `execute::fees`).
#[cfg_attr(not(feature = "library"), cosmwasm_std::entry_point)]
pub fn reply(deps: DepsMut, _env: Env, msg: Reply) -> Result<Response, ContractError> {
    fees::reply(deps, msg)
}

/// A cw20 `Send` to escrow. Only tokens on the accepted list are trusted to report amounts.
fn receive_cw20(
    deps: DepsMut,
    info: MessageInfo,
    wrapper: Cw20ReceiveMsg,
) -> Result<Response, ContractError> {
    let denom = Denom::Cw20(info.sender);
    ensure_accepted(&CONFIG.load(deps.storage)?, &denom)?;
    let sender = deps.api.addr_validate(&wrapper.sender)?;
    match from_json(&wrapper.msg)? {
        ReceiveMsg::OpenAccount {
            account_id,
            depositor,
        } => account::open_account(deps, &sender, account_id, depositor, denom, wrapper.amount),
        ReceiveMsg::TopUp { account_id } => {
            account::top_up(deps, &sender, account_id, denom, wrapper.amount)
        }
    }
}

#[cfg_attr(not(feature = "library"), cosmwasm_std::entry_point)]
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> StdResult<Binary> {
    match msg {
        QueryMsg::Config {} => to_json_binary(&query::config(deps)?),
        QueryMsg::Ownership {} => to_json_binary(&query::ownership(deps)?),
        QueryMsg::Account { account_id } => to_json_binary(&query::account(deps, account_id)?),
        QueryMsg::AccountsByDepositor {
            depositor,
            start_after,
            limit,
        } => to_json_binary(&query::accounts_by_depositor(
            deps,
            depositor,
            start_after,
            limit,
        )?),
        QueryMsg::Payment { lease_id } => to_json_binary(&query::payment(deps, &env, lease_id)?),
        QueryMsg::PaymentsByAccount {
            account_id,
            start_after,
            limit,
        } => to_json_binary(&query::payments_by_account(
            deps,
            &env,
            account_id,
            start_after,
            limit,
        )?),
        QueryMsg::PaymentsByPayee {
            payee,
            start_after,
            limit,
        } => to_json_binary(&query::payments_by_payee(
            deps,
            &env,
            payee,
            start_after,
            limit,
        )?),
        QueryMsg::Totals { start_after, limit } => {
            to_json_binary(&query::totals(deps, start_after, limit)?)
        }
        QueryMsg::UncollectedFees { start_after, limit } => {
            to_json_binary(&query::uncollected_fees(deps, start_after, limit)?)
        }
    }
}

#[cfg_attr(not(feature = "library"), cosmwasm_std::entry_point)]
pub fn migrate(deps: DepsMut, _env: Env, _msg: MigrateMsg) -> Result<Response, ContractError> {
    let response = gridshare_types::migrate::upgrade::<ContractError>(
        deps.storage,
        CONTRACT_NAME,
        CONTRACT_VERSION,
    )?;
    // Versions before the open-account count: count once, here, what every open and close has
    // kept up to date since.
    if !OPEN_ACCOUNTS.exists(deps.storage) {
        let mut open = 0u64;
        for account in ACCOUNTS.range(deps.storage, None, None, Order::Ascending) {
            if !account?.1.closed {
                open += 1;
            }
        }
        OPEN_ACCOUNTS.save(deps.storage, &open)?;
        return Ok(response.add_attribute("open_accounts", open.to_string()));
    }
    Ok(response)
}

/// A time of the public API (whole seconds since the epoch) as the block time it is compared with.
fn seconds(time: Option<u64>) -> Option<Timestamp> {
    time.map(Timestamp::from_seconds)
}
