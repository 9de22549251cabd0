//! migrate: only from this contract, only forwards (or in place), state untouched, except that a
//! configuration from before the timelock floor gets the floor (1 s) and a timelock of zero is
//! raised to it.

use super::helpers::*;
use crate::msg::MigrateMsg;
use crate::{ContractError, CONTRACT_NAME, CONTRACT_VERSION};
use cosmwasm_std::Response;

fn try_migrate(suite: &mut Suite) -> Result<Response, ContractError> {
    // The chain holds a refused migration to "storage unchanged".
    suite.chain.migrate(MigrateMsg {})
}

fn set_version(suite: &mut Suite, name: &str, version: &str) {
    cw2::set_contract_version(&mut suite.chain.deps.storage, name, version).unwrap();
}

#[test]
fn migrating_in_place_keeps_everything() {
    let mut suite = Suite::new();
    let alice = suite.alice.clone();
    suite.propose(&alice, vec![]);
    let before = suite.snapshot();
    let res = try_migrate(&mut suite).unwrap();
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "migrate"),
            ("from_version", CONTRACT_VERSION),
            ("to_version", CONTRACT_VERSION),
        ])
    );
    assert_eq!(suite.snapshot(), before);
}

#[test]
fn migrating_from_an_older_version_bumps_cw2() {
    let mut suite = Suite::new();
    set_version(&mut suite, CONTRACT_NAME, "0.0.1");
    try_migrate(&mut suite).unwrap();
    assert_eq!(
        cw2::get_contract_version(&suite.chain.deps.storage)
            .unwrap()
            .version,
        CONTRACT_VERSION
    );
}

#[test]
fn newer_versions_and_other_contracts_are_refused() {
    let mut suite = Suite::new();
    for (name, version) in [(CONTRACT_NAME, "99.0.0"), ("escrow", CONTRACT_VERSION)] {
        set_version(&mut suite, name, version);
        assert_eq!(
            try_migrate(&mut suite),
            Err(ContractError::CannotMigrate(
                gridshare_types::migrate::CannotMigrate {
                    from_name: name.into(),
                    from_version: version.into(),
                    to_name: CONTRACT_NAME.into(),
                    to_version: CONTRACT_VERSION.into(),
                }
            ))
        );
    }
}

/// The configuration as governance stored it before `min_timelock` existed.
#[cosmwasm_schema::cw_serde]
struct LegacyConfig {
    staking: cosmwasm_std::Addr,
    deposit: Option<crate::msg::Deposit>,
    min_proposer_power: cosmwasm_std::Uint128,
    quorum: cosmwasm_std::Decimal,
    threshold: cosmwasm_std::Decimal,
    veto_threshold: cosmwasm_std::Decimal,
    voting_period: u64,
    timelock: u64,
}

fn store_legacy_config(suite: &mut Suite, timelock: u64) {
    let config = crate::state::CONFIG
        .load(&suite.chain.deps.storage)
        .unwrap();
    let legacy = LegacyConfig {
        staking: config.staking,
        deposit: config.deposit,
        min_proposer_power: config.min_proposer_power,
        quorum: config.quorum,
        threshold: config.threshold,
        veto_threshold: config.veto_threshold,
        voting_period: config.voting_period,
        timelock,
    };
    cw_storage_plus::Item::<LegacyConfig>::new("config")
        .save(&mut suite.chain.deps.storage, &legacy)
        .unwrap();
}

#[test]
fn a_legacy_timelock_of_zero_is_raised_to_the_floor() {
    let mut suite = Suite::new();
    store_legacy_config(&mut suite, 0);
    set_version(&mut suite, CONTRACT_NAME, "0.0.1");
    let res = try_migrate(&mut suite).unwrap();
    assert_eq!(attr(&res, "timelock"), "1");
    let config = suite.config();
    assert_eq!((config.timelock, config.min_timelock), (1, 1));
    // From now on the floor holds like any other.
    let gov = suite.gov();
    assert_eq!(
        suite.exec_err(
            &gov,
            &[],
            crate::msg::ExecuteMsg::UpdateConfig {
                staking: None,
                deposit: None,
                min_proposer_power: None,
                quorum: None,
                threshold: None,
                veto_threshold: None,
                voting_period: None,
                timelock: Some(0),
            }
        ),
        crate::ContractError::TimelockBelowMinimum {
            timelock: 0,
            min_timelock: 1
        }
    );
}

#[test]
fn a_legacy_positive_timelock_is_kept() {
    let mut suite = Suite::new();
    store_legacy_config(&mut suite, 7);
    let before = suite.snapshot();
    let res = try_migrate(&mut suite).unwrap();
    assert!(res.attributes.iter().all(|a| a.key != "timelock"));
    assert_eq!(suite.snapshot(), before, "nothing to rewrite");
    let config = suite.config();
    assert_eq!((config.timelock, config.min_timelock), (7, 1));
}
