//! Release: lazy accrual, exact amounts, fees, and the bounds of `until`.

use super::helpers::*;
use crate::msg::{ExecuteMsg, Rate};
use crate::ContractError;
use cosmwasm_std::Uint128;
use gridshare_plumbing::FundsError;

#[test]
fn an_hourly_rate_releases_exactly_by_the_second() {
    let mut suite = Suite::new();
    suite.open_account(1, 100_000);
    let payment = NewPayment {
        rate: Rate::per_hour(7_200u128),
        cap: 50_000,
        ..suite.new_payment(1, 1)
    };
    suite.open_payment(&payment);

    suite.advance(30 * 60);
    let res = suite.release(1, None);
    assert!(
        res.messages.is_empty(),
        "no fee, and the payee withdraws itself"
    );
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "release"),
            ("lease_id", "1"),
            ("released", "3600"),
            ("settled_until", &(GENESIS + 1_800).to_string()),
        ])
    );
    let p = suite.payment(1);
    assert_eq!(p.released.u128(), 3_600);
    assert_eq!(p.withdrawable.u128(), 3_600);
    assert_eq!(p.settled_until, GENESIS + 1_800);

    suite.advance(HOUR);
    let res = suite.release(1, None);
    assert_eq!(attr(&res, "released"), "7200");
    assert_eq!(suite.payment(1).released.u128(), 10_800);
    // Still in the account, reserved for the provider.
    let account = suite.account(1);
    assert_eq!(account.balance.u128(), 100_000);
    assert_eq!(account.reserved.u128(), 50_000);
}

#[test]
fn a_per_second_rate_releases_rate_times_seconds() {
    let mut suite = Suite::new();
    suite.open_account(1, 100_000);
    let payment = NewPayment {
        rate: Rate::per_second(7u128),
        cap: 50_000,
        ..suite.new_payment(1, 1)
    };
    suite.open_payment(&payment);
    suite.advance(10);
    assert_eq!(attr(&suite.release(1, None), "released"), "70");
    suite.advance(1);
    assert_eq!(attr(&suite.release(1, None), "released"), "7");
    assert_eq!(suite.payment(1).released.u128(), 77);
}

#[test]
fn rounding_never_accumulates_across_releases() {
    let mut suite = Suite::new();
    suite.open_account(1, 100_000);
    // 1000 per hour is 0.277… per second: every single-second release rounds down to zero on
    // its own, but accrual is recomputed from the start, so nothing is lost.
    let payment = NewPayment {
        rate: Rate::per_hour(1_000u128),
        cap: 50_000,
        ..suite.new_payment(1, 1)
    };
    suite.open_payment(&payment);
    for _ in 0..10 {
        suite.advance(1);
        suite.release(1, None);
    }
    assert_eq!(suite.payment(1).released.u128(), 2, "⌊10 × 1000 / 3600⌋");
    suite.advance(HOUR - 10);
    suite.release(1, None);
    assert_eq!(suite.payment(1).released.u128(), 1_000, "exactly one hour");
}

#[test]
fn the_fee_goes_to_the_fee_collector_as_deposit_rewards() {
    let mut suite = Suite::new();
    suite.open_account(1, 100_000);
    let payment = NewPayment {
        rate: Rate::per_second(100u128),
        cap: 50_000,
        fee_bps: 250,
        ..suite.new_payment(1, 1)
    };
    suite.open_payment(&payment);
    suite.advance(40);

    let res = suite.release(1, None);
    // 4000 accrued; 2.5 % of it is the fee.
    assert_eq!(
        res.messages,
        vec![native_fee(&suite.fee_collector, 100, UGRID)]
    );
    assert_eq!(attr(&res, "released"), "4000");
    let p = suite.payment(1);
    assert_eq!(p.released.u128(), 4_000);
    assert_eq!(p.fees_paid.u128(), 100);
    assert_eq!(p.withdrawable.u128(), 3_900);
    let account = suite.account(1);
    assert_eq!(account.balance.u128(), 99_900);
    assert_eq!(account.reserved.u128(), 49_900);
    assert_eq!(account.available.u128(), 50_000);
    assert_eq!(suite.total(&native(UGRID)), 99_900);
}

#[test]
fn fees_are_computed_on_the_cumulative_release() {
    let mut suite = Suite::new();
    suite.open_account(1, 100_000);
    let payment = NewPayment {
        rate: Rate::per_second(50u128),
        cap: 50_000,
        fee_bps: 100,
        ..suite.new_payment(1, 1)
    };
    suite.open_payment(&payment);

    // 1 % of 50 rounds down to nothing: no fee message at all.
    suite.advance(1);
    assert!(suite.release(1, None).messages.is_empty());
    // 1 % of the cumulative 100 is 1, all of it owed now.
    suite.advance(1);
    assert_eq!(
        suite.release(1, None).messages,
        vec![native_fee(&suite.fee_collector, 1, UGRID)]
    );
    suite.advance(98);
    assert_eq!(
        suite.release(1, None).messages,
        vec![native_fee(&suite.fee_collector, 49, UGRID)]
    );
    let p = suite.payment(1);
    assert_eq!(p.released.u128(), 5_000);
    assert_eq!(p.fees_paid.u128(), 50);
    assert_eq!(suite.sent_to(&suite.fee_collector, &native(UGRID)), 50);
}

#[test]
fn a_cw20_fee_goes_through_the_tokens_send() {
    let mut suite = Suite::new();
    suite.open_cw20_account(1, 100_000);
    let payment = NewPayment {
        rate: Rate::per_second(100u128),
        cap: 50_000,
        fee_bps: 500,
        ..suite.new_payment(1, 1)
    };
    suite.open_payment(&payment);
    suite.advance(20);
    let res = suite.release(1, None);
    assert_eq!(
        res.messages,
        vec![cw20_fee(&suite.token, &suite.fee_collector, 100)]
    );
    assert_eq!(suite.account(1).balance.u128(), 99_900);
}

#[test]
fn until_in_the_future_is_clamped_to_now() {
    let mut suite = Suite::new();
    suite.open_account(1, 100_000);
    let payment = NewPayment {
        cap: 50_000,
        ..suite.new_payment(1, 1)
    };
    suite.open_payment(&payment);
    suite.advance(100);
    let res = suite.release(1, Some(ts(GENESIS + 10_000)));
    assert_eq!(attr(&res, "released"), "100");
    let p = suite.payment(1);
    assert_eq!(p.settled_until, GENESIS + 100);
    assert_eq!(p.released.u128(), 100);
}

#[test]
fn until_in_the_past_releases_up_to_it_and_never_goes_backwards() {
    let mut suite = Suite::new();
    suite.open_account(1, 100_000);
    let payment = NewPayment {
        cap: 50_000,
        ..suite.new_payment(1, 1)
    };
    suite.open_payment(&payment);
    suite.advance(100);

    let res = suite.release(1, Some(ts(GENESIS + 60)));
    assert_eq!(attr(&res, "released"), "60");
    assert_eq!(suite.payment(1).settled_until, GENESIS + 60);
    assert_eq!(suite.payment(1).releasable.u128(), 40);

    // An earlier `until` releases nothing and does not move the settlement back.
    let before = suite.payment(1);
    let res = suite.release(1, Some(ts(GENESIS + 20)));
    assert!(res.messages.is_empty());
    assert_eq!(attr(&res, "released"), "0");
    assert_eq!(suite.payment(1), before);

    // Nor does a time before the payment even started.
    let res = suite.release(1, Some(ts(0)));
    assert_eq!(attr(&res, "released"), "0");
    assert_eq!(suite.payment(1).settled_until, GENESIS + 60);

    // The rest follows when asked for.
    assert_eq!(attr(&suite.release(1, None), "released"), "40");
}

#[test]
fn a_payment_never_releases_more_than_its_cap() {
    let mut suite = Suite::new();
    suite.open_account(1, 1_000);
    let payment = NewPayment {
        rate: Rate::per_second(10u128),
        cap: 95,
        fee_bps: 1_000,
        ..suite.new_payment(1, 1)
    };
    suite.open_payment(&payment);
    suite.advance(9);
    suite.release(1, None);
    assert_eq!(suite.payment(1).released.u128(), 90);

    suite.advance(1_000_000);
    let res = suite.release(1, None);
    assert_eq!(attr(&res, "released"), "5");
    let p = suite.payment(1);
    assert_eq!(p.released.u128(), 95);
    assert_eq!(p.fees_paid.u128(), 9, "10 % of 95, rounded down");
    assert_eq!(p.releasable.u128(), 0);

    suite.advance(1_000);
    let res = suite.release(1, None);
    assert!(res.messages.is_empty());
    assert_eq!(attr(&res, "released"), "0");
    assert_eq!(suite.payment(1).released.u128(), 95);
    let account = suite.account(1);
    assert_eq!(account.balance.u128(), 991);
    assert_eq!(account.reserved.u128(), 86);
}

#[test]
fn payments_of_one_account_accrue_independently() {
    let mut suite = Suite::new();
    suite.open_account(1, 100_000);
    let fast = NewPayment {
        rate: Rate::per_second(10u128),
        cap: 10_000,
        ..suite.new_payment(1, 1)
    };
    suite.open_payment(&fast);
    suite.advance(10);
    let slow = NewPayment {
        rate: Rate::per_second(1u128),
        cap: 10_000,
        payee: addr("other_provider").to_string(),
        ..suite.new_payment(1, 2)
    };
    suite.open_payment(&slow);
    suite.advance(10);
    suite.release(1, None);
    suite.release(2, None);
    assert_eq!(suite.payment(1).released.u128(), 200);
    assert_eq!(suite.payment(2).released.u128(), 10);
}

#[test]
fn release_errors() {
    let mut suite = Suite::new();
    suite.open_account(1, 10_000);
    let payment = suite.new_payment(1, 1);
    suite.open_payment(&payment);
    suite.advance(10);
    let release = |lease_id| ExecuteMsg::Release {
        lease_id,
        until: None,
    };
    let (provider, marketplace) = (suite.provider.clone(), suite.marketplace.clone());

    // Not even the payee releases its own payment.
    assert_eq!(
        suite.exec_err(&provider, &[], release(1)),
        ContractError::Unauthorized {
            sender: provider.to_string(),
            role: "marketplace",
        }
    );
    assert_eq!(
        suite.as_marketplace(release(2)).unwrap_err(),
        ContractError::PaymentNotFound { lease_id: 2 }
    );
    assert_eq!(
        suite.exec_err(&marketplace, &[coin(1, UGRID)], release(1)),
        ContractError::Funds(FundsError::UnexpectedFunds {
            funds: "1ugrid".to_string(),
        })
    );
    assert_eq!(suite.payment(1).released, Uint128::zero());

    suite.close_payment(1, None);
    assert_eq!(
        suite.as_marketplace(release(1)).unwrap_err(),
        ContractError::PaymentClosed { lease_id: 1 }
    );
}
