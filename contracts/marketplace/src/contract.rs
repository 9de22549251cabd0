//! Entry points: validate the envelope, then hand each message to its action.

use crate::error::ContractError;
use crate::execute::{catalogue, crank, lease, offer, order, params, provider, reap};
use crate::funds::{ensure_positive, nonpayable, one_coin};
use crate::msg::{ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg, ReceiveMsg};
use crate::state::{Config, CONFIG};
use crate::{query, CONTRACT_NAME, CONTRACT_VERSION};
use cosmwasm_std::{
    from_json, to_json_binary, Binary, Deps, DepsMut, Env, MessageInfo, Reply, Response, StdResult,
};
use cw20::Cw20ReceiveMsg;
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
    let p = msg.params;
    let config = Config {
        owner,
        escrow: deps.api.addr_validate(&msg.escrow)?,
        staking: deps.api.addr_validate(&msg.staking)?,
        access_token: msg
            .access_token
            .map(|a| deps.api.addr_validate(&a))
            .transpose()?,
        denoms: vec![],
        take_rate_bps: p.take_rate_bps,
        heartbeat_interval: p.heartbeat_interval,
        max_silence: p.max_silence,
        dispute_window: p.dispute_window,
        reveal_window: p.reveal_window,
        slash: p.slash,
        liveness_slash: p.liveness_slash,
        max_matches: p.max_matches,
        max_scan: p.max_scan,
        max_reap: p.max_reap,
        max_replication: p.max_replication,
        max_inline_bytes: p.max_inline_bytes,
        max_eligible_models: p.max_eligible_models,
    };
    params::validate(&config)?;
    let config = Config {
        denoms: params::accept_denoms(deps.storage, deps.api, &p.accepted_denoms)?,
        ..config
    };
    CONFIG.save(deps.storage, &config)?;
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    Ok(Response::new()
        .add_attribute("action", "instantiate")
        .add_attribute("owner", config.owner.as_str())
        .add_attribute("escrow", config.escrow.as_str())
        .add_attribute("staking", config.staking.as_str()))
}

#[cfg_attr(not(feature = "library"), cosmwasm_std::entry_point)]
pub fn execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: ExecuteMsg,
) -> Result<Response, ContractError> {
    if let ExecuteMsg::PostOrder(new_order) = msg {
        let coin = one_coin(&info)?;
        return order::post_order(
            deps,
            &env,
            info.sender,
            Denom::Native(coin.denom),
            coin.amount,
            new_order,
        );
    }
    if let ExecuteMsg::Dispute { lease_id, salt } = msg {
        let coin = one_coin(&info)?;
        let paid = (Denom::Native(coin.denom), coin.amount);
        return lease::dispute(deps, &env, &info.sender, paid, lease_id, salt);
    }
    // Every other message takes no funds.
    nonpayable(&info)?;
    let sender = &info.sender;
    match msg {
        ExecuteMsg::PostOrder(_) => Err(gridshare_plumbing::FundsError::NoFunds.into()),
        ExecuteMsg::UpdateParams(update) => params::update_params(deps, sender, update),
        ExecuteMsg::UpdateOwnership(action) => params::update_ownership(deps, &env, sender, action),
        ExecuteMsg::AddModel { model } => catalogue::add_model(deps, sender, model),
        ExecuteMsg::UpdateModel {
            id,
            vram_mib,
            compute_capability,
            benchmark_score,
        } => catalogue::update_model(
            deps,
            sender,
            id,
            vram_mib,
            compute_capability,
            benchmark_score,
        ),
        ExecuteMsg::RetireModel { id } => catalogue::retire_model(deps, sender, id),
        ExecuteMsg::RegisterProvider {
            name,
            region,
            endpoint,
            public_key,
        } => provider::register(
            deps,
            &env,
            sender,
            provider::Details {
                name,
                region,
                endpoint,
                public_key,
            },
        ),
        ExecuteMsg::UpdateProvider {
            name,
            region,
            endpoint,
            public_key,
        } => provider::update(deps, sender, name, region, endpoint, public_key),
        ExecuteMsg::DeactivateProvider {} => provider::deactivate(deps, sender),
        ExecuteMsg::Heartbeat { telemetry } => provider::heartbeat(deps, &env, sender, telemetry),
        ExecuteMsg::PostOffer {
            model,
            units,
            price,
            denom,
            min_duration,
            max_duration,
        } => offer::post_offer(
            deps,
            &env,
            sender,
            offer::NewOffer {
                model,
                units,
                price,
                denom,
                min_duration,
                max_duration,
            },
        ),
        ExecuteMsg::UpdateOffer {
            offer_id,
            price,
            units,
        } => offer::update_offer(deps, &env, sender, offer_id, price, units),
        ExecuteMsg::WithdrawOffer { offer_id } => offer::withdraw_offer(deps, sender, offer_id),
        ExecuteMsg::Receive(wrapper) => receive_cw20(deps, env, info, wrapper),
        ExecuteMsg::CancelOrder { order_id } => order::cancel_order(deps, &env, sender, order_id),
        ExecuteMsg::ExpireOrders { limit } => order::expire_orders(deps, &env, limit),
        ExecuteMsg::CommitResult {
            lease_id,
            commitment,
            output_uri,
            runtime_seconds,
            energy_mwh,
        } => lease::commit(
            deps,
            &env,
            sender,
            lease::Commitment {
                lease_id,
                commitment,
                output_uri,
                runtime_seconds,
                energy_mwh,
            },
        ),
        ExecuteMsg::RevealResult {
            lease_id,
            sha256,
            salt,
        } => lease::reveal(deps, &env, sender, lease_id, sha256, salt),
        ExecuteMsg::CloseLease {
            lease_id,
            renter_fault,
        } => lease::close(deps, &env, sender, lease_id, renter_fault),
        ExecuteMsg::Finalize { lease_id } => lease::finalize(deps, &env, lease_id),
        ExecuteMsg::Dispute { .. } => Err(gridshare_plumbing::FundsError::NoFunds.into()),
        ExecuteMsg::ResolveDispute {
            lease_id,
            uphold_result,
        } => lease::resolve_dispute(deps, &env, sender, lease_id, uphold_result),
        ExecuteMsg::Reap { limit } => reap::reap(deps, &env, limit),
        ExecuteMsg::Crank(step) => crank::run(deps, &env, sender, step),
    }
}

/// A cw20 `Send` to the marketplace: an order paid in an accepted token. The token contract is
/// the sender; the renter is the cw20 sender.
fn receive_cw20(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    wrapper: Cw20ReceiveMsg,
) -> Result<Response, ContractError> {
    let denom = Denom::Cw20(info.sender);
    let config = CONFIG.load(deps.storage)?;
    crate::funds::accepted_denom_id(&config, &denom)?;
    ensure_positive(wrapper.amount)?;
    let renter = deps.api.addr_validate(&wrapper.sender)?;
    match from_json(&wrapper.msg)? {
        ReceiveMsg::PostOrder(new_order) => {
            order::post_order(deps, &env, renter, denom, wrapper.amount, new_order)
        }
        ReceiveMsg::Dispute { lease_id, salt } => {
            lease::dispute(deps, &env, &renter, (denom, wrapper.amount), lease_id, salt)
        }
    }
}

#[cfg_attr(not(feature = "library"), cosmwasm_std::entry_point)]
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> StdResult<Binary> {
    match msg {
        QueryMsg::Config {} => to_json_binary(&query::config(deps)?),
        QueryMsg::Ownership {} => to_json_binary(&query::ownership(deps)?),
        QueryMsg::Model { id } => to_json_binary(&query::model(deps, id)?),
        QueryMsg::Models { start_after, limit } => {
            to_json_binary(&query::models(deps, start_after, limit)?)
        }
        QueryMsg::Provider { address } => to_json_binary(&query::provider(deps, address)?),
        QueryMsg::Providers { start_after, limit } => {
            to_json_binary(&query::providers(deps, start_after, limit)?)
        }
        QueryMsg::Offer { offer_id } => to_json_binary(&query::offer(deps, offer_id)?),
        QueryMsg::OffersByProvider {
            provider,
            start_after,
            limit,
        } => to_json_binary(&query::offers_by_provider(
            deps,
            provider,
            start_after,
            limit,
        )?),
        QueryMsg::OffersByModel {
            model,
            denom,
            start_after,
            limit,
        } => to_json_binary(&query::offers_by_model(
            deps,
            model,
            denom,
            start_after,
            limit,
        )?),
        QueryMsg::Order { order_id } => to_json_binary(&query::order(deps, order_id)?),
        QueryMsg::OrdersByRenter {
            renter,
            start_after,
            limit,
        } => to_json_binary(&query::orders_by_renter(deps, renter, start_after, limit)?),
        QueryMsg::Lease { lease_id } => to_json_binary(&query::lease(deps, lease_id)?),
        QueryMsg::LeasesByOrder {
            order_id,
            start_after,
            limit,
        } => to_json_binary(&query::leases_by_order(deps, order_id, start_after, limit)?),
        QueryMsg::LeasesByProvider {
            provider,
            start_after,
            limit,
        } => to_json_binary(&query::leases_by_provider(
            deps,
            provider,
            start_after,
            limit,
        )?),
        QueryMsg::MarketStats { model, denom } => {
            to_json_binary(&query::market_stats(deps, &env, model, denom)?)
        }
        QueryMsg::AllMarketStats { start_after, limit } => {
            to_json_binary(&query::all_market_stats(deps, &env, start_after, limit)?)
        }
    }
}

/// Only crank steps reply, and only when they fail.
#[cfg_attr(not(feature = "library"), cosmwasm_std::entry_point)]
pub fn reply(deps: DepsMut, env: Env, reply: Reply) -> Result<Response, ContractError> {
    crank::skipped(deps, &env, reply)
}

#[cfg_attr(not(feature = "library"), cosmwasm_std::entry_point)]
pub fn migrate(deps: DepsMut, _env: Env, _msg: MigrateMsg) -> Result<Response, ContractError> {
    gridshare_types::migrate::upgrade(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)
}
