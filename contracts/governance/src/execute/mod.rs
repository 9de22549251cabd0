//! State-changing actions, one module per concern.

pub mod close;
pub mod config;
pub mod execution;
pub mod propose;
pub mod vote;

use crate::state::{Proposal, PROPOSALS};
use crate::ContractError;
use cosmwasm_std::{Addr, Env, Storage};

pub(crate) fn load_proposal(
    storage: &dyn Storage,
    proposal_id: u64,
) -> Result<Proposal, ContractError> {
    PROPOSALS
        .may_load(storage, proposal_id)?
        .ok_or(ContractError::ProposalNotFound { proposal_id })
}

/// Internal messages and configuration changes come from governance itself, i.e. from the
/// messages of a proposal that passed.
pub(crate) fn ensure_self(env: &Env, sender: &Addr) -> Result<(), ContractError> {
    if *sender == env.contract.address {
        Ok(())
    } else {
        Err(ContractError::Unauthorized {
            sender: sender.to_string(),
            role: "governance itself (only a passed proposal can do this)",
        })
    }
}
