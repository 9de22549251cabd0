//! Funds attached to a message that takes none are refused: they would be held for no one.

use super::helpers::*;
use crate::msg::ExecuteMsg;
use crate::ContractError;
use cosmwasm_std::{Decimal, Uint128};
use cw20::Cw20ReceiveMsg;

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
            },
        ),
        (
            owner.clone(),
            ExecuteMsg::UpdateConfig {
                marketplace: None,
                treasury: None,
                unbonding_period: None,
                min_stake_per_gpu: None,
                compensation_ratio: Some(Decimal::zero()),
                reward_denoms: None,
                emission_per_epoch: None,
            },
        ),
        (
            owner.clone(),
            ExecuteMsg::UpdateOwner {
                owner: alice.to_string(),
            },
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
            ContractError::UnexpectedFunds {
                funds: "3uusdc,4ugrid".into()
            }
        );
    }
}
