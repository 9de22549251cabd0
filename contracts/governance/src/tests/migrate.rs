//! migrate: only from this contract, only forwards (or in place), state untouched.

use super::helpers::*;
use crate::contract::migrate;
use crate::msg::MigrateMsg;
use crate::{ContractError, CONTRACT_NAME, CONTRACT_VERSION};
use cosmwasm_std::Response;

fn try_migrate(suite: &mut Suite) -> Result<Response, ContractError> {
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

fn set_version(suite: &mut Suite, name: &str, version: &str) {
    cw2::set_contract_version(&mut suite.deps.storage, name, version).unwrap();
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
        cw2::get_contract_version(&suite.deps.storage)
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
