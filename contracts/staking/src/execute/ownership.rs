//! Two-step ownership (`gridshare_plumbing::owner`): the owner offers the contract, the new owner
//! accepts. The owner itself stays in the config, where every owner-only message reads it.

use crate::state::CONFIG;
use crate::ContractError;
use cosmwasm_std::{Addr, DepsMut, Env, Response};
use gridshare_plumbing::owner::{update_ownership as apply, OwnerAction};

pub fn update_ownership(
    deps: DepsMut,
    env: &Env,
    sender: &Addr,
    action: OwnerAction,
) -> Result<Response, ContractError> {
    let mut config = CONFIG.load(deps.storage)?;
    let attributes = apply(
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
