//! migrate: only from this contract, only forwards (or in place), state untouched.

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

fn cannot(from_name: &str, from_version: &str) -> ContractError {
    ContractError::CannotMigrate(gridshare_types::migrate::CannotMigrate {
        from_name: from_name.into(),
        from_version: from_version.into(),
        to_name: CONTRACT_NAME.into(),
        to_version: CONTRACT_VERSION.into(),
    })
}

#[test]
fn migrating_in_place_keeps_everything() {
    let mut suite = Suite::new();
    let alice = suite.alice.clone();
    suite.subscribe(&alice, "pro", 1);
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
    let res = try_migrate(&mut suite).unwrap();
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "migrate"),
            ("from_version", "0.0.1"),
            ("to_version", CONTRACT_VERSION),
        ])
    );
    let stored = cw2::get_contract_version(&suite.chain.deps.storage).unwrap();
    assert_eq!(stored.version, CONTRACT_VERSION);
}

#[test]
fn newer_versions_and_other_contracts_are_refused() {
    let mut suite = Suite::new();
    set_version(&mut suite, CONTRACT_NAME, "99.0.0");
    assert_eq!(
        try_migrate(&mut suite),
        Err(cannot(CONTRACT_NAME, "99.0.0"))
    );
    set_version(&mut suite, "crates.io:cw20-base", "2.0.0");
    assert_eq!(
        try_migrate(&mut suite),
        Err(cannot("crates.io:cw20-base", "2.0.0"))
    );
}
