//! SetTier, RemoveTier and UpdateOwnership (the admin role, in two steps): the admin's levers,
//! and every refusal.

use super::helpers::*;
use crate::msg::{
    AdminResponse, ExecuteMsg, OwnerAction, OwnershipResponse, QueryMsg, Tier, TiersResponse,
};
use crate::{ContractError, MAX_TIERS};
use cosmwasm_std::{coin, Addr};
use gridshare_plumbing::OwnerError;

fn offer(to: &Addr, expiry: Option<u64>) -> ExecuteMsg {
    ExecuteMsg::UpdateOwnership(OwnerAction::TransferOwnership {
        new_owner: to.to_string(),
        expiry,
    })
}

fn accept() -> ExecuteMsg {
    ExecuteMsg::UpdateOwnership(OwnerAction::AcceptOwnership {})
}

fn cancel() -> ExecuteMsg {
    ExecuteMsg::UpdateOwnership(OwnerAction::CancelTransfer {})
}

fn ownership(suite: &Suite) -> OwnershipResponse {
    suite.query(QueryMsg::Ownership {}).unwrap()
}

fn not_owner(sender: &Addr) -> ContractError {
    ContractError::Owner(OwnerError::NotOwner {
        sender: sender.to_string(),
    })
}

fn unauthorized(sender: &Addr) -> ContractError {
    ContractError::Unauthorized {
        sender: sender.to_string(),
        role: "admin",
    }
}

fn tier_ids(suite: &Suite) -> Vec<String> {
    suite
        .query::<TiersResponse>(QueryMsg::Tiers {
            start_after: None,
            limit: Some(100),
        })
        .unwrap()
        .tiers
        .into_iter()
        .map(|t| t.id)
        .collect()
}

fn basic(id: &str) -> Tier {
    Tier {
        id: id.into(),
        ..pro()
    }
}

#[test]
fn the_admin_creates_and_replaces_tiers() {
    let mut suite = Suite::new();
    let admin = suite.admin.clone();
    let basic = Tier {
        id: "basic".into(),
        price_per_period: u(10),
        period_seconds: DAY,
        fee_discount_bps: 0,
        priority: 0,
        max_open_orders: 3,
    };
    let res = suite.exec(
        &admin,
        &[],
        ExecuteMsg::SetTier {
            tier: basic.clone(),
        },
    );
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "set_tier"),
            ("tier", "basic"),
            ("price_per_period", "10"),
            ("period_seconds", "86400"),
            ("fee_discount_bps", "0"),
            ("priority", "0"),
            ("max_open_orders", "3"),
        ])
    );
    assert_eq!(
        suite
            .query::<Tier>(QueryMsg::Tier { id: "basic".into() })
            .unwrap(),
        basic
    );
    assert_eq!(tier_ids(&suite), ["basic", "pro", "ultra"]);

    let cheaper = Tier {
        price_per_period: u(500),
        fee_discount_bps: 10_000,
        ..pro()
    };
    suite.exec(
        &admin,
        &[],
        ExecuteMsg::SetTier {
            tier: cheaper.clone(),
        },
    );
    assert_eq!(
        suite
            .query::<Tier>(QueryMsg::Tier { id: "pro".into() })
            .unwrap(),
        cheaper
    );
    assert_eq!(tier_ids(&suite), ["basic", "pro", "ultra"]);
}

#[test]
fn invalid_tiers_are_refused() {
    let mut suite = Suite::new();
    let admin = suite.admin.clone();
    let cases = [
        (
            basic(""),
            ContractError::InvalidTierId {
                id: "".into(),
                reason: "length must be between 1 and 32 bytes",
            },
        ),
        (
            basic(&"a".repeat(33)),
            ContractError::InvalidTierId {
                id: "a".repeat(33),
                reason: "length must be between 1 and 32 bytes",
            },
        ),
        (
            basic("Pro"),
            ContractError::InvalidTierId {
                id: "Pro".into(),
                reason: "may only contain a-z, 0-9, - and _",
            },
        ),
        (
            basic("pro tier"),
            ContractError::InvalidTierId {
                id: "pro tier".into(),
                reason: "may only contain a-z, 0-9, - and _",
            },
        ),
        (
            Tier {
                price_per_period: u(0),
                ..basic("free")
            },
            ContractError::ZeroTierPrice {
                tier: "free".into(),
            },
        ),
        (
            Tier {
                period_seconds: 0,
                ..basic("instant")
            },
            ContractError::ZeroTierPeriod {
                tier: "instant".into(),
            },
        ),
        (
            Tier {
                fee_discount_bps: 10_001,
                ..basic("generous")
            },
            ContractError::DiscountTooHigh {
                tier: "generous".into(),
                fee_discount_bps: 10_001,
                max: 10_000,
            },
        ),
    ];
    for (tier, expected) in cases {
        assert_eq!(
            suite.exec_err(&admin, &[], ExecuteMsg::SetTier { tier }),
            expected
        );
    }
    // The longest id and the full discount are fine.
    suite.exec(
        &admin,
        &[],
        ExecuteMsg::SetTier {
            tier: Tier {
                fee_discount_bps: 10_000,
                ..basic(&"z-_9".repeat(8))
            },
        },
    );
}

#[test]
fn at_most_max_tiers_exist() {
    let mut suite = Suite::new();
    let admin = suite.admin.clone();
    for i in 2..MAX_TIERS {
        suite.exec(
            &admin,
            &[],
            ExecuteMsg::SetTier {
                tier: basic(&format!("t{i:02}")),
            },
        );
    }
    assert_eq!(tier_ids(&suite).len(), MAX_TIERS);
    assert_eq!(
        suite.exec_err(
            &admin,
            &[],
            ExecuteMsg::SetTier {
                tier: basic("one-more")
            }
        ),
        ContractError::TooManyTiers { max: MAX_TIERS }
    );
    // Replacing an existing tier is still possible, and removing one makes room.
    suite.exec(&admin, &[], ExecuteMsg::SetTier { tier: basic("t02") });
    suite.exec(&admin, &[], ExecuteMsg::RemoveTier { tier: "t02".into() });
    suite.exec(
        &admin,
        &[],
        ExecuteMsg::SetTier {
            tier: basic("one-more"),
        },
    );
}

#[test]
fn the_admin_removes_tiers() {
    let mut suite = Suite::new();
    let admin = suite.admin.clone();
    let res = suite.exec(&admin, &[], ExecuteMsg::RemoveTier { tier: "pro".into() });
    assert_eq!(
        res.attributes,
        attrs(&[("action", "remove_tier"), ("tier", "pro")])
    );
    assert_eq!(tier_ids(&suite), ["ultra"]);
    assert!(suite
        .query::<Tier>(QueryMsg::Tier { id: "pro".into() })
        .is_err());
    assert_eq!(
        suite.exec_err(&admin, &[], ExecuteMsg::RemoveTier { tier: "pro".into() }),
        ContractError::UnknownTier { tier: "pro".into() }
    );
}

#[test]
fn only_the_admin_manages_tiers() {
    let mut suite = Suite::new();
    for sender in [
        suite.alice.clone(),
        suite.minter.clone(),
        suite.marketing.clone(),
        suite.contract(),
    ] {
        assert_eq!(
            suite.exec_err(
                &sender,
                &[],
                ExecuteMsg::SetTier {
                    tier: basic("mine")
                }
            ),
            unauthorized(&sender)
        );
        assert_eq!(
            suite.exec_err(&sender, &[], ExecuteMsg::RemoveTier { tier: "pro".into() }),
            unauthorized(&sender)
        );
        assert_eq!(
            suite.exec_err(&sender, &[], offer(&sender, None)),
            not_owner(&sender)
        );
        assert_eq!(suite.exec_err(&sender, &[], cancel()), not_owner(&sender));
    }
}

#[test]
fn the_admin_hands_over_in_two_steps_and_loses_its_powers() {
    let mut suite = Suite::new();
    let admin = suite.admin.clone();
    let governance = addr("governance");
    assert_eq!(
        ownership(&suite),
        OwnershipResponse {
            owner: admin.clone(),
            pending_owner: None,
            pending_expiry: None,
        }
    );

    // The offer alone changes nothing: the admin still manages the tiers, governance does not.
    let res = suite.exec(&admin, &[], offer(&governance, None));
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "transfer_ownership"),
            ("pending_owner", governance.as_str()),
            ("expiry", "none"),
        ])
    );
    assert_eq!(
        ownership(&suite),
        OwnershipResponse {
            owner: admin.clone(),
            pending_owner: Some(governance.clone()),
            pending_expiry: None,
        }
    );
    assert_eq!(
        suite.query::<AdminResponse>(QueryMsg::Admin {}).unwrap(),
        AdminResponse {
            admin: admin.clone()
        }
    );
    assert_eq!(
        suite.exec_err(
            &governance,
            &[],
            ExecuteMsg::SetTier {
                tier: basic("early")
            }
        ),
        unauthorized(&governance)
    );
    suite.exec(
        &admin,
        &[],
        ExecuteMsg::SetTier {
            tier: basic("still-mine"),
        },
    );

    // Nobody but the pending admin can accept.
    for intruder in [suite.alice.clone(), admin.clone()] {
        assert_eq!(
            suite.exec_err(&intruder, &[], accept()),
            ContractError::Owner(OwnerError::NotPendingOwner {
                sender: intruder.to_string()
            })
        );
    }

    let res = suite.exec(&governance, &[], accept());
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "accept_ownership"),
            ("previous_owner", admin.as_str()),
            ("owner", governance.as_str()),
        ])
    );
    assert_eq!(
        ownership(&suite),
        OwnershipResponse {
            owner: governance.clone(),
            pending_owner: None,
            pending_expiry: None,
        }
    );
    assert_eq!(
        suite.query::<AdminResponse>(QueryMsg::Admin {}).unwrap(),
        AdminResponse {
            admin: governance.clone()
        }
    );
    // The old admin has lost every lever, including the role itself; the offer is spent.
    assert_eq!(
        suite.exec_err(
            &admin,
            &[],
            ExecuteMsg::SetTier {
                tier: basic("late")
            }
        ),
        unauthorized(&admin)
    );
    assert_eq!(
        suite.exec_err(&admin, &[], offer(&admin, None)),
        not_owner(&admin)
    );
    assert_eq!(
        suite.exec_err(&governance, &[], accept()),
        ContractError::Owner(OwnerError::NoPendingOwner)
    );
    suite.exec(
        &governance,
        &[],
        ExecuteMsg::SetTier {
            tier: basic("voted"),
        },
    );
}

#[test]
fn an_offer_can_be_withdrawn_replaced_or_left_to_expire() {
    let mut suite = Suite::new();
    let admin = suite.admin.clone();
    let (typo, governance) = (addr("typo"), addr("governance"));
    let now = suite.now().seconds();

    // A mistyped offer is withdrawn before anyone accepts it.
    suite.exec(&admin, &[], offer(&typo, None));
    let res = suite.exec(&admin, &[], cancel());
    assert_eq!(
        res.attributes,
        attrs(&[("action", "cancel_ownership_transfer")])
    );
    assert_eq!(
        suite.exec_err(&typo, &[], accept()),
        ContractError::Owner(OwnerError::NoPendingOwner)
    );
    assert_eq!(
        suite.exec_err(&admin, &[], cancel()),
        ContractError::Owner(OwnerError::NoPendingOwner)
    );

    // A new offer replaces the previous one.
    suite.exec(&admin, &[], offer(&typo, None));
    suite.exec(&admin, &[], offer(&governance, Some(now + DAY)));
    assert_eq!(
        suite.exec_err(&typo, &[], accept()),
        ContractError::Owner(OwnerError::NotPendingOwner {
            sender: typo.to_string()
        })
    );
    assert_eq!(ownership(&suite).pending_expiry, Some(now + DAY));

    // An expiry must be in the future, and an expired offer cannot be accepted.
    assert_eq!(
        suite.exec_err(&admin, &[], offer(&governance, Some(now))),
        ContractError::Owner(OwnerError::ExpiryInPast { expiry: now, now })
    );
    suite.advance(DAY);
    assert_eq!(
        suite.exec_err(&governance, &[], accept()),
        ContractError::Owner(OwnerError::TransferExpired {
            expiry: now + DAY,
            now: now + DAY
        })
    );
    assert_eq!(ownership(&suite).owner, admin);
}

#[test]
fn a_bad_admin_address_is_refused() {
    let mut suite = Suite::new();
    let admin = suite.admin.clone();
    assert_eq!(
        suite.exec_err(
            &admin,
            &[],
            ExecuteMsg::UpdateOwnership(OwnerAction::TransferOwnership {
                new_owner: "Not An Address".into(),
                expiry: None,
            })
        ),
        ContractError::Owner(OwnerError::Std(invalid_address("Not An Address")))
    );
}

#[test]
fn admin_messages_take_no_funds() {
    let mut suite = Suite::new();
    let admin = suite.admin.clone();
    let governance = addr("governance");
    for msg in [
        ExecuteMsg::RemoveTier { tier: "pro".into() },
        offer(&governance, None),
        cancel(),
    ] {
        assert_eq!(
            suite
                .try_exec(&admin, &[coin(1, "ugrid"), coin(2, "uusdc")], msg)
                .unwrap_err(),
            ContractError::Funds(gridshare_plumbing::FundsError::UnexpectedFunds {
                funds: "1ugrid,2uusdc".into()
            })
        );
    }
    suite.exec(&admin, &[], offer(&governance, None));
    assert_eq!(
        suite
            .try_exec(&governance, &[coin(3, "ugrid")], accept())
            .unwrap_err(),
        ContractError::Funds(gridshare_plumbing::FundsError::UnexpectedFunds {
            funds: "3ugrid".into()
        })
    );
}
