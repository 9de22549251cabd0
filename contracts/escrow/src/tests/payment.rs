//! OpenPayment and ClosePayment.

use super::helpers::*;
use crate::msg::{ExecuteMsg, PaymentResponse, QueryMsg, Rate};
use crate::{ContractError, MAX_PAYMENTS_PER_ACCOUNT};
use cosmwasm_std::Uint128;
use gridshare_plumbing::FundsError;

fn open_err(suite: &mut Suite, payment: &NewPayment) -> ContractError {
    suite.as_marketplace(payment.msg()).unwrap_err()
}

// ---- OpenPayment ----

#[test]
fn opening_a_payment_reserves_its_cap() {
    let mut suite = Suite::new();
    suite.open_account(1, 10_000);
    let payment = NewPayment {
        rate: Rate::per_hour(3_600u128),
        cap: 3_600,
        fee_bps: 250,
        ..suite.new_payment(1, 7)
    };
    let res = suite.open_payment(&payment);

    assert!(res.messages.is_empty());
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "open_payment"),
            ("account_id", "1"),
            ("lease_id", "7"),
            ("payee", suite.provider.as_str()),
            ("rate", "3600/3600s"),
            ("cap", "3600"),
            ("fee_bps", "250"),
        ])
    );
    let account = suite.account(1);
    assert_eq!(account.balance.u128(), 10_000);
    assert_eq!(account.reserved.u128(), 3_600);
    assert_eq!(account.available.u128(), 6_400);
    assert_eq!(account.open_payments, 1);
    assert_eq!(suite.total(&native(UGRID)), 10_000, "no coin moved");

    assert_eq!(
        suite.payment(7),
        PaymentResponse {
            lease_id: 7,
            account_id: 1,
            payee: suite.provider.clone(),
            rate: Rate::per_hour(3_600u128),
            start: GENESIS,
            cap: Uint128::new(3_600),
            fee_bps: 250,
            settled_until: GENESIS,
            released: Uint128::zero(),
            fees_paid: Uint128::zero(),
            withdrawn: Uint128::zero(),
            withdrawable: Uint128::zero(),
            releasable: Uint128::zero(),
            closed: false,
        }
    );

    // A second payment reserves on top of the first.
    let second = NewPayment {
        cap: 6_400,
        ..suite.new_payment(1, 8)
    };
    suite.open_payment(&second);
    let account = suite.account(1);
    assert_eq!(account.reserved.u128(), 10_000);
    assert_eq!(account.available.u128(), 0);
    assert_eq!(account.open_payments, 2);
}

#[test]
fn a_payment_may_start_later_and_accrues_only_from_then() {
    let mut suite = Suite::new();
    suite.open_account(1, 10_000);
    let start = ts(GENESIS + 100);
    let payment = NewPayment {
        start: Some(start),
        ..suite.new_payment(1, 1)
    };
    suite.open_payment(&payment);
    assert_eq!(suite.payment(1).start, start.seconds());
    assert_eq!(suite.payment(1).settled_until, start.seconds());

    suite.advance(50);
    let res = suite.release(1, None);
    assert_eq!(attr(&res, "released"), "0");
    assert_eq!(
        suite.payment(1).settled_until,
        start.seconds(),
        "never before the start"
    );

    suite.advance(70);
    suite.release(1, None);
    assert_eq!(suite.payment(1).released.u128(), 20);
}

#[test]
fn only_the_marketplace_opens_payments() {
    let mut suite = Suite::new();
    suite.open_account(1, 10_000);
    let msg = suite.new_payment(1, 1).msg();
    for sender in [
        suite.renter.clone(),
        suite.provider.clone(),
        suite.owner.clone(),
    ] {
        assert_eq!(
            suite.exec_err(&sender, &[], msg.clone()),
            ContractError::Unauthorized {
                sender: sender.to_string(),
                role: "marketplace",
            }
        );
    }
}

#[test]
fn a_rate_needs_a_positive_amount_and_period() {
    let mut suite = Suite::new();
    suite.open_account(1, 10_000);
    for (amount, per_seconds) in [(0u128, 3_600u64), (10, 0), (0, 0)] {
        let payment = NewPayment {
            rate: Rate {
                amount: Uint128::new(amount),
                per_seconds,
            },
            ..suite.new_payment(1, 1)
        };
        assert_eq!(
            open_err(&mut suite, &payment),
            ContractError::InvalidRate {
                amount: Uint128::new(amount),
                per_seconds,
            }
        );
    }
}

#[test]
fn a_payment_needs_a_positive_cap() {
    let mut suite = Suite::new();
    suite.open_account(1, 10_000);
    let payment = NewPayment {
        cap: 0,
        ..suite.new_payment(1, 1)
    };
    assert_eq!(
        open_err(&mut suite, &payment),
        ContractError::Funds(FundsError::ZeroAmount)
    );
}

#[test]
fn a_fee_is_at_most_the_whole_release() {
    let mut suite = Suite::new();
    suite.open_account(1, 10_000);
    for fee_bps in [10_001, u16::MAX] {
        let payment = NewPayment {
            fee_bps,
            ..suite.new_payment(1, 1)
        };
        assert_eq!(
            open_err(&mut suite, &payment),
            ContractError::FeeTooHigh { fee_bps }
        );
    }
    // 100 % is allowed: the payee gets nothing, the fee collector everything.
    let payment = NewPayment {
        fee_bps: 10_000,
        ..suite.new_payment(1, 1)
    };
    suite.open_payment(&payment);
    suite.advance(10);
    let res = suite.release(1, None);
    assert_eq!(
        res.messages,
        vec![native_fee(&suite.fee_collector, 10, UGRID)]
    );
    assert_eq!(suite.payment(1).withdrawable.u128(), 0);
}

#[test]
fn a_payment_cannot_start_in_the_past() {
    let mut suite = Suite::new();
    suite.open_account(1, 10_000);
    let payment = NewPayment {
        start: Some(ts(GENESIS - 1)),
        ..suite.new_payment(1, 1)
    };
    assert_eq!(
        open_err(&mut suite, &payment),
        ContractError::StartInPast {
            start: GENESIS - 1,
            now: GENESIS,
        }
    );
    // Exactly now is fine.
    let payment = NewPayment {
        start: Some(ts(GENESIS)),
        ..suite.new_payment(1, 1)
    };
    suite.open_payment(&payment);
}

#[test]
fn a_lease_has_one_payment_only() {
    let mut suite = Suite::new();
    suite.open_account(1, 10_000);
    suite.open_account(2, 10_000);
    let payment = suite.new_payment(1, 1);
    suite.open_payment(&payment);
    assert_eq!(
        open_err(&mut suite, &payment),
        ContractError::PaymentExists { lease_id: 1 }
    );
    // Lease ids are global, not per account; a closed payment keeps its id.
    suite.close_payment(1, None);
    let elsewhere = suite.new_payment(2, 1);
    assert_eq!(
        open_err(&mut suite, &elsewhere),
        ContractError::PaymentExists { lease_id: 1 }
    );
}

#[test]
fn a_payment_cannot_reserve_more_than_is_available() {
    let mut suite = Suite::new();
    suite.open_account(1, 1_000);
    let first = NewPayment {
        cap: 600,
        ..suite.new_payment(1, 1)
    };
    suite.open_payment(&first);

    // The overdrawn payment: its cap is more than what the first one left.
    let overdrawn = NewPayment {
        cap: 401,
        ..suite.new_payment(1, 2)
    };
    assert_eq!(
        open_err(&mut suite, &overdrawn),
        ContractError::InsufficientFunds {
            account_id: 1,
            available: Uint128::new(400),
            requested: Uint128::new(401),
        }
    );
    let exact = NewPayment {
        cap: 400,
        ..overdrawn
    };
    suite.open_payment(&exact);
    assert_eq!(suite.account(1).available.u128(), 0);

    // A top-up makes room again.
    let renter = suite.renter.clone();
    suite.exec(
        &renter,
        &[coin(50, UGRID)],
        ExecuteMsg::TopUp { account_id: 1 },
    );
    let third = NewPayment {
        cap: 50,
        ..suite.new_payment(1, 3)
    };
    suite.open_payment(&third);
}

#[test]
fn an_account_holds_at_most_max_payments_even_after_closing_some() {
    let mut suite = Suite::new();
    suite.open_account(1, 10_000);
    for lease_id in 0..u64::from(MAX_PAYMENTS_PER_ACCOUNT) {
        let payment = NewPayment {
            cap: 10,
            ..suite.new_payment(1, lease_id)
        };
        suite.open_payment(&payment);
    }
    assert_eq!(suite.account(1).open_payments, MAX_PAYMENTS_PER_ACCOUNT);

    let one_more = NewPayment {
        cap: 10,
        ..suite.new_payment(1, 1_000)
    };
    let too_many = ContractError::TooManyPayments {
        account_id: 1,
        max: MAX_PAYMENTS_PER_ACCOUNT,
    };
    assert_eq!(open_err(&mut suite, &one_more), too_many);

    // Every payment ever opened counts: closing one does not make room, so loops stay bounded.
    suite.close_payment(0, None);
    assert_eq!(open_err(&mut suite, &one_more), too_many);

    // The limit is per account.
    suite.open_account(2, 100);
    let other = NewPayment {
        cap: 10,
        ..suite.new_payment(2, 1_000)
    };
    suite.open_payment(&other);
}

#[test]
fn a_payment_needs_an_open_account() {
    let mut suite = Suite::new();
    let unknown = suite.new_payment(9, 1);
    assert_eq!(
        open_err(&mut suite, &unknown),
        ContractError::AccountNotFound { account_id: 9 }
    );

    suite.open_account(1, 1_000);
    suite.close_account(1, None);
    let closed = suite.new_payment(1, 1);
    assert_eq!(
        open_err(&mut suite, &closed),
        ContractError::AccountClosed { account_id: 1 }
    );
}

#[test]
fn a_payment_takes_no_funds_and_needs_a_valid_payee() {
    let mut suite = Suite::new();
    suite.open_account(1, 1_000);
    let marketplace = suite.marketplace.clone();
    let msg = suite.new_payment(1, 1).msg();
    assert_eq!(
        suite.exec_err(&marketplace, &[coin(1, UGRID)], msg),
        ContractError::Funds(FundsError::UnexpectedFunds {
            funds: "1ugrid".to_string(),
        })
    );
    let bad_payee = NewPayment {
        payee: "provider".to_string(),
        ..suite.new_payment(1, 1)
    };
    assert_eq!(
        open_err(&mut suite, &bad_payee),
        invalid_address("provider")
    );
}

// ---- ClosePayment ----

#[test]
fn closing_a_payment_releases_up_to_until_and_frees_the_rest_of_its_cap() {
    let mut suite = Suite::new();
    suite.open_account(1, 10_000);
    let payment = NewPayment {
        cap: 3_600,
        ..suite.new_payment(1, 1)
    };
    suite.open_payment(&payment);
    assert_eq!(suite.account(1).available.u128(), 6_400);

    suite.advance(100);
    // The lease ended at second 60.
    let res = suite.close_payment(1, Some(ts(GENESIS + 60)));
    assert!(res.messages.is_empty(), "no fee on this payment");
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "close_payment"),
            ("lease_id", "1"),
            ("released", "60"),
            ("available", "9940"),
        ])
    );

    let p = suite.payment(1);
    assert!(p.closed);
    assert_eq!(p.released.u128(), 60);
    assert_eq!(p.settled_until, GENESIS + 60);
    assert_eq!(p.withdrawable.u128(), 60);
    assert_eq!(p.releasable.u128(), 0);

    let account = suite.account(1);
    assert_eq!(account.balance.u128(), 10_000);
    assert_eq!(account.reserved.u128(), 60, "only the provider's share");
    assert_eq!(account.available.u128(), 9_940);
    assert_eq!(account.open_payments, 0);

    // Time passing no longer accrues anything.
    suite.advance(1_000);
    assert_eq!(suite.payment(1).releasable.u128(), 0);
    assert_eq!(suite.account(1).available.u128(), 9_940);
}

#[test]
fn closing_a_payment_sends_the_fee_on_what_it_releases() {
    let mut suite = Suite::new();
    suite.open_account(1, 10_000);
    let payment = NewPayment {
        rate: Rate::per_second(10u128),
        cap: 5_000,
        fee_bps: 1_000,
        ..suite.new_payment(1, 1)
    };
    suite.open_payment(&payment);
    suite.advance(30);
    let res = suite.close_payment(1, None);
    assert_eq!(
        res.messages,
        vec![native_fee(&suite.fee_collector, 30, UGRID)]
    );
    let account = suite.account(1);
    assert_eq!(account.balance.u128(), 9_970);
    assert_eq!(account.reserved.u128(), 270);
    assert_eq!(account.available.u128(), 9_700);
}

#[test]
fn a_payment_closes_once() {
    let mut suite = Suite::new();
    suite.open_account(1, 10_000);
    let payment = suite.new_payment(1, 1);
    suite.open_payment(&payment);
    suite.advance(10);
    suite.close_payment(1, None);

    let closed = ContractError::PaymentClosed { lease_id: 1 };
    assert_eq!(
        suite
            .as_marketplace(ExecuteMsg::ClosePayment {
                lease_id: 1,
                until: None,
            })
            .unwrap_err(),
        closed
    );
    suite.advance(10);
    assert_eq!(
        suite
            .as_marketplace(ExecuteMsg::Release {
                lease_id: 1,
                until: None,
            })
            .unwrap_err(),
        closed
    );
    // The provider still collects what was released before the close.
    let provider = suite.provider.clone();
    let res = suite.withdraw(&provider, &[1]);
    assert_eq!(res.messages, vec![bank_send(&provider, 10, UGRID)]);
}

#[test]
fn close_payment_errors() {
    let mut suite = Suite::new();
    suite.open_account(1, 10_000);
    let payment = suite.new_payment(1, 1);
    suite.open_payment(&payment);
    let (renter, marketplace) = (suite.renter.clone(), suite.marketplace.clone());
    let close = |lease_id| ExecuteMsg::ClosePayment {
        lease_id,
        until: None,
    };

    assert_eq!(
        suite.exec_err(&renter, &[], close(1)),
        ContractError::Unauthorized {
            sender: renter.to_string(),
            role: "marketplace",
        }
    );
    assert_eq!(
        suite.as_marketplace(close(2)).unwrap_err(),
        ContractError::PaymentNotFound { lease_id: 2 }
    );
    assert_eq!(
        suite.exec_err(&marketplace, &[coin(1, UGRID)], close(1)),
        ContractError::Funds(FundsError::UnexpectedFunds {
            funds: "1ugrid".to_string(),
        })
    );
    assert!(!suite.payment(1).closed);
}

#[test]
fn a_payment_not_yet_started_closes_without_releasing() {
    let mut suite = Suite::new();
    suite.open_account(1, 10_000);
    let payment = NewPayment {
        start: Some(ts(GENESIS + HOUR)),
        cap: 2_000,
        ..suite.new_payment(1, 1)
    };
    suite.open_payment(&payment);
    suite.advance(60);
    let res = suite.close_payment(1, None);
    assert_eq!(attr(&res, "released"), "0");
    let account = suite.account(1);
    assert_eq!(account.reserved.u128(), 0);
    assert_eq!(account.available.u128(), 10_000);
    let view: PaymentResponse = suite.query(QueryMsg::Payment { lease_id: 1 }).unwrap();
    assert!(view.closed);
    assert_eq!(view.released.u128(), 0);
}
