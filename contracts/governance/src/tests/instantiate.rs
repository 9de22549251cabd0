//! Instantiation: the rules, validated; every invalid value refused with the value it carried.

use super::helpers::*;
use crate::contract::instantiate;
use crate::msg::{ConfigResponse, Deposit, InstantiateMsg, UncheckedDeposit};
use crate::{ContractError, CONTRACT_NAME, CONTRACT_VERSION, MAX_TIMELOCK, MAX_VOTING_PERIOD};
use cosmwasm_std::testing::{message_info, mock_dependencies, mock_env, MockApi};
use cosmwasm_std::{Api, Decimal, Uint128};
use gridshare_types::{DenomError, UncheckedDenom};

fn try_instantiate(msg: InstantiateMsg, funds: &[cosmwasm_std::Coin]) -> Result<(), ContractError> {
    let mut deps = mock_dependencies();
    let result = instantiate(
        deps.as_mut(),
        mock_env(),
        message_info(&addr("deployer"), funds),
        msg,
    );
    if result.is_err() {
        assert!(
            snapshot(&deps.storage).is_empty(),
            "a failed instantiate wrote state"
        );
    }
    result.map(|_| ())
}

#[test]
fn instantiate_records_the_rules() {
    let suite = Suite::new();
    assert_eq!(
        suite.config(),
        ConfigResponse {
            staking: addr("staking"),
            deposit: Some(Deposit {
                denom: native(UGRID),
                amount: u(DEPOSIT),
            }),
            min_proposer_power: Uint128::zero(),
            quorum: Decimal::percent(30),
            threshold: Decimal::percent(50),
            veto_threshold: Decimal::permille(334),
            voting_period: VOTING_PERIOD,
            timelock: TIMELOCK,
            min_timelock: MIN_TIMELOCK,
        }
    );
    let version = cw2::get_contract_version(&suite.chain.deps.storage).unwrap();
    assert_eq!(
        (version.contract.as_str(), version.version.as_str()),
        (CONTRACT_NAME, CONTRACT_VERSION)
    );
    assert_eq!(CONTRACT_NAME, "governance");
}

#[test]
fn instantiate_reports_what_it_did() {
    let mut deps = mock_dependencies();
    let res = instantiate(
        deps.as_mut(),
        mock_env(),
        message_info(&addr("deployer"), &[]),
        instantiate_msg(),
    )
    .unwrap();
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "instantiate"),
            ("staking", addr("staking").as_str()),
            ("quorum", "0.3"),
            ("threshold", "0.5"),
            ("veto_threshold", "0.334"),
            ("voting_period", &VOTING_PERIOD.to_string()),
            ("timelock", &TIMELOCK.to_string()),
            ("min_timelock", &MIN_TIMELOCK.to_string()),
        ])
    );
}

#[test]
fn extreme_but_valid_rules_are_accepted() {
    for msg in [
        InstantiateMsg {
            quorum: Decimal::one(),
            threshold: Decimal::permille(999),
            veto_threshold: Decimal::one(),
            voting_period: MAX_VOTING_PERIOD,
            timelock: MAX_TIMELOCK,
            min_timelock: MAX_TIMELOCK,
            ..instantiate_msg()
        },
        InstantiateMsg {
            quorum: Decimal::permille(1),
            voting_period: 1,
            timelock: 1,
            min_timelock: 1,
            deposit: None,
            min_proposer_power: u(1),
            ..instantiate_msg()
        },
    ] {
        try_instantiate(msg, &[]).unwrap();
    }
}

#[test]
fn invalid_rules_are_refused() {
    let cases = [
        (
            InstantiateMsg {
                quorum: Decimal::zero(),
                ..instantiate_msg()
            },
            ContractError::InvalidQuorum {
                quorum: Decimal::zero(),
            },
        ),
        (
            InstantiateMsg {
                quorum: Decimal::percent(101),
                ..instantiate_msg()
            },
            ContractError::InvalidQuorum {
                quorum: Decimal::percent(101),
            },
        ),
        (
            InstantiateMsg {
                threshold: Decimal::permille(499),
                ..instantiate_msg()
            },
            ContractError::InvalidThreshold {
                threshold: Decimal::permille(499),
            },
        ),
        (
            InstantiateMsg {
                threshold: Decimal::one(),
                ..instantiate_msg()
            },
            ContractError::InvalidThreshold {
                threshold: Decimal::one(),
            },
        ),
        (
            InstantiateMsg {
                veto_threshold: Decimal::zero(),
                ..instantiate_msg()
            },
            ContractError::InvalidVetoThreshold {
                veto_threshold: Decimal::zero(),
            },
        ),
        (
            InstantiateMsg {
                veto_threshold: Decimal::percent(150),
                ..instantiate_msg()
            },
            ContractError::InvalidVetoThreshold {
                veto_threshold: Decimal::percent(150),
            },
        ),
        (
            InstantiateMsg {
                voting_period: 0,
                ..instantiate_msg()
            },
            ContractError::InvalidVotingPeriod {
                seconds: 0,
                max: MAX_VOTING_PERIOD,
            },
        ),
        (
            InstantiateMsg {
                voting_period: MAX_VOTING_PERIOD + 1,
                ..instantiate_msg()
            },
            ContractError::InvalidVotingPeriod {
                seconds: MAX_VOTING_PERIOD + 1,
                max: MAX_VOTING_PERIOD,
            },
        ),
        (
            InstantiateMsg {
                timelock: MAX_TIMELOCK + 1,
                ..instantiate_msg()
            },
            ContractError::TimelockTooLong {
                seconds: MAX_TIMELOCK + 1,
                max: MAX_TIMELOCK,
            },
        ),
        // No timelock of zero, and none below the floor chosen here.
        (
            InstantiateMsg {
                timelock: 0,
                ..instantiate_msg()
            },
            ContractError::TimelockBelowMinimum {
                timelock: 0,
                min_timelock: MIN_TIMELOCK,
            },
        ),
        (
            InstantiateMsg {
                timelock: MIN_TIMELOCK - 1,
                ..instantiate_msg()
            },
            ContractError::TimelockBelowMinimum {
                timelock: MIN_TIMELOCK - 1,
                min_timelock: MIN_TIMELOCK,
            },
        ),
        (
            InstantiateMsg {
                timelock: 0,
                min_timelock: 0,
                ..instantiate_msg()
            },
            ContractError::InvalidMinTimelock {
                seconds: 0,
                max: MAX_TIMELOCK,
            },
        ),
        (
            InstantiateMsg {
                timelock: MAX_TIMELOCK,
                min_timelock: MAX_TIMELOCK + 1,
                ..instantiate_msg()
            },
            ContractError::InvalidMinTimelock {
                seconds: MAX_TIMELOCK + 1,
                max: MAX_TIMELOCK,
            },
        ),
        (
            InstantiateMsg {
                deposit: None,
                ..instantiate_msg()
            },
            ContractError::NoProposalGate,
        ),
        (
            InstantiateMsg {
                deposit: Some(UncheckedDeposit {
                    denom: UncheckedDenom::Native(UGRID.into()),
                    amount: Uint128::zero(),
                }),
                ..instantiate_msg()
            },
            ContractError::ZeroDeposit,
        ),
        (
            InstantiateMsg {
                deposit: Some(UncheckedDeposit {
                    denom: UncheckedDenom::Native("x".into()),
                    amount: u(1),
                }),
                ..instantiate_msg()
            },
            ContractError::Denom(DenomError::InvalidNative {
                denom: "x".into(),
                reason: "length must be between 3 and 128",
            }),
        ),
        (
            InstantiateMsg {
                staking: "not-an-address".into(),
                ..instantiate_msg()
            },
            ContractError::Std(
                MockApi::default()
                    .addr_validate("not-an-address")
                    .unwrap_err(),
            ),
        ),
    ];
    for (msg, expected) in cases {
        assert_eq!(try_instantiate(msg, &[]), Err(expected));
    }
}

#[test]
fn instantiate_takes_no_funds() {
    assert_eq!(
        try_instantiate(instantiate_msg(), &[coin(5, UGRID)]),
        Err(ContractError::Funds(
            gridshare_plumbing::FundsError::UnexpectedFunds {
                funds: "5ugrid".into()
            }
        ))
    );
}
