//! migrate: only from this contract, only forwards (or in place).

use super::helpers::*;
use crate::msg::{ExecuteMsg, MigrateMsg};
use crate::state::OPEN_ACCOUNTS;
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

#[test]
fn migrating_in_place_is_allowed() {
    let mut suite = Suite::new();
    suite.open_account(1, 1_000);
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
    suite.open_account(1, 1_000);
    let payment = suite.new_payment(1, 1);
    suite.open_payment(&payment);
    set_version(&mut suite, CONTRACT_NAME, "0.0.1");
    let (account, lease) = (suite.account(1), suite.payment(1));

    let res = try_migrate(&mut suite).unwrap();
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "migrate"),
            ("from_version", "0.0.1"),
            ("to_version", CONTRACT_VERSION),
        ])
    );
    assert_eq!(
        stored_version(&suite),
        (CONTRACT_NAME.to_string(), CONTRACT_VERSION.to_string())
    );
    assert_eq!(suite.account(1), account);
    assert_eq!(suite.payment(1), lease);
    // And the contract carries on.
    suite.advance(10);
    assert_eq!(attr(&suite.release(1, None), "released"), "10");
}

#[test]
fn another_contract_cannot_be_migrated_to_escrow() {
    let mut suite = Suite::new();
    set_version(&mut suite, "crates.io:cw20-base", "0.0.1");
    assert_eq!(
        try_migrate(&mut suite).unwrap_err(),
        ContractError::CannotMigrate(gridshare_types::migrate::CannotMigrate {
            from_name: "crates.io:cw20-base".to_string(),
            from_version: "0.0.1".to_string(),
            to_name: CONTRACT_NAME.to_string(),
            to_version: CONTRACT_VERSION.to_string(),
        })
    );
}

#[test]
fn a_newer_version_cannot_be_downgraded() {
    let mut suite = Suite::new();
    set_version(&mut suite, CONTRACT_NAME, "99.0.0");
    assert_eq!(
        try_migrate(&mut suite).unwrap_err(),
        ContractError::CannotMigrate(gridshare_types::migrate::CannotMigrate {
            from_name: CONTRACT_NAME.to_string(),
            from_version: "99.0.0".to_string(),
            to_name: CONTRACT_NAME.to_string(),
            to_version: CONTRACT_VERSION.to_string(),
        })
    );
    assert_eq!(stored_version(&suite).1, "99.0.0");
}

#[test]
fn an_unreadable_version_cannot_be_migrated() {
    let mut suite = Suite::new();
    set_version(&mut suite, CONTRACT_NAME, "not-a-version");
    assert_eq!(
        try_migrate(&mut suite).unwrap_err(),
        ContractError::CannotMigrate(gridshare_types::migrate::CannotMigrate {
            from_name: CONTRACT_NAME.to_string(),
            from_version: "not-a-version".to_string(),
            to_name: CONTRACT_NAME.to_string(),
            to_version: CONTRACT_VERSION.to_string(),
        })
    );
}

#[test]
fn migrating_from_before_the_open_account_count_counts_them_once() {
    let mut suite = Suite::new();
    for id in 1..=3 {
        suite.open_account(id, 1_000);
    }
    suite.close_account(2, None);
    // A store written before the count existed.
    OPEN_ACCOUNTS.remove(&mut suite.chain.deps.storage);
    set_version(&mut suite, CONTRACT_NAME, "0.0.1");

    let res = try_migrate(&mut suite).unwrap();
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "migrate"),
            ("from_version", "0.0.1"),
            ("to_version", CONTRACT_VERSION),
            ("open_accounts", "2"),
        ])
    );
    assert_eq!(OPEN_ACCOUNTS.load(&suite.chain.deps.storage).unwrap(), 2);
    // The marketplace is pinned again, and the count carries on with every close.
    let owner = suite.owner.clone();
    let hijack = ExecuteMsg::UpdateConfig {
        marketplace: Some(owner.to_string()),
        fee_collector: None,
        accepted_denoms: None,
    };
    assert_eq!(
        suite.exec_err(&owner, &[], hijack),
        ContractError::MarketplaceHasOpenAccounts { open_accounts: 2 }
    );
    suite.close_account(1, None);
    suite.close_account(3, None);
    assert_eq!(OPEN_ACCOUNTS.load(&suite.chain.deps.storage).unwrap(), 0);
}
