//! OpenAccount, TopUp and Refund with native coins.

use super::helpers::*;
use crate::msg::{AccountResponse, AccountsResponse, DenomTotal, ExecuteMsg, QueryMsg};
use crate::ContractError;
use cosmwasm_std::{Addr, Uint128};
use gridshare_plumbing::FundsError;

fn open_msg(account_id: u64, depositor: &Addr) -> ExecuteMsg {
    ExecuteMsg::OpenAccount {
        account_id,
        depositor: depositor.to_string(),
    }
}

fn refund_msg(account_id: u64, amount: u128) -> ExecuteMsg {
    ExecuteMsg::Refund {
        account_id,
        amount: Uint128::new(amount),
    }
}

fn top_up_msg(account_id: u64) -> ExecuteMsg {
    ExecuteMsg::TopUp { account_id }
}

// ---- OpenAccount ----

#[test]
fn the_marketplace_opens_an_account_with_the_renters_deposit() {
    let mut suite = Suite::new();
    let res = suite.open_account(7, 1_000);

    assert!(res.messages.is_empty());
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "open_account"),
            ("account_id", "7"),
            ("depositor", suite.renter.as_str()),
            ("denom", "native:ugrid"),
            ("amount", "1000"),
        ])
    );
    assert_eq!(
        suite.account(7),
        AccountResponse {
            account_id: 7,
            depositor: suite.renter.clone(),
            denom: native(UGRID),
            balance: Uint128::new(1_000),
            reserved: Uint128::zero(),
            available: Uint128::new(1_000),
            open_payments: 0,
            closed: false,
        }
    );
    assert_eq!(
        suite.totals(),
        vec![DenomTotal {
            denom: native(UGRID),
            amount: Uint128::new(1_000),
        }]
    );
    let mine: AccountsResponse = suite
        .query(QueryMsg::AccountsByDepositor {
            depositor: suite.renter.to_string(),
            start_after: None,
            limit: None,
        })
        .unwrap();
    assert_eq!(mine.accounts, vec![suite.account(7)]);
}

#[test]
fn accounts_in_several_denoms_keep_separate_totals() {
    let mut suite = Suite::new();
    let renter = suite.renter.clone();
    suite.open_account(1, 1_000);
    suite.open_account(2, 500);
    suite.open_account_with(3, &renter, coin(42, UUSDC));
    assert_eq!(suite.total(&native(UGRID)), 1_500);
    assert_eq!(suite.total(&native(UUSDC)), 42);
    assert_eq!(suite.account(3).denom, native(UUSDC));
}

#[test]
fn only_the_marketplace_opens_accounts() {
    let mut suite = Suite::new();
    let renter = suite.renter.clone();
    for sender in [
        suite.renter.clone(),
        suite.owner.clone(),
        suite.stranger.clone(),
    ] {
        assert_eq!(
            suite.exec_err(&sender, &[coin(1_000, UGRID)], open_msg(1, &renter)),
            ContractError::Unauthorized {
                sender: sender.to_string(),
                role: "marketplace",
            }
        );
    }
    assert!(suite.totals().is_empty());
}

#[test]
fn opening_an_account_needs_exactly_one_non_zero_accepted_coin() {
    let mut suite = Suite::new();
    let (marketplace, renter) = (suite.marketplace.clone(), suite.renter.clone());

    assert_eq!(
        suite.exec_err(&marketplace, &[], open_msg(1, &renter)),
        ContractError::Funds(FundsError::NoFunds)
    );
    assert_eq!(
        suite.exec_err(
            &marketplace,
            &[coin(10, UGRID), coin(10, UUSDC)],
            open_msg(1, &renter)
        ),
        ContractError::Funds(FundsError::MultipleDenoms {
            denoms: "ugrid,uusdc".to_string(),
        })
    );
    assert_eq!(
        suite.exec_err(&marketplace, &[coin(0, UGRID)], open_msg(1, &renter)),
        ContractError::Funds(FundsError::ZeroAmount)
    );
    assert_eq!(
        suite.exec_err(&marketplace, &[coin(10, "uatom")], open_msg(1, &renter)),
        ContractError::DenomNotAccepted {
            denom: "native:uatom".to_string(),
        }
    );
    assert!(suite
        .query::<AccountResponse>(QueryMsg::Account { account_id: 1 })
        .is_err());
}

#[test]
fn an_account_id_is_opened_only_once() {
    let mut suite = Suite::new();
    let (marketplace, stranger) = (suite.marketplace.clone(), suite.stranger.clone());
    suite.open_account(1, 1_000);
    // Not even in another denom, nor for another depositor.
    assert_eq!(
        suite.exec_err(&marketplace, &[coin(5, UUSDC)], open_msg(1, &stranger)),
        ContractError::AccountExists { account_id: 1 }
    );
    assert_eq!(suite.account(1).balance.u128(), 1_000);
}

#[test]
fn the_depositor_must_be_a_valid_address() {
    let mut suite = Suite::new();
    let marketplace = suite.marketplace.clone();
    for bad in ["", "renter", "cosmwasm1invalid", "COSMWASM1QQQ"] {
        assert_eq!(
            suite.exec_err(
                &marketplace,
                &[coin(5, UGRID)],
                ExecuteMsg::OpenAccount {
                    account_id: 1,
                    depositor: bad.to_string(),
                }
            ),
            invalid_address(bad)
        );
    }
}

// ---- TopUp ----

#[test]
fn anyone_may_top_up_an_open_account() {
    let mut suite = Suite::new();
    suite.open_account(1, 1_000);
    let (renter, stranger) = (suite.renter.clone(), suite.stranger.clone());

    let res = suite.exec(&renter, &[coin(250, UGRID)], top_up_msg(1));
    assert!(res.messages.is_empty());
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "top_up"),
            ("account_id", "1"),
            ("sender", renter.as_str()),
            ("amount", "250"),
            ("balance", "1250"),
        ])
    );
    suite.exec(&stranger, &[coin(50, UGRID)], top_up_msg(1));

    let account = suite.account(1);
    assert_eq!(account.balance.u128(), 1_300);
    assert_eq!(account.available.u128(), 1_300);
    assert_eq!(
        account.depositor, renter,
        "a top-up does not change the owner"
    );
    assert_eq!(suite.total(&native(UGRID)), 1_300);
}

#[test]
fn a_top_up_must_be_in_the_accounts_denom() {
    let mut suite = Suite::new();
    suite.open_account(1, 1_000);
    let renter = suite.renter.clone();
    for other in [UUSDC, "uatom"] {
        assert_eq!(
            suite.exec_err(&renter, &[coin(10, other)], top_up_msg(1)),
            ContractError::WrongDenom {
                account_id: 1,
                expected: "native:ugrid".to_string(),
                got: format!("native:{other}"),
            }
        );
    }
}

#[test]
fn a_top_up_needs_exactly_one_non_zero_coin() {
    let mut suite = Suite::new();
    suite.open_account(1, 1_000);
    let renter = suite.renter.clone();
    assert_eq!(
        suite.exec_err(&renter, &[], top_up_msg(1)),
        ContractError::Funds(FundsError::NoFunds)
    );
    assert_eq!(
        suite.exec_err(&renter, &[coin(0, UGRID)], top_up_msg(1)),
        ContractError::Funds(FundsError::ZeroAmount)
    );
    assert_eq!(
        suite.exec_err(&renter, &[coin(1, UGRID), coin(1, UUSDC)], top_up_msg(1)),
        ContractError::Funds(FundsError::MultipleDenoms {
            denoms: "ugrid,uusdc".to_string(),
        })
    );
}

#[test]
fn a_top_up_needs_an_open_account() {
    let mut suite = Suite::new();
    let renter = suite.renter.clone();
    assert_eq!(
        suite.exec_err(&renter, &[coin(10, UGRID)], top_up_msg(404)),
        ContractError::AccountNotFound { account_id: 404 }
    );

    suite.open_account(1, 1_000);
    suite.close_account(1, None);
    assert_eq!(
        suite.exec_err(&renter, &[coin(10, UGRID)], top_up_msg(1)),
        ContractError::AccountClosed { account_id: 1 }
    );
}

// ---- Refund ----

#[test]
fn a_refund_returns_available_funds_to_the_depositor() {
    let mut suite = Suite::new();
    suite.open_account(1, 1_000);
    let payment = NewPayment {
        cap: 600,
        ..suite.new_payment(1, 10)
    };
    suite.open_payment(&payment);
    assert_eq!(suite.account(1).available.u128(), 400);

    let res = suite.refund(1, 300);
    assert_eq!(res.messages, vec![bank_send(&suite.renter, 300, UGRID)]);
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "refund"),
            ("account_id", "1"),
            ("to", suite.renter.as_str()),
            ("amount", "300"),
            ("balance", "700"),
        ])
    );
    let account = suite.account(1);
    assert_eq!(account.balance.u128(), 700);
    assert_eq!(account.reserved.u128(), 600);
    assert_eq!(account.available.u128(), 100);
    assert_eq!(suite.total(&native(UGRID)), 700);

    // All of what is left available, but not one coin more.
    assert_eq!(
        suite.as_marketplace(refund_msg(1, 101)).unwrap_err(),
        ContractError::InsufficientFunds {
            account_id: 1,
            available: Uint128::new(100),
            requested: Uint128::new(101),
        }
    );
    suite.refund(1, 100);
    assert_eq!(suite.account(1).available.u128(), 0);
    assert_eq!(
        suite.as_marketplace(refund_msg(1, 1)).unwrap_err(),
        ContractError::InsufficientFunds {
            account_id: 1,
            available: Uint128::zero(),
            requested: Uint128::new(1),
        }
    );
    assert_eq!(suite.sent_to(&suite.renter, &native(UGRID)), 400);
}

#[test]
fn released_but_unwithdrawn_funds_are_not_refundable() {
    let mut suite = Suite::new();
    suite.open_account(1, 1_000);
    let payment = NewPayment {
        cap: 500,
        ..suite.new_payment(1, 10)
    };
    suite.open_payment(&payment);
    suite.advance(100);
    suite.close_payment(10, None);
    // 100 released to the provider, 400 of the cap freed again.
    let account = suite.account(1);
    assert_eq!(account.reserved.u128(), 100);
    assert_eq!(account.available.u128(), 900);
    assert_eq!(
        suite.as_marketplace(refund_msg(1, 901)).unwrap_err(),
        ContractError::InsufficientFunds {
            account_id: 1,
            available: Uint128::new(900),
            requested: Uint128::new(901),
        }
    );
    suite.refund(1, 900);
    // The provider still gets its 100.
    let provider = suite.provider.clone();
    let res = suite.withdraw(&provider, &[10]);
    assert_eq!(res.messages, vec![bank_send(&provider, 100, UGRID)]);
}

#[test]
fn a_forfeit_pays_available_funds_to_someone_else_and_only_for_the_marketplace() {
    let mut suite = Suite::new();
    suite.open_account(1, 1_000);
    let payment = NewPayment {
        cap: 600,
        ..suite.new_payment(1, 10)
    };
    suite.open_payment(&payment);
    let provider = addr("disputed-provider");
    let forfeit = |amount: u128| ExecuteMsg::Forfeit {
        account_id: 1,
        amount: Uint128::new(amount),
        to: addr("disputed-provider").to_string(),
    };
    let renter = suite.renter.clone();
    assert_eq!(
        suite.exec_err(&renter, &[], forfeit(10)),
        ContractError::Unauthorized {
            sender: renter.to_string(),
            role: "marketplace",
        }
    );
    // Never out of the reserved part: the open payment keeps its 600.
    assert_eq!(
        suite.as_marketplace(forfeit(401)).unwrap_err(),
        ContractError::InsufficientFunds {
            account_id: 1,
            available: Uint128::new(400),
            requested: Uint128::new(401),
        }
    );
    let res = suite.as_marketplace(forfeit(250)).unwrap();
    assert_eq!(res.messages, vec![bank_send(&provider, 250, UGRID)]);
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "forfeit"),
            ("account_id", "1"),
            ("to", provider.as_str()),
            ("amount", "250"),
            ("balance", "750"),
        ])
    );
    let account = suite.account(1);
    assert_eq!(
        (account.balance.u128(), account.available.u128()),
        (750, 150)
    );
    assert_eq!(suite.total(&native(UGRID)), 750);
}

#[test]
fn refund_errors() {
    let mut suite = Suite::new();
    suite.open_account(1, 1_000);
    let renter = suite.renter.clone();

    assert_eq!(
        suite.exec_err(&renter, &[], refund_msg(1, 10)),
        ContractError::Unauthorized {
            sender: renter.to_string(),
            role: "marketplace",
        }
    );
    assert_eq!(
        suite.as_marketplace(refund_msg(1, 0)).unwrap_err(),
        ContractError::Funds(FundsError::ZeroAmount)
    );
    assert_eq!(
        suite.as_marketplace(refund_msg(2, 10)).unwrap_err(),
        ContractError::AccountNotFound { account_id: 2 }
    );
    let marketplace = suite.marketplace.clone();
    assert_eq!(
        suite.exec_err(&marketplace, &[coin(3, UGRID)], refund_msg(1, 10)),
        ContractError::Funds(FundsError::UnexpectedFunds {
            funds: "3ugrid".to_string(),
        })
    );

    suite.close_account(1, None);
    assert_eq!(
        suite.as_marketplace(refund_msg(1, 10)).unwrap_err(),
        ContractError::AccountClosed { account_id: 1 }
    );
}
