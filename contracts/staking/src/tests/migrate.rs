//! migrate: only from this contract, only forwards (or in place).

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

fn stored_version(suite: &Suite) -> (String, String) {
    let v = cw2::get_contract_version(&suite.chain.deps.storage).unwrap();
    (v.contract, v.version)
}

fn cannot(from_name: &str, from_version: &str) -> ContractError {
    ContractError::CannotMigrate(gridshare_types::migrate::CannotMigrate {
        from_name: from_name.to_string(),
        from_version: from_version.to_string(),
        to_name: CONTRACT_NAME.to_string(),
        to_version: CONTRACT_VERSION.to_string(),
    })
}

#[test]
fn migrating_in_place_is_allowed() {
    let mut suite = Suite::new();
    let alice = suite.alice.clone();
    suite.bond(&alice, 100);
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
    assert_eq!(suite.snapshot(), before, "nothing to change");
}

#[test]
fn migrating_from_an_older_version_bumps_cw2_and_keeps_the_state() {
    let mut suite = Suite::new();
    let alice = suite.alice.clone();
    suite.bond(&alice, 100);
    set_version(&mut suite, CONTRACT_NAME, "0.0.1");
    let res = try_migrate(&mut suite).unwrap();
    assert_eq!(attr(&res, "from_version"), "0.0.1");
    assert_eq!(
        stored_version(&suite),
        (CONTRACT_NAME.to_string(), CONTRACT_VERSION.to_string())
    );
    assert_eq!(suite.bonded(&alice), 100);
    suite.unbond(&alice, 40);
    assert_eq!(suite.bonded(&alice), 60);
}

#[test]
fn another_contract_cannot_be_migrated_to_staking() {
    let mut suite = Suite::new();
    set_version(&mut suite, "crates.io:cw20-base", "0.0.1");
    assert_eq!(
        try_migrate(&mut suite).unwrap_err(),
        cannot("crates.io:cw20-base", "0.0.1")
    );
}

#[test]
fn a_newer_version_cannot_be_downgraded() {
    let mut suite = Suite::new();
    set_version(&mut suite, CONTRACT_NAME, "99.0.0");
    assert_eq!(
        try_migrate(&mut suite).unwrap_err(),
        cannot(CONTRACT_NAME, "99.0.0")
    );
    assert_eq!(stored_version(&suite).1, "99.0.0");
}

#[test]
fn an_unreadable_version_cannot_be_migrated() {
    let mut suite = Suite::new();
    set_version(&mut suite, CONTRACT_NAME, "not-a-version");
    assert_eq!(
        try_migrate(&mut suite).unwrap_err(),
        cannot(CONTRACT_NAME, "not-a-version")
    );
}
