//! The premium queries: Access exactly as the marketplace reads it, pagination, records.

use super::helpers::*;
use crate::msg::{AccessResponse, ExecuteMsg, QueryMsg, SubscriptionResponse, Tier, TiersResponse};
use cosmwasm_std::{from_json, to_json_binary, StdError};
use gridshare_types::access::AccessQueryMsg;
use gridshare_types::pagination::MAX_LIMIT;

#[test]
fn the_marketplaces_access_query_is_answered() {
    let mut suite = Suite::new();
    let alice = suite.alice.clone();
    suite.subscribe(&alice, "ultra", 1);
    // The marketplace serializes gridshare_types' AccessQueryMsg; it must parse as ours.
    let json = to_json_binary(&AccessQueryMsg::Access {
        address: alice.to_string(),
    })
    .unwrap();
    assert_eq!(
        json.as_slice(),
        format!(r#"{{"access":{{"address":"{alice}"}}}}"#).as_bytes()
    );
    let msg: QueryMsg = from_json(&json).unwrap();
    let response: AccessResponse = suite.query(msg).unwrap();
    assert_eq!(
        response,
        AccessResponse {
            address: alice,
            tier: Some(ultra().benefits()),
            expires_at: Some(GENESIS + MONTH),
        }
    );
}

#[test]
fn without_a_subscription_access_is_standard() {
    let suite = Suite::new();
    let bob = suite.bob.clone();
    assert_eq!(
        suite.access(&bob),
        AccessResponse {
            address: bob.clone(),
            tier: None,
            expires_at: None,
        }
    );
    assert_eq!(
        suite.subscription(&bob),
        SubscriptionResponse {
            address: bob,
            subscription: None,
        }
    );
    assert!(suite
        .query::<AccessResponse>(QueryMsg::Access {
            address: "Bad Address".into()
        })
        .is_err());
}

#[test]
fn tiers_are_paginated_by_id() {
    let mut suite = Suite::new();
    let admin = suite.admin.clone();
    for id in ["a", "b", "c"] {
        suite.exec(
            &admin,
            &[],
            ExecuteMsg::SetTier {
                tier: Tier {
                    id: id.into(),
                    ..pro()
                },
            },
        );
    }
    let page = |start_after: Option<&str>, limit| {
        suite
            .query::<TiersResponse>(QueryMsg::Tiers {
                start_after: start_after.map(str::to_string),
                limit,
            })
            .unwrap()
            .tiers
            .into_iter()
            .map(|t| t.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(page(None, Some(2)), ["a", "b"]);
    assert_eq!(page(Some("b"), Some(2)), ["c", "pro"]);
    assert_eq!(page(Some("pro"), None), ["ultra"]);
    assert_eq!(page(Some("ultra"), None), Vec::<String>::new());
    assert_eq!(page(None, Some(0)), Vec::<String>::new());
    assert_eq!(page(None, Some(MAX_LIMIT + 50)).len(), 5);
}

#[test]
fn an_unknown_tier_is_not_found() {
    let suite = Suite::new();
    assert_eq!(
        suite.query::<Tier>(QueryMsg::Tier { id: "gold".into() }),
        Err(StdError::not_found("tier gold"))
    );
}
