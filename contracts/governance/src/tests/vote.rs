//! Vote: power at the start height, one final vote per address, nothing after the end.

use super::helpers::*;
use crate::msg::{ExecuteMsg, QueryMsg, Tally, VoteInfo, VoteOption, VoteResponse};
use crate::ContractError;

#[test]
fn votes_are_weighted_by_power_at_the_start_height() {
    let mut suite = Suite::new();
    let (alice, bob, carol) = (suite.alice.clone(), suite.bob.clone(), suite.carol.clone());
    let id = suite.propose(&alice, vec![]);
    let res = suite.vote(&alice, id, VoteOption::Yes);
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "vote"),
            ("proposal_id", "1"),
            ("voter", alice.as_str()),
            ("vote", "yes"),
            ("power", "400"),
        ])
    );
    suite.vote(&bob, id, VoteOption::Veto);
    suite.vote(&carol, id, VoteOption::Abstain);
    assert_eq!(
        suite.proposal(id).tally,
        Tally {
            yes: u(400),
            no: u(0),
            abstain: u(300),
            veto: u(300),
        }
    );
    assert_eq!(
        suite
            .query::<VoteResponse>(QueryMsg::Vote {
                proposal_id: id,
                voter: bob.to_string(),
            })
            .unwrap(),
        VoteResponse {
            vote: Some(VoteInfo {
                voter: bob,
                vote: VoteOption::Veto,
                power: u(300),
            })
        }
    );
}

#[test]
fn a_second_vote_is_refused() {
    let mut suite = Suite::new();
    let alice = suite.alice.clone();
    let id = suite.propose(&alice, vec![]);
    suite.vote(&alice, id, VoteOption::No);
    for vote in [VoteOption::Yes, VoteOption::No] {
        assert_eq!(
            suite.vote_err(&alice, id, vote),
            ContractError::AlreadyVoted {
                proposal_id: id,
                voter: alice.to_string(),
                vote: VoteOption::No,
            }
        );
    }
}

#[test]
fn voting_ends_at_the_end_of_the_period() {
    let mut suite = Suite::new();
    let (alice, bob, carol) = (suite.alice.clone(), suite.bob.clone(), suite.carol.clone());
    let id = suite.propose(&alice, vec![]);
    suite.advance(VOTING_PERIOD - 1);
    suite.vote(&bob, id, VoteOption::Yes);
    suite.advance(1);
    let closed = ContractError::VotingClosed {
        proposal_id: id,
        ended_at: GENESIS + VOTING_PERIOD,
    };
    assert_eq!(suite.vote_err(&carol, id, VoteOption::Yes), closed);
    suite.advance(DAY);
    assert_eq!(suite.vote_err(&alice, id, VoteOption::No), closed);
    // Also once closed.
    suite.close(id).unwrap();
    assert_eq!(suite.vote_err(&alice, id, VoteOption::No), closed);
}

#[test]
fn without_power_at_the_start_height_there_is_no_vote() {
    let mut suite = Suite::new();
    let (alice, dave) = (suite.alice.clone(), suite.dave.clone());
    let id = suite.propose(&alice, vec![]);
    let no_power = |voter: &cosmwasm_std::Addr| ContractError::NoVotingPower {
        proposal_id: id,
        voter: voter.to_string(),
        height: 100,
    };
    assert_eq!(suite.vote_err(&dave, id, VoteOption::Yes), no_power(&dave));

    // Dave bonds in the proposal's block and later: too late for this proposal.
    suite.set_bond(&dave, 10_000);
    suite.advance(BLOCK);
    assert_eq!(suite.vote_err(&dave, id, VoteOption::Yes), no_power(&dave));
    // It counts for the next one.
    let next = suite.propose(&alice, vec![]);
    suite.vote(&dave, next, VoteOption::Yes);
    assert_eq!(suite.proposal(next).tally.yes, u(10_000));
    assert_eq!(suite.proposal(next).total_power, u(11_000));
}

#[test]
fn stake_unbonded_before_the_start_height_gives_no_power() {
    let mut suite = Suite::new();
    let (alice, bob, carol) = (suite.alice.clone(), suite.bob.clone(), suite.carol.clone());
    // Bob unbonds everything, Carol half, before the proposal's block.
    suite.set_bond(&bob, 0);
    suite.set_bond(&carol, 150);
    suite.advance(BLOCK);
    let id = suite.propose(&alice, vec![]);
    assert_eq!(suite.proposal(id).total_power, u(550));
    assert_eq!(
        suite.vote_err(&bob, id, VoteOption::Yes),
        ContractError::NoVotingPower {
            proposal_id: id,
            voter: bob.to_string(),
            height: suite.proposal(id).start_height,
        }
    );
    suite.vote(&carol, id, VoteOption::Yes);
    assert_eq!(suite.proposal(id).tally.yes, u(150));

    // Unbonding after the start height does not take power away from this proposal.
    suite.set_bond(&alice, 0);
    suite.advance(BLOCK);
    suite.vote(&alice, id, VoteOption::No);
    assert_eq!(suite.proposal(id).tally.no, u(400));
}

#[test]
fn voting_on_nothing_or_with_funds_is_refused() {
    let mut suite = Suite::new();
    let alice = suite.alice.clone();
    assert_eq!(
        suite.vote_err(&alice, 7, VoteOption::Yes),
        ContractError::ProposalNotFound { proposal_id: 7 }
    );
    let id = suite.propose(&alice, vec![]);
    assert_eq!(
        suite.exec_err(
            &alice,
            &[coin(1, UGRID)],
            ExecuteMsg::Vote {
                proposal_id: id,
                vote: VoteOption::Yes
            }
        ),
        ContractError::Funds(gridshare_plumbing::FundsError::UnexpectedFunds {
            funds: "1ugrid".into()
        })
    );
}
