//! Matching: an order against the ask side, an offer against the resting orders.

use super::helpers::*;
use crate::msg::*;
use cosmwasm_std::Uint128;

#[test]
fn an_order_matches_the_best_offer_at_once() {
    let mut suite = Suite::new();
    let alice = suite.provider("alice", 8);
    let bob = suite.provider("bob", 8);
    suite.offer(&alice, "rtx-4090", 4, 900);
    let bob_offer = suite.offer(&bob, "rtx-4090", 4, 800);

    let order = NewOrder {
        gpu_count: 2,
        ..new_order()
    };
    // 1 × 2 × 1000 × 3600 / 3600 = 2000.
    let renter = suite.renter.clone();
    let res = suite
        .try_post_order(&renter, order, &[usdc(2_000)])
        .unwrap();
    let lease_id = lease_id(1, 0).unwrap();
    assert_eq!(lease_id, 16);
    assert_eq!(
        res.messages,
        vec![
            open_account(1, &renter, 2_000),
            // 800 per GPU-hour × 2 GPUs; cap for the hour: 1600; fee: the take rate.
            open_payment(1, lease_id, &bob, 1_600, 1_600, TAKE_RATE_BPS),
        ]
    );
    assert_eq!(attr(&res, "order_id"), "1");
    assert_eq!(attr(&res, "lease_ids"), "16");
    assert_eq!(attr(&res, "status"), "filled");

    let lease = suite.lease(lease_id);
    assert_eq!(lease.provider, bob);
    assert_eq!(lease.offer_id, bob_offer);
    assert_eq!(lease.units, 2);
    assert_eq!(lease.price, Uint128::new(800));
    assert_eq!(lease.start, GENESIS);
    assert_eq!(lease.state, LeaseState::Active);
    assert_eq!(suite.offer_info(bob_offer).free_units, 2);

    let order = suite.order(1);
    assert_eq!(order.status, OrderStatus::Filled);
    assert_eq!(order.lease_ids, vec![16]);
    assert_eq!(order.committed, Uint128::new(1_600));
    assert_eq!(order.open_leases, 1);

    let stats = suite.stats("rtx-4090");
    assert_eq!(stats.listed_units, 8);
    assert_eq!(stats.leased_units, 2);
    assert_eq!(stats.free_units, 6);
    assert_eq!(stats.best_ask, Some(Uint128::new(800)));
    assert_eq!(stats.ewma_price, Some(Uint128::new(800)));
    assert_eq!(stats.utilization_bps, 2_500);
}

#[test]
fn faster_gpus_win_at_a_higher_price() {
    let mut suite = Suite::new();
    let alice = suite.provider("alice", 1);
    let bob = suite.provider("bob", 1);
    // a100 scores 2000, rtx-4090 1000: 1500 on an a100 beats 900 on an rtx-4090.
    suite.offer(&alice, "rtx-4090", 1, 900);
    suite.offer(&bob, "a100", 1, 1_500);
    suite.post_order(NewOrder {
        requirements: Requirements {
            models: Some(vec!["rtx-4090".into(), "a100".into()]),
            ..Requirements::default()
        },
        max_price: Uint128::new(2_000),
        ..new_order()
    });
    assert_eq!(suite.lease(16).provider, bob);
    assert_eq!(suite.lease(16).price, Uint128::new(1_500));
}

#[test]
fn reputation_weighs_on_the_rank_across_models() {
    let mut suite = Suite::new();
    let alice = suite.provider("alice", 2);
    let bob = suite.provider("bob", 2);
    suite.offer(&alice, "rtx-4090", 2, 800);
    suite.offer(&bob, "a100", 2, 1_800);
    let both = NewOrder {
        requirements: Requirements {
            models: Some(vec!["rtx-4090".into(), "a100".into()]),
            ..Requirements::default()
        },
        max_price: Uint128::new(2_000),
        ..new_order()
    };
    // Per benchmark point alice is cheaper: 800 / 1000 < 1800 / 2000 (both at reputation 500).
    suite.post_order(both.clone());
    assert_eq!(suite.lease(16).provider, alice);
    // She withdraws from the lease: reputation 250, her 800 now ranks above bob's 1800 on twice
    // the benchmark (800 × 1750 / 1000 = 1400 > 1800 × 1500 / 2000 = 1350).
    suite.exec(&alice, &[], close(16));
    assert_eq!(suite.provider_info(&alice).reputation, 250);
    suite.post_order(both.clone());
    assert_eq!(suite.lease(32).provider, bob);
    // A minimum reputation excludes her outright, even when she is the only one left.
    suite.post_order(both.clone());
    assert_eq!(suite.lease(48).provider, bob);
    suite.post_order(NewOrder {
        requirements: Requirements {
            min_reputation: Some(500),
            ..both.requirements.clone()
        },
        ..both.clone()
    });
    assert_eq!(suite.order(4).status, OrderStatus::Open);
    suite.post_order(both);
    assert_eq!(suite.lease(5 * 16).provider, alice);
}

#[test]
fn replicas_go_to_distinct_providers() {
    let mut suite = Suite::new();
    let alice = suite.provider("alice", 9);
    let bob = suite.provider("bob", 8);
    suite.offer(&alice, "rtx-4090", 4, 500);
    suite.offer(&alice, "a100", 4, 500);
    suite.offer(&bob, "rtx-4090", 4, 900);
    let res = suite.post_order(NewOrder {
        replication: 3,
        requirements: Requirements {
            models: Some(vec!["rtx-4090".into(), "a100".into()]),
            ..Requirements::default()
        },
        ..new_order()
    });
    // Two providers for three replicas: two leases, one replica rests.
    assert_eq!(attr(&res, "lease_ids"), "16,17");
    let order = suite.order(1);
    assert_eq!(order.status, OrderStatus::Open);
    let providers: Vec<_> = [16, 17]
        .iter()
        .map(|id| suite.lease(*id).provider)
        .collect();
    assert_eq!(providers, vec![alice.clone(), bob]);
    // A third provider's offer completes it; alice's own new offer would not.
    suite.offer(&alice, "rtx-4090", 1, 400);
    assert_eq!(suite.order(1).status, OrderStatus::Open);
    let carol = suite.provider("carol", 1);
    suite.offer(&carol, "rtx-4090", 1, 950);
    assert_eq!(suite.order(1).status, OrderStatus::Filled);
    assert_eq!(suite.lease(18).provider, carol);
}

#[test]
fn offers_must_fit_the_order() {
    let mut suite = Suite::new();
    let alice = suite.provider("alice", 4);
    // Too few free units, too short a max duration, too dear.
    suite.offer(&alice, "rtx-4090", 1, 500);
    suite.exec(
        &alice,
        &[],
        ExecuteMsg::PostOffer {
            model: "rtx-4090".into(),
            units: 2,
            price: Uint128::new(500),
            denom: native(USDC),
            min_duration: 60,
            max_duration: HOUR - 1,
        },
    );
    let bob = suite.provider("bob", 4);
    suite.offer(&bob, "rtx-4090", 2, 1_001);
    // And one in another denom.
    suite.exec(
        &bob,
        &[],
        ExecuteMsg::PostOffer {
            model: "rtx-4090".into(),
            units: 2,
            price: Uint128::new(100),
            denom: native(GRID),
            min_duration: 60,
            max_duration: HOUR,
        },
    );
    let res = suite.post_order(NewOrder {
        gpu_count: 2,
        ..new_order()
    });
    assert_eq!(attr(&res, "status"), "open");
    assert_eq!(suite.stats("rtx-4090").resting_demand_units, 2);
    // Bob lowers his price to the bid: matched at once.
    let res = suite.exec(
        &bob,
        &[],
        ExecuteMsg::UpdateOffer {
            offer_id: 3,
            price: Some(Uint128::new(1_000)),
            units: None,
        },
    );
    assert_eq!(
        res.messages,
        vec![open_payment(1, 16, &bob, 2_000, 2_000, TAKE_RATE_BPS)]
    );
    assert_eq!(suite.stats("rtx-4090").resting_demand_units, 0);
}

#[test]
fn matching_work_is_capped_per_transaction() {
    let mut suite = Suite::new();
    let owner = suite.owner.clone();
    suite.exec(
        &owner,
        &[],
        ExecuteMsg::UpdateParams(ParamsUpdate {
            max_matches: Some(2),
            max_scan: Some(3),
            ..ParamsUpdate::default()
        }),
    );
    // Five resting orders; one offer with room for all of them matches two.
    for _ in 0..5 {
        suite.post_order(new_order());
    }
    let alice = suite.provider("alice", 5);
    let res = suite.exec(&alice, &[], offer_msg("rtx-4090", 5, 500));
    assert_eq!(attr(&res, "lease_ids"), "16,32");
    // The scan cap: four offers of one provider ahead of bob's, none of which fits.
    let mut suite = Suite::new();
    suite.exec(
        &owner,
        &[],
        ExecuteMsg::UpdateParams(ParamsUpdate {
            max_scan: Some(3),
            ..ParamsUpdate::default()
        }),
    );
    let alice = suite.provider("alice", 8);
    for price in [100, 200, 300, 400] {
        suite.offer(&alice, "rtx-4090", 1, price);
    }
    let bob = suite.provider("bob", 2);
    suite.offer(&bob, "rtx-4090", 2, 500);
    let res = suite.post_order(NewOrder {
        gpu_count: 2,
        ..new_order()
    });
    assert_eq!(
        attr(&res, "status"),
        "open",
        "bob's offer was beyond the cap"
    );
}

#[test]
fn an_order_can_be_above_every_ask() {
    let mut suite = Suite::new();
    let alice = suite.provider("alice", 1);
    suite.offer(&alice, "rtx-4090", 1, 1_200);
    let renter = suite.renter.clone();
    let res = suite
        .try_post_order(&renter, new_order(), &[usdc(1_000)])
        .unwrap();
    assert_eq!(res.messages, vec![open_account(1, &renter, 1_000)]);
}
