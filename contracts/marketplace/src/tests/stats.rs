//! Market statistics: best ask, units, utilization, EWMA, suggested price, and their listing.

use super::helpers::*;
use crate::msg::*;
use cosmwasm_std::Uint128;

#[test]
fn statistics_follow_the_market() {
    let mut suite = Suite::new();
    let alice = suite.provider("alice", 10);
    suite.offer(&alice, "rtx-4090", 10, 800);
    let empty = suite.stats("a100");
    assert_eq!(
        (empty.best_ask, empty.ewma_price, empty.suggested_price),
        (None, None, None)
    );
    // Before any match: the best ask, nudged down (slack market).
    let stats = suite.stats("rtx-4090");
    assert_eq!(stats.best_ask, Some(Uint128::new(800)));
    assert_eq!(stats.suggested_price, Some(Uint128::new(750)));

    suite.post_order(new_order());
    let owner = suite.owner.clone();
    let _ = owner;
    // 800 seeds the EWMA.
    assert_eq!(suite.stats("rtx-4090").ewma_price, Some(Uint128::new(800)));
    suite.exec(
        &alice,
        &[],
        ExecuteMsg::UpdateOffer {
            offer_id: 1,
            price: Some(Uint128::new(1_600)),
            units: None,
        },
    );
    suite.post_order(NewOrder {
        gpu_count: 7,
        max_price: Uint128::new(2_000),
        ..new_order()
    });
    let stats = suite.stats("rtx-4090");
    // (7 × 800 + 1600) / 8 = 900.
    assert_eq!(stats.ewma_price, Some(Uint128::new(900)));
    assert_eq!(stats.last_price, Some(Uint128::new(1_600)));
    assert_eq!(stats.matches, 2);
    assert_eq!(
        (stats.listed_units, stats.leased_units, stats.free_units),
        (10, 8, 2)
    );
    assert_eq!(stats.utilization_bps, 8_000);
    // Tight: 900 × 9/8 = 1012.5 → 1013.
    assert_eq!(stats.suggested_price, Some(Uint128::new(1_013)));
    assert_eq!(stats.model, "rtx-4090");
    assert_eq!(stats.denom, gridshare_types::Denom::Native(USDC.into()));

    // Demand resting beyond the free units also reads as tight.
    suite.post_order(NewOrder {
        gpu_count: 3,
        max_price: Uint128::new(2_000),
        ..new_order()
    });
    let stats = suite.stats("rtx-4090");
    assert_eq!(stats.resting_demand_units, 3);
    assert_eq!(stats.free_units, 2);
}

#[test]
fn every_market_is_listed_with_a_clamp() {
    let mut suite = Suite::new();
    let owner = suite.owner.clone();
    for i in 0..102 {
        suite.exec(
            &owner,
            &[],
            ExecuteMsg::AddModel {
                model: GpuModel {
                    id: format!("m{i:03}"),
                    vram_mib: 1_000,
                    compute_capability: ComputeCapability { major: 7, minor: 0 },
                    benchmark_score: 100,
                },
            },
        );
    }
    let mut provider = addr("none");
    for i in 0..102 {
        if i % 32 == 0 {
            provider = suite.provider(&format!("p{i}"), 32);
        }
        suite.offer(&provider, &format!("m{i:03}"), 1, 100);
    }
    let page: MarketStatsListResponse = suite
        .query(QueryMsg::AllMarketStats {
            start_after: None,
            limit: Some(1_000),
        })
        .unwrap();
    assert_eq!(page.stats.len(), 100);
    let last = page.stats.last().unwrap();
    let rest: MarketStatsListResponse = suite
        .query(QueryMsg::AllMarketStats {
            start_after: Some(MarketCursor {
                model: last.model.clone(),
                denom: native(USDC),
            }),
            limit: Some(1_000),
        })
        .unwrap();
    assert_eq!(rest.stats.len(), 2);
    assert!(rest.stats.iter().all(|s| s.listed_units == 1));
    let default: MarketStatsListResponse = suite
        .query(QueryMsg::AllMarketStats {
            start_after: None,
            limit: None,
        })
        .unwrap();
    assert_eq!(default.stats.len(), 10);
}
