//! Funds attached to a message that takes none are refused: they would be held for no one.

use super::helpers::*;
use crate::msg::ExecuteMsg;
use crate::ContractError;
use cosmwasm_std::Uint128;
use cw20::Cw20ReceiveMsg;
use gridshare_plumbing::{FundsError, OwnerAction};

#[test]
fn every_non_payable_message_refuses_funds() {
    let mut suite = Suite::new();
    let (alice, owner, marketplace) = (
        suite.alice.clone(),
        suite.owner.clone(),
        suite.marketplace.clone(),
    );
    suite.bond(&alice, 1_000);
    let messages = vec![
        (alice.clone(), ExecuteMsg::Unbond { amount: u(1) }),
        (alice.clone(), ExecuteMsg::Claim {}),
        (alice.clone(), ExecuteMsg::ClaimRewards {}),
        (alice.clone(), ExecuteMsg::ClaimEmissions { limit: None }),
        (
            marketplace.clone(),
            ExecuteMsg::SetLocked {
                provider: alice.to_string(),
                amount: u(1),
            },
        ),
        (marketplace.clone(), Suite::slash_msg(&alice, 1, None)),
        (
            marketplace.clone(),
            ExecuteMsg::ReportWork {
                provider: alice.to_string(),
                gpu_seconds: 1,
                fee_paid: fee(1, UUSDC),
            },
        ),
        (owner.clone(), no_update()),
        (
            owner.clone(),
            ExecuteMsg::UpdateOwnership(OwnerAction::TransferOwnership {
                new_owner: alice.to_string(),
                expiry: None,
            }),
        ),
        (
            addr("grid"),
            ExecuteMsg::Receive(Cw20ReceiveMsg {
                sender: alice.to_string(),
                amount: Uint128::one(),
                msg: cosmwasm_std::to_json_binary(&crate::msg::ReceiveMsg::Bond {}).unwrap(),
            }),
        ),
    ];
    for (sender, msg) in messages {
        assert_eq!(
            suite.exec_err(&sender, &[coin(3, UUSDC), coin(4, UGRID)], msg),
            ContractError::Funds(FundsError::UnexpectedFunds {
                funds: "3uusdc,4ugrid".into()
            })
        );
    }
}

#[test]
fn funds_errors_read_as_plumbing_writes_them() {
    let mut suite = Suite::native();
    let carol = suite.carol.clone();
    let err = suite.exec_err(&carol, &[coin(5, UUSDC)], ExecuteMsg::Bond {});
    assert_eq!(
        err,
        ContractError::Funds(FundsError::WrongDenom {
            expected: "native:ugrid".into(),
            got: "native:uusdc".into(),
        })
    );
    // Transparent: the user reads plumbing's message, with the wrong values in it.
    assert_eq!(err.to_string(), "expected native:ugrid, got native:uusdc");
    let err = suite.exec_err(&carol, &[], ExecuteMsg::Claim {});
    assert!(matches!(err, ContractError::NothingToClaim { .. }));
    let err = suite.exec_err(&carol, &[coin(1, UGRID)], ExecuteMsg::Claim {});
    assert_eq!(err.to_string(), "this message takes no funds, got 1ugrid");
    let err = suite.exec_err(&carol, &[], ExecuteMsg::DepositRewards {});
    assert_eq!(err, ContractError::Funds(FundsError::NoFunds));
}
