//! Slash, by the marketplace only: the amount follows the rule against the bond at execution
//! time; bonded stake first, then claims (latest-maturing first), never more than exists; split
//! between the compensation recipient and the treasury; always a `slash` event, also when the
//! slash computes to zero and changes nothing.

use super::helpers::*;
use crate::execute::slash::slash_amount;
use crate::msg::{ExecuteMsg, InstantiateMsg, SlashRule};
use crate::{ContractError, MAX_REASON_LEN};
use cosmwasm_std::{Addr, Attribute, Decimal, Response, Uint128};

fn bps(bps: u16) -> SlashRule {
    SlashRule::BondBps { bps }
}

fn slash_rule(suite: &mut Suite, provider: &Addr, rule: SlashRule) -> Response {
    suite
        .as_marketplace(Suite::slash_rule_msg(provider, rule, None))
        .unwrap()
}

fn event_value(res: &Response, key: &str) -> String {
    event(res, "slash")
        .attributes
        .iter()
        .find(|a| a.key == key)
        .unwrap_or_else(|| panic!("no {key} in the slash event"))
        .value
        .clone()
}

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
            ("rule", "fixed:300"),
            ("bonded", "1000"),
            ("requested", "300"),
            ("slashed", "300"),
            ("from_bonded", "300"),
            ("from_claims", "0"),
            ("compensation", renter.as_str()),
            ("compensated", "150"),
            ("to_treasury", "150"),
            ("outcome", "slashed"),
        ])
    );
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "slash"),
            ("provider", alice.as_str()),
            ("requested", "300"),
            ("slashed", "300"),
            ("outcome", "slashed"),
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
    let before = suite.snapshot();
    let res = suite.slash(&alice, 10, Some(&addr("renter")));
    assert_eq!(suite.snapshot(), before);
    assert!(res.messages.is_empty());
    assert_eq!(attr(&res, "slashed"), "0");
    assert_eq!(event_value(&res, "outcome"), "nothing_to_slash");
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
        rule: SlashRule::Fixed { amount: u(10) },
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

/// Governance slashes through the marketplace's dispute and parameter paths, never directly.
#[test]
fn only_the_marketplace_slashes() {
    let mut suite = Suite::new();
    let (alice, owner, stranger) = (
        suite.alice.clone(),
        suite.owner.clone(),
        suite.stranger.clone(),
    );
    suite.bond(&alice, 100);
    for sender in [owner, stranger, alice.clone()] {
        assert_eq!(
            suite.exec_err(&sender, &[], Suite::slash_msg(&alice, 10, None)),
            ContractError::Unauthorized {
                sender: sender.to_string(),
                role: "marketplace",
            }
        );
    }
    assert_eq!(suite.bonded(&alice), 100);
}

#[test]
fn slash_arguments_are_validated() {
    let mut suite = Suite::new();
    let alice = suite.alice.clone();
    suite.bond(&alice, 100);
    let base = |amount: u128, reason: &str, provider: &str, compensation: Option<&str>| {
        ExecuteMsg::Slash {
            provider: provider.to_string(),
            rule: SlashRule::Fixed { amount: u(amount) },
            reason: reason.to_string(),
            lease_id: None,
            compensation: compensation.map(str::to_string),
        }
    };
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

#[test]
fn bond_bps_is_computed_from_the_bond_at_execution_and_compounds() {
    let mut suite = Suite::new();
    let (alice, bob) = (suite.alice.clone(), suite.bob.clone());
    suite.bond(&alice, 1_000);
    suite.unbond(&alice, 200);
    let res = slash_rule(&mut suite, &alice, bps(5_000));
    // Half of the bond (800), not of bond and claims; the claim is untouched.
    assert_eq!(event_value(&res, "rule"), "bond_bps:5000");
    assert_eq!(event_value(&res, "bonded"), "800");
    assert_eq!(attr(&res, "slashed"), "400");
    // The second slash (same transaction or not) sees the bond the first one left.
    let res = slash_rule(&mut suite, &alice, bps(5_000));
    assert_eq!(event_value(&res, "bonded"), "400");
    assert_eq!(attr(&res, "slashed"), "200");
    assert_eq!(suite.bonded(&alice), 200);
    assert_eq!(suite.staker(&alice).unbonding, u(200));

    // Two 50% slashes leave 25% of the bond.
    suite.bond(&bob, 10_000);
    slash_rule(&mut suite, &bob, bps(5_000));
    slash_rule(&mut suite, &bob, bps(5_000));
    assert_eq!(suite.bonded(&bob), 2_500);
}

#[test]
fn bond_bps_rounds_down_and_is_capped_at_the_whole_bond() {
    let mut suite = Suite::new();
    let alice = suite.alice.clone();
    suite.bond(&alice, 999);
    suite.unbond(&alice, 100);
    // 3% of 899 is 26.97.
    assert_eq!(
        attr(&slash_rule(&mut suite, &alice, bps(300)), "slashed"),
        "26"
    );
    // Above 10 000 bps counts as the whole bond, and claims are not reached.
    let res = slash_rule(&mut suite, &alice, bps(u16::MAX));
    assert_eq!(attr(&res, "requested"), "873");
    assert_eq!(attr(&res, "slashed"), "873");
    assert_eq!(event_value(&res, "from_claims"), "0");
    assert_eq!(suite.bonded(&alice), 0);
    assert_eq!(suite.staker(&alice).unbonding, u(100));

    assert_eq!(slash_amount(bps(10_000), u(7)), u(7));
    assert_eq!(slash_amount(bps(10_001), u(7)), u(7));
    assert_eq!(slash_amount(bps(1), u(9_999)), Uint128::zero());
    assert_eq!(slash_amount(bps(1), u(u128::MAX)), u(u128::MAX / 10_000));
    assert_eq!(
        slash_amount(SlashRule::Fixed { amount: u(5) }, Uint128::zero()),
        u(5)
    );
}

/// A crank must never revert because a slash computes to zero: it succeeds, changes nothing and
/// says so in its event.
#[test]
fn a_slash_that_computes_to_zero_is_a_no_op() {
    let mut suite = Suite::new();
    let (alice, bob, renter) = (suite.alice.clone(), suite.bob.clone(), addr("renter"));
    suite.bond(&alice, 100);
    suite.unbond(&alice, 50);
    for (provider, rule) in [
        (&alice, bps(0)),
        (&alice, bps(199)), // 1.99% of 50
        (&alice, SlashRule::Fixed { amount: u(0) }),
        (&bob, bps(5_000)), // nothing bonded
    ] {
        let before = suite.snapshot();
        let res = suite
            .as_marketplace(Suite::slash_rule_msg(provider, rule, Some(&renter)))
            .unwrap();
        assert_eq!(suite.snapshot(), before, "{rule:?} changed the storage");
        assert!(res.messages.is_empty());
        assert_eq!(attr(&res, "outcome"), "zero_amount");
        assert_eq!(event_value(&res, "requested"), "0");
        assert_eq!(event_value(&res, "slashed"), "0");
        assert_eq!(event_value(&res, "outcome"), "zero_amount");
    }
    assert_eq!(suite.bonded(&alice), 50);
}
