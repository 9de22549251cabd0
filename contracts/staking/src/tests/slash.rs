//! Slash: bonded stake first, then claims (latest-maturing first), never more than exists; split
//! between the compensation recipient and the treasury; always a `slash` event.

use super::helpers::*;
use crate::msg::{ExecuteMsg, InstantiateMsg};
use crate::{ContractError, MAX_REASON_LEN};
use cosmwasm_std::{Attribute, Decimal, Uint128};

fn event_attrs(res: &cosmwasm_std::Response) -> Vec<Attribute> {
    event(res, "slash").attributes.clone()
}

#[test]
fn a_slash_takes_bonded_stake_and_splits_it() {
    let mut suite = Suite::new();
    let (alice, renter) = (suite.alice.clone(), addr("renter"));
    suite.bond(&alice, 1_000);
    let res = suite.slash(&alice, 300, Some(&renter));
    let grid = addr("grid");
    assert_eq!(
        res.messages,
        vec![
            cw20_transfer(&grid, &renter, 150),
            cw20_transfer(&grid, &suite.treasury, 150),
        ]
    );
    assert_eq!(
        event_attrs(&res),
        attrs(&[
            ("provider", alice.as_str()),
            ("reason", "missed heartbeats"),
            ("lease_id", "7"),
            ("requested", "300"),
            ("slashed", "300"),
            ("from_bonded", "300"),
            ("from_claims", "0"),
            ("compensation", renter.as_str()),
            ("compensated", "150"),
            ("to_treasury", "150"),
        ])
    );
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "slash"),
            ("provider", alice.as_str()),
            ("requested", "300"),
            ("slashed", "300"),
        ])
    );
    assert_eq!(suite.bonded(&alice), 700);
    assert_eq!(suite.power(&alice, None), 700);
    assert_eq!(suite.total_power(None), 700);
}

#[test]
fn claims_are_slashed_after_the_bond_latest_maturing_first() {
    let mut suite = Suite::new();
    let alice = suite.alice.clone();
    suite.bond(&alice, 1_000);
    suite.unbond(&alice, 100);
    suite.advance(10);
    suite.unbond(&alice, 200);
    suite.advance(10);
    suite.unbond(&alice, 300);
    let res = suite.slash(&alice, 750, None);
    assert_eq!(
        event(&res, "slash")
            .attributes
            .iter()
            .filter(|a| ["slashed", "from_bonded", "from_claims"].contains(&a.key.as_str()))
            .cloned()
            .collect::<Vec<_>>(),
        attrs(&[
            ("slashed", "750"),
            ("from_bonded", "400"),
            ("from_claims", "350"),
        ])
    );
    assert_eq!(suite.bonded(&alice), 0);
    let claims: Vec<(u64, u128)> = suite
        .claims(&alice)
        .iter()
        .map(|c| (c.id, c.amount.u128()))
        .collect();
    // The latest claim (id 2, 300) is gone, the middle one (id 1) lost 50, the first is intact.
    assert_eq!(claims, vec![(0, 100), (1, 150)]);
    assert_eq!(suite.staker(&alice).claims, 2);
    assert_eq!(
        res.messages,
        vec![cw20_transfer(&addr("grid"), &suite.treasury, 750)]
    );
}

#[test]
fn a_slash_never_takes_more_than_exists() {
    let mut suite = Suite::new();
    let alice = suite.alice.clone();
    suite.bond(&alice, 100);
    suite.unbond(&alice, 50);
    let res = suite.slash(&alice, 1_000, None);
    assert_eq!(attr(&res, "requested"), "1000");
    assert_eq!(attr(&res, "slashed"), "100");
    assert_eq!(suite.bonded(&alice), 0);
    assert!(suite.claims(&alice).is_empty());
    assert_eq!(suite.staker(&alice).claims, 0);

    // Nothing left: the slash still succeeds, reports zero and moves nothing.
    let res = suite.slash(&alice, 10, Some(&addr("renter")));
    assert!(res.messages.is_empty());
    assert_eq!(attr(&res, "slashed"), "0");
    assert_eq!(
        event(&res, "slash")
            .attributes
            .iter()
            .find(|a| a.key == "compensated")
            .unwrap()
            .value,
        "0"
    );
}

#[test]
fn compensation_rounds_down_and_the_treasury_gets_the_rest() {
    let mut suite = Suite::with(InstantiateMsg {
        compensation_ratio: Decimal::from_ratio(1u128, 3u128),
        ..native_instantiate_msg()
    });
    let (alice, renter) = (suite.alice.clone(), addr("renter"));
    suite.bond(&alice, 100);
    let res = suite.as_marketplace(ExecuteMsg::Slash {
        provider: alice.to_string(),
        amount: u(10),
        reason: "invalid result".into(),
        lease_id: None,
        compensation: Some(renter.to_string()),
    });
    let res = res.unwrap();
    assert_eq!(
        res.messages,
        vec![
            bank_send(&renter, 3, UGRID),
            bank_send(&suite.treasury, 7, UGRID)
        ]
    );
    let ev = event(&res, "slash");
    assert!(ev.attributes.contains(&Attribute::new("lease_id", "none")));
    assert!(ev
        .attributes
        .contains(&Attribute::new("reason", "invalid result")));
}

#[test]
fn a_full_compensation_ratio_sends_nothing_to_the_treasury() {
    let mut suite = Suite::with(InstantiateMsg {
        compensation_ratio: Decimal::one(),
        ..instantiate_msg()
    });
    let (alice, renter) = (suite.alice.clone(), addr("renter"));
    suite.bond(&alice, 100);
    let res = suite.slash(&alice, 40, Some(&renter));
    assert_eq!(
        res.messages,
        vec![cw20_transfer(&addr("grid"), &renter, 40)]
    );
    // Without a recipient everything goes to the treasury, whatever the ratio.
    let res = suite.slash(&alice, 40, None);
    assert_eq!(
        res.messages,
        vec![cw20_transfer(&addr("grid"), &suite.treasury, 40)]
    );
    let ev = event(&res, "slash");
    assert!(ev
        .attributes
        .contains(&Attribute::new("compensation", "none")));
}

#[test]
fn the_owner_may_slash_and_nobody_else() {
    let mut suite = Suite::new();
    let (alice, owner, stranger) = (
        suite.alice.clone(),
        suite.owner.clone(),
        suite.stranger.clone(),
    );
    suite.bond(&alice, 100);
    suite.exec(&owner, &[], Suite::slash_msg(&alice, 10, None));
    assert_eq!(suite.bonded(&alice), 90);
    for sender in [stranger, alice.clone()] {
        assert_eq!(
            suite.exec_err(&sender, &[], Suite::slash_msg(&alice, 10, None)),
            ContractError::Unauthorized {
                sender: sender.to_string(),
                role: "marketplace or owner",
            }
        );
    }
}

#[test]
fn slash_arguments_are_validated() {
    let mut suite = Suite::new();
    let alice = suite.alice.clone();
    suite.bond(&alice, 100);
    let base = |amount: u128, reason: &str, provider: &str, compensation: Option<&str>| {
        ExecuteMsg::Slash {
            provider: provider.to_string(),
            amount: u(amount),
            reason: reason.to_string(),
            lease_id: None,
            compensation: compensation.map(str::to_string),
        }
    };
    assert_eq!(
        suite
            .as_marketplace(base(0, "r", alice.as_str(), None))
            .unwrap_err(),
        ContractError::ZeroAmount
    );
    assert_eq!(
        suite
            .as_marketplace(base(1, "", alice.as_str(), None))
            .unwrap_err(),
        ContractError::InvalidReason {
            len: 0,
            max: MAX_REASON_LEN
        }
    );
    let long = "x".repeat(MAX_REASON_LEN + 1);
    assert_eq!(
        suite
            .as_marketplace(base(1, &long, alice.as_str(), None))
            .unwrap_err(),
        ContractError::InvalidReason {
            len: MAX_REASON_LEN + 1,
            max: MAX_REASON_LEN
        }
    );
    assert_eq!(
        suite
            .as_marketplace(base(1, "r", "bad provider", None))
            .unwrap_err(),
        invalid_address("bad provider")
    );
    assert_eq!(
        suite
            .as_marketplace(base(1, "r", alice.as_str(), Some("bad recipient")))
            .unwrap_err(),
        invalid_address("bad recipient")
    );
    assert_eq!(suite.bonded(&alice), 100);
}

#[test]
fn rewards_are_settled_before_the_stake_shrinks() {
    let mut suite = Suite::new();
    let (alice, bob, carol) = (suite.alice.clone(), suite.bob.clone(), suite.carol.clone());
    suite.bond(&alice, 100);
    suite.bond(&bob, 100);
    suite.deposit(&carol, &[coin(200, UUSDC)]);
    suite.slash(&alice, 50, None);
    suite.deposit(&carol, &[coin(150, UUSDC)]);
    assert_eq!(suite.pending(&alice, &native(UUSDC)), 100 + 50);
    assert_eq!(suite.pending(&bob, &native(UUSDC)), 100 + 100);
    let res = suite.claim_rewards(&alice);
    assert_eq!(res.messages, vec![bank_send(&alice, 150, UUSDC)]);
    assert_eq!(suite.pool(&native(UUSDC)).unclaimed, u(200));
    assert_eq!(suite.pool(&native(UUSDC)).dust, Uint128::zero());
}
