//! The cw20 entry: `Receive` from a token contract, opening and topping up accounts.

use super::helpers::*;
use crate::msg::{AccountResponse, ExecuteMsg, ReceiveMsg};
use crate::ContractError;
use cosmwasm_std::{Binary, Uint128};
use cw20::Cw20ReceiveMsg;
use gridshare_plumbing::FundsError;
use gridshare_types::Denom;

fn open_hook(account_id: u64, suite: &Suite) -> ReceiveMsg {
    ReceiveMsg::OpenAccount {
        account_id,
        depositor: suite.renter.to_string(),
    }
}

#[test]
fn the_marketplace_opens_an_account_with_an_accepted_cw20() {
    let mut suite = Suite::new();
    let res = suite.open_cw20_account(5, 800);
    let token = Denom::Cw20(suite.token.clone());

    assert!(res.messages.is_empty());
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "open_account"),
            ("account_id", "5"),
            ("depositor", suite.renter.as_str()),
            ("denom", &format!("cw20:{}", suite.token)),
            ("amount", "800"),
        ])
    );
    assert_eq!(
        suite.account(5),
        AccountResponse {
            account_id: 5,
            depositor: suite.renter.clone(),
            denom: token.clone(),
            balance: Uint128::new(800),
            reserved: Uint128::zero(),
            available: Uint128::new(800),
            open_payments: 0,
            closed: false,
        }
    );
    assert_eq!(suite.total(&token), 800);
}

#[test]
fn an_unaccepted_token_is_not_trusted() {
    let mut suite = Suite::new();
    let (fake, marketplace) = (addr("fake_token"), suite.marketplace.clone());
    let hook = open_hook(1, &suite);
    assert_eq!(
        suite
            .try_receive(&fake, &marketplace, 800, &hook)
            .unwrap_err(),
        ContractError::DenomNotAccepted {
            denom: format!("cw20:{fake}"),
        }
    );
    // Nor for a top-up of an existing cw20 account.
    suite.open_cw20_account(1, 100);
    let renter = suite.renter.clone();
    assert_eq!(
        suite
            .try_receive(&fake, &renter, 50, &ReceiveMsg::TopUp { account_id: 1 })
            .unwrap_err(),
        ContractError::DenomNotAccepted {
            denom: format!("cw20:{fake}"),
        }
    );
    assert_eq!(suite.account(1).balance.u128(), 100);
}

#[test]
fn only_the_marketplace_opens_a_cw20_account() {
    let mut suite = Suite::new();
    let (token, renter) = (suite.token.clone(), suite.renter.clone());
    let hook = open_hook(1, &suite);
    assert_eq!(
        suite.try_receive(&token, &renter, 800, &hook).unwrap_err(),
        ContractError::Unauthorized {
            sender: renter.to_string(),
            role: "marketplace",
        }
    );
}

#[test]
fn anyone_tops_up_a_cw20_account_through_the_token() {
    let mut suite = Suite::new();
    suite.open_cw20_account(1, 100);
    let (token, stranger) = (suite.token.clone(), suite.stranger.clone());
    let res = suite
        .try_receive(&token, &stranger, 40, &ReceiveMsg::TopUp { account_id: 1 })
        .unwrap();
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "top_up"),
            ("account_id", "1"),
            ("sender", stranger.as_str()),
            ("amount", "40"),
            ("balance", "140"),
        ])
    );
    assert_eq!(suite.account(1).balance.u128(), 140);
    assert_eq!(suite.total(&Denom::Cw20(token)), 140);
}

#[test]
fn cw20_and_native_accounts_do_not_mix() {
    let mut suite = Suite::new();
    suite.open_account(1, 1_000);
    suite.open_cw20_account(2, 100);
    let (token, renter) = (suite.token.clone(), suite.renter.clone());

    assert_eq!(
        suite
            .try_receive(&token, &renter, 10, &ReceiveMsg::TopUp { account_id: 1 })
            .unwrap_err(),
        ContractError::WrongDenom {
            account_id: 1,
            expected: "native:ugrid".to_string(),
            got: format!("cw20:{token}"),
        }
    );
    assert_eq!(
        suite.exec_err(
            &renter,
            &[coin(10, UGRID)],
            ExecuteMsg::TopUp { account_id: 2 }
        ),
        ContractError::WrongDenom {
            account_id: 2,
            expected: format!("cw20:{token}"),
            got: "native:ugrid".to_string(),
        }
    );
}

#[test]
fn a_cw20_top_up_needs_an_open_account() {
    let mut suite = Suite::new();
    let (token, renter) = (suite.token.clone(), suite.renter.clone());
    assert_eq!(
        suite
            .try_receive(&token, &renter, 10, &ReceiveMsg::TopUp { account_id: 9 })
            .unwrap_err(),
        ContractError::AccountNotFound { account_id: 9 }
    );
}

#[test]
fn a_zero_cw20_amount_is_rejected() {
    let mut suite = Suite::new();
    let (token, marketplace) = (suite.token.clone(), suite.marketplace.clone());
    let hook = open_hook(1, &suite);
    assert_eq!(
        suite
            .try_receive(&token, &marketplace, 0, &hook)
            .unwrap_err(),
        ContractError::Funds(FundsError::ZeroAmount)
    );
    suite.open_cw20_account(1, 100);
    assert_eq!(
        suite
            .try_receive(
                &token,
                &marketplace,
                0,
                &ReceiveMsg::TopUp { account_id: 1 }
            )
            .unwrap_err(),
        ContractError::Funds(FundsError::ZeroAmount)
    );
}

#[test]
fn a_cw20_account_id_is_opened_only_once() {
    let mut suite = Suite::new();
    suite.open_account(1, 1_000);
    let (token, marketplace) = (suite.token.clone(), suite.marketplace.clone());
    let hook = open_hook(1, &suite);
    assert_eq!(
        suite
            .try_receive(&token, &marketplace, 10, &hook)
            .unwrap_err(),
        ContractError::AccountExists { account_id: 1 }
    );
}

#[test]
fn native_funds_attached_to_receive_are_rejected() {
    let mut suite = Suite::new();
    let (token, marketplace) = (suite.token.clone(), suite.marketplace.clone());
    let msg = ExecuteMsg::Receive(Cw20ReceiveMsg {
        sender: marketplace.to_string(),
        amount: Uint128::new(100),
        msg: cosmwasm_std::to_json_binary(&open_hook(1, &suite)).unwrap(),
    });
    assert_eq!(
        suite.exec_err(&token, &[coin(10, UGRID)], msg),
        ContractError::Funds(FundsError::UnexpectedFunds {
            funds: "10ugrid".to_string(),
        })
    );
}

#[test]
fn a_malformed_receive_is_rejected() {
    let mut suite = Suite::new();
    let token = suite.token.clone();

    // A hook escrow does not know.
    let err = suite.exec_err(
        &token,
        &[],
        ExecuteMsg::Receive(Cw20ReceiveMsg {
            sender: suite.marketplace.to_string(),
            amount: Uint128::new(100),
            msg: Binary::from(br#"{"steal":{}}"#),
        }),
    );
    assert!(matches!(err, ContractError::Std(_)), "{err:?}");

    // A sender the token could not have reported.
    let err = suite.exec_err(
        &token,
        &[],
        ExecuteMsg::Receive(Cw20ReceiveMsg {
            sender: "marketplace".to_string(),
            amount: Uint128::new(100),
            msg: cosmwasm_std::to_json_binary(&open_hook(1, &suite)).unwrap(),
        }),
    );
    assert_eq!(err, invalid_address("marketplace"));
}

#[test]
fn a_cw20_depositor_must_be_a_valid_address() {
    let mut suite = Suite::new();
    let (token, marketplace) = (suite.token.clone(), suite.marketplace.clone());
    let hook = ReceiveMsg::OpenAccount {
        account_id: 1,
        depositor: "renter".to_string(),
    };
    assert_eq!(
        suite
            .try_receive(&token, &marketplace, 10, &hook)
            .unwrap_err(),
        invalid_address("renter")
    );
}
