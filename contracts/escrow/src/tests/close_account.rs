//! CloseAccount: everyone is paid what they are owed, the depositor the rest, and never more than
//! the account held.

use super::helpers::*;
use crate::msg::{ExecuteMsg, PaymentsResponse, QueryMsg, Rate, ReceiveMsg};
use crate::ContractError;
use cosmwasm_std::Uint128;
use gridshare_plumbing::FundsError;
use gridshare_types::Denom;

/// Every coin that left for account-related reasons, in `denom`.
fn total_sent(suite: &Suite, denom: &Denom) -> u128 {
    suite
        .ledger
        .sent
        .iter()
        .filter(|t| t.denom == *denom)
        .map(|t| t.amount)
        .sum()
}

#[test]
fn closing_pays_every_payee_and_refunds_the_rest() {
    let mut suite = Suite::new();
    let (provider, other) = (suite.provider.clone(), addr("other_provider"));
    suite.open_account(1, 10_000);

    let a = NewPayment {
        rate: Rate::per_second(10u128),
        cap: 3_000,
        fee_bps: 500,
        ..suite.new_payment(1, 1)
    };
    let b = NewPayment {
        rate: Rate::per_hour(3_600u128),
        cap: 2_000,
        payee: other.to_string(),
        ..suite.new_payment(1, 2)
    };
    suite.open_payment(&a);
    suite.open_payment(&b);

    // Halfway, lease 1 is released and its provider withdraws.
    suite.advance(50);
    suite.release(1, None);
    suite.withdraw(&provider, &[1]);
    assert_eq!(suite.sent_to(&provider, &native(UGRID)), 475);

    suite.advance(50);
    let res = suite.close_account(1, None);
    assert_eq!(
        res.messages,
        vec![
            // Lease 1: 1000 accrued in all, 500 of it new; the 5 % fee on the new part…
            native_fee(&suite.fee_collector, 25, UGRID),
            // …and the provider's unwithdrawn share.
            bank_send(&provider, 475, UGRID),
            // Lease 2: 100 s at 1/s, no fee.
            bank_send(&other, 100, UGRID),
            // The rest goes home: 10000 − 1000 − 100.
            bank_send(&suite.renter, 8_900, UGRID),
        ]
    );
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "close_account"),
            ("account_id", "1"),
            ("paid_to_payees", "575"),
            ("refunded", "8900"),
        ])
    );

    let account = suite.account(1);
    assert!(account.closed);
    assert_eq!(account.balance, Uint128::zero());
    assert_eq!(account.reserved, Uint128::zero());
    assert_eq!(account.available, Uint128::zero());
    assert_eq!(account.open_payments, 0);
    for lease_id in [1, 2] {
        let p = suite.payment(lease_id);
        assert!(p.closed);
        assert_eq!(p.withdrawable, Uint128::zero());
        assert_eq!(p.releasable, Uint128::zero());
    }
    assert_eq!(suite.total(&native(UGRID)), 0);

    // Not one coin more or less than was deposited left the contract.
    assert_eq!(total_sent(&suite, &native(UGRID)), 10_000);
    assert_eq!(suite.sent_to(&provider, &native(UGRID)), 950);
    assert_eq!(suite.sent_to(&other, &native(UGRID)), 100);
    assert_eq!(suite.sent_to(&suite.fee_collector, &native(UGRID)), 50);
    assert_eq!(suite.sent_to(&suite.renter, &native(UGRID)), 8_900);
}

#[test]
fn closing_settles_only_up_to_until() {
    let mut suite = Suite::new();
    suite.open_account(1, 10_000);
    let payment = NewPayment {
        cap: 5_000,
        ..suite.new_payment(1, 1)
    };
    suite.open_payment(&payment);
    suite.advance(300);
    // The lease failed at second 120: the renter gets the unproven time back.
    let res = suite.close_account(1, Some(ts(GENESIS + 120)));
    assert_eq!(
        res.messages,
        vec![
            bank_send(&suite.provider, 120, UGRID),
            bank_send(&suite.renter, 9_880, UGRID),
        ]
    );
    assert_eq!(suite.payment(1).settled_until, GENESIS + 120);
}

#[test]
fn payments_closed_earlier_still_pay_their_unwithdrawn_share() {
    let mut suite = Suite::new();
    suite.open_account(1, 1_000);
    let payment = NewPayment {
        cap: 500,
        ..suite.new_payment(1, 1)
    };
    suite.open_payment(&payment);
    suite.advance(30);
    suite.close_payment(1, None);
    suite.advance(30);
    let res = suite.close_account(1, None);
    assert_eq!(
        res.messages,
        vec![
            bank_send(&suite.provider, 30, UGRID),
            bank_send(&suite.renter, 970, UGRID),
        ]
    );
    assert_eq!(attr(&res, "paid_to_payees"), "30");
}

#[test]
fn an_account_without_payments_refunds_everything() {
    let mut suite = Suite::new();
    suite.open_account(1, 1_000);
    let renter = suite.renter.clone();
    suite.exec(
        &renter,
        &[coin(500, UGRID)],
        ExecuteMsg::TopUp { account_id: 1 },
    );
    let res = suite.close_account(1, None);
    assert_eq!(res.messages, vec![bank_send(&renter, 1_500, UGRID)]);
    assert_eq!(attr(&res, "paid_to_payees"), "0");
    assert_eq!(attr(&res, "refunded"), "1500");
}

#[test]
fn a_fully_spent_account_refunds_nothing() {
    let mut suite = Suite::new();
    suite.open_account(1, 100);
    let payment = NewPayment {
        cap: 100,
        ..suite.new_payment(1, 1)
    };
    suite.open_payment(&payment);
    suite.advance(1_000);
    let res = suite.close_account(1, None);
    assert_eq!(res.messages, vec![bank_send(&suite.provider, 100, UGRID)]);
    assert_eq!(attr(&res, "refunded"), "0");
}

#[test]
fn a_cw20_account_pays_out_in_its_token() {
    let mut suite = Suite::new();
    suite.open_cw20_account(1, 1_000);
    let payment = NewPayment {
        rate: Rate::per_second(2u128),
        cap: 400,
        fee_bps: 1_000,
        ..suite.new_payment(1, 1)
    };
    suite.open_payment(&payment);
    suite.advance(50);
    let res = suite.close_account(1, None);
    assert_eq!(
        res.messages,
        vec![
            cw20_fee(&suite.token, &suite.fee_collector, 10),
            cw20_transfer(&suite.token, &suite.provider, 90),
            cw20_transfer(&suite.token, &suite.renter, 900),
        ]
    );
    assert_eq!(suite.total(&Denom::Cw20(suite.token.clone())), 0);
}

#[test]
fn closing_drops_the_totals_of_its_denom_only() {
    let mut suite = Suite::new();
    let renter = suite.renter.clone();
    suite.open_account(1, 1_000);
    suite.open_account_with(2, &renter, coin(300, UUSDC));
    suite.open_account(3, 200);
    suite.open_cw20_account(4, 50);

    suite.close_account(1, None);
    assert_eq!(suite.total(&native(UGRID)), 200);
    assert_eq!(suite.total(&native(UUSDC)), 300);
    suite.close_account(2, None);
    suite.close_account(3, None);
    suite.close_account(4, None);
    for total in suite.totals() {
        assert_eq!(total.amount, Uint128::zero(), "{total:?}");
    }
}

#[test]
fn an_account_closes_once_and_stays_closed() {
    let mut suite = Suite::new();
    suite.open_account(1, 1_000);
    let payment = suite.new_payment(1, 1);
    suite.open_payment(&payment);
    suite.advance(10);
    suite.close_account(1, None);

    let closed = ContractError::AccountClosed { account_id: 1 };
    assert_eq!(
        suite
            .as_marketplace(ExecuteMsg::CloseAccount {
                account_id: 1,
                until: None,
            })
            .unwrap_err(),
        closed
    );
    let (renter, token, provider) = (
        suite.renter.clone(),
        suite.token.clone(),
        suite.provider.clone(),
    );
    assert_eq!(
        suite.exec_err(
            &renter,
            &[coin(5, UGRID)],
            ExecuteMsg::TopUp { account_id: 1 }
        ),
        closed
    );
    assert_eq!(
        suite
            .try_receive(&token, &renter, 5, &ReceiveMsg::TopUp { account_id: 1 })
            .unwrap_err(),
        // The denom check comes after the account check.
        closed
    );
    let again = suite.new_payment(1, 2);
    assert_eq!(suite.as_marketplace(again.msg()).unwrap_err(), closed);
    // The provider was paid at the close: there is nothing left to withdraw.
    assert_eq!(
        suite.exec_err(&provider, &[], ExecuteMsg::Withdraw { lease_ids: vec![1] }),
        ContractError::NothingToWithdraw { lease_ids: vec![1] }
    );
    // The id stays taken.
    let marketplace = suite.marketplace.clone();
    assert_eq!(
        suite.exec_err(
            &marketplace,
            &[coin(5, UGRID)],
            ExecuteMsg::OpenAccount {
                account_id: 1,
                depositor: renter.to_string(),
            }
        ),
        ContractError::AccountExists { account_id: 1 }
    );
}

#[test]
fn close_account_errors() {
    let mut suite = Suite::new();
    suite.open_account(1, 1_000);
    let (renter, marketplace) = (suite.renter.clone(), suite.marketplace.clone());
    let close = |account_id| ExecuteMsg::CloseAccount {
        account_id,
        until: None,
    };
    // Not even the depositor closes its own account: the marketplace decides when an order ends.
    assert_eq!(
        suite.exec_err(&renter, &[], close(1)),
        ContractError::Unauthorized {
            sender: renter.to_string(),
            role: "marketplace",
        }
    );
    assert_eq!(
        suite.as_marketplace(close(2)).unwrap_err(),
        ContractError::AccountNotFound { account_id: 2 }
    );
    assert_eq!(
        suite.exec_err(&marketplace, &[coin(1, UGRID)], close(1)),
        ContractError::Funds(FundsError::UnexpectedFunds {
            funds: "1ugrid".to_string(),
        })
    );
    assert!(!suite.account(1).closed);
}

#[test]
fn an_account_with_the_most_payments_closes_in_one_message() {
    let mut suite = Suite::new();
    suite.open_account(1, 64_000);
    for lease_id in 0..u64::from(crate::MAX_PAYMENTS_PER_ACCOUNT) {
        let payment = NewPayment {
            cap: 1_000,
            fee_bps: 100,
            payee: addr(&format!("provider{lease_id}")).to_string(),
            ..suite.new_payment(1, lease_id)
        };
        suite.open_payment(&payment);
    }
    suite.advance(500);
    let res = suite.close_account(1, None);
    // A fee and a payout per payment, and the refund.
    assert_eq!(res.messages.len(), 64 * 2 + 1);
    assert_eq!(total_sent(&suite, &native(UGRID)), 64_000);
    assert_eq!(suite.sent_to(&suite.fee_collector, &native(UGRID)), 64 * 5);
    assert_eq!(suite.sent_to(&suite.renter, &native(UGRID)), 64 * 500);
}

/// A long, deterministic but irregular story over several accounts, denoms and payees. The suite
/// audits the books after every message; at the end, once every account is closed, everything
/// deposited has left, exactly.
#[test]
fn a_long_story_conserves_every_coin() {
    let mut suite = Suite::new();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    let payees: Vec<_> = (0..4).map(|i| addr(&format!("payee{i}"))).collect();
    let renter = suite.renter.clone();
    let token = suite.token.clone();
    let mut deposited: std::collections::BTreeMap<Denom, u128> = Default::default();
    let accounts = 6u64;
    for id in 0..accounts {
        let amount = 1_000 + u128::from(next(10_000));
        let denom = match id % 3 {
            0 => {
                suite.open_account(id, amount);
                native(UGRID)
            }
            1 => {
                suite.open_account_with(id, &renter, coin(amount, UUSDC));
                native(UUSDC)
            }
            _ => {
                suite.open_cw20_account(id, amount);
                Denom::Cw20(token.clone())
            }
        };
        *deposited.entry(denom).or_default() += amount;
    }

    let mut lease_id = 0u64;
    // Successes per action, to prove the story exercises every one of them.
    let mut succeeded = [0u32; 6];
    for _ in 0..400 {
        let account_id = next(accounts);
        let action = next(7);
        let result = match action {
            0 => {
                lease_id += 1;
                let payment = NewPayment {
                    rate: Rate {
                        amount: Uint128::new(1 + u128::from(next(50))),
                        per_seconds: 1 + next(120),
                    },
                    cap: 1 + u128::from(next(3_000)),
                    fee_bps: next(1_500) as u16,
                    payee: payees[next(4) as usize].to_string(),
                    start: Some(suite.now().plus_seconds(next(30))),
                    account_id,
                    lease_id,
                };
                suite.as_marketplace(payment.msg())
            }
            1 => suite.as_marketplace(ExecuteMsg::Release {
                lease_id: 1 + next(lease_id.max(1)),
                until: Some(suite.now().seconds().saturating_sub(next(60))),
            }),
            2 => suite.as_marketplace(ExecuteMsg::ClosePayment {
                lease_id: 1 + next(lease_id.max(1)),
                until: None,
            }),
            3 => {
                // Mostly the payee's own leases; now and then a stray id (someone else's, or
                // one that does not exist), which must fail the whole batch.
                let payee = payees[next(4) as usize].clone();
                let own: PaymentsResponse = suite
                    .query(QueryMsg::PaymentsByPayee {
                        payee: payee.to_string(),
                        start_after: None,
                        limit: Some(30),
                    })
                    .unwrap();
                let mut ids: Vec<u64> = own
                    .payments
                    .iter()
                    .map(|p| p.lease_id)
                    .filter(|_| next(3) > 0)
                    .take(10)
                    .collect();
                if ids.is_empty() || next(8) == 0 {
                    ids.push(1 + next(lease_id + 2));
                }
                suite.try_exec(&payee, &[], ExecuteMsg::Withdraw { lease_ids: ids })
            }
            4 => suite.as_marketplace(ExecuteMsg::Refund {
                account_id,
                amount: Uint128::new(1 + u128::from(next(500))),
            }),
            5 => {
                let amount = 1 + u128::from(next(500));
                let denom = suite.account(account_id).denom;
                let result = match &denom {
                    Denom::Native(d) => suite.try_exec(
                        &renter,
                        &[coin(amount, d)],
                        ExecuteMsg::TopUp { account_id },
                    ),
                    Denom::Cw20(t) => suite.try_receive(
                        &t.clone(),
                        &renter,
                        amount,
                        &ReceiveMsg::TopUp { account_id },
                    ),
                };
                if result.is_ok() {
                    *deposited.entry(denom).or_default() += amount;
                }
                result
            }
            _ => {
                suite.advance(1 + next(90));
                continue;
            }
        };
        if result.is_ok() {
            succeeded[action as usize] += 1;
        }
    }
    assert!(
        succeeded.iter().all(|&n| n >= 3),
        "every action should succeed a few times: {succeeded:?}"
    );

    for id in 0..accounts {
        let _ = suite.as_marketplace(ExecuteMsg::CloseAccount {
            account_id: id,
            until: None,
        });
        assert!(suite.account(id).closed);
    }
    for (denom, amount) in &deposited {
        assert_eq!(total_sent(&suite, denom), *amount, "{denom}");
        assert_eq!(suite.total(denom), 0, "{denom}");
    }
}
