//! instantiate: validation of every field, and the state it leaves.

use super::helpers::*;
use crate::contract::instantiate;
use crate::msg::{ConfigResponse, EmissionWeight, InstantiateMsg};
use crate::{ContractError, CONTRACT_NAME, CONTRACT_VERSION, MAX_REWARD_DENOMS};
use cosmwasm_std::testing::{message_info, mock_dependencies};
use cosmwasm_std::{Addr, Coin, Decimal, Response, Uint128};
use gridshare_plumbing::{DenomListError, FundsError};
use gridshare_types::{DenomError, UncheckedDenom};

/// Instantiates a fresh contract; on error, checks that nothing at all was stored.
fn try_instantiate(
    sender: &Addr,
    funds: &[Coin],
    msg: InstantiateMsg,
) -> (MockDeps, Result<Response, ContractError>) {
    let mut deps = mock_dependencies();
    let result = instantiate(
        deps.as_mut(),
        env_at(GENESIS),
        message_info(sender, funds),
        msg,
    );
    if result.is_err() {
        assert!(
            snapshot(&deps.storage).is_empty(),
            "a failed instantiate stored something"
        );
    }
    (deps, result)
}

fn instantiate_err(msg: InstantiateMsg) -> ContractError {
    try_instantiate(&addr("creator"), &[], msg).1.unwrap_err()
}

fn natives(n: usize) -> Vec<UncheckedDenom> {
    (0..n)
        .map(|i| UncheckedDenom::Native(format!("denom{i:02}")))
        .collect()
}

#[test]
fn the_owner_defaults_to_the_sender_and_the_config_is_stored() {
    let creator = addr("creator");
    let (deps, result) = try_instantiate(&creator, &[], instantiate_msg());
    let res = result.unwrap();
    assert!(res.messages.is_empty());
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "instantiate"),
            ("owner", creator.as_str()),
            ("marketplace", addr("marketplace").as_str()),
            ("treasury", addr("treasury").as_str()),
            ("stake_denom", &format!("cw20:{}", addr("grid"))),
            ("reward_denoms_check", "skipped"),
        ])
    );
    let version = cw2::get_contract_version(&deps.storage).unwrap();
    assert_eq!(version.contract, CONTRACT_NAME);
    assert_eq!(version.version, CONTRACT_VERSION);

    let suite = Suite::new();
    let mut reward_denoms = vec![native(UUSDC), cw20("grid"), cw20("rwd")];
    reward_denoms.sort();
    assert_eq!(
        suite.config(),
        ConfigResponse {
            owner: addr("owner"),
            marketplace: addr("marketplace"),
            treasury: addr("treasury"),
            stake_denom: cw20("grid"),
            unbonding_period: UNBONDING,
            min_stake_per_gpu: u(MIN_STAKE_PER_GPU),
            compensation_ratio: Decimal::percent(50),
            reward_denoms: reward_denoms.clone(),
            epoch_seconds: EPOCH,
            emission_per_epoch: u(EMISSION),
            // By default a fee's weight is its amount, in every reward denom.
            emission_weights: reward_denoms
                .iter()
                .map(|denom| EmissionWeight {
                    denom: denom.clone(),
                    weight: Uint128::one(),
                })
                .collect(),
            scheduled_emission: None,
        }
    );
    // Every reward denom has an empty pool; nothing is held.
    for denom in [native(UUSDC), cw20("grid"), cw20("rwd")] {
        let pool = suite.pool(&denom);
        assert!(pool.accepted);
        assert_eq!(pool.deposited, Uint128::zero());
    }
    assert!(suite.totals().iter().all(|t| t.total.is_zero()));
    let emissions = suite.emissions();
    assert_eq!(emissions.genesis, GENESIS);
    assert_eq!(emissions.current_epoch, 0);
    assert_eq!(suite.total_power(None), 0);
}

#[test]
fn an_explicit_owner_and_a_native_stake_denom() {
    let msg = InstantiateMsg {
        owner: Some(addr("dao").to_string()),
        ..native_instantiate_msg()
    };
    let (_, result) = try_instantiate(&addr("creator"), &[], msg);
    assert_eq!(attr(&result.unwrap(), "owner"), addr("dao").as_str());
    assert_eq!(Suite::native().config().stake_denom, native(UGRID));
}

#[test]
fn duplicate_reward_denoms_are_merged() {
    let msg = InstantiateMsg {
        reward_denoms: vec![
            UncheckedDenom::Native(UUSDC.into()),
            UncheckedDenom::Native(UUSDC.into()),
        ],
        ..instantiate_msg()
    };
    let suite = Suite::with(msg);
    assert_eq!(suite.config().reward_denoms, vec![native(UUSDC)]);
}

#[test]
fn funds_are_refused() {
    let (_, result) = try_instantiate(&addr("creator"), &[coin(5, UGRID)], instantiate_msg());
    assert_eq!(
        result.unwrap_err(),
        ContractError::Funds(FundsError::UnexpectedFunds {
            funds: "5ugrid".into()
        })
    );
}

#[test]
fn addresses_must_be_valid() {
    let bad = "not an address";
    for msg in [
        InstantiateMsg {
            owner: Some(bad.into()),
            ..instantiate_msg()
        },
        InstantiateMsg {
            marketplace: bad.into(),
            ..instantiate_msg()
        },
        InstantiateMsg {
            treasury: bad.into(),
            ..instantiate_msg()
        },
    ] {
        assert_eq!(instantiate_err(msg), invalid_address(bad));
    }
}

#[test]
fn the_stake_denom_must_be_valid() {
    assert_eq!(
        instantiate_err(InstantiateMsg {
            stake_denom: UncheckedDenom::Native("1x".into()),
            ..instantiate_msg()
        }),
        ContractError::Denom(DenomError::InvalidNative {
            denom: "1x".into(),
            reason: "length must be between 3 and 128",
        })
    );
    assert!(matches!(
        instantiate_err(InstantiateMsg {
            stake_denom: UncheckedDenom::Cw20("nope".into()),
            ..instantiate_msg()
        }),
        ContractError::Denom(DenomError::InvalidCw20 { address, .. }) if address == "nope"
    ));
}

#[test]
fn the_epoch_must_have_a_length() {
    assert_eq!(
        instantiate_err(InstantiateMsg {
            epoch_seconds: 0,
            ..instantiate_msg()
        }),
        ContractError::InvalidEpochSeconds
    );
}

#[test]
fn the_compensation_ratio_is_at_most_one() {
    let ratio = Decimal::percent(101);
    assert_eq!(
        instantiate_err(InstantiateMsg {
            compensation_ratio: ratio,
            ..instantiate_msg()
        }),
        ContractError::InvalidCompensationRatio { ratio }
    );
    // Exactly one is fine.
    Suite::with(InstantiateMsg {
        compensation_ratio: Decimal::one(),
        ..instantiate_msg()
    });
}

#[test]
fn reward_denoms_are_bounded_and_valid() {
    for n in [0, MAX_REWARD_DENOMS + 1] {
        assert_eq!(
            instantiate_err(InstantiateMsg {
                reward_denoms: natives(n),
                ..instantiate_msg()
            }),
            ContractError::DenomList(DenomListError::Count {
                got: n,
                max: MAX_REWARD_DENOMS
            })
        );
    }
    let err = instantiate_err(InstantiateMsg {
        reward_denoms: vec![],
        ..instantiate_msg()
    });
    assert_eq!(
        err.to_string(),
        format!("a denom list holds 1 to {MAX_REWARD_DENOMS} denoms, got 0")
    );
    assert!(matches!(
        instantiate_err(InstantiateMsg {
            reward_denoms: vec![UncheckedDenom::Native("u grid".into())],
            ..instantiate_msg()
        }),
        ContractError::DenomList(DenomListError::Denom(DenomError::InvalidNative { .. }))
    ));
    let suite = Suite::with(InstantiateMsg {
        reward_denoms: natives(MAX_REWARD_DENOMS),
        ..instantiate_msg()
    });
    assert_eq!(suite.config().reward_denoms.len(), MAX_REWARD_DENOMS);
}

#[test]
fn explicit_emission_weights_are_validated_and_kept() {
    let suite = Suite::with(InstantiateMsg {
        emission_weights: Some(vec![
            weight(UncheckedDenom::Native(UUSDC.into()), 5),
            weight(UncheckedDenom::Native("uatom".into()), 0),
        ]),
        ..instantiate_msg()
    });
    assert_eq!(
        suite.config().emission_weights,
        vec![
            EmissionWeight {
                denom: native("uatom"),
                weight: Uint128::zero(),
            },
            EmissionWeight {
                denom: native(UUSDC),
                weight: u(5),
            },
        ]
    );
    assert_eq!(
        instantiate_err(InstantiateMsg {
            emission_weights: Some(vec![
                weight(UncheckedDenom::Native(UUSDC.into()), 5),
                weight(UncheckedDenom::Native(UUSDC.into()), 5),
            ]),
            ..instantiate_msg()
        }),
        ContractError::DuplicateEmissionWeight {
            denom: "native:uusdc".into()
        }
    );
}
