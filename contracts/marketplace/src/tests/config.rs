//! Instantiate, UpdateParams (and its denom check against escrow), two-step ownership, migrate,
//! and the non-payable rule.

use super::helpers::*;
use crate::contract::instantiate;
use crate::msg::*;
use crate::{ContractError, CONTRACT_NAME, CONTRACT_VERSION};
use cosmwasm_std::testing::message_info;
use cosmwasm_std::testing::MockApi;
use cosmwasm_std::{Addr, Api, Uint128};
use gridshare_plumbing::{DenomListError, FundsError, OwnerError};
use gridshare_types::owner::{OwnerAction, OwnershipResponse};
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
    let version = cw2::get_contract_version(&suite.chain.deps.storage).unwrap();
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
    // A governance majority cannot make a liveness fault take more than the whole bond, nor
    // close the reveal window so that nobody can ever reveal (every result would go unpaid).
    assert!(matches!(
        with(&|p| p.liveness_slash = SlashRule::BondBps { bps: 10_001 }),
        ContractError::InvalidParam {
            param: "liveness_slash",
            ..
        }
    ));
    assert!(matches!(
        with(&|p| p.reveal_window = 0),
        ContractError::InvalidParam {
            param: "reveal_window",
            ..
        }
    ));
    assert!(matches!(
        with(&|p| p.max_replication = 16),
        ContractError::InvalidParam {
            param: "max_replication",
            ..
        }
    ));
    assert_eq!(
        with(&|p| p.accepted_denoms = vec![]),
        ContractError::DenomList(DenomListError::Count { got: 0, max: 16 })
    );
    assert!(matches!(
        with(&|p| p.accepted_denoms = vec![native("x")]),
        ContractError::DenomList(DenomListError::Denom(_))
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
        ContractError::Funds(FundsError::UnexpectedFunds {
            funds: "1uusdc".into()
        })
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
        ContractError::Owner(OwnerError::NotOwner {
            sender: stranger.to_string(),
        })
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
            .load(&suite.chain.deps.storage, &Denom::Native(GRID.into()).key())
            .unwrap(),
        1
    );
}

fn ownership(suite: &Suite) -> OwnershipResponse {
    suite.query(QueryMsg::Ownership {}).unwrap()
}

fn transfer(to: &str, expiry: Option<u64>) -> ExecuteMsg {
    ExecuteMsg::UpdateOwnership(OwnerAction::TransferOwnership {
        new_owner: to.into(),
        expiry,
    })
}

#[test]
fn ownership_moves_to_governance_in_two_steps() {
    let mut suite = Suite::new();
    let (owner, stranger) = (suite.owner.clone(), suite.stranger.clone());
    let governance = addr("governance");
    assert_eq!(
        suite.exec_err(&stranger, &[], transfer(stranger.as_str(), None)),
        ContractError::Owner(OwnerError::NotOwner {
            sender: stranger.to_string()
        })
    );
    assert_eq!(
        suite.exec_err(&owner, &[], transfer("bad", None)),
        ContractError::Owner(OwnerError::Std(
            MockApi::default().addr_validate("bad").unwrap_err()
        ))
    );
    assert_eq!(
        suite.exec_err(&owner, &[], transfer(governance.as_str(), Some(GENESIS))),
        ContractError::Owner(OwnerError::ExpiryInPast {
            expiry: GENESIS,
            now: GENESIS
        })
    );
    suite.exec(
        &owner,
        &[],
        transfer(governance.as_str(), Some(GENESIS + HOUR)),
    );
    // Offered, not given: the owner is still in charge and a stranger cannot accept.
    assert_eq!(
        ownership(&suite),
        OwnershipResponse {
            owner: owner.clone(),
            pending_owner: Some(governance.clone()),
            pending_expiry: Some(GENESIS + HOUR),
        }
    );
    assert_eq!(config(&suite).owner, owner);
    let accept = ExecuteMsg::UpdateOwnership(OwnerAction::AcceptOwnership {});
    assert_eq!(
        suite.exec_err(&stranger, &[], accept.clone()),
        ContractError::Owner(OwnerError::NotPendingOwner {
            sender: stranger.to_string()
        })
    );
    suite.exec(&owner, &[], ExecuteMsg::RetireModel { id: "a100".into() });
    suite.exec(&governance, &[], accept.clone());
    assert_eq!(config(&suite).owner, governance);
    assert_eq!(ownership(&suite).pending_owner, None);
    assert!(matches!(
        suite.exec_err(&owner, &[], ExecuteMsg::RetireModel { id: "t4".into() }),
        ContractError::Owner(OwnerError::NotOwner { .. })
    ));
    suite.exec(
        &governance,
        &[],
        ExecuteMsg::RetireModel { id: "t4".into() },
    );
    assert_eq!(
        suite.exec_err(&governance, &[], accept),
        ContractError::Owner(OwnerError::NoPendingOwner)
    );
}

#[test]
fn an_ownership_offer_expires_and_can_be_withdrawn() {
    let mut suite = Suite::new();
    let owner = suite.owner.clone();
    let governance = addr("governance");
    let accept = ExecuteMsg::UpdateOwnership(OwnerAction::AcceptOwnership {});
    suite.exec(
        &owner,
        &[],
        transfer(governance.as_str(), Some(GENESIS + 10)),
    );
    suite.advance(10);
    assert_eq!(
        suite.exec_err(&governance, &[], accept.clone()),
        ContractError::Owner(OwnerError::TransferExpired {
            expiry: GENESIS + 10,
            now: GENESIS + 10
        })
    );
    suite.exec(&owner, &[], transfer(governance.as_str(), None));
    let cancel = ExecuteMsg::UpdateOwnership(OwnerAction::CancelTransfer {});
    assert!(matches!(
        suite.exec_err(&governance, &[], cancel.clone()),
        ContractError::Owner(OwnerError::NotOwner { .. })
    ));
    suite.exec(&owner, &[], cancel.clone());
    assert_eq!(
        suite.exec_err(&governance, &[], accept),
        ContractError::Owner(OwnerError::NoPendingOwner)
    );
    assert_eq!(
        suite.exec_err(&owner, &[], cancel),
        ContractError::Owner(OwnerError::NoPendingOwner)
    );
    assert_eq!(config(&suite).owner, owner);
}

#[test]
fn accepted_denoms_must_be_ones_escrow_holds() {
    let mut suite = Suite::new();
    let owner = suite.owner.clone();
    let usdc = Denom::Native(USDC.into());
    suite.world.borrow_mut().escrow_denoms = Some(vec![usdc.clone()]);
    let update = |denoms: Vec<UncheckedDenom>, escrow: Option<&str>| {
        ExecuteMsg::UpdateParams(ParamsUpdate {
            accepted_denoms: Some(denoms),
            escrow: escrow.map(|e| addr(e).to_string()),
            ..ParamsUpdate::default()
        })
    };
    // GRID is not one escrow accepts: fees in it could never be delivered.
    assert_eq!(
        suite.exec_err(&owner, &[], update(vec![native(USDC), native(GRID)], None)),
        ContractError::DenomList(DenomListError::NotSubset {
            missing: Denom::Native(GRID.into()).to_string(),
            inner: "marketplace's accepted denoms",
            outer: "escrow's accepted denoms",
        })
    );
    suite.exec(&owner, &[], update(vec![native(USDC)], None));
    assert_eq!(config(&suite).params.accepted_denoms, vec![usdc.clone()]);
    // The instantiated list (USDC, GRID, a cw20) was never checked, and a change that does not
    // touch the denoms or escrow is not checked either.
    suite.world.borrow_mut().escrow_denoms = Some(vec![Denom::Native(GRID.into())]);
    suite.exec(
        &owner,
        &[],
        ExecuteMsg::UpdateParams(ParamsUpdate {
            take_rate_bps: Some(100),
            ..ParamsUpdate::default()
        }),
    );
    // Pointing at another escrow re-checks the list against it (the mock answers for
    // `escrow` only: another address does not answer, so the check is skipped).
    assert!(matches!(
        suite.exec_err(&owner, &[], update(vec![native(USDC)], Some("escrow"))),
        ContractError::DenomList(DenomListError::NotSubset { .. })
    ));
    suite.exec(&owner, &[], update(vec![native(USDC)], Some("escrow2")));
    assert_eq!(config(&suite).escrow, addr("escrow2"));
    // An escrow that does not answer is not checked.
    suite.world.borrow_mut().escrow_denoms = None;
    suite.exec(
        &owner,
        &[],
        update(vec![native(USDC), native(GRID)], Some("escrow")),
    );
    assert_eq!(config(&suite).params.accepted_denoms.len(), 2);
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
        (owner.clone(), transfer(owner.as_str(), None)),
        (provider.clone(), ExecuteMsg::Heartbeat { telemetry: None }),
        (provider.clone(), offer_msg("t4", 1, 10)),
        (provider.clone(), ExecuteMsg::WithdrawOffer { offer_id: 1 }),
        (provider.clone(), ExecuteMsg::DeactivateProvider {}),
        (owner.clone(), ExecuteMsg::Reap { limit: None }),
        (owner.clone(), ExecuteMsg::ExpireOrders { limit: None }),
        (owner.clone(), ExecuteMsg::CancelOrder { order_id: 1 }),
        (owner.clone(), ExecuteMsg::Finalize { lease_id: 16 }),
        (owner.clone(), close(16)),
        (
            owner.clone(),
            ExecuteMsg::ResolveDispute {
                lease_id: 16,
                uphold_result: true,
            },
        ),
        (
            provider.clone(),
            ExecuteMsg::CommitResult {
                lease_id: 16,
                commitment: SHA_A.into(),
                output_uri: "x".into(),
                runtime_seconds: 1,
                energy_mwh: Some(1),
            },
        ),
        (
            provider.clone(),
            ExecuteMsg::RevealResult {
                lease_id: 16,
                sha256: SHA_A.into(),
                salt: RENTER_SALT.into(),
            },
        ),
        (owner.clone(), ExecuteMsg::RetireModel { id: "t4".into() }),
    ];
    for (sender, msg) in cases {
        assert_eq!(
            suite.exec_err(&sender, &[usdc(5)], msg),
            ContractError::Funds(FundsError::UnexpectedFunds {
                funds: "5uusdc".into()
            })
        );
    }
    // And PostOrder takes exactly one coin.
    let renter = suite.renter.clone();
    assert_eq!(
        suite.try_post_order(&renter, new_order(), &[]).unwrap_err(),
        ContractError::Funds(FundsError::NoFunds)
    );
    assert_eq!(
        suite
            .try_post_order(
                &renter,
                new_order(),
                &[usdc(1_000), cosmwasm_std::Coin::new(1u128, GRID)]
            )
            .unwrap_err(),
        ContractError::Funds(FundsError::MultipleDenoms {
            denoms: "uusdc,ugrid".into()
        })
    );
    assert_eq!(
        suite
            .try_post_order(&renter, new_order(), &[usdc(0)])
            .unwrap_err(),
        ContractError::Funds(FundsError::ZeroAmount)
    );
    let _ = UncheckedDenom::Native(USDC.into());
}

// ---- migrate ----

fn try_migrate(suite: &mut Suite) -> Result<cosmwasm_std::Response, ContractError> {
    // The chain holds a refused migration to "storage unchanged".
    suite.chain.migrate(MigrateMsg {})
}

#[test]
fn migrate_only_forwards_and_only_from_this_contract() {
    let mut suite = Suite::new();
    let res = try_migrate(&mut suite).unwrap();
    assert_eq!(attr(&res, "from_version"), CONTRACT_VERSION);

    cw2::set_contract_version(&mut suite.chain.deps.storage, CONTRACT_NAME, "0.0.1").unwrap();
    let res = try_migrate(&mut suite).unwrap();
    assert_eq!(attr(&res, "from_version"), "0.0.1");
    assert_eq!(
        cw2::get_contract_version(&suite.chain.deps.storage)
            .unwrap()
            .version,
        CONTRACT_VERSION
    );

    for (name, version) in [("crates.io:cw20-base", "0.0.1"), (CONTRACT_NAME, "99.0.0")] {
        cw2::set_contract_version(&mut suite.chain.deps.storage, name, version).unwrap();
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
