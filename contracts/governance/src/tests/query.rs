//! Proposals and votes, paginated and clamped; status as of the current block.

use super::helpers::*;
use crate::contract::query;
use crate::msg::{
    ExecuteMsg, ProposalMessage, ProposalStatus, ProposalsResponse, QueryMsg, VoteOption,
    VoteResponse, VotesResponse,
};
use crate::state::PROPOSALS;
use crate::{
    MAX_DESCRIPTION_LEN, MAX_MSG_BYTES, MAX_PROPOSALS_LIMIT, MAX_PROPOSAL_BYTES,
    MAX_PROPOSAL_GROWTH, MAX_REASON_LEN,
};
use cosmwasm_std::{to_json_vec, Binary, StdError};
use gridshare_types::pagination::{DEFAULT_LIMIT, MAX_LIMIT};

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
    for _ in 0..20 {
        suite.propose(&alice, vec![]);
    }
    // Pages hold at most MAX_PROPOSALS_LIMIT proposals, below the suite's usual default and
    // maximum, however many are asked for.
    assert!(MAX_PROPOSALS_LIMIT < DEFAULT_LIMIT as usize);
    let page = MAX_PROPOSALS_LIMIT as u64;
    assert_eq!(ids(&suite, None, None), (1..=page).collect::<Vec<_>>());
    for limit in [page as u32 + 1, MAX_LIMIT, MAX_LIMIT + 1, u32::MAX] {
        assert_eq!(
            ids(&suite, None, Some(limit)),
            (1..=page).collect::<Vec<_>>()
        );
    }
    assert_eq!(
        ids(&suite, Some(page), Some(u32::MAX)),
        (page + 1..=2 * page).collect::<Vec<_>>()
    );
    assert_eq!(ids(&suite, Some(17), None), [18, 19, 20]);
    assert_eq!(ids(&suite, Some(3), Some(2)), [4, 5]);
    assert_eq!(ids(&suite, None, Some(0)), Vec::<u64>::new());
    assert_eq!(ids(&suite, Some(20), None), Vec::<u64>::new());
    // Following start_after page by page walks every proposal once.
    let mut walked = vec![];
    let mut start_after = None;
    loop {
        let next = ids(&suite, start_after, Some(u32::MAX));
        match next.last() {
            Some(last) => start_after = Some(*last),
            None => break,
        }
        walked.extend(next);
    }
    assert_eq!(walked, (1..=20).collect::<Vec<_>>());
    assert_eq!(
        suite.query::<crate::msg::ProposalResponse>(QueryMsg::Proposal { proposal_id: 21 }),
        Err(StdError::not_found("proposal 21"))
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

/// wasmd's default gas limit for a smart query (`SmartQueryGasLimit`).
const QUERY_GAS_LIMIT: usize = 3_000_000;
/// The SDK's KV gas: per byte read, per read, per iteration step.
const READ_COST_PER_BYTE: usize = 3;
const READ_COST_FLAT: usize = 1_000;
const ITER_NEXT_COST_FLAT: usize = 30;

#[test]
fn a_page_of_the_largest_proposals_stays_well_within_a_query_gas_limit() {
    // By the caps alone: a full page of proposals at their largest.
    let worst_page = MAX_PROPOSALS_LIMIT * (MAX_PROPOSAL_BYTES + MAX_PROPOSAL_GROWTH);
    let worst_gas = worst_page * READ_COST_PER_BYTE
        + READ_COST_FLAT
        + (MAX_PROPOSALS_LIMIT + 1) * ITER_NEXT_COST_FLAT;
    assert!(
        worst_gas * 3 <= QUERY_GAS_LIMIT * 2,
        "a page may cost {worst_gas} gas, more than two thirds of {QUERY_GAS_LIMIT}"
    );

    // And in fact: proposals filled to the cap, executed and failed with the longest reason JSON
    // can make (control characters, six bytes each), more of them than fit a page.
    let mut suite = Suite::new();
    let (alice, bob) = (suite.alice.clone(), suite.bob.clone());
    let message = ProposalMessage::WasmExecute {
        contract: addr("escrow").to_string(),
        msg: Binary::from(vec![b'x'; MAX_MSG_BYTES - 2_000]),
        funds: vec![],
    };
    let first = suite.propose(&alice, vec![message.clone(); 3]);
    let base = to_json_vec(&PROPOSALS.load(&suite.chain.deps.storage, first).unwrap())
        .unwrap()
        .len();
    let room = MAX_PROPOSAL_BYTES - base;
    assert!(room <= MAX_DESCRIPTION_LEN);
    let count = MAX_PROPOSALS_LIMIT as u64 + 2;
    for _ in 1..count {
        let res = suite.exec(
            &alice,
            &[coin(DEPOSIT, UGRID)],
            ExecuteMsg::Propose {
                title: "A proposal".into(),
                description: "d".repeat(room + "A proposal, explained".len()),
                messages: vec![message.clone(); 3],
            },
        );
        assert_eq!(attr(&res, "action"), "propose");
    }
    for id in 1..=count {
        suite.vote(&alice, id, VoteOption::Yes);
        suite.vote(&bob, id, VoteOption::Yes);
    }
    suite.advance(VOTING_PERIOD + TIMELOCK);
    let reason = "\u{1}".repeat(2 * MAX_REASON_LEN);
    for id in 1..=count {
        suite.execute(id).unwrap();
        suite.fail_dispatch(id, &reason);
    }

    let stored: Vec<usize> = (1..=count)
        .map(|id| {
            let p = PROPOSALS.load(&suite.chain.deps.storage, id).unwrap();
            assert!(matches!(p.status, ProposalStatus::ExecutionFailed { .. }));
            to_json_vec(&p).unwrap().len()
        })
        .collect();
    for (i, size) in stored.iter().enumerate() {
        assert!(
            *size <= MAX_PROPOSAL_BYTES + MAX_PROPOSAL_GROWTH,
            "proposal {} takes {size} bytes",
            i + 1
        );
    }
    assert!(stored[1] > MAX_PROPOSAL_BYTES, "the growth is real");

    let page = query(
        suite.chain.deps.as_ref(),
        suite.chain.env.clone(),
        QueryMsg::Proposals {
            start_after: None,
            limit: Some(u32::MAX),
        },
    )
    .unwrap();
    let listed: ProposalsResponse = cosmwasm_std::from_json(&page).unwrap();
    assert_eq!(listed.proposals.len(), MAX_PROPOSALS_LIMIT);
    let read: usize = stored[..MAX_PROPOSALS_LIMIT].iter().sum();
    assert!(read <= worst_page);
    assert!(
        page.len() <= worst_page,
        "the answer is {} bytes",
        page.len()
    );
}
