//! State-changing actions, one module per concern.

pub mod account;
pub mod config;
pub mod fees;
pub mod ledger;
pub mod payment;
pub mod withdraw;

use crate::state::{Account, Config, ACCOUNTS, CONFIG};
use crate::ContractError;
use cosmwasm_std::{Addr, Storage};
use gridshare_types::Denom;

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

/// Only denoms on the accepted list open accounts; a cw20 off the list is not trusted to report
/// the amount it sent.
pub(crate) fn ensure_accepted(config: &Config, denom: &Denom) -> Result<(), ContractError> {
    if config.accepted_denoms.contains(denom) {
        Ok(())
    } else {
        Err(ContractError::DenomNotAccepted {
            denom: denom.to_string(),
        })
    }
}

/// An account that exists and is still open.
pub(crate) fn load_open_account(
    storage: &dyn Storage,
    account_id: u64,
) -> Result<Account, ContractError> {
    let account = ACCOUNTS
        .may_load(storage, account_id)?
        .ok_or(ContractError::AccountNotFound { account_id })?;
    if account.closed {
        return Err(ContractError::AccountClosed { account_id });
    }
    Ok(account)
}
