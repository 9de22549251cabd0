//! The marketplace's collateral lock and the Collateral query.

use super::helpers::*;
use crate::msg::{CollateralResponse, ExecuteMsg, QueryMsg};
use crate::ContractError;
use cosmwasm_std::{StdError, Uint128};

fn lock_msg(provider: &str, amount: u128) -> ExecuteMsg {
    ExecuteMsg::SetLocked {
        provider: provider.to_string(),
        amount: u(amount),
    }
}

#[test]
fn collateral_compares_the_bond_with_min_stake_per_gpu() {
    let mut suite = Suite::new();
    let alice = suite.alice.clone();
    suite.bond(&alice, 350);
    assert_eq!(
        suite.collateral(&alice, 3),
        CollateralResponse {
            bonded: u(350),
            locked: Uint128::zero(),
            required: u(300),
            sufficient: true,
        }
    );
    assert_eq!(
        suite.collateral(&alice, 4),
        CollateralResponse {
            bonded: u(350),
            locked: Uint128::zero(),
            required: u(400),
            sufficient: false,
        }
    );
    assert!(suite.collateral(&suite.bob.clone(), 0).sufficient);
    assert!(!suite.collateral(&suite.bob.clone(), 1).sufficient);
}

#[test]
fn collateral_query_errors_are_typed() {
    let mut msg = instantiate_msg();
    msg.min_stake_per_gpu = Uint128::MAX;
    let suite = Suite::with(msg);
    let alice = suite.alice.clone();
    assert!(matches!(
        suite
            .query::<CollateralResponse>(QueryMsg::Collateral {
                address: alice.to_string(),
                gpus: 2
            })
            .unwrap_err(),
        StdError::Overflow { .. }
    ));
    assert!(suite
        .query::<CollateralResponse>(QueryMsg::Collateral {
            address: "bad address".into(),
            gpus: 2
        })
        .is_err());
}

#[test]
fn the_marketplace_locks_and_the_provider_cannot_unbond_below_the_lock() {
    let mut suite = Suite::new();
    let alice = suite.alice.clone();
    suite.bond(&alice, 500);
    let res = suite.set_locked(&alice, 300);
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "set_locked"),
            ("provider", alice.as_str()),
            ("previous", "0"),
            ("locked", "300"),
            ("bonded", "500"),
        ])
    );
    assert_eq!(suite.staker(&alice).locked, u(300));
    assert_eq!(suite.collateral(&alice, 3).locked, u(300));

    assert_eq!(
        suite.try_unbond(&alice, 201).unwrap_err(),
        ContractError::StakeLocked {
            bonded: u(500),
            locked: u(300),
            requested: u(201),
        }
    );
    suite.unbond(&alice, 200);
    assert_eq!(suite.bonded(&alice), 300);

    // Releasing the lock frees the rest.
    suite.set_locked(&alice, 0);
    assert_eq!(suite.staker(&alice).locked, Uint128::zero());
    suite.unbond(&alice, 300);
}

#[test]
fn a_lock_cannot_exceed_the_bond() {
    let mut suite = Suite::new();
    let alice = suite.alice.clone();
    suite.bond(&alice, 100);
    assert_eq!(
        suite
            .as_marketplace(lock_msg(alice.as_str(), 101))
            .unwrap_err(),
        ContractError::LockExceedsBond {
            bonded: u(100),
            requested: u(101),
        }
    );
    suite.set_locked(&alice, 100);
}

#[test]
fn after_a_slash_the_lock_may_only_go_down() {
    let mut suite = Suite::new();
    let alice = suite.alice.clone();
    suite.bond(&alice, 100);
    suite.set_locked(&alice, 100);
    suite.slash(&alice, 60, None);
    assert_eq!(suite.staker(&alice).locked, u(100));
    assert_eq!(
        suite.try_unbond(&alice, 1).unwrap_err(),
        ContractError::StakeLocked {
            bonded: u(40),
            locked: u(100),
            requested: u(1),
        }
    );
    // Lowering, even to a value still above the bond, is allowed; raising is not.
    suite.set_locked(&alice, 80);
    assert_eq!(
        suite
            .as_marketplace(lock_msg(alice.as_str(), 90))
            .unwrap_err(),
        ContractError::LockExceedsBond {
            bonded: u(40),
            requested: u(90),
        }
    );
    suite.set_locked(&alice, 40);
    assert_eq!(
        suite.try_unbond(&alice, 1).unwrap_err(),
        ContractError::StakeLocked {
            bonded: u(40),
            locked: u(40),
            requested: u(1),
        }
    );
}

#[test]
fn only_the_marketplace_locks() {
    let mut suite = Suite::new();
    let (alice, owner) = (suite.alice.clone(), suite.owner.clone());
    suite.bond(&alice, 100);
    for sender in [alice.clone(), owner] {
        assert_eq!(
            suite.exec_err(&sender, &[], lock_msg(alice.as_str(), 1)),
            ContractError::Unauthorized {
                sender: sender.to_string(),
                role: "marketplace",
            }
        );
    }
    assert_eq!(
        suite
            .as_marketplace(lock_msg("not an address", 1))
            .unwrap_err(),
        invalid_address("not an address")
    );
}
