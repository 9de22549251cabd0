//! The owner's levers (governance's, once it takes over).

use crate::state::{Config, CONFIG};
use crate::{ContractError, MAX_ACCEPTED_DENOMS};
use cosmwasm_std::{Addr, Api, DepsMut, Response};
use gridshare_types::{Denom, UncheckedDenom};

pub fn validate_denoms(
    api: &dyn Api,
    denoms: &[UncheckedDenom],
) -> Result<Vec<Denom>, ContractError> {
    if denoms.is_empty() || denoms.len() > MAX_ACCEPTED_DENOMS {
        return Err(ContractError::InvalidAcceptedDenoms {
            got: denoms.len(),
            max: MAX_ACCEPTED_DENOMS,
        });
    }
    let mut validated = denoms
        .iter()
        .map(|d| d.validate(api))
        .collect::<Result<Vec<_>, _>>()?;
    validated.sort();
    validated.dedup();
    Ok(validated)
}

fn ensure_owner(config: &Config, sender: &Addr) -> Result<(), ContractError> {
    if *sender == config.owner {
        Ok(())
    } else {
        Err(ContractError::Unauthorized {
            sender: sender.to_string(),
            role: "owner",
        })
    }
}

pub fn update_config(
    deps: DepsMut,
    sender: &Addr,
    marketplace: Option<String>,
    fee_collector: Option<String>,
    accepted_denoms: Option<Vec<UncheckedDenom>>,
) -> Result<Response, ContractError> {
    let mut config = CONFIG.load(deps.storage)?;
    ensure_owner(&config, sender)?;
    if let Some(marketplace) = marketplace {
        config.marketplace = deps.api.addr_validate(&marketplace)?;
    }
    if let Some(fee_collector) = fee_collector {
        config.fee_collector = deps.api.addr_validate(&fee_collector)?;
    }
    if let Some(denoms) = accepted_denoms {
        config.accepted_denoms = validate_denoms(deps.api, &denoms)?;
    }
    CONFIG.save(deps.storage, &config)?;

    Ok(Response::new()
        .add_attribute("action", "update_config")
        .add_attribute("marketplace", config.marketplace.as_str())
        .add_attribute("fee_collector", config.fee_collector.as_str()))
}

pub fn update_owner(
    deps: DepsMut,
    sender: &Addr,
    owner: String,
) -> Result<Response, ContractError> {
    let mut config = CONFIG.load(deps.storage)?;
    ensure_owner(&config, sender)?;
    config.owner = deps.api.addr_validate(&owner)?;
    CONFIG.save(deps.storage, &config)?;
    Ok(Response::new()
        .add_attribute("action", "update_owner")
        .add_attribute("owner", config.owner.as_str()))
}
