//! Subscribe (and its `Send` form): burns, expiries, extension, switching, every refusal.

use super::helpers::*;
use crate::msg::{ExecuteMsg, ReceiveMsg, SubscriptionInfo, TierBenefits};
use crate::ContractError;
use cosmwasm_std::{coin, to_json_binary, Event, OverflowError, OverflowOperation, Uint128};
use cw20::Cw20ReceiveMsg;

fn pro_benefits() -> TierBenefits {
    pro().benefits()
}

#[test]
fn subscribing_burns_the_price_and_grants_the_tier() {
    let mut suite = Suite::new();
    let alice = suite.alice.clone();
    let supply = suite.supply();
    let res = suite.subscribe(&alice, "pro", 3);

    let expires = GENESIS + 3 * MONTH;
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "subscribe"),
            ("subscriber", alice.as_str()),
            ("tier", "pro"),
            ("periods", "3"),
            ("burned", "3000"),
            ("extended", "false"),
            ("expires_at", &expires.to_string()),
        ])
    );
    assert!(res.messages.is_empty());
    assert_eq!(
        res.events,
        vec![Event::new("burn").add_attributes(attrs(&[
            ("action", "burn"),
            ("from", alice.as_str()),
            ("amount", "3000"),
        ]))]
    );
    assert_eq!(suite.balance(&alice), ALICE_GRID - 3 * PRO_PRICE);
    assert_eq!(suite.supply(), supply - 3 * PRO_PRICE);

    let access = suite.access(&alice);
    assert_eq!(access.address, alice);
    assert_eq!(access.tier, Some(pro_benefits()));
    assert_eq!(access.expires_at, Some(expires));
    assert_eq!(
        suite.subscription(&alice).subscription,
        Some(SubscriptionInfo {
            tier: "pro".into(),
            benefits: pro_benefits(),
            since: GENESIS,
            expires_at: expires,
            paid: u(3 * PRO_PRICE),
            active: true,
        })
    );
}

#[test]
fn access_ends_exactly_at_expiry() {
    let mut suite = Suite::new();
    let alice = suite.alice.clone();
    suite.subscribe(&alice, "pro", 1);
    suite.advance(MONTH - 1);
    assert!(suite.access(&alice).tier.is_some());
    suite.advance(1);
    let access = suite.access(&alice);
    assert_eq!(access.tier, None);
    assert_eq!(access.expires_at, None);
    let record = suite.subscription(&alice).subscription.unwrap();
    assert!(!record.active);
    assert_eq!(record.expires_at, GENESIS + MONTH);
}

#[test]
fn renewing_an_active_tier_adds_to_its_expiry() {
    let mut suite = Suite::new();
    let alice = suite.alice.clone();
    suite.subscribe(&alice, "pro", 1);
    suite.advance(10 * DAY);
    let res = suite.subscribe(&alice, "pro", 2);
    assert_eq!(attr(&res, "extended"), "true");
    let record = suite.subscription(&alice).subscription.unwrap();
    assert_eq!(record.expires_at, GENESIS + 3 * MONTH, "no time lost");
    assert_eq!(record.since, GENESIS);
    assert_eq!(record.paid, u(3 * PRO_PRICE));
    assert_eq!(suite.balance(&alice), ALICE_GRID - 3 * PRO_PRICE);
}

#[test]
fn after_expiry_a_new_term_starts_now_with_any_tier() {
    let mut suite = Suite::new();
    let alice = suite.alice.clone();
    suite.subscribe(&alice, "pro", 1);
    suite.advance(MONTH + 5 * DAY);
    let res = suite.subscribe(&alice, "ultra", 1);
    assert_eq!(attr(&res, "extended"), "false");
    let now = suite.now().seconds();
    let record = suite.subscription(&alice).subscription.unwrap();
    assert_eq!(record.tier, "ultra");
    assert_eq!(record.since, now);
    assert_eq!(record.expires_at, now + MONTH);
    assert_eq!(record.paid, u(ULTRA_PRICE));
    assert_eq!(suite.access(&alice).tier, Some(ultra().benefits()));
}

#[test]
fn switching_tiers_while_active_is_refused() {
    let mut suite = Suite::new();
    let alice = suite.alice.clone();
    suite.subscribe(&alice, "pro", 1);
    suite.advance(MONTH - 1);
    assert_eq!(
        suite.subscribe_err(&alice, "ultra", 1),
        ContractError::TierSwitchWhileActive {
            address: alice.to_string(),
            current: "pro".into(),
            requested: "ultra".into(),
            expires_at: GENESIS + MONTH,
        }
    );
}

#[test]
fn zero_periods_are_refused() {
    let mut suite = Suite::new();
    let alice = suite.alice.clone();
    assert_eq!(
        suite.subscribe_err(&alice, "pro", 0),
        ContractError::ZeroPeriods
    );
}

#[test]
fn an_unknown_tier_is_refused() {
    let mut suite = Suite::new();
    let alice = suite.alice.clone();
    assert_eq!(
        suite.subscribe_err(&alice, "gold", 1),
        ContractError::UnknownTier {
            tier: "gold".into()
        }
    );
}

#[test]
fn the_price_must_be_covered_by_the_balance() {
    let mut suite = Suite::new();
    let stranger = suite.stranger.clone();
    assert_eq!(
        suite.subscribe_err(&stranger, "pro", 1),
        ContractError::InsufficientBalance {
            address: stranger.to_string(),
            balance: Uint128::zero(),
            required: u(PRO_PRICE),
        }
    );
    let bob = suite.bob.clone();
    assert_eq!(
        suite.subscribe_err(&bob, "ultra", 101),
        ContractError::InsufficientBalance {
            address: bob.to_string(),
            balance: u(BOB_GRID),
            required: u(101 * ULTRA_PRICE),
        }
    );
    // Exactly the balance is enough.
    suite.subscribe(&bob, "ultra", 100);
    assert_eq!(suite.balance(&bob), 0);
}

#[test]
fn native_funds_are_refused() {
    let mut suite = Suite::new();
    let alice = suite.alice.clone();
    let err = suite
        .try_exec(
            &alice,
            &[coin(5, "ugrid")],
            ExecuteMsg::Subscribe {
                tier: "pro".into(),
                periods: 1,
            },
        )
        .unwrap_err();
    assert_eq!(
        err,
        ContractError::Funds(gridshare_plumbing::FundsError::UnexpectedFunds {
            funds: "5ugrid".into()
        })
    );
}

#[test]
fn prices_and_expiries_that_overflow_are_typed_errors() {
    let mut suite = Suite::new();
    let admin = suite.admin.clone();
    let alice = suite.alice.clone();
    suite.exec(
        &admin,
        &[],
        ExecuteMsg::SetTier {
            tier: crate::msg::Tier {
                id: "huge".into(),
                price_per_period: Uint128::MAX,
                ..pro()
            },
        },
    );
    assert_eq!(
        suite.subscribe_err(&alice, "huge", 2),
        ContractError::Overflow(OverflowError::new(OverflowOperation::Mul))
    );
    suite.exec(
        &admin,
        &[],
        ExecuteMsg::SetTier {
            tier: crate::msg::Tier {
                id: "forever".into(),
                period_seconds: u64::MAX / 2,
                price_per_period: u(1),
                ..pro()
            },
        },
    );
    assert_eq!(
        suite.subscribe_err(&alice, "forever", 1),
        ContractError::Overflow(OverflowError::new(OverflowOperation::Mul))
    );
}

#[test]
fn paid_benefits_survive_tier_edits_and_removal_until_expiry() {
    let mut suite = Suite::new();
    let (admin, alice) = (suite.admin.clone(), suite.alice.clone());
    suite.subscribe(&alice, "pro", 1);
    suite.exec(
        &admin,
        &[],
        ExecuteMsg::SetTier {
            tier: crate::msg::Tier {
                fee_discount_bps: 100,
                ..pro()
            },
        },
    );
    assert_eq!(suite.access(&alice).tier, Some(pro_benefits()));

    suite.exec(&admin, &[], ExecuteMsg::RemoveTier { tier: "pro".into() });
    assert_eq!(suite.access(&alice).tier, Some(pro_benefits()));
    assert_eq!(
        suite.subscribe_err(&alice, "pro", 1),
        ContractError::UnknownTier { tier: "pro".into() },
        "a removed tier cannot be extended"
    );
    suite.advance(MONTH);
    assert_eq!(suite.access(&alice).tier, None);
}

#[test]
fn renewing_takes_the_current_definition_of_the_tier() {
    let mut suite = Suite::new();
    let (admin, alice) = (suite.admin.clone(), suite.alice.clone());
    suite.subscribe(&alice, "pro", 1);
    let better = crate::msg::Tier {
        fee_discount_bps: 3_000,
        price_per_period: u(2 * PRO_PRICE),
        ..pro()
    };
    suite.exec(
        &admin,
        &[],
        ExecuteMsg::SetTier {
            tier: better.clone(),
        },
    );
    let res = suite.subscribe(&alice, "pro", 1);
    assert_eq!(attr(&res, "burned"), (2 * PRO_PRICE).to_string());
    assert_eq!(suite.access(&alice).tier, Some(better.benefits()));
    assert_eq!(
        suite.subscription(&alice).subscription.unwrap().expires_at,
        GENESIS + 2 * MONTH
    );
}

#[test]
fn grid_sent_to_itself_pays_for_a_subscription() {
    let mut suite = Suite::new();
    let (alice, contract) = (suite.alice.clone(), suite.contract());
    let supply = suite.supply();
    let res = suite
        .try_send_to_self(
            &alice,
            2 * PRO_PRICE,
            &ReceiveMsg::Subscribe {
                tier: "pro".into(),
                periods: 2,
            },
        )
        .unwrap();
    assert_eq!(attr(&res, "subscriber"), alice.as_str());
    assert_eq!(
        res.events,
        vec![Event::new("burn").add_attributes(attrs(&[
            ("action", "burn"),
            ("from", contract.as_str()),
            ("amount", "2000"),
        ]))]
    );
    assert_eq!(suite.balance(&contract), 0, "nothing stays in the contract");
    assert_eq!(suite.balance(&alice), ALICE_GRID - 2 * PRO_PRICE);
    assert_eq!(suite.supply(), supply - 2 * PRO_PRICE);
    assert_eq!(suite.access(&alice).expires_at, Some(GENESIS + 2 * MONTH));
}

#[test]
fn a_send_must_carry_exactly_the_price() {
    let mut suite = Suite::new();
    let alice = suite.alice.clone();
    for amount in [PRO_PRICE - 1, PRO_PRICE + 1] {
        assert_eq!(
            suite
                .try_send_to_self(
                    &alice,
                    amount,
                    &ReceiveMsg::Subscribe {
                        tier: "pro".into(),
                        periods: 1,
                    },
                )
                .unwrap_err(),
            ContractError::WrongAmount {
                tier: "pro".into(),
                periods: 1,
                expected: u(PRO_PRICE),
                got: u(amount),
            }
        );
    }
    // The same checks as `Subscribe` apply to the hook.
    assert_eq!(
        suite
            .try_send_to_self(
                &alice,
                PRO_PRICE,
                &ReceiveMsg::Subscribe {
                    tier: "pro".into(),
                    periods: 0,
                },
            )
            .unwrap_err(),
        ContractError::ZeroPeriods
    );
    assert_eq!(
        suite
            .try_send_to_self(
                &alice,
                PRO_PRICE,
                &ReceiveMsg::Subscribe {
                    tier: "nope".into(),
                    periods: 1,
                },
            )
            .unwrap_err(),
        ContractError::UnknownTier {
            tier: "nope".into()
        }
    );
}

#[test]
fn another_tokens_receive_is_refused() {
    let mut suite = Suite::new();
    let (alice, contract) = (suite.alice.clone(), suite.contract());
    let other_token = addr("other_token");
    let err = suite.exec_err(
        &other_token,
        &[],
        ExecuteMsg::Receive(Cw20ReceiveMsg {
            sender: alice.to_string(),
            amount: u(PRO_PRICE),
            msg: to_json_binary(&ReceiveMsg::Subscribe {
                tier: "pro".into(),
                periods: 1,
            })
            .unwrap(),
        }),
    );
    assert_eq!(
        err,
        ContractError::WrongToken {
            token: other_token.to_string(),
            expected: contract.to_string(),
        }
    );
    // A user cannot fake GRID's own Receive either.
    let err = suite.exec_err(
        &alice,
        &[],
        ExecuteMsg::Receive(Cw20ReceiveMsg {
            sender: alice.to_string(),
            amount: u(PRO_PRICE),
            msg: to_json_binary(&ReceiveMsg::Subscribe {
                tier: "pro".into(),
                periods: 1,
            })
            .unwrap(),
        }),
    );
    assert!(matches!(err, ContractError::WrongToken { .. }));
    assert_eq!(suite.access(&alice).tier, None);
}

#[test]
fn a_receive_with_an_unknown_hook_is_refused() {
    let mut suite = Suite::new();
    let (alice, contract) = (suite.alice.clone(), suite.contract());
    let err = suite.exec_err(
        &contract,
        &[],
        ExecuteMsg::Receive(Cw20ReceiveMsg {
            sender: alice.to_string(),
            amount: u(1),
            msg: to_json_binary(&"nonsense").unwrap(),
        }),
    );
    assert!(matches!(err, ContractError::Std(_)), "{err:?}");
}
