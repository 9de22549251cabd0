//! Voting power snapshots: a change at height h is visible from h + 1; `None` is the current value.

use super::helpers::*;
use crate::msg::{QueryMsg, VotingPowerResponse};

#[test]
fn a_change_at_height_h_is_visible_from_h_plus_one() {
    let mut suite = Suite::new();
    let alice = suite.alice.clone();
    let h0 = suite.height();
    suite.bond(&alice, 100);
    assert_eq!(suite.power(&alice, Some(h0)), 0);
    assert_eq!(suite.power(&alice, None), 100);
    assert_eq!(suite.total_power(Some(h0)), 0);
    assert_eq!(suite.total_power(None), 100);

    suite.advance(5);
    let h1 = suite.height();
    suite.unbond(&alice, 40);
    assert_eq!(suite.power(&alice, Some(h1)), 100);
    assert_eq!(suite.power(&alice, None), 60);
    suite.advance(5);
    assert_eq!(suite.power(&alice, Some(h1 + 1)), 60);
    assert_eq!(suite.power(&alice, Some(h0)), 0);
    assert_eq!(suite.total_power(Some(h1)), 100);
    assert_eq!(suite.total_power(Some(h1 + 1)), 60);

    let response: VotingPowerResponse = suite
        .query(QueryMsg::VotingPowerAtHeight {
            address: alice.to_string(),
            height: None,
        })
        .unwrap();
    assert_eq!(response.height, suite.height());
    assert_eq!(response.power, u(60));
}

#[test]
fn several_changes_in_one_block_keep_the_value_at_its_start() {
    let mut suite = Suite::new();
    let (alice, bob) = (suite.alice.clone(), suite.bob.clone());
    suite.bond(&alice, 50);
    suite.advance(1);
    let h = suite.height();
    suite.bond(&alice, 100);
    suite.unbond(&alice, 30);
    suite.bond(&bob, 10);
    suite.slash(&alice, 20, None);
    assert_eq!(suite.power(&alice, Some(h)), 50);
    assert_eq!(suite.total_power(Some(h)), 50);
    suite.advance(1);
    assert_eq!(suite.power(&alice, Some(h + 1)), 100);
    assert_eq!(suite.power(&bob, Some(h + 1)), 10);
    assert_eq!(suite.total_power(Some(h + 1)), 110);
}

#[test]
fn past_heights_never_change() {
    let mut suite = Suite::new();
    let (alice, bob) = (suite.alice.clone(), suite.bob.clone());
    let mut seen = vec![];
    for step in 0..12u128 {
        match step % 4 {
            0 => {
                suite.bond(&alice, 10 + step);
            }
            1 => {
                suite.bond(&bob, 5);
            }
            2 => {
                suite.unbond(&alice, 3);
            }
            _ => {
                suite.slash(&bob, 2, None);
            }
        }
        let h = suite.height();
        seen.push((
            h,
            suite.power(&alice, Some(h)),
            suite.power(&bob, Some(h)),
            suite.total_power(Some(h)),
        ));
        suite.advance(1);
        for (h, a, b, t) in &seen {
            assert_eq!(suite.power(&alice, Some(*h)), *a);
            assert_eq!(suite.power(&bob, Some(*h)), *b);
            assert_eq!(suite.total_power(Some(*h)), *t);
            assert_eq!(a + b, *t);
        }
    }
}

#[test]
fn voting_power_needs_a_valid_address() {
    let suite = Suite::new();
    assert!(suite
        .query::<VotingPowerResponse>(QueryMsg::VotingPowerAtHeight {
            address: "not an address".into(),
            height: Some(1),
        })
        .is_err());
}
