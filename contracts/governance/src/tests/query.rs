//! Proposals and votes, paginated and clamped; status as of the current block.

use super::helpers::*;
use crate::msg::{
    ProposalStatus, ProposalsResponse, QueryMsg, VoteOption, VoteResponse, VotesResponse,
};
use cosmwasm_std::StdError;
use gridshare_types::pagination::MAX_LIMIT;

fn ids(suite: &Suite, start_after: Option<u64>, limit: Option<u32>) -> Vec<u64> {
    suite
        .query::<ProposalsResponse>(QueryMsg::Proposals { start_after, limit })
        .unwrap()
        .proposals
        .into_iter()
        .map(|p| p.id)
        .collect()
}

#[test]
fn proposals_are_paginated_by_id() {
    let mut suite = Suite::new();
    let alice = suite.alice.clone();
    for _ in 0..12 {
        suite.propose(&alice, vec![]);
    }
    assert_eq!(ids(&suite, None, None), (1..=10).collect::<Vec<_>>());
    assert_eq!(ids(&suite, Some(10), None), [11, 12]);
    assert_eq!(ids(&suite, Some(3), Some(2)), [4, 5]);
    assert_eq!(ids(&suite, None, Some(0)), Vec::<u64>::new());
    assert_eq!(ids(&suite, None, Some(MAX_LIMIT + 1)).len(), 12);
    assert_eq!(
        suite.query::<crate::msg::ProposalResponse>(QueryMsg::Proposal { proposal_id: 13 }),
        Err(StdError::not_found("proposal 13"))
    );
}

#[test]
fn votes_are_paginated_by_voter() {
    let mut suite = Suite::new();
    let (alice, bob, carol) = (suite.alice.clone(), suite.bob.clone(), suite.carol.clone());
    let id = suite.propose(&alice, vec![]);
    suite.vote(&alice, id, VoteOption::Yes);
    suite.vote(&bob, id, VoteOption::No);
    suite.vote(&carol, id, VoteOption::Abstain);
    let page = |start_after: Option<String>, limit| {
        suite
            .query::<VotesResponse>(QueryMsg::Votes {
                proposal_id: id,
                start_after,
                limit,
            })
            .unwrap()
            .votes
            .into_iter()
            .map(|v| v.voter)
            .collect::<Vec<_>>()
    };
    let mut all = vec![alice.clone(), bob.clone(), carol.clone()];
    all.sort();
    assert_eq!(page(None, None), all);
    assert_eq!(page(Some(all[0].to_string()), Some(1)), [all[1].clone()]);
    assert!(page(Some(all[2].to_string()), None).is_empty());
    assert!(suite
        .query::<VotesResponse>(QueryMsg::Votes {
            proposal_id: id,
            start_after: Some("bad".into()),
            limit: None
        })
        .is_err());
    assert_eq!(
        suite
            .query::<VoteResponse>(QueryMsg::Vote {
                proposal_id: id,
                voter: suite.dave.to_string()
            })
            .unwrap(),
        VoteResponse { vote: None }
    );
}

#[test]
fn status_is_reported_as_of_now() {
    let mut suite = Suite::new();
    let (alice, bob) = (suite.alice.clone(), suite.bob.clone());
    let passing = suite.propose(&alice, vec![]);
    let failing = suite.propose(&alice, vec![]);
    suite.vote(&alice, passing, VoteOption::Yes);
    suite.vote(&bob, failing, VoteOption::Veto);
    suite.vote(&alice, failing, VoteOption::Abstain);
    assert_eq!(suite.proposal(passing).status, ProposalStatus::Open);
    suite.advance(VOTING_PERIOD);
    assert_eq!(suite.proposal(passing).status, ProposalStatus::Passed);
    assert_eq!(suite.proposal(failing).status, ProposalStatus::Vetoed);
    let listed = suite
        .query::<ProposalsResponse>(QueryMsg::Proposals {
            start_after: None,
            limit: None,
        })
        .unwrap();
    assert_eq!(listed.proposals[1].status, ProposalStatus::Vetoed);
}
