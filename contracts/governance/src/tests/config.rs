//! UpdateConfig: only governance itself, validated, and never retroactive.

use super::helpers::*;
use crate::execute::config::ConfigUpdate;
use crate::msg::{
    ConfigResponse, Deposit, DepositSetting, ExecuteMsg, UncheckedDeposit, VoteOption,
};
use crate::ContractError;
use cosmwasm_std::{Decimal, Uint128};
use gridshare_types::UncheckedDenom;

fn update(u: ConfigUpdate) -> ExecuteMsg {
    ExecuteMsg::UpdateConfig {
        staking: u.staking,
        deposit: u.deposit,
        min_proposer_power: u.min_proposer_power,
        quorum: u.quorum,
        threshold: u.threshold,
        veto_threshold: u.veto_threshold,
        voting_period: u.voting_period,
        timelock: u.timelock,
    }
}

#[test]
fn governance_itself_updates_the_config() {
    let mut suite = Suite::new();
    let gov = suite.gov();
    let res = suite.exec(
        &gov,
        &[],
        update(ConfigUpdate {
            staking: Some(addr("staking_v2").to_string()),
            deposit: Some(DepositSetting::Require(UncheckedDeposit {
                denom: UncheckedDenom::Cw20(addr("grid").to_string()),
                amount: u(50),
            })),
            min_proposer_power: Some(u(10)),
            quorum: Some(Decimal::percent(40)),
            threshold: Some(Decimal::percent(66)),
            veto_threshold: Some(Decimal::percent(50)),
            voting_period: Some(DAY),
            timelock: Some(MIN_TIMELOCK),
        }),
    );
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "update_config"),
            ("staking", addr("staking_v2").as_str()),
            ("quorum", "0.4"),
            ("threshold", "0.66"),
            ("veto_threshold", "0.5"),
            ("voting_period", "86400"),
            ("timelock", "60"),
        ])
    );
    assert_eq!(
        suite.config(),
        ConfigResponse {
            staking: addr("staking_v2"),
            deposit: Some(Deposit {
                denom: gridshare_types::Denom::Cw20(addr("grid")),
                amount: u(50),
            }),
            min_proposer_power: u(10),
            quorum: Decimal::percent(40),
            threshold: Decimal::percent(66),
            veto_threshold: Decimal::percent(50),
            voting_period: DAY,
            timelock: MIN_TIMELOCK,
            min_timelock: MIN_TIMELOCK,
        }
    );
}

#[test]
fn fields_left_out_are_kept() {
    let mut suite = Suite::new();
    let gov = suite.gov();
    let before = suite.config();
    suite.exec(&gov, &[], update(ConfigUpdate::default()));
    assert_eq!(suite.config(), before);
    suite.exec(
        &gov,
        &[],
        update(ConfigUpdate {
            timelock: Some(MIN_TIMELOCK + 7),
            ..Default::default()
        }),
    );
    assert_eq!(
        suite.config(),
        ConfigResponse {
            timelock: MIN_TIMELOCK + 7,
            ..before
        }
    );
}

#[test]
fn nobody_else_updates_the_config() {
    let mut suite = Suite::new();
    for sender in [
        addr("deployer"),
        suite.alice.clone(),
        suite.staking_addr.clone(),
    ] {
        assert_eq!(
            suite.exec_err(
                &sender,
                &[],
                update(ConfigUpdate {
                    quorum: Some(Decimal::percent(1)),
                    ..Default::default()
                })
            ),
            ContractError::Unauthorized {
                sender: sender.to_string(),
                role: "governance itself (only a passed proposal can do this)",
            }
        );
    }
}

#[test]
fn invalid_updates_change_nothing() {
    let mut suite = Suite::new();
    let gov = suite.gov();
    assert_eq!(
        suite.exec_err(
            &gov,
            &[],
            update(ConfigUpdate {
                deposit: Some(DepositSetting::Waive {}),
                ..Default::default()
            })
        ),
        ContractError::NoProposalGate
    );
    assert_eq!(
        suite.exec_err(
            &gov,
            &[],
            update(ConfigUpdate {
                threshold: Some(Decimal::percent(20)),
                ..Default::default()
            })
        ),
        ContractError::InvalidThreshold {
            threshold: Decimal::percent(20)
        }
    );
    assert_eq!(
        suite.exec_err(
            &gov,
            &[],
            update(ConfigUpdate {
                deposit: Some(DepositSetting::Require(UncheckedDeposit {
                    denom: UncheckedDenom::Native(UGRID.into()),
                    amount: Uint128::zero(),
                })),
                ..Default::default()
            })
        ),
        ContractError::ZeroDeposit
    );
    // Waiving the deposit works together with a power gate.
    suite.exec(
        &gov,
        &[],
        update(ConfigUpdate {
            deposit: Some(DepositSetting::Waive {}),
            min_proposer_power: Some(u(100)),
            ..Default::default()
        }),
    );
    assert_eq!(suite.config().deposit, None);
}

#[test]
fn no_update_lowers_the_timelock_below_its_floor() {
    let mut suite = Suite::new();
    let gov = suite.gov();
    for timelock in [0, 1, MIN_TIMELOCK - 1] {
        assert_eq!(
            suite.exec_err(
                &gov,
                &[],
                update(ConfigUpdate {
                    timelock: Some(timelock),
                    ..Default::default()
                })
            ),
            ContractError::TimelockBelowMinimum {
                timelock,
                min_timelock: MIN_TIMELOCK,
            }
        );
    }
    assert_eq!(suite.config().timelock, TIMELOCK);
    // The floor itself is fine, and stays what instantiation fixed.
    suite.exec(
        &gov,
        &[],
        update(ConfigUpdate {
            timelock: Some(MIN_TIMELOCK),
            ..Default::default()
        }),
    );
    assert_eq!(
        (suite.config().timelock, suite.config().min_timelock),
        (MIN_TIMELOCK, MIN_TIMELOCK)
    );
}

#[test]
fn open_proposals_keep_the_rules_they_started_with() {
    let mut suite = Suite::new();
    let (alice, bob, gov) = (suite.alice.clone(), suite.bob.clone(), suite.gov());
    let id = suite.propose(&alice, vec![]);
    suite.exec(
        &gov,
        &[],
        update(ConfigUpdate {
            quorum: Some(Decimal::one()),
            voting_period: Some(10 * DAY),
            timelock: Some(10 * DAY),
            ..Default::default()
        }),
    );
    suite.vote(&bob, id, VoteOption::Yes);
    suite.advance(VOTING_PERIOD + TIMELOCK);
    // Quorum 30 % (not 100 %), three days (not ten), a day of timelock (not ten): executable.
    suite.execute(id).unwrap();
    let p = suite.proposal(id);
    assert_eq!(p.rules.quorum, Decimal::percent(30));
    assert_eq!(p.voting_ends_at, GENESIS + VOTING_PERIOD);
}

#[test]
fn update_config_takes_no_funds() {
    let mut suite = Suite::new();
    let gov = suite.gov();
    assert_eq!(
        suite.exec_err(&gov, &[coin(1, UGRID)], update(ConfigUpdate::default())),
        ContractError::Funds(gridshare_plumbing::FundsError::UnexpectedFunds {
            funds: "1ugrid".into()
        })
    );
}
