//! UpdateConfig and UpdateOwnership: owner only, every field validated, reward denoms kept a
//! superset of escrow's accepted denoms, two-step hand-over.

use super::helpers::*;
use crate::msg::{
    ConfigResponse, EmissionWeight, ExecuteMsg, ScheduledEmission, UncheckedEmissionWeight,
};
use crate::{ContractError, MAX_EMISSION_WEIGHT, MAX_REWARD_DENOMS};
use cosmwasm_std::{Addr, Decimal, Uint128};
use gridshare_plumbing::{DenomListError, OwnerAction, OwnerError, OwnershipResponse};
use gridshare_types::{DenomError, UncheckedDenom};

fn update() -> ExecuteMsg {
    no_update()
}

fn with_weights(weights: Vec<UncheckedEmissionWeight>) -> ExecuteMsg {
    ExecuteMsg::UpdateConfig {
        marketplace: None,
        treasury: None,
        unbonding_period: None,
        min_stake_per_gpu: None,
        compensation_ratio: None,
        reward_denoms: None,
        emission_per_epoch: None,
        emission_weights: Some(weights),
    }
}

fn with_marketplace(marketplace: &Addr) -> ExecuteMsg {
    ExecuteMsg::UpdateConfig {
        marketplace: Some(marketplace.to_string()),
        treasury: None,
        unbonding_period: None,
        min_stake_per_gpu: None,
        compensation_ratio: None,
        reward_denoms: None,
        emission_per_epoch: None,
        emission_weights: None,
    }
}

fn not_owner(sender: &Addr) -> ContractError {
    ContractError::Owner(OwnerError::NotOwner {
        sender: sender.to_string(),
    })
}

fn ownership(suite: &Suite) -> OwnershipResponse {
    suite.query(crate::msg::QueryMsg::Ownership {}).unwrap()
}

fn offer(to: &Addr, expiry: Option<u64>) -> ExecuteMsg {
    ExecuteMsg::UpdateOwnership(OwnerAction::TransferOwnership {
        new_owner: to.to_string(),
        expiry,
    })
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
        emission_weights: None,
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
            emission_weights: Some(vec![weight(UncheckedDenom::Native("uatom".into()), 4)]),
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
            // The emission parameters change from the next epoch.
            ("emission_per_epoch", "1000"),
            // market2 is no contract: there is no escrow to check against yet.
            ("reward_denoms_check", "skipped"),
            ("next_emission_per_epoch", "9"),
            ("next_emission_from_epoch", "1"),
        ])
    );
    let mut default_weights: Vec<EmissionWeight> = [native(UUSDC), cw20("grid"), cw20("rwd")]
        .into_iter()
        .map(|denom| EmissionWeight {
            denom,
            weight: Uint128::one(),
        })
        .collect();
    default_weights.sort_by(|a, b| a.denom.cmp(&b.denom));
    let new_weights = vec![EmissionWeight {
        denom: native("uatom"),
        weight: u(4),
    }];
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
            emission_per_epoch: u(EMISSION),
            emission_weights: default_weights,
            scheduled_emission: Some(ScheduledEmission {
                from_epoch: 1,
                emission_per_epoch: u(9),
                emission_weights: new_weights.clone(),
            }),
        }
    );
    suite.advance(EPOCH);
    let config = suite.config();
    assert_eq!(
        (config.emission_per_epoch, config.emission_weights),
        (u(9), new_weights)
    );
    assert_eq!(config.scheduled_emission, None);
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
        let err = suite.exec_err(&sender, &[], update());
        assert_eq!(err, not_owner(&sender));
        assert_eq!(err.to_string(), format!("{sender} is not the owner"));
        assert_eq!(
            suite.exec_err(&sender, &[], offer(&sender, None)),
            not_owner(&sender)
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
        emission_weights: None,
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
            emission_weights: None,
        };
        assert_eq!(
            suite.exec_err(&owner, &[], msg),
            invalid_address(marketplace.or(treasury).unwrap())
        );
    }
    for n in [0, MAX_REWARD_DENOMS + 1] {
        assert_eq!(
            suite.exec_err(&owner, &[], with_denoms(natives("den", n))),
            ContractError::DenomList(DenomListError::Count {
                got: n,
                max: MAX_REWARD_DENOMS
            })
        );
    }
    assert!(matches!(
        suite.exec_err(
            &owner,
            &[],
            with_denoms(vec![UncheckedDenom::Cw20("nope".into())])
        ),
        ContractError::DenomList(DenomListError::Denom(DenomError::InvalidCw20 { .. }))
    ));
}

#[test]
fn emission_weights_are_validated() {
    let mut suite = Suite::new();
    let owner = suite.owner.clone();
    let usdc = || UncheckedDenom::Native(UUSDC.into());
    let too_many: Vec<_> = (0..=MAX_REWARD_DENOMS)
        .map(|i| weight(UncheckedDenom::Native(format!("den{i:02}")), 1))
        .collect();
    assert_eq!(
        suite.exec_err(&owner, &[], with_weights(too_many)),
        ContractError::TooManyEmissionWeights {
            got: MAX_REWARD_DENOMS + 1,
            max: MAX_REWARD_DENOMS,
        }
    );
    let err = suite.exec_err(
        &owner,
        &[],
        with_weights(vec![weight(usdc(), 1), weight(usdc(), 2)]),
    );
    assert_eq!(
        err,
        ContractError::DuplicateEmissionWeight {
            denom: "native:uusdc".into()
        }
    );
    assert_eq!(
        err.to_string(),
        "native:uusdc has more than one emission weight"
    );
    assert_eq!(
        suite.exec_err(
            &owner,
            &[],
            with_weights(vec![weight(usdc(), MAX_EMISSION_WEIGHT + 1)])
        ),
        ContractError::EmissionWeightTooLarge {
            denom: "native:uusdc".into(),
            weight: u(MAX_EMISSION_WEIGHT + 1),
            max: u(MAX_EMISSION_WEIGHT),
        }
    );
    assert!(matches!(
        suite.exec_err(
            &owner,
            &[],
            with_weights(vec![weight(UncheckedDenom::Native("1x".into()), 1)])
        ),
        ContractError::Denom(DenomError::InvalidNative { .. })
    ));
    // Sorted by denom; zero weights and an empty list are allowed (nothing earns).
    suite.exec(
        &owner,
        &[],
        with_weights(vec![
            weight(usdc(), MAX_EMISSION_WEIGHT),
            weight(UncheckedDenom::Native("uatom".into()), 0),
        ]),
    );
    let scheduled = suite.config().scheduled_emission.unwrap();
    assert_eq!(
        scheduled.emission_weights,
        vec![
            EmissionWeight {
                denom: native("uatom"),
                weight: Uint128::zero(),
            },
            EmissionWeight {
                denom: native(UUSDC),
                weight: u(MAX_EMISSION_WEIGHT),
            },
        ]
    );
    suite.exec(&owner, &[], with_weights(vec![]));
    assert!(suite
        .config()
        .scheduled_emission
        .unwrap()
        .emission_weights
        .is_empty());
}

/// Every denom escrow accepts must stay a reward denom, or escrow's fee deliveries in it would
/// revert and no lease paid in it could settle.
#[test]
fn reward_denoms_must_cover_what_escrow_accepts() {
    let mut suite = Suite::new();
    let owner = suite.owner.clone();
    suite.wire(Some(vec![native(UUSDC), cw20("grid")]));
    let err = suite.exec_err(
        &owner,
        &[],
        with_denoms(vec![
            UncheckedDenom::Native(UUSDC.into()),
            UncheckedDenom::Native("uatom".into()),
        ]),
    );
    let grid = cw20("grid").to_string();
    assert_eq!(
        err,
        ContractError::DenomList(DenomListError::NotSubset {
            missing: grid.clone(),
            inner: "escrow's accepted denoms",
            outer: "staking's reward denoms",
        })
    );
    assert_eq!(
        err.to_string(),
        format!(
            "{grid} is in the escrow's accepted denoms but not in the staking's reward denoms: \
             fees in it could never be delivered"
        )
    );
    // A superset passes, and says it was checked.
    let res = suite.exec(
        &owner,
        &[],
        with_denoms(vec![
            UncheckedDenom::Native(UUSDC.into()),
            UncheckedDenom::Cw20(addr("grid").to_string()),
            UncheckedDenom::Native("uatom".into()),
        ]),
    );
    assert_eq!(attr(&res, "reward_denoms_check"), "checked");
    assert_eq!(suite.config().reward_denoms.len(), 3);
    // Other changes do not query anything.
    let res = suite.exec(&owner, &[], update());
    assert_eq!(attr(&res, "reward_denoms_check"), "unchanged");
}

#[test]
fn pointing_at_a_new_marketplace_checks_its_escrow() {
    let mut suite = Suite::new();
    let owner = suite.owner.clone();
    let market2 = addr("market2");
    // market2's escrow accepts a denom staking does not reward.
    let handler = wasm_querier(
        market2.clone(),
        addr("escrow2"),
        Some(vec![native(UUSDC), native("uatom")]),
    );
    suite.chain.deps.querier.update_wasm(handler);
    assert_eq!(
        suite.exec_err(&owner, &[], with_marketplace(&market2)),
        ContractError::DenomList(DenomListError::NotSubset {
            missing: "native:uatom".into(),
            inner: "escrow's accepted denoms",
            outer: "staking's reward denoms",
        })
    );
    let handler = wasm_querier(market2.clone(), addr("escrow2"), Some(vec![native(UUSDC)]));
    suite.chain.deps.querier.update_wasm(handler);
    let res = suite.exec(&owner, &[], with_marketplace(&market2));
    assert_eq!(attr(&res, "reward_denoms_check"), "checked");
    assert_eq!(suite.config().marketplace, market2);
}

/// While the marketplace is a placeholder (during wiring, staking is instantiated before the
/// marketplace exists) there is no escrow to ask: the check is skipped.
#[test]
fn the_check_is_skipped_while_the_marketplace_does_not_answer() {
    let mut suite = Suite::new();
    let owner = suite.owner.clone();
    let res = suite.exec(
        &owner,
        &[],
        with_denoms(vec![UncheckedDenom::Native("uatom".into())]),
    );
    assert_eq!(attr(&res, "reward_denoms_check"), "skipped");
    assert_eq!(suite.config().reward_denoms, vec![native("uatom")]);
}

#[test]
fn an_escrow_that_does_not_answer_is_an_error() {
    let mut suite = Suite::new();
    let owner = suite.owner.clone();
    suite.wire(None);
    let err = suite.exec_err(
        &owner,
        &[],
        with_denoms(vec![UncheckedDenom::Native(UUSDC.into())]),
    );
    assert!(
        matches!(&err, ContractError::EscrowUnreachable { escrow, .. } if *escrow == addr("escrow").to_string()),
        "{err:?}"
    );
}

#[test]
fn instantiation_checks_the_marketplace_when_it_answers() {
    use crate::contract::instantiate;
    use cosmwasm_std::testing::{message_info, mock_dependencies};
    let mut deps = mock_dependencies();
    deps.querier.update_wasm(wasm_querier(
        addr("marketplace"),
        addr("escrow"),
        Some(vec![native("uatom")]),
    ));
    let err = instantiate(
        deps.as_mut(),
        env_at(GENESIS),
        message_info(&addr("creator"), &[]),
        instantiate_msg(),
    )
    .unwrap_err();
    assert!(matches!(
        err,
        ContractError::DenomList(DenomListError::NotSubset { ref missing, .. })
            if missing == "native:uatom"
    ));
    assert!(snapshot(&deps.storage).is_empty());
    deps.querier.update_wasm(wasm_querier(
        addr("marketplace"),
        addr("escrow"),
        Some(vec![native(UUSDC)]),
    ));
    let res = instantiate(
        deps.as_mut(),
        env_at(GENESIS),
        message_info(&addr("creator"), &[]),
        instantiate_msg(),
    )
    .unwrap();
    assert_eq!(attr(&res, "reward_denoms_check"), "checked");
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
fn the_owner_hands_over_in_two_steps() {
    let mut suite = Suite::new();
    let (owner, dao, mallory) = (suite.owner.clone(), addr("dao"), addr("mallory"));
    assert_eq!(
        ownership(&suite),
        OwnershipResponse {
            owner: owner.clone(),
            pending_owner: None,
            pending_expiry: None,
        }
    );
    let res = suite.exec(&owner, &[], offer(&dao, Some(GENESIS + 100)));
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "transfer_ownership"),
            ("pending_owner", dao.as_str()),
            ("expiry", &(GENESIS + 100).to_string()),
        ])
    );
    // Nothing changes until the new owner accepts.
    assert_eq!(suite.config().owner, owner);
    assert_eq!(
        ownership(&suite),
        OwnershipResponse {
            owner: owner.clone(),
            pending_owner: Some(dao.clone()),
            pending_expiry: Some(GENESIS + 100),
        }
    );
    suite.exec(&owner, &[], update());
    assert_eq!(
        suite.exec_err(
            &mallory,
            &[],
            ExecuteMsg::UpdateOwnership(OwnerAction::AcceptOwnership {})
        ),
        ContractError::Owner(OwnerError::NotPendingOwner {
            sender: mallory.to_string()
        })
    );
    let res = suite.exec(
        &dao,
        &[],
        ExecuteMsg::UpdateOwnership(OwnerAction::AcceptOwnership {}),
    );
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "accept_ownership"),
            ("previous_owner", owner.as_str()),
            ("owner", dao.as_str()),
        ])
    );
    assert_eq!(suite.config().owner, dao);
    assert_eq!(ownership(&suite).pending_owner, None);
    assert_eq!(suite.exec_err(&owner, &[], update()), not_owner(&owner));
    suite.exec(&dao, &[], update());
    assert_eq!(
        suite.exec_err(
            &dao,
            &[],
            ExecuteMsg::UpdateOwnership(OwnerAction::TransferOwnership {
                new_owner: "bad owner".into(),
                expiry: None,
            })
        ),
        ContractError::Owner(OwnerError::Std(invalid_address_std("bad owner")))
    );
}

#[test]
fn an_offer_expires_and_may_be_cancelled() {
    let mut suite = Suite::new();
    let (owner, dao) = (suite.owner.clone(), addr("dao"));
    suite.exec(&owner, &[], offer(&dao, Some(GENESIS + 10)));
    suite.advance(10);
    assert_eq!(
        suite.exec_err(
            &dao,
            &[],
            ExecuteMsg::UpdateOwnership(OwnerAction::AcceptOwnership {})
        ),
        ContractError::Owner(OwnerError::TransferExpired {
            expiry: GENESIS + 10,
            now: GENESIS + 10,
        })
    );
    suite.exec(
        &owner,
        &[],
        ExecuteMsg::UpdateOwnership(OwnerAction::CancelTransfer {}),
    );
    assert_eq!(ownership(&suite).pending_owner, None);
    assert_eq!(
        suite.exec_err(
            &dao,
            &[],
            ExecuteMsg::UpdateOwnership(OwnerAction::AcceptOwnership {})
        ),
        ContractError::Owner(OwnerError::NoPendingOwner)
    );
    assert_eq!(suite.config().owner, owner);
}
