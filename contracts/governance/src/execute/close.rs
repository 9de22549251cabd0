//! Closing a vote: record the outcome and settle the deposit (refund unless vetoed).

use super::load_proposal;
use crate::msg::{DepositStatus, ProposalStatus};
use crate::state::{Proposal, DEPOSITS_HELD, PROPOSALS};
use crate::tally::outcome;
use crate::ContractError;
use cosmwasm_std::{CosmosMsg, DepsMut, Env, Response, Storage, Timestamp};

/// The outcome an open proposal's vote reached; an error while voting is still open.
pub(crate) fn ended_outcome(
    proposal_id: u64,
    proposal: &Proposal,
    now: Timestamp,
) -> Result<ProposalStatus, ContractError> {
    if now < proposal.voting_ends_at {
        return Err(ContractError::VotingOpen {
            proposal_id,
            ends_at: proposal.voting_ends_at.seconds(),
        });
    }
    outcome(&proposal.tally, proposal.total_power, &proposal.rules)
}

/// Records `status` (the vote's outcome) on an open proposal and settles its deposit: refunded
/// to the depositor unless vetoed, in which case it stays in the treasury. Returns the refund.
pub(crate) fn settle(
    storage: &mut dyn Storage,
    proposal: &mut Proposal,
    status: ProposalStatus,
) -> Result<Vec<CosmosMsg>, ContractError> {
    let mut msgs = vec![];
    if let Some(deposit) = &mut proposal.deposit {
        let key = deposit.denom.key();
        let mut held = DEPOSITS_HELD.load(storage, &key)?;
        held.amount = held.amount.checked_sub(deposit.amount)?;
        if held.amount.is_zero() {
            DEPOSITS_HELD.remove(storage, &key);
        } else {
            DEPOSITS_HELD.save(storage, &key, &held)?;
        }
        if status == ProposalStatus::Vetoed {
            deposit.status = DepositStatus::Forfeited;
        } else {
            deposit.status = DepositStatus::Refunded;
            msgs.push(
                deposit
                    .denom
                    .transfer_msg(&deposit.depositor, deposit.amount)?,
            );
        }
    }
    proposal.status = status;
    Ok(msgs)
}

pub fn close(deps: DepsMut, env: &Env, proposal_id: u64) -> Result<Response, ContractError> {
    let mut proposal = load_proposal(deps.storage, proposal_id)?;
    if proposal.status != ProposalStatus::Open {
        return Err(ContractError::AlreadyClosed {
            proposal_id,
            status: proposal.status.to_string(),
        });
    }
    let status = ended_outcome(proposal_id, &proposal, env.block.time)?;
    let refund = settle(deps.storage, &mut proposal, status)?;
    PROPOSALS.save(deps.storage, proposal_id, &proposal)?;
    Ok(Response::new()
        .add_messages(refund)
        .add_attribute("action", "close")
        .add_attribute("proposal_id", proposal_id.to_string())
        .add_attribute("status", proposal.status.to_string())
        .add_attribute(
            "deposit",
            match &proposal.deposit {
                None => "none",
                Some(d) if d.status == DepositStatus::Forfeited => "forfeited",
                Some(_) => "refunded",
            },
        ))
}
