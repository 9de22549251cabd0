//! Unbond into claims and Claim matured ones.

use super::helpers::*;
use crate::msg::{ClaimResponse, ExecuteMsg};
use crate::{ContractError, MAX_CLAIMS};
use cosmwasm_std::Uint128;
use gridshare_plumbing::FundsError;

#[test]
fn unbonding_moves_stake_into_a_claim_at_once() {
    let mut suite = Suite::new();
    let alice = suite.alice.clone();
    suite.bond(&alice, 1_000);
    suite.advance(5);
    let res = suite.unbond(&alice, 400);
    assert!(res.messages.is_empty());
    let release_at = suite.now() + UNBONDING;
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "unbond"),
            ("staker", alice.as_str()),
            ("amount", "400"),
            ("bonded", "600"),
            ("claim_id", "0"),
            ("release_at", &release_at.to_string()),
        ])
    );
    // Stops counting for collateral and voting right away.
    assert_eq!(suite.bonded(&alice), 600);
    assert_eq!(suite.power(&alice, None), 600);
    assert_eq!(suite.total_power(None), 600);
    assert_eq!(suite.collateral(&alice, 6).bonded, u(600));
    assert_eq!(
        suite.claims(&alice),
        vec![ClaimResponse {
            id: 0,
            amount: u(400),
            release_at,
            matured: false,
        }]
    );
    let staker = suite.staker(&alice);
    assert_eq!((staker.unbonding, staker.claims), (u(400), 1));
    let holdings = suite.holdings(&cw20("grid"));
    assert_eq!((holdings.bonded, holdings.claims), (u(600), u(400)));
}

#[test]
fn unbonding_everything_removes_the_staker() {
    let mut suite = Suite::new();
    let alice = suite.alice.clone();
    suite.bond(&alice, 1_000);
    suite.unbond(&alice, 1_000);
    assert_eq!(suite.bonded(&alice), 0);
    assert_eq!(suite.total_power(None), 0);
    let stakers: crate::msg::StakersResponse = suite
        .query(crate::msg::QueryMsg::Stakers {
            start_after: None,
            limit: None,
        })
        .unwrap();
    assert!(stakers.stakers.is_empty());
}

#[test]
fn claims_pay_out_once_matured() {
    let mut suite = Suite::new();
    let alice = suite.alice.clone();
    suite.bond(&alice, 1_000);
    suite.unbond(&alice, 300);
    let first_release = suite.now() + UNBONDING;
    suite.advance(DAY);
    suite.unbond(&alice, 200);

    // Nothing has matured yet: the error names the next release.
    assert_eq!(
        suite.exec_err(&alice, &[], ExecuteMsg::Claim {}),
        ContractError::NothingToClaim {
            address: alice.to_string(),
            next_release: Some(first_release),
        }
    );
    suite.advance(UNBONDING - DAY);
    assert!(suite.claims(&alice)[0].matured);
    let res = suite.claim(&alice);
    assert_eq!(
        res.messages,
        vec![cw20_transfer(&addr("grid"), &alice, 300)]
    );
    assert_eq!(attr(&res, "claims_left"), "1");
    assert_eq!(suite.claims(&alice).len(), 1);

    suite.advance(DAY);
    let res = suite.claim(&alice);
    assert_eq!(
        res.messages,
        vec![cw20_transfer(&addr("grid"), &alice, 200)]
    );
    assert!(suite.claims(&alice).is_empty());
    assert_eq!(
        suite.exec_err(&alice, &[], ExecuteMsg::Claim {}),
        ContractError::NothingToClaim {
            address: alice.to_string(),
            next_release: None,
        }
    );
    assert_eq!(suite.sent_to(&alice, &cw20("grid")), 500);
    assert_eq!(suite.holdings(&cw20("grid")).total, u(500));
}

#[test]
fn native_claims_are_bank_sends() {
    let mut suite = Suite::native();
    let alice = suite.alice.clone();
    suite.bond(&alice, 100);
    suite.unbond(&alice, 100);
    suite.advance(UNBONDING);
    let res = suite.claim(&alice);
    assert_eq!(res.messages, vec![bank_send(&alice, 100, UGRID)]);
}

#[test]
fn unbonds_in_the_same_second_share_a_claim() {
    let mut suite = Suite::new();
    let alice = suite.alice.clone();
    suite.bond(&alice, 1_000);
    suite.unbond(&alice, 100);
    let res = suite.unbond(&alice, 50);
    assert_eq!(attr(&res, "claim_id"), "0");
    let claims = suite.claims(&alice);
    assert_eq!(claims.len(), 1);
    assert_eq!(claims[0].amount, u(150));
}

#[test]
fn the_number_of_open_claims_is_capped() {
    let mut suite = Suite::new();
    let alice = suite.alice.clone();
    suite.bond(&alice, 1_000);
    for _ in 0..MAX_CLAIMS {
        suite.unbond(&alice, 1);
        suite.advance(1);
    }
    assert_eq!(
        suite.try_unbond(&alice, 1).unwrap_err(),
        ContractError::TooManyClaims {
            address: alice.to_string(),
            max: MAX_CLAIMS,
        }
    );
    // Once the first claims mature and are taken, there is room again.
    suite.advance(UNBONDING);
    suite.claim(&alice);
    suite.unbond(&alice, 1);
    assert_eq!(suite.claims(&alice).len(), 1);
}

#[test]
fn unbonding_is_bounded_by_the_bond() {
    let mut suite = Suite::new();
    let (alice, bob) = (suite.alice.clone(), suite.bob.clone());
    suite.bond(&alice, 100);
    assert_eq!(
        suite.try_unbond(&alice, 101).unwrap_err(),
        ContractError::InsufficientBond {
            bonded: u(100),
            requested: u(101),
        }
    );
    assert_eq!(
        suite.try_unbond(&bob, 1).unwrap_err(),
        ContractError::InsufficientBond {
            bonded: Uint128::zero(),
            requested: u(1),
        }
    );
    assert_eq!(
        suite.try_unbond(&alice, 0).unwrap_err(),
        ContractError::Funds(FundsError::ZeroAmount)
    );
}

#[test]
fn a_release_time_that_would_overflow_is_refused() {
    let mut suite = Suite::new();
    let (alice, owner) = (suite.alice.clone(), suite.owner.clone());
    suite.bond(&alice, 100);
    suite.exec(
        &owner,
        &[],
        ExecuteMsg::UpdateConfig {
            marketplace: None,
            treasury: None,
            unbonding_period: Some(u64::MAX),
            min_stake_per_gpu: None,
            compensation_ratio: None,
            reward_denoms: None,
            emission_per_epoch: None,
            emission_weights: None,
        },
    );
    assert!(matches!(
        suite.try_unbond(&alice, 1).unwrap_err(),
        ContractError::Overflow(_)
    ));
}

#[test]
fn a_shorter_unbonding_period_applies_to_new_claims_only() {
    let mut suite = Suite::new();
    let (alice, owner) = (suite.alice.clone(), suite.owner.clone());
    suite.bond(&alice, 100);
    suite.unbond(&alice, 10);
    suite.exec(
        &owner,
        &[],
        ExecuteMsg::UpdateConfig {
            marketplace: None,
            treasury: None,
            unbonding_period: Some(DAY),
            min_stake_per_gpu: None,
            compensation_ratio: None,
            reward_denoms: None,
            emission_per_epoch: None,
            emission_weights: None,
        },
    );
    suite.unbond(&alice, 20);
    suite.advance(DAY);
    let res = suite.claim(&alice);
    assert_eq!(res.messages, vec![cw20_transfer(&addr("grid"), &alice, 20)]);
    assert_eq!(suite.claims(&alice)[0].amount, u(10));
}
