//! UpdateOwnership and the Ownership query: the two-step hand-over (to governance, after launch).

use super::config::unauthorized_owner;
use super::helpers::*;
use crate::msg::{ExecuteMsg, QueryMsg};
use crate::ContractError;
use gridshare_plumbing::{FundsError, OwnerAction, OwnerError, OwnershipResponse};

fn ownership(action: OwnerAction) -> ExecuteMsg {
    ExecuteMsg::UpdateOwnership(action)
}

fn offer(to: &cosmwasm_std::Addr, expiry: Option<u64>) -> ExecuteMsg {
    ownership(OwnerAction::TransferOwnership {
        new_owner: to.to_string(),
        expiry,
    })
}

fn accept() -> ExecuteMsg {
    ownership(OwnerAction::AcceptOwnership {})
}

fn no_fields() -> crate::msg::ExecuteMsg {
    ExecuteMsg::UpdateConfig {
        marketplace: None,
        fee_collector: None,
        accepted_denoms: None,
    }
}

#[test]
fn the_owner_offers_and_the_new_owner_accepts() {
    let mut suite = Suite::new();
    let (old, governance) = (suite.owner.clone(), addr("governance"));
    assert_eq!(
        suite.ownership(),
        OwnershipResponse {
            owner: old.clone(),
            pending_owner: None,
            pending_expiry: None,
        }
    );

    let res = suite.exec(&old, &[], offer(&governance, Some(GENESIS + 100)));
    assert!(res.messages.is_empty());
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "transfer_ownership"),
            ("pending_owner", governance.as_str()),
            ("expiry", &(GENESIS + 100).to_string()),
        ])
    );
    // Nothing changes until governance accepts: the old owner still decides.
    assert_eq!(suite.config().owner, old);
    assert_eq!(
        suite
            .query::<OwnershipResponse>(QueryMsg::Ownership {})
            .unwrap(),
        OwnershipResponse {
            owner: old.clone(),
            pending_owner: Some(governance.clone()),
            pending_expiry: Some(GENESIS + 100),
        }
    );
    suite.exec(&old, &[], no_fields());

    suite.advance(99);
    let res = suite.exec(&governance, &[], accept());
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "accept_ownership"),
            ("previous_owner", old.as_str()),
            ("owner", governance.as_str()),
        ])
    );
    assert_eq!(suite.config().owner, governance);
    assert_eq!(
        suite.ownership(),
        OwnershipResponse {
            owner: governance.clone(),
            pending_owner: None,
            pending_expiry: None,
        }
    );

    // The old owner has lost every lever; the new one holds them.
    assert_eq!(
        suite.exec_err(&old, &[], no_fields()),
        unauthorized_owner(&old)
    );
    assert_eq!(
        suite.exec_err(&old, &[], offer(&old, None)),
        unauthorized_owner(&old)
    );
    let staking_v2 = addr("staking_v2");
    suite.exec(
        &governance,
        &[],
        ExecuteMsg::UpdateConfig {
            marketplace: None,
            fee_collector: Some(staking_v2.to_string()),
            accepted_denoms: None,
        },
    );
    assert_eq!(suite.config().fee_collector, staking_v2);
}

#[test]
fn only_the_pending_owner_accepts_and_only_before_the_expiry() {
    let mut suite = Suite::new();
    let (owner, governance, stranger) = (
        suite.owner.clone(),
        addr("governance"),
        suite.stranger.clone(),
    );
    assert_eq!(
        suite.exec_err(&governance, &[], accept()),
        ContractError::Owner(OwnerError::NoPendingOwner)
    );
    suite.exec(&owner, &[], offer(&governance, Some(GENESIS + 10)));
    assert_eq!(
        suite.exec_err(&stranger, &[], accept()),
        ContractError::Owner(OwnerError::NotPendingOwner {
            sender: stranger.to_string(),
        })
    );
    suite.advance(10);
    assert_eq!(
        suite.exec_err(&governance, &[], accept()),
        ContractError::Owner(OwnerError::TransferExpired {
            expiry: GENESIS + 10,
            now: GENESIS + 10,
        })
    );
    assert_eq!(suite.config().owner, owner);

    // A new offer replaces the expired one; the owner may withdraw it before it is taken.
    suite.exec(&owner, &[], offer(&governance, None));
    let res = suite.exec(&owner, &[], ownership(OwnerAction::CancelTransfer {}));
    assert_eq!(
        res.attributes,
        attrs(&[("action", "cancel_ownership_transfer")])
    );
    assert_eq!(suite.ownership().pending_owner, None);
    assert_eq!(
        suite.exec_err(&governance, &[], accept()),
        ContractError::Owner(OwnerError::NoPendingOwner)
    );
    assert_eq!(suite.config().owner, owner);
}

#[test]
fn update_ownership_errors() {
    let mut suite = Suite::new();
    let (owner, marketplace) = (suite.owner.clone(), suite.marketplace.clone());
    assert_eq!(
        suite.exec_err(&marketplace, &[], offer(&marketplace, None)),
        unauthorized_owner(&marketplace)
    );
    assert_eq!(
        suite.exec_err(&marketplace, &[], ownership(OwnerAction::CancelTransfer {})),
        unauthorized_owner(&marketplace)
    );
    assert_eq!(
        suite.exec_err(&owner, &[], ownership(OwnerAction::CancelTransfer {})),
        ContractError::Owner(OwnerError::NoPendingOwner)
    );
    let invalid = match invalid_address("governance") {
        ContractError::Std(err) => err,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        suite.exec_err(
            &owner,
            &[],
            ownership(OwnerAction::TransferOwnership {
                new_owner: "governance".to_string(),
                expiry: None,
            })
        ),
        ContractError::Owner(OwnerError::Std(invalid))
    );
    assert_eq!(
        suite.exec_err(&owner, &[], offer(&addr("governance"), Some(GENESIS))),
        ContractError::Owner(OwnerError::ExpiryInPast {
            expiry: GENESIS,
            now: GENESIS,
        })
    );
    assert_eq!(
        suite.exec_err(&owner, &[coin(2, UUSDC)], offer(&addr("governance"), None)),
        ContractError::Funds(FundsError::UnexpectedFunds {
            funds: "2uusdc".to_string(),
        })
    );
    assert_eq!(suite.config().owner, owner);
    assert_eq!(suite.ownership().pending_owner, None);
}
