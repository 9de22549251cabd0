//! Paginated and clamped lists, and the views not covered elsewhere.

use super::helpers::*;
use crate::msg::{
    ClaimsResponse, DenomHoldings, QueryMsg, RewardPoolsResponse, StakerResponse, StakersResponse,
};
use cosmwasm_std::Uint128;
use gridshare_types::pagination::MAX_LIMIT;

#[test]
fn stakers_are_listed_by_address_and_clamped() {
    let mut suite = Suite::new();
    let mut names: Vec<_> = (0..(MAX_LIMIT + 5))
        .map(|i| addr(&format!("s{i}")))
        .collect();
    for who in &names {
        suite.bond(who, 1);
    }
    names.sort();
    let all: StakersResponse = suite
        .query(QueryMsg::Stakers {
            start_after: None,
            limit: Some(u32::MAX),
        })
        .unwrap();
    assert_eq!(all.stakers.len(), MAX_LIMIT as usize);
    assert_eq!(
        all.stakers
            .iter()
            .map(|s| s.address.clone())
            .collect::<Vec<_>>(),
        names[..MAX_LIMIT as usize].to_vec()
    );
    let default: StakersResponse = suite
        .query(QueryMsg::Stakers {
            start_after: None,
            limit: None,
        })
        .unwrap();
    assert_eq!(default.stakers.len(), 10);
    let rest: StakersResponse = suite
        .query(QueryMsg::Stakers {
            start_after: Some(names[MAX_LIMIT as usize - 1].to_string()),
            limit: Some(50),
        })
        .unwrap();
    assert_eq!(rest.stakers.len(), 5);
    assert_eq!(
        rest.stakers[0],
        StakerResponse {
            address: names[MAX_LIMIT as usize].clone(),
            bonded: u(1),
            locked: Uint128::zero(),
            unbonding: Uint128::zero(),
            claims: 0,
        }
    );
    assert!(suite
        .query::<StakersResponse>(QueryMsg::Stakers {
            start_after: Some("bad".into()),
            limit: None,
        })
        .is_err());
}

#[test]
fn claims_are_paginated_by_id() {
    let mut suite = Suite::new();
    let alice = suite.alice.clone();
    suite.bond(&alice, 100);
    for _ in 0..5 {
        suite.unbond(&alice, 1);
        suite.advance(1);
    }
    let page: ClaimsResponse = suite
        .query(QueryMsg::Claims {
            address: alice.to_string(),
            start_after: Some(1),
            limit: Some(2),
        })
        .unwrap();
    assert_eq!(
        page.claims.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![2, 3]
    );
    assert!(suite
        .query::<ClaimsResponse>(QueryMsg::Claims {
            address: "bad".into(),
            start_after: None,
            limit: None,
        })
        .is_err());
}

#[test]
fn an_unknown_staker_has_nothing() {
    let suite = Suite::new();
    let stranger = suite.stranger.clone();
    assert_eq!(
        suite.staker(&stranger),
        StakerResponse {
            address: stranger.clone(),
            bonded: Uint128::zero(),
            locked: Uint128::zero(),
            unbonding: Uint128::zero(),
            claims: 0,
        }
    );
    assert_eq!(suite.pending(&stranger, &native(UUSDC)), 0);
    assert!(suite
        .query::<StakerResponse>(QueryMsg::Staker {
            address: "bad".into()
        })
        .is_err());
}

#[test]
fn totals_merge_a_reward_pool_in_the_stake_denom() {
    let mut suite = Suite::native();
    let (alice, carol) = (suite.alice.clone(), suite.carol.clone());
    suite.bond(&alice, 100);
    suite.unbond(&alice, 30);
    suite.fund(&carol, 50);
    suite.deposit(&carol, &[coin(7, UGRID), coin(9, UUSDC)]);
    assert_eq!(
        suite.totals(),
        vec![
            DenomHoldings {
                denom: native(UGRID),
                bonded: u(70),
                claims: u(30),
                rewards_unclaimed: u(7),
                rewards_undistributed: Uint128::zero(),
                rewards_dust: Uint128::zero(),
                emission_pool: u(50),
                emissions_allocated: Uint128::zero(),
                total: u(157),
            },
            DenomHoldings {
                denom: native(UUSDC),
                bonded: Uint128::zero(),
                claims: Uint128::zero(),
                // 9 over 70 bonded does not divide: alice may take 8 whole units now, and the
                // carried remainder is dust until the next deposit.
                rewards_unclaimed: u(8),
                rewards_undistributed: Uint128::zero(),
                rewards_dust: u(1),
                emission_pool: Uint128::zero(),
                emissions_allocated: Uint128::zero(),
                total: u(9),
            },
        ]
    );
    let pools: RewardPoolsResponse = suite.query(QueryMsg::RewardPools {}).unwrap();
    assert_eq!(pools.pools.len(), 2);
}
