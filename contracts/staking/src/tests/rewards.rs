//! DepositRewards (native and cw20) and ClaimRewards: reward-per-share accounting.

use super::helpers::*;
use crate::msg::{DenomAmount, ExecuteMsg, PendingRewardsResponse, QueryMsg, ReceiveMsg};
use crate::ContractError;
use cosmwasm_std::{from_json, to_json_binary, Binary, Uint128};
use gridshare_plumbing::FundsError;
use gridshare_types::fee_collector::{FeeCollectorExecuteMsg, FeeCollectorReceiveMsg};
use gridshare_types::{Denom, UncheckedDenom};

#[test]
fn escrow_fee_messages_parse_as_deposits() {
    let bytes = Binary::from(br#"{"deposit_rewards":{}}"#);
    assert_eq!(
        from_json::<ExecuteMsg>(&bytes).unwrap(),
        ExecuteMsg::DepositRewards {}
    );
    assert_eq!(
        from_json::<ReceiveMsg>(&bytes).unwrap(),
        ReceiveMsg::DepositRewards {}
    );
    assert_eq!(
        to_json_binary(&FeeCollectorExecuteMsg::DepositRewards {}).unwrap(),
        to_json_binary(&ExecuteMsg::DepositRewards {}).unwrap()
    );
    assert_eq!(
        to_json_binary(&FeeCollectorReceiveMsg::DepositRewards {}).unwrap(),
        to_json_binary(&ReceiveMsg::DepositRewards {}).unwrap()
    );
}

#[test]
fn rewards_are_shared_in_proportion_to_the_bond() {
    let mut suite = Suite::new();
    let (alice, bob, carol) = (suite.alice.clone(), suite.bob.clone(), suite.carol.clone());
    suite.bond(&alice, 100);
    suite.bond(&bob, 300);
    let res = suite.deposit(&carol, &[coin(400, UUSDC)]);
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "deposit_rewards"),
            ("sender", carol.as_str()),
            ("total_bonded", "400"),
            ("denom", "native:uusdc"),
            ("amount", "400"),
            ("undistributed", "0"),
        ])
    );
    assert_eq!(suite.pending(&alice, &native(UUSDC)), 100);
    assert_eq!(suite.pending(&bob, &native(UUSDC)), 300);

    let res = suite.claim_rewards(&alice);
    assert_eq!(res.messages, vec![bank_send(&alice, 100, UUSDC)]);
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "claim_rewards"),
            ("staker", alice.as_str()),
            ("denom", "native:uusdc"),
            ("amount", "100"),
        ])
    );
    assert_eq!(suite.pending(&alice, &native(UUSDC)), 0);
    let pool = suite.pool(&native(UUSDC));
    assert_eq!(
        (pool.deposited, pool.claimed, pool.unclaimed, pool.dust),
        (u(400), u(100), u(300), Uint128::zero())
    );
}

#[test]
fn a_late_bonder_earns_only_later_deposits() {
    let mut suite = Suite::new();
    let (alice, bob, carol) = (suite.alice.clone(), suite.bob.clone(), suite.carol.clone());
    suite.bond(&alice, 100);
    suite.deposit(&carol, &[coin(100, UUSDC)]);
    suite.bond(&bob, 100);
    suite.deposit(&carol, &[coin(100, UUSDC)]);
    assert_eq!(suite.pending(&alice, &native(UUSDC)), 150);
    assert_eq!(suite.pending(&bob, &native(UUSDC)), 50);
}

#[test]
fn unbonded_stake_earns_nothing_but_keeps_what_it_earned() {
    let mut suite = Suite::new();
    let (alice, bob, carol) = (suite.alice.clone(), suite.bob.clone(), suite.carol.clone());
    suite.bond(&alice, 100);
    suite.bond(&bob, 100);
    suite.deposit(&carol, &[coin(100, UUSDC)]);
    suite.unbond(&alice, 100);
    suite.deposit(&carol, &[coin(100, UUSDC)]);
    assert_eq!(suite.pending(&alice, &native(UUSDC)), 50);
    assert_eq!(suite.pending(&bob, &native(UUSDC)), 150);
    let res = suite.claim_rewards(&alice);
    assert_eq!(res.messages, vec![bank_send(&alice, 50, UUSDC)]);
}

#[test]
fn deposits_with_nothing_bonded_wait_for_the_next_deposit() {
    let mut suite = Suite::new();
    let (alice, carol) = (suite.alice.clone(), suite.carol.clone());
    let res = suite.deposit(&carol, &[coin(70, UUSDC)]);
    assert_eq!(attr(&res, "undistributed"), "70");
    let pool = suite.pool(&native(UUSDC));
    assert_eq!(
        (pool.undistributed, pool.unclaimed),
        (u(70), Uint128::zero())
    );
    assert_eq!(suite.holdings(&native(UUSDC)).rewards_undistributed, u(70));

    // Bonding alone distributes nothing.
    suite.bond(&alice, 10);
    assert_eq!(suite.pending(&alice, &native(UUSDC)), 0);
    assert_eq!(
        suite.exec_err(&alice, &[], ExecuteMsg::ClaimRewards {}),
        ContractError::NoRewards {
            address: alice.to_string()
        }
    );
    // The next deposit carries the backlog along.
    suite.deposit(&carol, &[coin(30, UUSDC)]);
    assert_eq!(suite.pending(&alice, &native(UUSDC)), 100);
    assert_eq!(suite.pool(&native(UUSDC)).undistributed, Uint128::zero());
}

#[test]
fn rounding_dust_stays_in_the_contract_and_is_reported() {
    let mut suite = Suite::new();
    let (alice, bob, carol, dave) = (
        suite.alice.clone(),
        suite.bob.clone(),
        suite.carol.clone(),
        addr("dave"),
    );
    for who in [&alice, &bob, &carol] {
        suite.bond(who, 1);
    }
    suite.deposit(&dave, &[coin(10, UUSDC)]);
    for who in [&alice, &bob, &carol] {
        assert_eq!(suite.pending(who, &native(UUSDC)), 3);
        let res = suite.claim_rewards(who);
        assert_eq!(res.messages, vec![bank_send(who, 3, UUSDC)]);
    }
    let pool = suite.pool(&native(UUSDC));
    assert_eq!((pool.unclaimed, pool.dust), (Uint128::zero(), u(1)));
    let holdings = suite.holdings(&native(UUSDC));
    assert_eq!((holdings.rewards_dust, holdings.total), (u(1), u(1)));
    // The remainders are not lost: two more deposits of 1 complete whole units for everyone.
    suite.deposit(&dave, &[coin(2, UUSDC)]);
    for who in [&alice, &bob, &carol] {
        assert_eq!(suite.pending(who, &native(UUSDC)), 1);
    }
}

#[test]
fn cw20_rewards_and_the_stake_token_as_a_reward() {
    let mut suite = Suite::new();
    let (alice, carol, grid, rwd) = (
        suite.alice.clone(),
        suite.carol.clone(),
        addr("grid"),
        addr("rwd"),
    );
    suite.bond(&alice, 100);
    let res = suite.deposit_cw20(&rwd, &carol, 40);
    assert_eq!(attr(&res, "sender"), carol.as_str());
    suite.deposit_cw20(&grid, &carol, 60);
    suite.deposit(&carol, &[coin(5, UUSDC)]);
    let pending: PendingRewardsResponse = suite
        .query(QueryMsg::PendingRewards {
            address: alice.to_string(),
        })
        .unwrap();
    let mut expected = vec![
        DenomAmount {
            denom: cw20("grid"),
            amount: u(60),
        },
        DenomAmount {
            denom: cw20("rwd"),
            amount: u(40),
        },
        DenomAmount {
            denom: native(UUSDC),
            amount: u(5),
        },
    ];
    expected.sort_by_key(|d| d.denom.key());
    assert_eq!(pending.rewards, expected);

    // The stake token's holdings include its reward pool.
    let holdings = suite.holdings(&cw20("grid"));
    assert_eq!(
        (holdings.bonded, holdings.rewards_unclaimed, holdings.total),
        (u(100), u(60), u(160))
    );

    // One claim pays every denom.
    let res = suite.claim_rewards(&alice);
    let mut sent: Vec<(Denom, u128)> = transfers(&res)
        .into_iter()
        .map(|t| (t.denom, t.amount))
        .collect();
    sent.sort();
    let mut expected = vec![(cw20("grid"), 60), (cw20("rwd"), 40), (native(UUSDC), 5)];
    expected.sort();
    assert_eq!(sent, expected);
}

#[test]
fn several_native_coins_in_one_deposit() {
    let mut suite = Suite::native();
    let (alice, carol) = (suite.alice.clone(), suite.carol.clone());
    suite.bond(&alice, 10);
    suite.deposit(&carol, &[coin(20, UGRID), coin(30, UUSDC)]);
    assert_eq!(suite.pending(&alice, &native(UGRID)), 20);
    assert_eq!(suite.pending(&alice, &native(UUSDC)), 30);
    assert_eq!(suite.holdings(&native(UGRID)).total, u(30));
}

#[test]
fn deposits_must_be_in_accepted_denoms_and_non_zero() {
    let mut suite = Suite::new();
    let (alice, carol) = (suite.alice.clone(), suite.carol.clone());
    suite.bond(&alice, 10);
    assert_eq!(
        suite.exec_err(&carol, &[], ExecuteMsg::DepositRewards {}),
        ContractError::Funds(FundsError::NoFunds)
    );
    assert_eq!(
        suite.exec_err(&carol, &[coin(5, "uatom")], ExecuteMsg::DepositRewards {}),
        ContractError::DenomNotAccepted {
            denom: "native:uatom".into()
        }
    );
    // One bad coin spoils the whole deposit.
    assert_eq!(
        suite.exec_err(
            &carol,
            &[coin(5, UUSDC), coin(5, "uatom")],
            ExecuteMsg::DepositRewards {}
        ),
        ContractError::DenomNotAccepted {
            denom: "native:uatom".into()
        }
    );
    assert_eq!(
        suite.exec_err(&carol, &[coin(0, UUSDC)], ExecuteMsg::DepositRewards {}),
        ContractError::Funds(FundsError::ZeroAmount)
    );
    let other = addr("other");
    assert_eq!(
        suite
            .try_receive(&other, &carol, 5, &ReceiveMsg::DepositRewards {})
            .unwrap_err(),
        ContractError::DenomNotAccepted {
            denom: format!("cw20:{other}")
        }
    );
    assert_eq!(
        suite
            .try_receive(&addr("rwd"), &carol, 0, &ReceiveMsg::DepositRewards {})
            .unwrap_err(),
        ContractError::Funds(FundsError::ZeroAmount)
    );
}

#[test]
fn nothing_to_claim_is_an_error() {
    let mut suite = Suite::new();
    let (alice, carol, stranger) = (
        suite.alice.clone(),
        suite.carol.clone(),
        suite.stranger.clone(),
    );
    assert_eq!(
        suite.exec_err(&stranger, &[], ExecuteMsg::ClaimRewards {}),
        ContractError::NoRewards {
            address: stranger.to_string()
        }
    );
    suite.bond(&alice, 10);
    suite.deposit(&carol, &[coin(10, UUSDC)]);
    suite.claim_rewards(&alice);
    assert_eq!(
        suite.exec_err(&alice, &[], ExecuteMsg::ClaimRewards {}),
        ContractError::NoRewards {
            address: alice.to_string()
        }
    );
}

#[test]
fn a_retired_reward_denom_can_still_be_claimed() {
    let mut suite = Suite::new();
    let (alice, carol, owner) = (
        suite.alice.clone(),
        suite.carol.clone(),
        suite.owner.clone(),
    );
    suite.bond(&alice, 10);
    suite.deposit(&carol, &[coin(10, UUSDC)]);
    suite.exec(
        &owner,
        &[],
        ExecuteMsg::UpdateConfig {
            marketplace: None,
            treasury: None,
            unbonding_period: None,
            min_stake_per_gpu: None,
            compensation_ratio: None,
            reward_denoms: Some(vec![UncheckedDenom::Native("uatom".into())]),
            emission_per_epoch: None,
            emission_weights: None,
        },
    );
    assert!(!suite.pool(&native(UUSDC)).accepted);
    assert!(suite.pool(&native("uatom")).accepted);
    assert_eq!(
        suite.exec_err(&carol, &[coin(5, UUSDC)], ExecuteMsg::DepositRewards {}),
        ContractError::DenomNotAccepted {
            denom: "native:uusdc".into()
        }
    );
    let res = suite.claim_rewards(&alice);
    assert_eq!(res.messages, vec![bank_send(&alice, 10, UUSDC)]);
    // The new denom starts from zero for everyone.
    suite.deposit(&carol, &[coin(4, "uatom")]);
    assert_eq!(suite.pending(&alice, &native("uatom")), 4);
}
