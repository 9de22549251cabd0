//! Bond: the cw20 stake token through `Receive`, or a native stake denom with funds attached.

use super::helpers::*;
use crate::msg::{ExecuteMsg, ReceiveMsg, StakerResponse};
use crate::ContractError;
use cosmwasm_std::{to_json_binary, Binary, StdError, Uint128};
use cw20::Cw20ReceiveMsg;
use gridshare_plumbing::FundsError;

#[test]
fn a_cw20_send_bonds_for_the_token_sender() {
    let mut suite = Suite::new();
    let alice = suite.alice.clone();
    let res = suite.bond(&alice, 500);
    assert!(res.messages.is_empty());
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "bond"),
            ("staker", alice.as_str()),
            ("amount", "500"),
            ("bonded", "500"),
        ])
    );
    suite.bond(&alice, 250);
    assert_eq!(
        suite.staker(&alice),
        StakerResponse {
            address: alice.clone(),
            bonded: u(750),
            locked: Uint128::zero(),
            unbonding: Uint128::zero(),
            claims: 0,
        }
    );
    assert_eq!(suite.power(&alice, None), 750);
    assert_eq!(suite.total_power(None), 750);
    let holdings = suite.holdings(&cw20("grid"));
    assert_eq!(holdings.bonded, u(750));
    assert_eq!(holdings.total, u(750));
}

#[test]
fn a_native_stake_denom_is_bonded_with_attached_funds() {
    let mut suite = Suite::native();
    let (alice, bob) = (suite.alice.clone(), suite.bob.clone());
    suite.bond(&alice, 300);
    suite.bond(&bob, 200);
    assert_eq!(suite.bonded(&alice), 300);
    assert_eq!(suite.total_power(None), 500);
    assert_eq!(suite.holdings(&native(UGRID)).bonded, u(500));
}

#[test]
fn another_token_cannot_bond() {
    let mut suite = Suite::new();
    let (alice, rwd) = (suite.alice.clone(), addr("rwd"));
    assert_eq!(
        suite
            .try_receive(&rwd, &alice, 100, &ReceiveMsg::Bond {})
            .unwrap_err(),
        ContractError::Funds(FundsError::WrongDenom {
            expected: format!("cw20:{}", addr("grid")),
            got: format!("cw20:{rwd}"),
        })
    );
}

#[test]
fn a_native_bond_needs_a_native_stake_denom() {
    let mut suite = Suite::new();
    let alice = suite.alice.clone();
    assert_eq!(
        suite.exec_err(&alice, &[coin(100, UGRID)], ExecuteMsg::Bond {}),
        ContractError::Funds(FundsError::WrongDenom {
            expected: format!("cw20:{}", addr("grid")),
            got: "native:ugrid".into(),
        })
    );
}

#[test]
fn a_native_bond_takes_exactly_one_coin_of_the_stake_denom() {
    let mut suite = Suite::native();
    let alice = suite.alice.clone();
    assert_eq!(
        suite.exec_err(&alice, &[], ExecuteMsg::Bond {}),
        ContractError::Funds(FundsError::NoFunds)
    );
    assert_eq!(
        suite.exec_err(&alice, &[coin(0, UGRID)], ExecuteMsg::Bond {}),
        ContractError::Funds(FundsError::ZeroAmount)
    );
    assert_eq!(
        suite.exec_err(
            &alice,
            &[coin(1, UGRID), coin(1, UUSDC)],
            ExecuteMsg::Bond {}
        ),
        ContractError::Funds(FundsError::MultipleDenoms {
            denoms: "ugrid,uusdc".into()
        })
    );
    assert_eq!(
        suite.exec_err(&alice, &[coin(5, UUSDC)], ExecuteMsg::Bond {}),
        ContractError::Funds(FundsError::WrongDenom {
            expected: "native:ugrid".into(),
            got: "native:uusdc".into(),
        })
    );
}

#[test]
fn a_zero_cw20_bond_is_refused() {
    let mut suite = Suite::new();
    let (alice, grid) = (suite.alice.clone(), addr("grid"));
    assert_eq!(
        suite
            .try_receive(&grid, &alice, 0, &ReceiveMsg::Bond {})
            .unwrap_err(),
        ContractError::Funds(FundsError::ZeroAmount)
    );
}

#[test]
fn receive_checks_its_envelope() {
    let mut suite = Suite::new();
    let grid = addr("grid");
    // Funds attached to a cw20 hook would belong to no one.
    let wrapper = Cw20ReceiveMsg {
        sender: suite.alice.to_string(),
        amount: u(10),
        msg: to_json_binary(&ReceiveMsg::Bond {}).unwrap(),
    };
    assert_eq!(
        suite.exec_err(
            &grid,
            &[coin(1, UGRID)],
            ExecuteMsg::Receive(wrapper.clone())
        ),
        ContractError::Funds(FundsError::UnexpectedFunds {
            funds: "1ugrid".into()
        })
    );
    // The cw20 sender must be an address.
    let bad_sender = Cw20ReceiveMsg {
        sender: "not an address".into(),
        ..wrapper.clone()
    };
    assert_eq!(
        suite.exec_err(&grid, &[], ExecuteMsg::Receive(bad_sender)),
        invalid_address("not an address")
    );
    // An unknown hook is a parse error.
    let bad_hook = Cw20ReceiveMsg {
        msg: Binary::from(br#"{"steal":{}}"#),
        ..wrapper
    };
    assert!(matches!(
        suite.exec_err(&grid, &[], ExecuteMsg::Receive(bad_hook)),
        ContractError::Std(StdError::ParseErr { .. })
    ));
}

#[test]
fn a_bond_that_would_overflow_is_refused() {
    let mut suite = Suite::new();
    let (alice, bob) = (suite.alice.clone(), suite.bob.clone());
    suite.bond(&alice, u128::MAX);
    assert!(matches!(
        suite.try_bond(&alice, 1).unwrap_err(),
        ContractError::Overflow(_)
    ));
    assert!(matches!(
        suite.try_bond(&bob, 1).unwrap_err(),
        ContractError::Overflow(_)
    ));
}
