//! Voting: once per address, weighted by its staked power at the proposal's start height.
//!
//! Votes are final: a second vote from the same address is refused with `AlreadyVoted`. The
//! tally only ever grows, so what a voter saw when voting is what counts, there is no
//! last-minute flipping, and the stored ballot is an exact record of the vote.

use super::load_proposal;
use crate::msg::{ProposalStatus, VoteOption};
use crate::power::voting_power;
use crate::state::{Ballot, BALLOTS, PROPOSALS};
use crate::ContractError;
use cosmwasm_std::{Addr, DepsMut, Env, Response};

pub fn vote(
    deps: DepsMut,
    env: &Env,
    voter: Addr,
    proposal_id: u64,
    vote: VoteOption,
) -> Result<Response, ContractError> {
    let mut proposal = load_proposal(deps.storage, proposal_id)?;
    if proposal.status != ProposalStatus::Open || env.block.time >= proposal.voting_ends_at {
        return Err(ContractError::VotingClosed {
            proposal_id,
            ended_at: proposal.voting_ends_at.seconds(),
        });
    }
    if let Some(ballot) = BALLOTS.may_load(deps.storage, (proposal_id, &voter))? {
        return Err(ContractError::AlreadyVoted {
            proposal_id,
            voter: voter.to_string(),
            vote: ballot.vote,
        });
    }
    let power = voting_power(
        deps.as_ref(),
        &proposal.staking,
        &voter,
        proposal.start_height,
    )?;
    if power.is_zero() {
        return Err(ContractError::NoVotingPower {
            proposal_id,
            voter: voter.to_string(),
            height: proposal.start_height,
        });
    }
    let tally = &mut proposal.tally;
    match vote {
        VoteOption::Yes => tally.yes = tally.yes.checked_add(power)?,
        VoteOption::No => tally.no = tally.no.checked_add(power)?,
        VoteOption::Abstain => tally.abstain = tally.abstain.checked_add(power)?,
        VoteOption::Veto => tally.veto = tally.veto.checked_add(power)?,
    }
    BALLOTS.save(deps.storage, (proposal_id, &voter), &Ballot { vote, power })?;
    PROPOSALS.save(deps.storage, proposal_id, &proposal)?;

    Ok(Response::new()
        .add_attribute("action", "vote")
        .add_attribute("proposal_id", proposal_id.to_string())
        .add_attribute("voter", voter.as_str())
        .add_attribute("vote", vote_name(vote))
        .add_attribute("power", power))
}

pub fn vote_name(vote: VoteOption) -> &'static str {
    match vote {
        VoteOption::Yes => "yes",
        VoteOption::No => "no",
        VoteOption::Abstain => "abstain",
        VoteOption::Veto => "veto",
    }
}
