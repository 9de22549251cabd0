//! Providers: registration against collateral, updates, deactivation, heartbeats, queries.

use super::helpers::*;
use crate::msg::*;
use crate::ContractError;
use cosmwasm_std::{Addr, Uint128};

fn register_msg(name: &str) -> ExecuteMsg {
    ExecuteMsg::RegisterProvider {
        name: name.into(),
        region: "eu".into(),
        endpoint: "https://alice.example".into(),
        public_key: "pk".into(),
    }
}

#[test]
fn registering_needs_collateral_for_one_gpu() {
    let mut suite = Suite::new();
    let alice = addr("alice");
    suite.bond(&alice, 999);
    assert_eq!(
        suite.exec_err(&alice, &[], register_msg("alice")),
        ContractError::InsufficientCollateral {
            bonded: Uint128::new(999),
            required: Uint128::new(MIN_STAKE_PER_GPU),
            gpus: 1,
        }
    );
    suite.bond(&alice, 1_000);
    let res = suite.exec(&alice, &[], register_msg("alice"));
    assert_eq!(attr(&res, "provider_id"), "1");
    let info = suite.provider_info(&alice);
    assert_eq!(info.id, 1);
    assert_eq!(info.name, "alice");
    assert_eq!(info.region, "eu");
    assert!(info.active);
    assert_eq!(info.last_heartbeat, GENESIS);
    assert_eq!(info.reputation, 500, "a fresh address starts neutral");
    assert_eq!(info.telemetry, None);
    assert_eq!(
        suite.exec_err(&alice, &[], register_msg("alice")),
        ContractError::ProviderExists {
            address: alice.to_string()
        }
    );
}

#[test]
fn provider_fields_are_validated() {
    let mut suite = Suite::new();
    let alice = addr("alice");
    suite.bond(&alice, 1_000);
    assert_eq!(
        suite.exec_err(
            &alice,
            &[],
            ExecuteMsg::RegisterProvider {
                name: "".into(),
                region: "eu".into(),
                endpoint: "e".into(),
                public_key: "pk".into(),
            }
        ),
        ContractError::InvalidProviderField {
            field: "name",
            len: 0,
            max: 64
        }
    );
    assert_eq!(
        suite.exec_err(
            &alice,
            &[],
            ExecuteMsg::RegisterProvider {
                name: "a".into(),
                region: "r".repeat(33),
                endpoint: "e".into(),
                public_key: "pk".into(),
            }
        ),
        ContractError::InvalidProviderField {
            field: "region",
            len: 33,
            max: 32
        }
    );
}

#[test]
fn updating_details_moves_the_offers_region() {
    let mut suite = Suite::new();
    let alice = suite.provider("alice", 4);
    suite.offer(&alice, "rtx-4090", 2, 900);
    let stranger = suite.stranger.clone();
    assert_eq!(
        suite.exec_err(
            &stranger,
            &[],
            ExecuteMsg::UpdateProvider {
                name: Some("x".into()),
                region: None,
                endpoint: None,
                public_key: None
            }
        ),
        ContractError::NotProvider {
            address: stranger.to_string()
        }
    );
    assert_eq!(
        suite.exec_err(
            &alice,
            &[],
            ExecuteMsg::UpdateProvider {
                name: None,
                region: None,
                endpoint: None,
                public_key: None
            }
        ),
        ContractError::NothingToUpdate
    );
    suite.exec(
        &alice,
        &[],
        ExecuteMsg::UpdateProvider {
            name: None,
            region: Some("us".into()),
            endpoint: Some("https://new.example".into()),
            public_key: None,
        },
    );
    let info = suite.provider_info(&alice);
    assert_eq!(
        (info.region.as_str(), info.endpoint.as_str()),
        ("us", "https://new.example")
    );
    // An order for region "us" now finds alice's offer; one for "eu" does not.
    let eu = NewOrder {
        requirements: Requirements {
            models: Some(vec!["rtx-4090".into()]),
            region: Some("eu".into()),
            ..Requirements::default()
        },
        ..new_order()
    };
    suite.post_order(eu.clone());
    assert_eq!(suite.order(1).status, OrderStatus::Open);
    let us = NewOrder {
        requirements: Requirements {
            region: Some("us".into()),
            ..eu.requirements
        },
        ..eu
    };
    suite.post_order(us);
    assert_eq!(suite.order(2).status, OrderStatus::Filled);
}

#[test]
fn heartbeats_refresh_liveness_and_record_telemetry() {
    let mut suite = Suite::new();
    let alice = suite.provider("alice", 4);
    let stranger = suite.stranger.clone();
    assert_eq!(
        suite.exec_err(&stranger, &[], ExecuteMsg::Heartbeat { telemetry: None }),
        ContractError::NotProvider {
            address: stranger.to_string()
        }
    );
    assert_eq!(
        suite.exec_err(
            &alice,
            &[],
            ExecuteMsg::Heartbeat {
                telemetry: Some(Telemetry {
                    utilization_pct: 101,
                    power_watts: 1
                })
            }
        ),
        ContractError::InvalidTelemetry {
            utilization_pct: 101
        }
    );
    suite.advance(45);
    let res = suite.exec(
        &alice,
        &[],
        ExecuteMsg::Heartbeat {
            telemetry: Some(Telemetry {
                utilization_pct: 80,
                power_watts: 350,
            }),
        },
    );
    assert!(res.messages.is_empty());
    let info = suite.provider_info(&alice);
    assert_eq!(info.last_heartbeat, GENESIS + 45);
    assert_eq!(
        info.telemetry,
        Some(Telemetry {
            utilization_pct: 80,
            power_watts: 350
        })
    );
    // Without telemetry the last figures stay.
    suite.advance(60);
    suite.heartbeat(&alice);
    let info = suite.provider_info(&alice);
    assert_eq!(info.last_heartbeat, GENESIS + 105);
    assert_eq!(info.telemetry.unwrap().power_watts, 350);
}

#[test]
fn deactivation_needs_no_open_lease_and_withdraws_everything() {
    let mut suite = Suite::new();
    let alice = suite.provider("alice", 8);
    let offer = suite.offer(&alice, "rtx-4090", 4, 900);
    suite.offer(&alice, "t4", 2, 300);
    suite.post_order(new_order());
    assert_eq!(
        suite.exec_err(&alice, &[], ExecuteMsg::DeactivateProvider {}),
        ContractError::ProviderHasOpenLeases {
            address: alice.to_string()
        }
    );
    suite.exec(&alice, &[], close(16));

    let res = suite.exec(&alice, &[], ExecuteMsg::DeactivateProvider {});
    assert_eq!(res.messages, vec![set_locked(&alice, 0)]);
    assert_eq!(attr(&res, "offers_withdrawn"), "2");
    let info = suite.provider_info(&alice);
    assert!(!info.active);
    assert_eq!((info.listed_units, info.offers), (0, 0));
    let withdrawn = suite.offer_info(offer);
    assert!(withdrawn.withdrawn);
    assert_eq!((withdrawn.units, withdrawn.free_units), (0, 0));
    assert_eq!(suite.stats("rtx-4090").listed_units, 0);
    assert_eq!(suite.stats("rtx-4090").best_ask, None);

    // Inactive: no heartbeat, no offers, no second deactivation.
    assert_eq!(
        suite.exec_err(&alice, &[], ExecuteMsg::Heartbeat { telemetry: None }),
        ContractError::ProviderInactive {
            address: alice.to_string()
        }
    );
    assert_eq!(
        suite.exec_err(&alice, &[], offer_msg("t4", 1, 10)),
        ContractError::ProviderInactive {
            address: alice.to_string()
        }
    );
    assert_eq!(
        suite.exec_err(&alice, &[], ExecuteMsg::DeactivateProvider {}),
        ContractError::ProviderInactive {
            address: alice.to_string()
        }
    );
    // Registering again reactivates the same provider id.
    let res = suite.exec(&alice, &[], register_msg("alice again"));
    assert_eq!(attr(&res, "provider_id"), "1");
    assert!(suite.provider_info(&alice).active);
    suite.heartbeat(&alice);
}

#[test]
fn provider_listing_is_paginated_and_clamped() {
    let mut suite = Suite::new();
    for i in 0..105 {
        suite.provider(&format!("p{i}"), 1);
    }
    let page: ProvidersResponse = suite
        .query(QueryMsg::Providers {
            start_after: None,
            limit: Some(1_000),
        })
        .unwrap();
    assert_eq!(page.providers.len(), 100);
    assert_eq!(page.providers[0].id, 1);
    let rest: ProvidersResponse = suite
        .query(QueryMsg::Providers {
            start_after: Some(100),
            limit: Some(1_000),
        })
        .unwrap();
    assert_eq!(rest.providers.len(), 5);
    let default: ProvidersResponse = suite
        .query(QueryMsg::Providers {
            start_after: None,
            limit: None,
        })
        .unwrap();
    assert_eq!(default.providers.len(), 10);
    assert!(suite
        .query::<ProviderResponse>(QueryMsg::Provider {
            address: Addr::unchecked("nobody").to_string()
        })
        .is_err());
}
