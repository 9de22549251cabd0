//! Queries: single items, pagination (start_after, default limit, clamped limit) and totals.

use super::helpers::*;
use crate::msg::{
    AccountResponse, AccountsResponse, PaymentResponse, PaymentsResponse, QueryMsg, Rate,
    TotalsResponse,
};
use crate::state::{PAYMENTS, PAYMENTS_BY_ACCOUNT};
use cosmwasm_std::{Addr, Uint128};
use gridshare_types::pagination::{DEFAULT_LIMIT, MAX_LIMIT};
use gridshare_types::UncheckedDenom;

fn accounts_of(
    suite: &Suite,
    depositor: &Addr,
    start_after: Option<u64>,
    limit: Option<u32>,
) -> Vec<u64> {
    suite
        .query::<AccountsResponse>(QueryMsg::AccountsByDepositor {
            depositor: depositor.to_string(),
            start_after,
            limit,
        })
        .unwrap()
        .accounts
        .into_iter()
        .map(|a| a.account_id)
        .collect()
}

fn payments_of_account(
    suite: &Suite,
    account_id: u64,
    start_after: Option<u64>,
    limit: Option<u32>,
) -> Vec<u64> {
    suite
        .query::<PaymentsResponse>(QueryMsg::PaymentsByAccount {
            account_id,
            start_after,
            limit,
        })
        .unwrap()
        .payments
        .into_iter()
        .map(|p| p.lease_id)
        .collect()
}

fn payments_of_payee(
    suite: &Suite,
    payee: &Addr,
    start_after: Option<u64>,
    limit: Option<u32>,
) -> Vec<u64> {
    suite
        .query::<PaymentsResponse>(QueryMsg::PaymentsByPayee {
            payee: payee.to_string(),
            start_after,
            limit,
        })
        .unwrap()
        .payments
        .into_iter()
        .map(|p| p.lease_id)
        .collect()
}

fn ids(range: std::ops::RangeInclusive<u64>) -> Vec<u64> {
    range.collect()
}

#[test]
fn an_account_is_shown_as_stored() {
    let mut suite = Suite::new();
    suite.open_account(3, 1_000);
    let payment = NewPayment {
        cap: 400,
        ..suite.new_payment(3, 1)
    };
    suite.open_payment(&payment);
    assert_eq!(
        suite.account(3),
        AccountResponse {
            account_id: 3,
            depositor: suite.renter.clone(),
            denom: native(UGRID),
            balance: Uint128::new(1_000),
            reserved: Uint128::new(400),
            available: Uint128::new(600),
            open_payments: 1,
            closed: false,
        }
    );
    let err = suite
        .query::<AccountResponse>(QueryMsg::Account { account_id: 4 })
        .unwrap_err();
    assert!(err.to_string().contains("account 4"), "{err}");
}

#[test]
fn accounts_by_depositor_are_paginated_and_clamped() {
    let mut suite = Suite::new();
    let (renter, other) = (suite.renter.clone(), addr("other_renter"));
    for id in 1..=105 {
        suite.open_account(id, 10);
    }
    // Another depositor's accounts, interleaved by id, never show up.
    suite.open_account_with(106, &other, coin(10, UGRID));
    suite.open_account_with(0, &other, coin(10, UGRID));

    assert_eq!(
        accounts_of(&suite, &renter, None, None),
        ids(1..=DEFAULT_LIMIT as u64)
    );
    assert_eq!(
        accounts_of(&suite, &renter, Some(10), Some(5)),
        ids(11..=15)
    );
    assert_eq!(
        accounts_of(&suite, &renter, None, Some(MAX_LIMIT + 1)),
        ids(1..=MAX_LIMIT as u64)
    );
    assert_eq!(
        accounts_of(&suite, &renter, None, Some(u32::MAX)).len(),
        MAX_LIMIT as usize
    );
    assert_eq!(
        accounts_of(&suite, &renter, Some(100), Some(1_000)),
        ids(101..=105)
    );
    assert_eq!(
        accounts_of(&suite, &renter, Some(105), None),
        Vec::<u64>::new()
    );
    assert_eq!(
        accounts_of(&suite, &renter, None, Some(0)),
        Vec::<u64>::new()
    );
    assert_eq!(accounts_of(&suite, &other, None, None), vec![0, 106]);
    assert_eq!(
        accounts_of(&suite, &addr("nobody"), None, None),
        Vec::<u64>::new()
    );

    // Whole responses, not just ids.
    let page: AccountsResponse = suite
        .query(QueryMsg::AccountsByDepositor {
            depositor: renter.to_string(),
            start_after: Some(41),
            limit: Some(1),
        })
        .unwrap();
    assert_eq!(page.accounts, vec![suite.account(42)]);

    assert!(suite
        .query::<AccountsResponse>(QueryMsg::AccountsByDepositor {
            depositor: "renter".to_string(),
            start_after: None,
            limit: None,
        })
        .is_err());
}

#[test]
fn payments_by_account_are_paginated() {
    let mut suite = Suite::new();
    suite.open_account(1, 100_000);
    suite.open_account(2, 100_000);
    for lease_id in 1..=64 {
        let payment = NewPayment {
            cap: 10,
            ..suite.new_payment(1, lease_id * 2)
        };
        suite.open_payment(&payment);
    }
    let elsewhere = suite.new_payment(2, 3);
    suite.open_payment(&elsewhere);

    let all: Vec<u64> = (1..=64).map(|i| i * 2).collect();
    assert_eq!(
        payments_of_account(&suite, 1, None, None),
        all[..10].to_vec()
    );
    assert_eq!(
        payments_of_account(&suite, 1, Some(20), Some(3)),
        vec![22, 24, 26]
    );
    assert_eq!(
        payments_of_account(&suite, 1, Some(21), Some(3)),
        vec![22, 24, 26]
    );
    assert_eq!(payments_of_account(&suite, 1, None, Some(1_000)), all);
    assert_eq!(payments_of_account(&suite, 2, None, None), vec![3]);
    assert_eq!(
        payments_of_account(&suite, 9, None, None),
        Vec::<u64>::new()
    );
}

#[test]
fn payments_by_account_never_return_more_than_max_limit() {
    // An account holds at most 64 payments, fewer than the clamp; to prove the clamp itself,
    // write 120 index entries straight into storage.
    let mut suite = Suite::new();
    suite.open_account(1, 100_000);
    let payment = suite.new_payment(1, 1);
    suite.open_payment(&payment);
    let stored = PAYMENTS.load(&suite.chain.deps.storage, 1).unwrap();
    for lease_id in 2..=120 {
        PAYMENTS
            .save(&mut suite.chain.deps.storage, lease_id, &stored)
            .unwrap();
        PAYMENTS_BY_ACCOUNT
            .save(&mut suite.chain.deps.storage, (1, lease_id), &())
            .unwrap();
    }
    assert_eq!(
        payments_of_account(&suite, 1, None, Some(1_000)),
        ids(1..=MAX_LIMIT as u64)
    );
    assert_eq!(
        payments_of_account(&suite, 1, Some(100), Some(1_000)),
        ids(101..=120)
    );
    assert_eq!(
        payments_of_account(&suite, 1, None, None),
        ids(1..=DEFAULT_LIMIT as u64)
    );
}

#[test]
fn payments_by_payee_are_paginated_and_clamped_across_accounts() {
    let mut suite = Suite::new();
    let (provider, other) = (suite.provider.clone(), addr("other_provider"));
    suite.open_account(1, 100_000);
    suite.open_account(2, 100_000);
    // 120 payments to the provider, alternating between two accounts.
    for lease_id in 1..=120 {
        let payment = NewPayment {
            cap: 10,
            ..suite.new_payment(1 + lease_id % 2, lease_id)
        };
        suite.open_payment(&payment);
    }
    let theirs = NewPayment {
        payee: other.to_string(),
        ..suite.new_payment(1, 500)
    };
    suite.open_payment(&theirs);

    assert_eq!(
        payments_of_payee(&suite, &provider, None, None),
        ids(1..=10)
    );
    assert_eq!(
        payments_of_payee(&suite, &provider, None, Some(1_000)),
        ids(1..=MAX_LIMIT as u64)
    );
    assert_eq!(
        payments_of_payee(&suite, &provider, Some(100), Some(1_000)),
        ids(101..=120)
    );
    assert_eq!(
        payments_of_payee(&suite, &provider, Some(57), Some(2)),
        vec![58, 59]
    );
    assert_eq!(payments_of_payee(&suite, &other, None, None), vec![500]);
    assert!(suite
        .query::<PaymentsResponse>(QueryMsg::PaymentsByPayee {
            payee: "provider".to_string(),
            start_after: None,
            limit: None,
        })
        .is_err());
}

#[test]
fn a_payment_shows_what_is_releasable_at_block_time() {
    let mut suite = Suite::new();
    suite.open_account(1, 100_000);
    let payment = NewPayment {
        rate: Rate::per_hour(3_600u128),
        cap: 1_000,
        fee_bps: 1_000,
        ..suite.new_payment(1, 1)
    };
    suite.open_payment(&payment);

    suite.advance(90);
    let before = suite.snapshot();
    let view = suite.payment(1);
    assert_eq!(suite.snapshot(), before, "a query writes nothing");
    assert_eq!(view.releasable.u128(), 90);
    assert_eq!(view.released.u128(), 0);
    assert_eq!(view.withdrawable.u128(), 0);

    suite.release(1, None);
    let view = suite.payment(1);
    assert_eq!(view.releasable.u128(), 0);
    assert_eq!(view.released.u128(), 90);
    assert_eq!(view.fees_paid.u128(), 9);
    assert_eq!(view.withdrawable.u128(), 81);

    // Never past the cap.
    suite.advance(10_000);
    assert_eq!(suite.payment(1).releasable.u128(), 910);

    // The same view through the list queries.
    let listed: PaymentsResponse = suite
        .query(QueryMsg::PaymentsByAccount {
            account_id: 1,
            start_after: None,
            limit: None,
        })
        .unwrap();
    assert_eq!(listed.payments, vec![suite.payment(1)]);

    // A closed payment accrues nothing more.
    suite.close_payment(1, None);
    suite.advance(100);
    let view = suite.payment(1);
    assert!(view.closed);
    assert_eq!(view.releasable.u128(), 0);
    assert_eq!(view.released.u128(), 1_000);

    let err = suite
        .query::<PaymentResponse>(QueryMsg::Payment { lease_id: 2 })
        .unwrap_err();
    assert!(err.to_string().contains("payment for lease 2"), "{err}");
}

#[test]
fn totals_are_per_denom_and_paginated() {
    let mut suite = Suite::new();
    let renter = suite.renter.clone();
    suite.open_account(1, 1_000);
    suite.open_account(2, 500);
    suite.open_account_with(3, &renter, coin(70, UUSDC));
    suite.open_cw20_account(4, 30);

    let keys: Vec<String> = suite.totals().iter().map(|t| t.denom.key()).collect();
    let token_key = format!("cw20:{}", suite.token);
    assert_eq!(
        keys,
        vec![
            token_key.clone(),
            "native:ugrid".to_string(),
            "native:uusdc".to_string()
        ]
    );
    assert_eq!(suite.total(&native(UGRID)), 1_500);
    assert_eq!(suite.total(&native(UUSDC)), 70);

    let page: TotalsResponse = suite
        .query(QueryMsg::Totals {
            start_after: Some(token_key),
            limit: Some(1),
        })
        .unwrap();
    assert_eq!(page.totals.len(), 1);
    assert_eq!(page.totals[0].denom, native(UGRID));
    assert_eq!(page.totals[0].amount.u128(), 1_500);
}

#[test]
fn totals_are_clamped_to_max_limit() {
    let mut suite = Suite::new();
    let (owner, renter) = (suite.owner.clone(), suite.renter.clone());
    // 120 denoms, 30 accepted at a time; each keeps its total after it is no longer accepted.
    let mut account_id = 0;
    for round in 0..4 {
        let denoms: Vec<String> = (0..30).map(|i| format!("d{round}{i:02}")).collect();
        suite.exec(
            &owner,
            &[],
            crate::msg::ExecuteMsg::UpdateConfig {
                marketplace: None,
                fee_collector: None,
                accepted_denoms: Some(
                    denoms
                        .iter()
                        .map(|d| UncheckedDenom::Native(d.clone()))
                        .collect(),
                ),
            },
        );
        for denom in &denoms {
            account_id += 1;
            suite.open_account_with(account_id, &renter, coin(1, denom));
        }
    }
    let totals = |start_after: Option<String>, limit: Option<u32>| {
        suite
            .query::<TotalsResponse>(QueryMsg::Totals { start_after, limit })
            .unwrap()
            .totals
    };
    assert_eq!(totals(None, None).len(), DEFAULT_LIMIT as usize);
    let first = totals(None, Some(1_000));
    assert_eq!(first.len(), MAX_LIMIT as usize);
    let rest = totals(Some(first.last().unwrap().denom.key()), Some(1_000));
    assert_eq!(rest.len(), 20);
    assert_eq!(rest.last().unwrap().denom, native("d329"));
}
