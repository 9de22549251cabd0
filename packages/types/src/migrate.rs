//! The one migration rule of every GridShare contract: only the same contract, at an equal or
//! newer version (cw2), may take over a contract's state.

use cosmwasm_std::{Response, StdError, Storage};
use thiserror::Error;

#[derive(Error, Debug, PartialEq)]
#[error("cannot migrate from {from_name} {from_version} to {to_name} {to_version}")]
pub struct CannotMigrate {
    pub from_name: String,
    pub from_version: String,
    pub to_name: String,
    pub to_version: String,
}

/// Checks the stored cw2 version against `name`/`version`, records the new version, and returns
/// the migration's response.
pub fn upgrade<E>(storage: &mut dyn Storage, name: &str, version: &str) -> Result<Response, E>
where
    E: From<StdError> + From<CannotMigrate>,
{
    let stored = cw2::get_contract_version(storage)?;
    let cannot = || CannotMigrate {
        from_name: stored.contract.clone(),
        from_version: stored.version.clone(),
        to_name: name.to_string(),
        to_version: version.to_string(),
    };
    if stored.contract != name {
        return Err(cannot().into());
    }
    cw2::ensure_from_older_version(storage, name, version).map_err(|_| cannot())?;
    Ok(Response::new()
        .add_attribute("action", "migrate")
        .add_attribute("from_version", stored.version)
        .add_attribute("to_version", version))
}
