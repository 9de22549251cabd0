//! Read-only views; every list is paginated and clamped. Proposals, the only large items, come at
//! most [`MAX_PROPOSALS_LIMIT`] to a page.

use crate::msg::{
    ConfigResponse, DepositsResponse, ProposalResponse, ProposalStatus, ProposalsResponse,
    VoteInfo, VoteResponse, VotesResponse,
};
use crate::state::{Proposal, BALLOTS, CONFIG, DEPOSITS_HELD, PROPOSALS};
use crate::tally::outcome;
use crate::MAX_PROPOSALS_LIMIT;
use cosmwasm_std::{Deps, Env, Order, StdError, StdResult};
use cw_storage_plus::Bound;
use gridshare_types::pagination::{clamp_limit, MAX_LIMIT};

pub fn config(deps: Deps) -> StdResult<ConfigResponse> {
    let config = CONFIG.load(deps.storage)?;
    Ok(ConfigResponse {
        staking: config.staking,
        deposit: config.deposit,
        min_proposer_power: config.min_proposer_power,
        quorum: config.quorum,
        threshold: config.threshold,
        veto_threshold: config.veto_threshold,
        voting_period: config.voting_period,
        timelock: config.timelock,
        min_timelock: config.min_timelock,
    })
}

pub fn proposal(deps: Deps, env: &Env, proposal_id: u64) -> StdResult<ProposalResponse> {
    let proposal = PROPOSALS
        .may_load(deps.storage, proposal_id)?
        .ok_or_else(|| StdError::not_found(format!("proposal {proposal_id}")))?;
    proposal_response(env, proposal_id, proposal)
}

pub fn proposals(
    deps: Deps,
    env: &Env,
    start_after: Option<u64>,
    limit: Option<u32>,
) -> StdResult<ProposalsResponse> {
    let proposals = PROPOSALS
        .range(
            deps.storage,
            start_after.map(Bound::exclusive),
            None,
            Order::Ascending,
        )
        .take(clamp_limit(limit).min(MAX_PROPOSALS_LIMIT))
        .map(|item| {
            let (id, proposal) = item?;
            proposal_response(env, id, proposal)
        })
        .collect::<StdResult<_>>()?;
    Ok(ProposalsResponse { proposals })
}

pub fn vote(deps: Deps, proposal_id: u64, voter: String) -> StdResult<VoteResponse> {
    let voter = deps.api.addr_validate(&voter)?;
    let vote = BALLOTS
        .may_load(deps.storage, (proposal_id, &voter))?
        .map(|ballot| VoteInfo {
            voter,
            vote: ballot.vote,
            power: ballot.power,
        });
    Ok(VoteResponse { vote })
}

pub fn votes(
    deps: Deps,
    proposal_id: u64,
    start_after: Option<String>,
    limit: Option<u32>,
) -> StdResult<VotesResponse> {
    let start = start_after
        .map(|a| deps.api.addr_validate(&a))
        .transpose()?;
    let votes = BALLOTS
        .prefix(proposal_id)
        .range(
            deps.storage,
            start.as_ref().map(Bound::exclusive),
            None,
            Order::Ascending,
        )
        .take(clamp_limit(limit))
        .map(|item| {
            item.map(|(voter, ballot)| VoteInfo {
                voter,
                vote: ballot.vote,
                power: ballot.power,
            })
        })
        .collect::<StdResult<_>>()?;
    Ok(VotesResponse { votes })
}

pub fn deposits(deps: Deps) -> StdResult<DepositsResponse> {
    let deposits = DEPOSITS_HELD
        .range(deps.storage, None, None, Order::Ascending)
        .take(MAX_LIMIT as usize)
        .map(|item| item.map(|(_, deposit)| deposit))
        .collect::<StdResult<_>>()?;
    Ok(DepositsResponse { deposits })
}

/// An open proposal whose vote has ended reports the outcome `Close` would record.
fn effective_status(env: &Env, proposal: &Proposal) -> StdResult<ProposalStatus> {
    if proposal.status == ProposalStatus::Open && env.block.time >= proposal.voting_ends_at {
        outcome(&proposal.tally, proposal.total_power, &proposal.rules)
            .map_err(|e| StdError::generic_err(e.to_string()))
    } else {
        Ok(proposal.status.clone())
    }
}

fn proposal_response(env: &Env, id: u64, proposal: Proposal) -> StdResult<ProposalResponse> {
    let status = effective_status(env, &proposal)?;
    Ok(ProposalResponse {
        id,
        title: proposal.title,
        description: proposal.description,
        proposer: proposal.proposer,
        messages: proposal.messages,
        staking: proposal.staking,
        start_height: proposal.start_height,
        start_time: proposal.start_time.seconds(),
        voting_ends_at: proposal.voting_ends_at.seconds(),
        executable_at: proposal.executable_at.seconds(),
        total_power: proposal.total_power,
        rules: proposal.rules,
        tally: proposal.tally,
        status,
        deposit: proposal.deposit,
    })
}
