//! Entry points: validate the envelope, then hand each message to its action.

use crate::error::ContractError;
use crate::execute::config::{config_from_msg, update_config, ConfigUpdate};
use crate::execute::propose::{propose, NewProposal};
use crate::execute::{close, execution, vote};
use crate::funds::native_deposit;
use crate::msg::{Deposit, ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg, ReceiveMsg};
use crate::state::{CONFIG, PROPOSAL_COUNT};
use crate::{query, CONTRACT_NAME, CONTRACT_VERSION};
use cosmwasm_std::{
    from_json, to_json_binary, Binary, Deps, DepsMut, Env, MessageInfo, Reply, Response, StdResult,
};
use cw20::Cw20ReceiveMsg;
use gridshare_plumbing::funds::nonpayable;
use gridshare_types::Denom;

#[cfg_attr(not(feature = "library"), cosmwasm_std::entry_point)]
pub fn instantiate(
    deps: DepsMut,
    _env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    nonpayable(&info)?;
    let config = config_from_msg(deps.api, &msg)?;
    CONFIG.save(deps.storage, &config)?;
    PROPOSAL_COUNT.save(deps.storage, &0)?;
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    Ok(Response::new()
        .add_attribute("action", "instantiate")
        .add_attribute("staking", config.staking.as_str())
        .add_attribute("quorum", config.quorum.to_string())
        .add_attribute("threshold", config.threshold.to_string())
        .add_attribute("veto_threshold", config.veto_threshold.to_string())
        .add_attribute("voting_period", config.voting_period.to_string())
        .add_attribute("timelock", config.timelock.to_string())
        .add_attribute("min_timelock", config.min_timelock.to_string()))
}

#[cfg_attr(not(feature = "library"), cosmwasm_std::entry_point)]
pub fn execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: ExecuteMsg,
) -> Result<Response, ContractError> {
    match msg {
        ExecuteMsg::Propose {
            title,
            description,
            messages,
        } => {
            let deposit = native_deposit(&info)?;
            propose(
                deps,
                &env,
                info.sender,
                NewProposal {
                    title,
                    description,
                    messages,
                },
                deposit,
            )
        }
        ExecuteMsg::Receive(wrapper) => {
            nonpayable(&info)?;
            receive_cw20(deps, env, info, wrapper)
        }
        ExecuteMsg::Vote { proposal_id, vote } => {
            nonpayable(&info)?;
            vote::vote(deps, &env, info.sender, proposal_id, vote)
        }
        ExecuteMsg::Close { proposal_id } => {
            nonpayable(&info)?;
            close::close(deps, &env, proposal_id)
        }
        ExecuteMsg::Execute { proposal_id } => {
            nonpayable(&info)?;
            execution::execute_proposal(deps, &env, proposal_id)
        }
        ExecuteMsg::UpdateConfig {
            staking,
            deposit,
            min_proposer_power,
            quorum,
            threshold,
            veto_threshold,
            voting_period,
            timelock,
        } => {
            nonpayable(&info)?;
            update_config(
                deps,
                &env,
                &info.sender,
                ConfigUpdate {
                    staking,
                    deposit,
                    min_proposer_power,
                    quorum,
                    threshold,
                    veto_threshold,
                    voting_period,
                    timelock,
                },
            )
        }
        ExecuteMsg::DispatchProposal { proposal_id } => {
            nonpayable(&info)?;
            execution::dispatch(deps, &env, &info.sender, proposal_id)
        }
        ExecuteMsg::AssertDepositsHeld {} => {
            nonpayable(&info)?;
            execution::assert_deposits_held(deps.as_ref(), &env, &info.sender)
        }
    }
}

/// A cw20 `Send` to governance: a proposal paying its deposit in that token. Whether the token is
/// the configured deposit token is checked with the deposit itself.
fn receive_cw20(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    wrapper: Cw20ReceiveMsg,
) -> Result<Response, ContractError> {
    let proposer = deps.api.addr_validate(&wrapper.sender)?;
    let deposit = Deposit {
        denom: Denom::Cw20(info.sender),
        amount: wrapper.amount,
    };
    match from_json(&wrapper.msg)? {
        ReceiveMsg::Propose {
            title,
            description,
            messages,
        } => propose(
            deps,
            &env,
            proposer,
            NewProposal {
                title,
                description,
                messages,
            },
            Some(deposit),
        ),
    }
}

#[cfg_attr(not(feature = "library"), cosmwasm_std::entry_point)]
pub fn reply(deps: DepsMut, _env: Env, msg: Reply) -> Result<Response, ContractError> {
    execution::reply(deps, msg)
}

#[cfg_attr(not(feature = "library"), cosmwasm_std::entry_point)]
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> StdResult<Binary> {
    match msg {
        QueryMsg::Config {} => to_json_binary(&query::config(deps)?),
        QueryMsg::Proposal { proposal_id } => {
            to_json_binary(&query::proposal(deps, &env, proposal_id)?)
        }
        QueryMsg::Proposals { start_after, limit } => {
            to_json_binary(&query::proposals(deps, &env, start_after, limit)?)
        }
        QueryMsg::Vote { proposal_id, voter } => {
            to_json_binary(&query::vote(deps, proposal_id, voter)?)
        }
        QueryMsg::Votes {
            proposal_id,
            start_after,
            limit,
        } => to_json_binary(&query::votes(deps, proposal_id, start_after, limit)?),
        QueryMsg::Deposits {} => to_json_binary(&query::deposits(deps)?),
    }
}

#[cfg_attr(not(feature = "library"), cosmwasm_std::entry_point)]
pub fn migrate(deps: DepsMut, _env: Env, _msg: MigrateMsg) -> Result<Response, ContractError> {
    let response = gridshare_types::migrate::upgrade::<ContractError>(
        deps.storage,
        CONTRACT_NAME,
        CONTRACT_VERSION,
    )?;
    // State from before the timelock floor reads `min_timelock` as 1 s; a timelock of 0 it may
    // hold is raised to that floor, so that no proposal ever runs the moment its vote ends.
    let mut config = CONFIG.load(deps.storage)?;
    if config.timelock < config.min_timelock {
        config.timelock = config.min_timelock;
        CONFIG.save(deps.storage, &config)?;
        return Ok(response.add_attribute("timelock", config.timelock.to_string()));
    }
    Ok(response)
}
