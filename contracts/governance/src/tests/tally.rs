//! The outcome rules, at their boundaries.

use crate::msg::{ProposalStatus, Tally, VotingRules};
use crate::tally::outcome;
use cosmwasm_std::{Decimal, Uint128};

fn rules() -> VotingRules {
    VotingRules {
        quorum: Decimal::percent(30),
        threshold: Decimal::percent(50),
        veto_threshold: Decimal::permille(334),
    }
}

fn tally(yes: u128, no: u128, abstain: u128, veto: u128) -> Tally {
    Tally {
        yes: Uint128::new(yes),
        no: Uint128::new(no),
        abstain: Uint128::new(abstain),
        veto: Uint128::new(veto),
    }
}

fn decide(t: Tally, total: u128) -> ProposalStatus {
    outcome(&t, Uint128::new(total), &rules()).unwrap()
}

#[test]
fn the_quorum_counts_every_option_and_rounds_up() {
    // 30 % of 1001 is 300.3: 300 votes miss it, 301 reach it.
    assert_eq!(decide(tally(300, 0, 0, 0), 1001), ProposalStatus::Rejected);
    assert_eq!(decide(tally(301, 0, 0, 0), 1001), ProposalStatus::Passed);
    assert_eq!(decide(tally(1, 0, 300, 0), 1000), ProposalStatus::Passed);
    assert_eq!(decide(tally(0, 0, 0, 0), 1000), ProposalStatus::Rejected);
}

#[test]
fn the_threshold_is_strict_and_ignores_abstentions() {
    assert_eq!(
        decide(tally(200, 200, 0, 0), 1000),
        ProposalStatus::Rejected
    );
    assert_eq!(decide(tally(201, 200, 0, 0), 1000), ProposalStatus::Passed);
    assert_eq!(
        decide(tally(101, 100, 500, 0), 1000),
        ProposalStatus::Passed
    );
    assert_eq!(decide(tally(0, 0, 1000, 0), 1000), ProposalStatus::Rejected);
    // Veto votes count against, like no.
    assert_eq!(
        decide(tally(300, 200, 0, 100), 1000),
        ProposalStatus::Rejected
    );
}

#[test]
fn a_veto_needs_its_share_of_all_votes_and_the_quorum() {
    // 334 of 1000 votes is not above 33.4 %, 335 is.
    assert_eq!(decide(tally(666, 0, 0, 334), 1000), ProposalStatus::Passed);
    assert_eq!(decide(tally(665, 0, 0, 335), 1000), ProposalStatus::Vetoed);
    // Abstentions dilute a veto.
    assert_eq!(
        decide(tally(100, 0, 500, 200), 1000),
        ProposalStatus::Rejected
    );
    // Without the quorum a veto forfeits nothing.
    assert_eq!(decide(tally(0, 0, 0, 299), 1000), ProposalStatus::Rejected);
    assert_eq!(decide(tally(0, 0, 0, 300), 1000), ProposalStatus::Vetoed);
}

#[test]
fn huge_tallies_are_exact() {
    let max = Uint128::MAX.u128() / 4;
    assert_eq!(
        decide(tally(max, max - 1, 0, 0), u128::MAX),
        ProposalStatus::Passed
    );
}
