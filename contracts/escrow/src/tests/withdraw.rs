//! Withdraw: a payee takes what was released to it, less the fee.

use super::helpers::*;
use crate::msg::{ExecuteMsg, Rate};
use crate::{ContractError, MAX_WITHDRAW_BATCH};
use cosmwasm_std::Addr;
use gridshare_plumbing::FundsError;

fn withdraw_msg(lease_ids: &[u64]) -> ExecuteMsg {
    ExecuteMsg::Withdraw {
        lease_ids: lease_ids.to_vec(),
    }
}

/// Account 1 (10 000 ugrid) with lease 1 paying the provider 100/s, cap 5000, 10 % fee.
fn suite_with_a_payment() -> Suite {
    let mut suite = Suite::new();
    suite.open_account(1, 10_000);
    let payment = NewPayment {
        rate: Rate::per_second(100u128),
        cap: 5_000,
        fee_bps: 1_000,
        ..suite.new_payment(1, 1)
    };
    suite.open_payment(&payment);
    suite
}

#[test]
fn the_payee_gets_what_was_released_minus_the_fee() {
    let mut suite = suite_with_a_payment();
    let provider = suite.provider.clone();
    suite.advance(10);
    suite.release(1, None);

    let res = suite.withdraw(&provider, &[1]);
    assert_eq!(res.messages, vec![bank_send(&provider, 900, UGRID)]);
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "withdraw"),
            ("payee", provider.as_str()),
            ("amount", "900"),
        ])
    );
    let p = suite.payment(1);
    assert_eq!(p.withdrawn.u128(), 900);
    assert_eq!(p.withdrawable.u128(), 0);
    let account = suite.account(1);
    assert_eq!(account.balance.u128(), 10_000 - 100 - 900);
    assert_eq!(account.reserved.u128(), 5_000 - 1_000);
    assert_eq!(account.available.u128(), 5_000);

    // Only what was released: time passing is not enough.
    suite.advance(10);
    assert_eq!(
        suite.exec_err(&provider, &[], withdraw_msg(&[1])),
        ContractError::NothingToWithdraw { lease_ids: vec![1] }
    );
    suite.release(1, None);
    let res = suite.withdraw(&provider, &[1]);
    assert_eq!(res.messages, vec![bank_send(&provider, 900, UGRID)]);
    assert_eq!(suite.sent_to(&provider, &native(UGRID)), 1_800);
}

#[test]
fn nothing_released_means_nothing_to_withdraw() {
    let mut suite = suite_with_a_payment();
    let provider = suite.provider.clone();
    assert_eq!(
        suite.exec_err(&provider, &[], withdraw_msg(&[1])),
        ContractError::NothingToWithdraw { lease_ids: vec![1] }
    );
}

#[test]
fn only_the_payee_withdraws() {
    let mut suite = suite_with_a_payment();
    suite.advance(10);
    suite.release(1, None);
    for sender in [
        suite.marketplace.clone(),
        suite.renter.clone(),
        suite.owner.clone(),
        suite.stranger.clone(),
    ] {
        assert_eq!(
            suite.exec_err(&sender, &[], withdraw_msg(&[1])),
            ContractError::NotPayee {
                sender: sender.to_string(),
                lease_id: 1,
            }
        );
    }
    assert_eq!(suite.payment(1).withdrawable.u128(), 900);
}

#[test]
fn a_batch_with_someone_elses_lease_pays_nothing() {
    let mut suite = suite_with_a_payment();
    let (provider, other) = (suite.provider.clone(), addr("other_provider"));
    let theirs = NewPayment {
        payee: other.to_string(),
        ..suite.new_payment(1, 2)
    };
    suite.open_payment(&theirs);
    suite.advance(10);
    suite.release(1, None);
    suite.release(2, None);

    // Lease 1 is the provider's and has funds, lease 2 is not: the whole batch fails, and the
    // provider's own lease is left untouched.
    assert_eq!(
        suite.exec_err(&provider, &[], withdraw_msg(&[1, 2])),
        ContractError::NotPayee {
            sender: provider.to_string(),
            lease_id: 2,
        }
    );
    assert_eq!(suite.payment(1).withdrawable.u128(), 900);
    assert_eq!(suite.payment(1).withdrawn.u128(), 0);
}

#[test]
fn a_batch_with_an_unknown_lease_pays_nothing() {
    let mut suite = suite_with_a_payment();
    let provider = suite.provider.clone();
    suite.advance(10);
    suite.release(1, None);
    assert_eq!(
        suite.exec_err(&provider, &[], withdraw_msg(&[1, 99])),
        ContractError::PaymentNotFound { lease_id: 99 }
    );
    assert_eq!(suite.payment(1).withdrawn.u128(), 0);
}

#[test]
fn a_batch_holds_between_one_and_max_lease_ids() {
    let mut suite = suite_with_a_payment();
    let provider = suite.provider.clone();
    assert_eq!(
        suite.exec_err(&provider, &[], withdraw_msg(&[])),
        ContractError::InvalidWithdrawBatch {
            got: 0,
            max: MAX_WITHDRAW_BATCH,
        }
    );
    let too_many: Vec<u64> = (0..=MAX_WITHDRAW_BATCH as u64).collect();
    assert_eq!(
        suite.exec_err(&provider, &[], withdraw_msg(&too_many)),
        ContractError::InvalidWithdrawBatch {
            got: MAX_WITHDRAW_BATCH + 1,
            max: MAX_WITHDRAW_BATCH,
        }
    );
    // Duplicates count against the limit as sent.
    let repeated = vec![1u64; MAX_WITHDRAW_BATCH + 1];
    assert_eq!(
        suite.exec_err(&provider, &[], withdraw_msg(&repeated)),
        ContractError::InvalidWithdrawBatch {
            got: MAX_WITHDRAW_BATCH + 1,
            max: MAX_WITHDRAW_BATCH,
        }
    );
}

#[test]
fn a_full_batch_of_payments_is_withdrawn_at_once() {
    let mut suite = Suite::new();
    let provider = suite.provider.clone();
    suite.open_account(1, 100_000);
    for lease_id in 1..=MAX_WITHDRAW_BATCH as u64 {
        let payment = NewPayment {
            cap: 1_000,
            ..suite.new_payment(1, lease_id)
        };
        suite.open_payment(&payment);
    }
    suite.advance(10);
    let ids: Vec<u64> = (1..=MAX_WITHDRAW_BATCH as u64).collect();
    for &id in &ids {
        suite.release(id, None);
    }
    let res = suite.withdraw(&provider, &ids);
    assert_eq!(res.messages.len(), MAX_WITHDRAW_BATCH);
    assert_eq!(attr(&res, "amount"), (10 * MAX_WITHDRAW_BATCH).to_string());
}

#[test]
fn duplicate_lease_ids_are_paid_once() {
    let mut suite = suite_with_a_payment();
    let provider = suite.provider.clone();
    suite.advance(10);
    suite.release(1, None);
    let res = suite.withdraw(&provider, &[1, 1, 1]);
    assert_eq!(res.messages, vec![bank_send(&provider, 900, UGRID)]);
    assert_eq!(attr(&res, "amount"), "900");
    assert_eq!(suite.payment(1).withdrawn.u128(), 900);
}

#[test]
fn leases_with_nothing_left_are_skipped_in_a_batch() {
    let mut suite = suite_with_a_payment();
    let provider = suite.provider.clone();
    let second = NewPayment {
        cap: 1_000,
        ..suite.new_payment(1, 2)
    };
    suite.open_payment(&second);
    suite.advance(10);
    suite.release(2, None);
    // Lease 1 has released nothing yet; lease 2 has 10.
    let res = suite.withdraw(&provider, &[2, 1]);
    assert_eq!(res.messages, vec![bank_send(&provider, 10, UGRID)]);
    assert_eq!(
        suite.exec_err(&provider, &[], withdraw_msg(&[2, 1])),
        ContractError::NothingToWithdraw {
            lease_ids: vec![1, 2]
        }
    );
}

#[test]
fn one_batch_spans_accounts_and_denoms() {
    let mut suite = Suite::new();
    let (provider, renter) = (suite.provider.clone(), suite.renter.clone());
    suite.open_account(1, 1_000);
    suite.open_account_with(2, &renter, coin(1_000, UUSDC));
    suite.open_cw20_account(3, 1_000);
    for account_id in 1..=3 {
        let payment = suite.new_payment(account_id, account_id * 10);
        suite.open_payment(&payment);
    }
    suite.advance(7);
    for lease_id in [10, 20, 30] {
        suite.release(lease_id, None);
    }
    let res = suite.withdraw(&provider, &[30, 10, 20]);
    assert_eq!(
        res.messages,
        vec![
            bank_send(&provider, 7, UGRID),
            bank_send(&provider, 7, UUSDC),
            cw20_transfer(&suite.token, &provider, 7),
        ]
    );
    for account_id in 1..=3 {
        assert_eq!(suite.account(account_id).balance.u128(), 993);
    }
}

#[test]
fn a_cw20_payee_is_paid_in_the_token() {
    let mut suite = Suite::new();
    let provider = suite.provider.clone();
    suite.open_cw20_account(1, 1_000);
    let payment = NewPayment {
        fee_bps: 5_000,
        ..suite.new_payment(1, 1)
    };
    suite.open_payment(&payment);
    suite.advance(20);
    suite.release(1, None);
    let res = suite.withdraw(&provider, &[1]);
    assert_eq!(
        res.messages,
        vec![cw20_transfer(&suite.token, &provider, 10)]
    );
}

#[test]
fn withdraw_takes_no_funds() {
    let mut suite = suite_with_a_payment();
    let provider: Addr = suite.provider.clone();
    suite.advance(10);
    suite.release(1, None);
    assert_eq!(
        suite.exec_err(&provider, &[coin(1, UGRID)], withdraw_msg(&[1])),
        ContractError::Funds(FundsError::UnexpectedFunds {
            funds: "1ugrid".to_string(),
        })
    );
}
