//! Entry points: validate the envelope, then hand each message to its action.

use crate::error::ContractError;
use crate::execute::{bond, collateral, config, emissions, ownership, rewards, slash, unbond};
use crate::funds::{
    ensure_positive, ensure_reward_denom, ensure_stake_denom, nonpayable, reward_coins, stake_coin,
};
use crate::msg::{ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg, ReceiveMsg};
use crate::state::{Config, EmissionState, CONFIG, EMISSIONS};
use crate::{query, CONTRACT_NAME, CONTRACT_VERSION};
use cosmwasm_std::{
    from_json, to_json_binary, Binary, Deps, DepsMut, Env, MessageInfo, Response, StdResult,
    Uint128,
};
use cw20::Cw20ReceiveMsg;
use gridshare_types::Denom;

#[cfg_attr(not(feature = "library"), cosmwasm_std::entry_point)]
pub fn instantiate(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    nonpayable(&info)?;
    let owner = match msg.owner {
        Some(owner) => deps.api.addr_validate(&owner)?,
        None => info.sender,
    };
    if msg.epoch_seconds == 0 {
        return Err(ContractError::InvalidEpochSeconds);
    }
    let reward_denoms = config::validate_reward_denoms(deps.api, &msg.reward_denoms)?;
    let emission_weights = match msg.emission_weights {
        Some(weights) => config::validate_emission_weights(deps.api, &weights)?,
        None => config::default_emission_weights(&reward_denoms),
    };
    let config = Config {
        owner,
        marketplace: deps.api.addr_validate(&msg.marketplace)?,
        treasury: deps.api.addr_validate(&msg.treasury)?,
        stake_denom: msg.stake_denom.validate(deps.api)?,
        unbonding_period: msg.unbonding_period,
        min_stake_per_gpu: msg.min_stake_per_gpu,
        compensation_ratio: config::validate_compensation_ratio(msg.compensation_ratio)?,
        reward_denoms,
        epoch_seconds: msg.epoch_seconds,
        emission_per_epoch: msg.emission_per_epoch,
        emission_weights,
        scheduled_emission: None,
    };
    let denom_check =
        config::check_escrow_denoms(&deps.querier, &config.marketplace, &config.reward_denoms)?;
    CONFIG.save(deps.storage, &config)?;
    config::ensure_pools(deps.storage, &config.reward_denoms)?;
    EMISSIONS.save(
        deps.storage,
        &EmissionState {
            genesis: env.block.time.seconds(),
            pool: Uint128::zero(),
            allocated: Uint128::zero(),
            funded: Uint128::zero(),
            paid: Uint128::zero(),
        },
    )?;
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    Ok(Response::new()
        .add_attribute("action", "instantiate")
        .add_attribute("owner", config.owner.as_str())
        .add_attribute("marketplace", config.marketplace.as_str())
        .add_attribute("treasury", config.treasury.as_str())
        .add_attribute("stake_denom", config.stake_denom.to_string())
        .add_attribute("reward_denoms_check", denom_check.as_str()))
}

#[cfg_attr(not(feature = "library"), cosmwasm_std::entry_point)]
pub fn execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: ExecuteMsg,
) -> Result<Response, ContractError> {
    match msg {
        ExecuteMsg::Bond {} => {
            let amount = stake_coin(&CONFIG.load(deps.storage)?, &info)?;
            bond::bond(deps, &env, &info.sender, amount)
        }
        ExecuteMsg::Receive(wrapper) => {
            nonpayable(&info)?;
            receive_cw20(deps, env, info, wrapper)
        }
        ExecuteMsg::Unbond { amount } => {
            nonpayable(&info)?;
            unbond::unbond(deps, &env, &info.sender, amount)
        }
        ExecuteMsg::Claim {} => {
            nonpayable(&info)?;
            unbond::claim(deps, &env, &info.sender)
        }
        ExecuteMsg::SetLocked { provider, amount } => {
            nonpayable(&info)?;
            collateral::set_locked(deps, &info.sender, provider, amount)
        }
        ExecuteMsg::Slash {
            provider,
            rule,
            reason,
            lease_id,
            compensation,
        } => {
            nonpayable(&info)?;
            slash::slash(
                deps,
                &env,
                &info.sender,
                slash::Slash {
                    provider,
                    rule,
                    reason,
                    lease_id,
                    compensation,
                },
            )
        }
        ExecuteMsg::DepositRewards {} => {
            let deposits = reward_coins(&CONFIG.load(deps.storage)?, &info)?;
            rewards::deposit_rewards(deps, &info.sender, deposits)
        }
        ExecuteMsg::ClaimRewards {} => {
            nonpayable(&info)?;
            rewards::claim_rewards(deps, &info.sender)
        }
        ExecuteMsg::FundEmissions {} => {
            let amount = stake_coin(&CONFIG.load(deps.storage)?, &info)?;
            emissions::fund_emissions(deps, &env, &info.sender, amount)
        }
        ExecuteMsg::ReportWork {
            provider,
            gpu_seconds,
            fee_paid,
        } => {
            nonpayable(&info)?;
            emissions::report_work(deps, &env, &info.sender, provider, gpu_seconds, fee_paid)
        }
        ExecuteMsg::ClaimEmissions { limit } => {
            nonpayable(&info)?;
            emissions::claim_emissions(deps, &env, &info.sender, limit)
        }
        ExecuteMsg::UpdateConfig {
            marketplace,
            treasury,
            unbonding_period,
            min_stake_per_gpu,
            compensation_ratio,
            reward_denoms,
            emission_per_epoch,
            emission_weights,
        } => {
            nonpayable(&info)?;
            config::update_config(
                deps,
                &env,
                &info.sender,
                config::ConfigUpdate {
                    marketplace,
                    treasury,
                    unbonding_period,
                    min_stake_per_gpu,
                    compensation_ratio,
                    reward_denoms,
                    emission_per_epoch,
                    emission_weights,
                },
            )
        }
        ExecuteMsg::UpdateOwnership(action) => {
            nonpayable(&info)?;
            ownership::update_ownership(deps, &env, &info.sender, action)
        }
    }
}

/// A cw20 `Send` to staking. The token contract is the sender, so the denom is known; only the
/// stake token may bond or fund emissions, only an accepted reward token may deposit rewards.
fn receive_cw20(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    wrapper: Cw20ReceiveMsg,
) -> Result<Response, ContractError> {
    let denom = Denom::Cw20(info.sender);
    let config = CONFIG.load(deps.storage)?;
    let msg: ReceiveMsg = from_json(&wrapper.msg)?;
    let sender = deps.api.addr_validate(&wrapper.sender)?;
    ensure_positive(wrapper.amount)?;
    match msg {
        ReceiveMsg::Bond {} => {
            ensure_stake_denom(&config, &denom)?;
            bond::bond(deps, &env, &sender, wrapper.amount)
        }
        ReceiveMsg::DepositRewards {} => {
            ensure_reward_denom(&config, &denom)?;
            rewards::deposit_rewards(deps, &sender, vec![(denom, wrapper.amount)])
        }
        ReceiveMsg::FundEmissions {} => {
            ensure_stake_denom(&config, &denom)?;
            emissions::fund_emissions(deps, &env, &sender, wrapper.amount)
        }
    }
}

#[cfg_attr(not(feature = "library"), cosmwasm_std::entry_point)]
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> StdResult<Binary> {
    match msg {
        QueryMsg::Config {} => to_json_binary(&query::config(deps, &env)?),
        QueryMsg::Ownership {} => to_json_binary(&query::ownership(deps)?),
        QueryMsg::Staker { address } => to_json_binary(&query::staker(deps, address)?),
        QueryMsg::Stakers { start_after, limit } => {
            to_json_binary(&query::stakers(deps, start_after, limit)?)
        }
        QueryMsg::Claims {
            address,
            start_after,
            limit,
        } => to_json_binary(&query::claims(deps, &env, address, start_after, limit)?),
        QueryMsg::Collateral { address, gpus } => {
            to_json_binary(&query::collateral(deps, address, gpus)?)
        }
        QueryMsg::PendingRewards { address } => {
            to_json_binary(&query::pending_rewards(deps, address)?)
        }
        QueryMsg::RewardPools {} => to_json_binary(&query::reward_pools(deps)?),
        QueryMsg::VotingPowerAtHeight { address, height } => {
            to_json_binary(&query::voting_power(deps, &env, address, height)?)
        }
        QueryMsg::TotalPowerAtHeight { height } => {
            to_json_binary(&query::total_power(deps, &env, height)?)
        }
        QueryMsg::Emissions {} => to_json_binary(&query::emissions(deps, &env)?),
        QueryMsg::Epoch { epoch } => to_json_binary(&query::epoch(deps, &env, epoch)?),
        QueryMsg::ProviderWork {
            address,
            start_after,
            limit,
        } => to_json_binary(&query::provider_work(
            deps,
            &env,
            address,
            start_after,
            limit,
        )?),
        QueryMsg::Totals {} => to_json_binary(&query::totals(deps)?),
    }
}

#[cfg_attr(not(feature = "library"), cosmwasm_std::entry_point)]
pub fn migrate(deps: DepsMut, _env: Env, _msg: MigrateMsg) -> Result<Response, ContractError> {
    gridshare_types::migrate::upgrade(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)
}
