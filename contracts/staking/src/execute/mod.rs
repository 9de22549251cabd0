//! State-changing actions, one module per concern.

pub mod bond;
pub mod collateral;
pub mod config;
pub mod emissions;
pub mod ledger;
pub mod ownership;
pub mod rewards;
pub mod slash;
pub mod unbond;

use crate::state::{Config, CONFIG};
use crate::ContractError;
use cosmwasm_std::{Addr, Storage};

pub(crate) fn ensure_owner(config: &Config, sender: &Addr) -> Result<(), ContractError> {
    Ok(gridshare_plumbing::owner::assert_owner(
        &config.owner,
        sender,
    )?)
}

pub(crate) fn ensure_marketplace(config: &Config, sender: &Addr) -> Result<(), ContractError> {
    if *sender == config.marketplace {
        Ok(())
    } else {
        Err(ContractError::Unauthorized {
            sender: sender.to_string(),
            role: "marketplace",
        })
    }
}

pub(crate) fn load_marketplace_config(
    storage: &dyn Storage,
    sender: &Addr,
) -> Result<Config, ContractError> {
    let config = CONFIG.load(storage)?;
    ensure_marketplace(&config, sender)?;
    Ok(config)
}
