//! The owner's levers (governance's, once it takes over), and the checks that keep them safe:
//! the marketplace changes only while no account is open, and the denom chain
//! `marketplace's accepted ⊆ escrow's accepted ⊆ fee collector's reward denoms` holds against
//! every counterpart that answers.

use crate::state::{Config, CONFIG, OPEN_ACCOUNTS};
use crate::{ContractError, MAX_ACCEPTED_DENOMS};
use cosmwasm_std::{Addr, Api, Attribute, DepsMut, Env, QuerierWrapper, Response};
use gridshare_plumbing::denoms::{ensure_subset, validate_denom_list};
use gridshare_plumbing::owner::{self, OwnerAction};
use gridshare_types::{Denom, UncheckedDenom};
use serde::Deserialize;

pub fn validate_denoms(
    api: &dyn Api,
    denoms: &[UncheckedDenom],
) -> Result<Vec<Denom>, ContractError> {
    Ok(validate_denom_list(api, denoms, MAX_ACCEPTED_DENOMS)?)
}

// What escrow reads of its counterparts' `Config {}` answers: only the denom lists, and without
// refusing fields it does not know, so that either side may grow its configuration.

#[derive(Deserialize)]
struct MarketplaceConfigView {
    params: MarketplaceParamsView,
}

#[derive(Deserialize)]
struct MarketplaceParamsView {
    accepted_denoms: Vec<Denom>,
}

#[derive(Deserialize)]
struct CollectorConfigView {
    reward_denoms: Vec<Denom>,
}

/// The marketplace's accepted denoms (`gridshare_types::marketplace::QueryMsg::Config {}`), or
/// `None` when it does not answer: not a contract (yet), or not a marketplace.
fn marketplace_denoms(querier: &QuerierWrapper, marketplace: &Addr) -> Option<Vec<Denom>> {
    querier
        .query_wasm_smart::<MarketplaceConfigView>(
            marketplace,
            &gridshare_types::marketplace::QueryMsg::Config {},
        )
        .ok()
        .map(|config| config.params.accepted_denoms)
}

/// The fee collector's reward denoms (`gridshare_types::staking::QueryMsg::Config {}`), or
/// `None` when it does not answer.
fn collector_denoms(querier: &QuerierWrapper, collector: &Addr) -> Option<Vec<Denom>> {
    querier
        .query_wasm_smart::<CollectorConfigView>(
            collector,
            &gridshare_types::staking::QueryMsg::Config {},
        )
        .ok()
        .map(|config| config.reward_denoms)
}

fn checked(key: &str, done: bool) -> Attribute {
    Attribute::new(key, if done { "checked" } else { "skipped" })
}

/// Checks the links of the denom chain that `config` may have broken: `lower` (every denom the
/// marketplace accepts is accepted here) and `upper` (every denom accepted here is a reward denom
/// of the fee collector). A counterpart that does not answer its `Config {}` query is skipped;
/// the attributes returned say which links were checked and which skipped.
pub(crate) fn check_denom_chain(
    querier: &QuerierWrapper,
    config: &Config,
    lower: bool,
    upper: bool,
) -> Result<Vec<Attribute>, ContractError> {
    let mut attributes = vec![];
    if lower {
        let denoms = marketplace_denoms(querier, &config.marketplace);
        if let Some(denoms) = &denoms {
            ensure_subset(
                denoms,
                &config.accepted_denoms,
                "marketplace's accepted denoms",
                "escrow's accepted denoms",
            )?;
        }
        attributes.push(checked("marketplace_denoms", denoms.is_some()));
    }
    if upper {
        let denoms = collector_denoms(querier, &config.fee_collector);
        if let Some(denoms) = &denoms {
            ensure_subset(
                &config.accepted_denoms,
                denoms,
                "escrow's accepted denoms",
                "fee collector's reward denoms",
            )?;
        }
        attributes.push(checked("fee_collector_denoms", denoms.is_some()));
    }
    Ok(attributes)
}

pub fn update_config(
    deps: DepsMut,
    sender: &Addr,
    marketplace: Option<String>,
    fee_collector: Option<String>,
    accepted_denoms: Option<Vec<UncheckedDenom>>,
) -> Result<Response, ContractError> {
    let mut config = CONFIG.load(deps.storage)?;
    owner::assert_owner(&config.owner, sender)?;
    let (mut lower, mut upper) = (false, false);
    if let Some(marketplace) = marketplace {
        let marketplace = deps.api.addr_validate(&marketplace)?;
        if marketplace != config.marketplace {
            // The marketplace moves every escrowed coin (it closes accounts and names their
            // payees), so it may change only while escrow holds no account's coins.
            let open_accounts = OPEN_ACCOUNTS.load(deps.storage)?;
            if open_accounts > 0 {
                return Err(ContractError::MarketplaceHasOpenAccounts { open_accounts });
            }
            config.marketplace = marketplace;
            lower = true;
        }
    }
    if let Some(fee_collector) = fee_collector {
        let fee_collector = deps.api.addr_validate(&fee_collector)?;
        if fee_collector != config.fee_collector {
            config.fee_collector = fee_collector;
            upper = true;
        }
    }
    if let Some(denoms) = accepted_denoms {
        config.accepted_denoms = validate_denoms(deps.api, &denoms)?;
        lower = true;
        upper = true;
    }
    let checks = check_denom_chain(&deps.querier, &config, lower, upper)?;
    CONFIG.save(deps.storage, &config)?;

    Ok(Response::new()
        .add_attribute("action", "update_config")
        .add_attribute("marketplace", config.marketplace.as_str())
        .add_attribute("fee_collector", config.fee_collector.as_str())
        .add_attributes(checks))
}

pub fn update_ownership(
    deps: DepsMut,
    env: &Env,
    sender: &Addr,
    action: OwnerAction,
) -> Result<Response, ContractError> {
    let mut config = CONFIG.load(deps.storage)?;
    let attributes = owner::update_ownership(
        deps.storage,
        deps.api,
        env.block.time.seconds(),
        &mut config.owner,
        sender,
        action,
    )?;
    CONFIG.save(deps.storage, &config)?;
    Ok(Response::new().add_attributes(attributes))
}
