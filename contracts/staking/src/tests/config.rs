//! UpdateConfig and UpdateOwner: owner only, every field validated.

use super::helpers::*;
use crate::msg::{ConfigResponse, ExecuteMsg};
use crate::{ContractError, MAX_REWARD_DENOMS};
use cosmwasm_std::{Decimal, Uint128};
use gridshare_types::{DenomError, UncheckedDenom};

fn update() -> ExecuteMsg {
    ExecuteMsg::UpdateConfig {
        marketplace: None,
        treasury: None,
        unbonding_period: None,
        min_stake_per_gpu: None,
        compensation_ratio: None,
        reward_denoms: None,
        emission_per_epoch: None,
    }
}

fn with_denoms(denoms: Vec<UncheckedDenom>) -> ExecuteMsg {
    ExecuteMsg::UpdateConfig {
        marketplace: None,
        treasury: None,
        unbonding_period: None,
        min_stake_per_gpu: None,
        compensation_ratio: None,
        reward_denoms: Some(denoms),
        emission_per_epoch: None,
    }
}

fn natives(prefix: &str, n: usize) -> Vec<UncheckedDenom> {
    (0..n)
        .map(|i| UncheckedDenom::Native(format!("{prefix}{i:02}")))
        .collect()
}

#[test]
fn the_owner_updates_every_field() {
    let mut suite = Suite::new();
    let owner = suite.owner.clone();
    let res = suite.exec(
        &owner,
        &[],
        ExecuteMsg::UpdateConfig {
            marketplace: Some(addr("market2").to_string()),
            treasury: Some(addr("treasury2").to_string()),
            unbonding_period: Some(60),
            min_stake_per_gpu: Some(u(7)),
            compensation_ratio: Some(Decimal::percent(25)),
            reward_denoms: Some(vec![UncheckedDenom::Native("uatom".into())]),
            emission_per_epoch: Some(u(9)),
        },
    );
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "update_config"),
            ("marketplace", addr("market2").as_str()),
            ("treasury", addr("treasury2").as_str()),
            ("unbonding_period", "60"),
            ("min_stake_per_gpu", "7"),
            ("compensation_ratio", "0.25"),
            ("emission_per_epoch", "9"),
        ])
    );
    assert_eq!(
        suite.config(),
        ConfigResponse {
            owner: owner.clone(),
            marketplace: addr("market2"),
            treasury: addr("treasury2"),
            stake_denom: cw20("grid"),
            unbonding_period: 60,
            min_stake_per_gpu: u(7),
            compensation_ratio: Decimal::percent(25),
            reward_denoms: vec![native("uatom")],
            epoch_seconds: EPOCH,
            emission_per_epoch: u(9),
        }
    );
    // The new marketplace is the one that may lock now.
    let alice = suite.alice.clone();
    suite.bond(&alice, 10);
    assert!(suite
        .as_marketplace(ExecuteMsg::SetLocked {
            provider: alice.to_string(),
            amount: u(1),
        })
        .is_err());
    suite.exec(
        &addr("market2"),
        &[],
        ExecuteMsg::SetLocked {
            provider: alice.to_string(),
            amount: u(1),
        },
    );
    assert_eq!(suite.collateral(&alice, 1).required, u(7));
}

#[test]
fn an_empty_update_changes_nothing() {
    let mut suite = Suite::new();
    let owner = suite.owner.clone();
    let before = suite.config();
    suite.exec(&owner, &[], update());
    assert_eq!(suite.config(), before);
}

#[test]
fn only_the_owner_updates() {
    let mut suite = Suite::new();
    let (stranger, marketplace) = (suite.stranger.clone(), suite.marketplace.clone());
    for sender in [stranger, marketplace] {
        assert_eq!(
            suite.exec_err(&sender, &[], update()),
            ContractError::Unauthorized {
                sender: sender.to_string(),
                role: "owner",
            }
        );
        assert_eq!(
            suite.exec_err(
                &sender,
                &[],
                ExecuteMsg::UpdateOwner {
                    owner: sender.to_string()
                }
            ),
            ContractError::Unauthorized {
                sender: sender.to_string(),
                role: "owner",
            }
        );
    }
}

#[test]
fn invalid_values_are_refused() {
    let mut suite = Suite::new();
    let owner = suite.owner.clone();
    let bad_ratio = Decimal::percent(150);
    let msg = ExecuteMsg::UpdateConfig {
        marketplace: None,
        treasury: None,
        unbonding_period: Some(1),
        min_stake_per_gpu: None,
        compensation_ratio: Some(bad_ratio),
        reward_denoms: None,
        emission_per_epoch: None,
    };
    assert_eq!(
        suite.exec_err(&owner, &[], msg),
        ContractError::InvalidCompensationRatio { ratio: bad_ratio }
    );
    for (marketplace, treasury) in [(Some("bad market"), None), (None, Some("bad treasury"))] {
        let msg = ExecuteMsg::UpdateConfig {
            marketplace: marketplace.map(str::to_string),
            treasury: treasury.map(str::to_string),
            unbonding_period: None,
            min_stake_per_gpu: None,
            compensation_ratio: None,
            reward_denoms: None,
            emission_per_epoch: None,
        };
        assert_eq!(
            suite.exec_err(&owner, &[], msg),
            invalid_address(marketplace.or(treasury).unwrap())
        );
    }
    for n in [0, MAX_REWARD_DENOMS + 1] {
        assert_eq!(
            suite.exec_err(&owner, &[], with_denoms(natives("den", n))),
            ContractError::InvalidRewardDenoms {
                got: n,
                max: MAX_REWARD_DENOMS
            }
        );
    }
    assert!(matches!(
        suite.exec_err(
            &owner,
            &[],
            with_denoms(vec![UncheckedDenom::Cw20("nope".into())])
        ),
        ContractError::Denom(DenomError::InvalidCw20 { .. })
    ));
}

#[test]
fn reward_pools_are_capped_over_the_contracts_life() {
    let mut suite = Suite::new();
    let owner = suite.owner.clone();
    // Three pools exist; sixteen new ones would make nineteen.
    assert_eq!(
        suite.exec_err(&owner, &[], with_denoms(natives("den", MAX_REWARD_DENOMS))),
        ContractError::TooManyRewardPools {
            existing: 3,
            new: MAX_REWARD_DENOMS,
            max: MAX_REWARD_DENOMS,
        }
    );
    suite.exec(
        &owner,
        &[],
        with_denoms(natives("den", MAX_REWARD_DENOMS - 3)),
    );
    // Re-accepting an old denom needs no new pool.
    suite.exec(
        &owner,
        &[],
        with_denoms(vec![UncheckedDenom::Native(UUSDC.into())]),
    );
    assert_eq!(
        suite.exec_err(&owner, &[], with_denoms(natives("new", 1))),
        ContractError::TooManyRewardPools {
            existing: MAX_REWARD_DENOMS,
            new: 1,
            max: MAX_REWARD_DENOMS,
        }
    );
    // Every pool is still claimable: deposit into the accepted one and claim.
    let (alice, carol) = (suite.alice.clone(), suite.carol.clone());
    suite.bond(&alice, 1);
    suite.deposit(&carol, &[coin(3, UUSDC)]);
    suite.claim_rewards(&alice);
    assert_eq!(suite.pending(&alice, &native(UUSDC)), 0);
    assert_eq!(suite.holdings(&native(UUSDC)).total, Uint128::zero());
}

#[test]
fn the_owner_hands_over() {
    let mut suite = Suite::new();
    let (owner, dao) = (suite.owner.clone(), addr("dao"));
    let res = suite.exec(
        &owner,
        &[],
        ExecuteMsg::UpdateOwner {
            owner: dao.to_string(),
        },
    );
    assert_eq!(
        res.attributes,
        attrs(&[("action", "update_owner"), ("owner", dao.as_str())])
    );
    assert_eq!(suite.config().owner, dao);
    assert_eq!(
        suite.exec_err(&owner, &[], update()),
        ContractError::Unauthorized {
            sender: owner.to_string(),
            role: "owner",
        }
    );
    suite.exec(&dao, &[], update());
    assert_eq!(
        suite.exec_err(
            &dao,
            &[],
            ExecuteMsg::UpdateOwner {
                owner: "bad owner".into()
            }
        ),
        invalid_address("bad owner")
    );
}
