//! Instantiate, UpdateParams, UpdateOwner, migrate, and the non-payable rule.

use super::helpers::*;
use crate::contract::{instantiate, migrate};
use crate::msg::*;
use crate::{ContractError, CONTRACT_NAME, CONTRACT_VERSION};
use cosmwasm_std::testing::message_info;
use cosmwasm_std::{Addr, Uint128};
use gridshare_types::{Denom, UncheckedDenom};

fn config(suite: &Suite) -> ConfigResponse {
    suite.query(QueryMsg::Config {}).unwrap()
}

#[test]
fn instantiate_stores_the_parameters() {
    let suite = Suite::new();
    let config = config(&suite);
    assert_eq!(config.owner, addr("owner"));
    assert_eq!(config.escrow, addr("escrow"));
    assert_eq!(config.staking, addr("staking"));
    assert_eq!(config.access_token, Some(addr("access")));
    assert_eq!(config.params.take_rate_bps, TAKE_RATE_BPS);
    assert_eq!(config.params.max_silence, MAX_SILENCE);
    assert_eq!(
        config.params.slash,
        SlashRule::Fixed {
            amount: Uint128::new(SLASH)
        }
    );
    // Sorted and deduplicated.
    assert_eq!(
        config.params.accepted_denoms,
        vec![
            Denom::Native(GRID.into()),
            Denom::Native(USDC.into()),
            Denom::Cw20(addr("token")),
        ]
    );
    let version = cw2::get_contract_version(&suite.deps.storage).unwrap();
    assert_eq!(version.contract, CONTRACT_NAME);
    assert_eq!(version.version, CONTRACT_VERSION);
}

fn try_instantiate(msg: InstantiateMsg) -> Result<cosmwasm_std::Response, ContractError> {
    let mut deps = fresh_deps(Default::default());
    let result = instantiate(
        deps.as_mut(),
        env_at(GENESIS),
        message_info(&addr("owner"), &[]),
        msg,
    );
    if result.is_err() {
        assert!(
            snapshot(&deps.storage).is_empty(),
            "a failed instantiate wrote"
        );
    }
    result
}

#[test]
fn instantiate_refuses_bad_parameters() {
    let with = |f: &dyn Fn(&mut Params)| {
        let mut msg = instantiate_msg();
        f(&mut msg.params);
        try_instantiate(msg).unwrap_err()
    };
    assert_eq!(
        with(&|p| p.take_rate_bps = 10_001),
        ContractError::InvalidParam {
            param: "take_rate_bps",
            value: "10001".into(),
            reason: "at most 10000",
        }
    );
    assert!(matches!(
        with(&|p| p.max_silence = 10),
        ContractError::InvalidParam {
            param: "max_silence",
            ..
        }
    ));
    assert!(matches!(
        with(&|p| p.heartbeat_interval = 0),
        ContractError::InvalidParam {
            param: "heartbeat_interval",
            ..
        }
    ));
    assert!(matches!(
        with(&|p| p.max_replication = 17),
        ContractError::InvalidParam {
            param: "max_replication",
            ..
        }
    ));
    assert!(matches!(
        with(&|p| p.max_scan = 0),
        ContractError::InvalidParam {
            param: "max_scan",
            ..
        }
    ));
    assert!(matches!(
        with(&|p| p.slash = SlashRule::BondBps { bps: 10_001 }),
        ContractError::InvalidParam { param: "slash", .. }
    ));
    assert_eq!(
        with(&|p| p.accepted_denoms = vec![]),
        ContractError::InvalidAcceptedDenoms { got: 0, max: 16 }
    );
    assert!(matches!(
        with(&|p| p.accepted_denoms = vec![native("x")]),
        ContractError::Denom(_)
    ));
    let mut msg = instantiate_msg();
    msg.escrow = "not an address".into();
    assert_eq!(
        try_instantiate(msg).unwrap_err(),
        invalid_address("not an address")
    );
}

#[test]
fn instantiate_takes_no_funds() {
    let mut deps = fresh_deps(Default::default());
    assert_eq!(
        instantiate(
            deps.as_mut(),
            env_at(GENESIS),
            message_info(&addr("owner"), &[usdc(1)]),
            instantiate_msg(),
        )
        .unwrap_err(),
        ContractError::UnexpectedFunds {
            funds: "1uusdc".into()
        }
    );
}

#[test]
fn the_owner_updates_parameters_and_others_cannot() {
    let mut suite = Suite::new();
    let stranger = suite.stranger.clone();
    let update = ParamsUpdate {
        take_rate_bps: Some(500),
        max_silence: Some(900),
        accepted_denoms: Some(vec![native(USDC)]),
        remove_access_token: Some(true),
        ..ParamsUpdate::default()
    };
    assert_eq!(
        suite.exec_err(&stranger, &[], ExecuteMsg::UpdateParams(update.clone())),
        ContractError::Unauthorized {
            sender: stranger.to_string(),
            role: "owner",
        }
    );
    let owner = suite.owner.clone();
    suite.exec(&owner, &[], ExecuteMsg::UpdateParams(update));
    let config = config(&suite);
    assert_eq!(config.params.take_rate_bps, 500);
    assert_eq!(config.params.max_silence, 900);
    assert_eq!(
        config.params.accepted_denoms,
        vec![Denom::Native(USDC.into())]
    );
    assert_eq!(config.access_token, None);

    // Conflicting and invalid updates change nothing.
    assert_eq!(
        suite.exec_err(
            &owner,
            &[],
            ExecuteMsg::UpdateParams(ParamsUpdate {
                access_token: Some(addr("access").to_string()),
                remove_access_token: Some(true),
                ..ParamsUpdate::default()
            })
        ),
        ContractError::ConflictingAccessToken
    );
    assert!(matches!(
        suite.exec_err(
            &owner,
            &[],
            ExecuteMsg::UpdateParams(ParamsUpdate {
                max_matches: Some(0),
                ..ParamsUpdate::default()
            })
        ),
        ContractError::InvalidParam {
            param: "max_matches",
            ..
        }
    ));
    // A denom accepted again keeps its id: its markets are the same markets.
    suite.exec(
        &owner,
        &[],
        ExecuteMsg::UpdateParams(ParamsUpdate {
            accepted_denoms: Some(vec![native(USDC), native(GRID)]),
            escrow: Some(addr("escrow2").to_string()),
            staking: Some(addr("staking2").to_string()),
            access_token: Some(addr("access2").to_string()),
            ..ParamsUpdate::default()
        }),
    );
    let config = self::config(&suite);
    assert_eq!(config.escrow, addr("escrow2"));
    assert_eq!(config.staking, addr("staking2"));
    assert_eq!(config.access_token, Some(addr("access2")));
    assert_eq!(
        crate::state::DENOM_IDS
            .load(&suite.deps.storage, &Denom::Native(GRID.into()).key())
            .unwrap(),
        1
    );
}

#[test]
fn ownership_moves_to_governance() {
    let mut suite = Suite::new();
    let (owner, stranger) = (suite.owner.clone(), suite.stranger.clone());
    assert_eq!(
        suite.exec_err(
            &stranger,
            &[],
            ExecuteMsg::UpdateOwner {
                owner: stranger.to_string()
            }
        ),
        ContractError::Unauthorized {
            sender: stranger.to_string(),
            role: "owner",
        }
    );
    assert_eq!(
        suite.exec_err(
            &owner,
            &[],
            ExecuteMsg::UpdateOwner {
                owner: "bad".into()
            }
        ),
        invalid_address("bad")
    );
    let governance = addr("governance");
    suite.exec(
        &owner,
        &[],
        ExecuteMsg::UpdateOwner {
            owner: governance.to_string(),
        },
    );
    assert_eq!(config(&suite).owner, governance);
    assert!(matches!(
        suite.exec_err(&owner, &[], ExecuteMsg::RetireModel { id: "t4".into() }),
        ContractError::Unauthorized { .. }
    ));
    suite.exec(
        &governance,
        &[],
        ExecuteMsg::RetireModel { id: "t4".into() },
    );
}

#[test]
fn only_post_order_takes_funds() {
    let mut suite = Suite::new();
    let provider = suite.provider("alice", 4);
    let owner = suite.owner.clone();
    let cases: Vec<(Addr, ExecuteMsg)> = vec![
        (
            owner.clone(),
            ExecuteMsg::UpdateParams(ParamsUpdate::default()),
        ),
        (
            owner.clone(),
            ExecuteMsg::UpdateOwner {
                owner: owner.to_string(),
            },
        ),
        (provider.clone(), ExecuteMsg::Heartbeat { telemetry: None }),
        (provider.clone(), offer_msg("t4", 1, 10)),
        (provider.clone(), ExecuteMsg::WithdrawOffer { offer_id: 1 }),
        (provider.clone(), ExecuteMsg::DeactivateProvider {}),
        (owner.clone(), ExecuteMsg::Reap { limit: None }),
        (owner.clone(), ExecuteMsg::ExpireOrders { limit: None }),
        (owner.clone(), ExecuteMsg::CancelOrder { order_id: 1 }),
        (owner.clone(), ExecuteMsg::Finalize { lease_id: 16 }),
        (owner.clone(), ExecuteMsg::Dispute { lease_id: 16 }),
        (owner.clone(), ExecuteMsg::CloseLease { lease_id: 16 }),
        (
            owner.clone(),
            ExecuteMsg::ResolveDispute {
                lease_id: 16,
                uphold_result: true,
            },
        ),
        (
            provider.clone(),
            ExecuteMsg::SubmitResult {
                lease_id: 16,
                sha256: SHA_A.into(),
                output_uri: "x".into(),
                runtime_seconds: 1,
                energy_wh: 1,
            },
        ),
        (owner.clone(), ExecuteMsg::RetireModel { id: "t4".into() }),
    ];
    for (sender, msg) in cases {
        assert_eq!(
            suite.exec_err(&sender, &[usdc(5)], msg),
            ContractError::UnexpectedFunds {
                funds: "5uusdc".into()
            }
        );
    }
    // And PostOrder takes exactly one coin.
    let renter = suite.renter.clone();
    assert_eq!(
        suite.try_post_order(&renter, new_order(), &[]).unwrap_err(),
        ContractError::NoFunds
    );
    assert_eq!(
        suite
            .try_post_order(
                &renter,
                new_order(),
                &[usdc(1_000), cosmwasm_std::Coin::new(1u128, GRID)]
            )
            .unwrap_err(),
        ContractError::MultipleDenoms {
            denoms: "uusdc,ugrid".into()
        }
    );
    assert_eq!(
        suite
            .try_post_order(&renter, new_order(), &[usdc(0)])
            .unwrap_err(),
        ContractError::ZeroAmount
    );
    let _ = UncheckedDenom::Native(USDC.into());
}

// ---- migrate ----

fn try_migrate(suite: &mut Suite) -> Result<cosmwasm_std::Response, ContractError> {
    let before = suite.snapshot();
    let result = migrate(suite.deps.as_mut(), suite.env.clone(), MigrateMsg {});
    if result.is_err() {
        assert_eq!(
            before,
            suite.snapshot(),
            "a failed migrate changed the storage"
        );
    }
    result
}

#[test]
fn migrate_only_forwards_and_only_from_this_contract() {
    let mut suite = Suite::new();
    let res = try_migrate(&mut suite).unwrap();
    assert_eq!(attr(&res, "from_version"), CONTRACT_VERSION);

    cw2::set_contract_version(&mut suite.deps.storage, CONTRACT_NAME, "0.0.1").unwrap();
    let res = try_migrate(&mut suite).unwrap();
    assert_eq!(attr(&res, "from_version"), "0.0.1");
    assert_eq!(
        cw2::get_contract_version(&suite.deps.storage)
            .unwrap()
            .version,
        CONTRACT_VERSION
    );

    for (name, version) in [("crates.io:cw20-base", "0.0.1"), (CONTRACT_NAME, "99.0.0")] {
        cw2::set_contract_version(&mut suite.deps.storage, name, version).unwrap();
        assert_eq!(
            try_migrate(&mut suite).unwrap_err(),
            ContractError::CannotMigrate(gridshare_types::migrate::CannotMigrate {
                from_name: name.into(),
                from_version: version.into(),
                to_name: CONTRACT_NAME.into(),
                to_version: CONTRACT_VERSION.into(),
            })
        );
    }
}
