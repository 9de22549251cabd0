//! Orders: validation, the budget rule, funds (native and cw20), premium tiers, resting, cancel,
//! expiry, and the renter's listing.

use super::helpers::*;
use crate::msg::*;
use crate::ContractError;
use cosmwasm_std::{to_json_binary, Binary, Uint128};
use gridshare_plumbing::FundsError;
use gridshare_types::access::TierBenefits;
use gridshare_types::escrow::ExecuteMsg as EscrowMsg;

fn post_err(suite: &mut Suite, order: NewOrder, amount: u128) -> ContractError {
    let renter = suite.renter.clone();
    suite
        .try_post_order(&renter, order, &[usdc(amount)])
        .unwrap_err()
}

#[test]
fn the_budget_must_cover_every_replica_for_the_max_duration() {
    let mut suite = Suite::new();
    // (2 replicas + 1 referee) × 3 GPUs × 1001 per hour × 5400 s / 3600 = 13513.5 → 13514.
    let order = NewOrder {
        gpu_count: 3,
        max_price: Uint128::new(1_001),
        max_duration: 5_400,
        replication: 2,
        ..new_order()
    };
    assert_eq!(
        post_err(&mut suite, order.clone(), 13_513),
        ContractError::InsufficientBudget {
            required: Uint128::new(13_514),
            attached: Uint128::new(13_513),
        }
    );
    // Rounded up: 1 × 1 × 7 × 1000 / 3600 = 1.94 → 2.
    let small = NewOrder {
        max_price: Uint128::new(7),
        max_duration: 1_000,
        ..new_order()
    };
    assert_eq!(
        post_err(&mut suite, small, 1),
        ContractError::InsufficientBudget {
            required: Uint128::new(2),
            attached: Uint128::new(1),
        }
    );
    let renter = suite.renter.clone();
    let res = suite
        .try_post_order(&renter, order, &[usdc(13_514)])
        .unwrap();
    assert_eq!(res.messages, vec![open_account(1, &renter, 13_514)]);
    assert_eq!(attr(&res, "status"), "open");
}

#[test]
fn orders_are_validated() {
    let mut suite = Suite::new();
    let cases: Vec<(NewOrder, ContractError)> = vec![
        (
            NewOrder {
                gpu_count: 0,
                ..new_order()
            },
            ContractError::ZeroUnits,
        ),
        (
            NewOrder {
                max_price: Uint128::zero(),
                ..new_order()
            },
            ContractError::ZeroPrice,
        ),
        (
            NewOrder {
                max_duration: 0,
                ..new_order()
            },
            ContractError::ZeroDuration,
        ),
        (
            NewOrder {
                replication: 0,
                ..new_order()
            },
            ContractError::InvalidReplication {
                replication: 0,
                max: 5,
            },
        ),
        (
            NewOrder {
                replication: 6,
                ..new_order()
            },
            ContractError::InvalidReplication {
                replication: 6,
                max: 5,
            },
        ),
        (
            NewOrder {
                replication: 2,
                spec: JobSpec {
                    deterministic: false,
                    ..job()
                },
                ..new_order()
            },
            ContractError::ReplicationNeedsDeterministic { replication: 2 },
        ),
        (
            NewOrder {
                deadline: GENESIS,
                ..new_order()
            },
            ContractError::DeadlineInPast {
                deadline: GENESIS,
                now: GENESIS,
            },
        ),
        (
            NewOrder {
                max_price: Uint128::new(1),
                max_duration: 3_599,
                ..new_order()
            },
            ContractError::LeaseCapZero {
                max_price: Uint128::new(1),
                gpu_count: 1,
                max_duration: 3_599,
            },
        ),
        (
            NewOrder {
                spec: JobSpec {
                    max_runtime_seconds: HOUR + 1,
                    ..job()
                },
                ..new_order()
            },
            ContractError::InvalidRuntime {
                max_runtime_seconds: HOUR + 1,
                max_duration: HOUR,
            },
        ),
        (
            NewOrder {
                spec: JobSpec {
                    inputs: JobInputs::Inline {
                        data: Binary::from(vec![0u8; 1_025]),
                    },
                    ..job()
                },
                ..new_order()
            },
            ContractError::InputTooLarge {
                len: 1_025,
                max: 1_024,
            },
        ),
        (
            NewOrder {
                spec: JobSpec {
                    inputs: JobInputs::Url {
                        url: "https://x".into(),
                        sha256: "abc".into(),
                    },
                    ..job()
                },
                ..new_order()
            },
            ContractError::InvalidSha256 {
                value: "abc".into(),
            },
        ),
        (
            NewOrder {
                spec: JobSpec {
                    inputs: JobInputs::Url {
                        url: "".into(),
                        sha256: SHA_A.into(),
                    },
                    ..job()
                },
                ..new_order()
            },
            ContractError::InvalidJob {
                field: "input url",
                reason: "must be 1 to 512 bytes",
            },
        ),
        (
            NewOrder {
                spec: JobSpec {
                    workload: Workload::MatMulF32 { m: 4, n: 0, k: 4 },
                    ..job()
                },
                ..new_order()
            },
            ContractError::InvalidJob {
                field: "workload",
                reason: "matrix dimensions must be positive",
            },
        ),
        (
            NewOrder {
                spec: JobSpec {
                    workload: Workload::CustomKernel {
                        source: "x".repeat(1_025),
                        entry: "main".into(),
                        grid: [1, 1, 1],
                        block: [32, 1, 1],
                        buffers: vec![KernelBuffer {
                            bytes: 4,
                            kind: BufferKind::Output,
                        }],
                    },
                    ..job()
                },
                ..new_order()
            },
            ContractError::InputTooLarge {
                len: 1_025,
                max: 1_024,
            },
        ),
        (
            NewOrder {
                spec: JobSpec {
                    workload: Workload::CustomKernel {
                        source: "__global__ void k(){}".into(),
                        entry: "k".into(),
                        grid: [1, 0, 1],
                        block: [32, 1, 1],
                        buffers: vec![],
                    },
                    ..job()
                },
                ..new_order()
            },
            ContractError::InvalidJob {
                field: "kernel launch",
                reason: "grid and block sizes must be positive",
            },
        ),
        (
            NewOrder {
                spec: JobSpec {
                    // Upper-case hex: one key, one spelling.
                    output_key: Some(format!("x25519:{}", "AB".repeat(32))),
                    ..job()
                },
                ..new_order()
            },
            ContractError::InvalidJob {
                field: "output_key",
                reason: "must be x25519: + 64 lowercase hex",
            },
        ),
        (
            NewOrder {
                spec: JobSpec {
                    output_key: Some("ed25519:00".into()),
                    ..job()
                },
                ..new_order()
            },
            ContractError::InvalidJob {
                field: "output_key",
                reason: "must be x25519: + 64 lowercase hex",
            },
        ),
        (
            NewOrder {
                requirements: Requirements {
                    models: Some(vec!["h100".into()]),
                    ..Requirements::default()
                },
                ..new_order()
            },
            ContractError::UnknownModel { id: "h100".into() },
        ),
        (
            NewOrder {
                requirements: Requirements {
                    models: Some(vec![
                        "a".into(),
                        "b".into(),
                        "c".into(),
                        "d".into(),
                        "e".into(),
                    ]),
                    ..Requirements::default()
                },
                ..new_order()
            },
            ContractError::TooManyModels { got: 5, max: 4 },
        ),
        (
            NewOrder {
                requirements: Requirements {
                    min_vram_mib: Some(100_000),
                    ..Requirements::default()
                },
                ..new_order()
            },
            ContractError::NoEligibleModel,
        ),
        (
            NewOrder {
                requirements: Requirements {
                    models: Some(vec!["t4".into()]),
                    min_compute_capability: Some(ComputeCapability { major: 8, minor: 0 }),
                    ..Requirements::default()
                },
                ..new_order()
            },
            ContractError::NoEligibleModel,
        ),
        (
            NewOrder {
                requirements: Requirements {
                    min_reputation: Some(1_001),
                    ..new_order().requirements
                },
                ..new_order()
            },
            ContractError::InvalidReputation {
                min_reputation: 1_001,
            },
        ),
    ];
    for (order, expected) in cases {
        let debug = format!("{order:?}");
        assert_eq!(post_err(&mut suite, order, 1_000_000), expected, "{debug}");
    }
    // A denom the marketplace does not accept.
    let renter = suite.renter.clone();
    assert_eq!(
        suite
            .try_post_order(
                &renter,
                new_order(),
                &[cosmwasm_std::Coin::new(5_000u128, "uatom")]
            )
            .unwrap_err(),
        ContractError::DenomNotAccepted {
            denom: "native:uatom".into()
        }
    );
}

#[test]
fn a_private_job_names_the_renters_key_and_keepers_read_it_back() {
    let mut suite = Suite::new();
    let key = format!("x25519:{}", "0f".repeat(32));
    suite.post_order(NewOrder {
        spec: JobSpec {
            output_key: Some(key.clone()),
            ..job()
        },
        ..new_order()
    });
    assert_eq!(suite.order(1).spec.output_key, Some(key));
    // A plain job says so by having none.
    suite.post_order(new_order());
    assert_eq!(suite.order(2).spec.output_key, None);
}

#[test]
fn requirements_resolve_to_eligible_models_only() {
    let mut suite = Suite::new();
    let order = NewOrder {
        requirements: Requirements {
            min_vram_mib: Some(20_000),
            min_compute_capability: Some(ComputeCapability { major: 8, minor: 5 }),
            ..Requirements::default()
        },
        ..new_order()
    };
    suite.post_order(order);
    let posted = suite.order(1);
    // a100 has enough VRAM but compute capability 8.0.
    assert_eq!(posted.eligible_models, vec!["rtx-4090"]);
    assert_eq!(posted.requirements.models, None);
    assert_eq!(posted.requirements.min_vram_mib, Some(20_000));
    assert_eq!(posted.spec, job());
    // Explicit lists keep the order they resolve to (deduplicated).
    suite.post_order(NewOrder {
        requirements: Requirements {
            models: Some(vec!["a100".into(), "t4".into(), "a100".into()]),
            ..Requirements::default()
        },
        ..new_order()
    });
    assert_eq!(suite.order(2).eligible_models, vec!["a100", "t4"]);
    assert_eq!(
        suite.order(2).requirements.models,
        Some(vec!["a100".to_string(), "t4".to_string()])
    );
}

#[test]
fn cw20_orders_arrive_through_the_token() {
    let mut suite = Suite::new();
    let alice = suite.provider("alice", 4);
    let token = addr("token");
    // An offer priced in the token.
    suite.exec(
        &alice,
        &[],
        ExecuteMsg::PostOffer {
            model: "rtx-4090".into(),
            units: 2,
            price: Uint128::new(900),
            denom: gridshare_types::UncheckedDenom::Cw20(token.to_string()),
            min_duration: 60,
            max_duration: HOUR,
        },
    );
    let renter = suite.renter.clone();
    let res = suite
        .try_receive(&token, &renter, 1_000, &ReceiveMsg::PostOrder(new_order()))
        .unwrap();
    assert_eq!(
        res.messages[0],
        wasm_exec(
            &token,
            &cw20::Cw20ExecuteMsg::Send {
                contract: addr("escrow").to_string(),
                amount: Uint128::new(1_000),
                msg: to_json_binary(&EscrowMsg::OpenAccount {
                    account_id: 1,
                    depositor: renter.to_string(),
                })
                .unwrap(),
            },
            vec![],
        )
    );
    assert_eq!(
        res.messages[1],
        open_payment(1, 16, &alice, 900, 900, TAKE_RATE_BPS)
    );
    assert_eq!(suite.order(1).renter, renter);
    assert_eq!(
        suite.order(1).denom,
        gridshare_types::Denom::Cw20(token.clone())
    );

    // Another token is not trusted; nor is a zero amount.
    let fake = addr("fake");
    assert_eq!(
        suite
            .try_receive(&fake, &renter, 1_000, &ReceiveMsg::PostOrder(new_order()))
            .unwrap_err(),
        ContractError::DenomNotAccepted {
            denom: format!("cw20:{fake}")
        }
    );
    assert_eq!(
        suite
            .try_receive(&token, &renter, 0, &ReceiveMsg::PostOrder(new_order()))
            .unwrap_err(),
        ContractError::Funds(FundsError::ZeroAmount)
    );
}

fn tier(priority: u8, fee_discount_bps: u16) -> TierBenefits {
    TierBenefits {
        tier: "pro".into(),
        fee_discount_bps,
        priority,
        max_open_orders: 10,
    }
}

#[test]
fn premium_tiers_discount_the_fee_and_jump_the_queue() {
    let mut suite = Suite::new();
    let pro = addr("pro");
    suite
        .world
        .borrow_mut()
        .tiers
        .insert(pro.to_string(), tier(3, 4_000));
    let renter = suite.renter.clone();
    // Standard renter first, higher bid; then the premium one with a lower bid.
    suite
        .try_post_order(
            &renter,
            NewOrder {
                max_price: Uint128::new(2_000),
                ..new_order()
            },
            &[usdc(2_000)],
        )
        .unwrap();
    suite
        .try_post_order(&pro, new_order(), &[usdc(1_000)])
        .unwrap();
    assert_eq!(suite.order(1).priority, 0);
    assert_eq!(suite.order(1).fee_bps, TAKE_RATE_BPS);
    assert_eq!(suite.order(2).priority, 3);
    // 250 × (10000 − 4000) / 10000 = 150.
    assert_eq!(suite.order(2).fee_bps, 150);

    // One GPU arrives: the premium order is served first, at its discounted fee.
    let alice = suite.provider("alice", 1);
    let res = suite.exec(&alice, &[], offer_msg("rtx-4090", 1, 800));
    assert!(res
        .messages
        .contains(&open_payment(2, 32, &alice, 800, 800, 150)));
    assert_eq!(suite.order(2).status, OrderStatus::Filled);
    assert_eq!(suite.order(1).status, OrderStatus::Open);
    // Then the standard one, when more capacity comes.
    let bob = suite.provider("bob", 1);
    let res = suite.exec(&bob, &[], offer_msg("rtx-4090", 1, 800));
    assert!(res
        .messages
        .contains(&open_payment(1, 16, &bob, 800, 800, TAKE_RATE_BPS)));
}

#[test]
fn a_broken_or_absent_access_token_means_the_standard_tier() {
    let mut suite = Suite::new();
    let renter = suite.renter.clone();
    suite
        .world
        .borrow_mut()
        .tiers
        .insert(renter.to_string(), tier(9, 10_000));
    suite.world.borrow_mut().access_broken = true;
    suite.post_order(new_order());
    assert_eq!(
        (suite.order(1).priority, suite.order(1).fee_bps),
        (0, TAKE_RATE_BPS)
    );

    suite.world.borrow_mut().access_broken = false;
    let owner = suite.owner.clone();
    suite.exec(
        &owner,
        &[],
        ExecuteMsg::UpdateParams(ParamsUpdate {
            remove_access_token: Some(true),
            ..ParamsUpdate::default()
        }),
    );
    suite.post_order(new_order());
    assert_eq!(
        (suite.order(2).priority, suite.order(2).fee_bps),
        (0, TAKE_RATE_BPS)
    );
    // And with the token back, the tier applies.
    suite.exec(
        &owner,
        &[],
        ExecuteMsg::UpdateParams(ParamsUpdate {
            access_token: Some(addr("access").to_string()),
            ..ParamsUpdate::default()
        }),
    );
    suite.post_order(new_order());
    assert_eq!((suite.order(3).priority, suite.order(3).fee_bps), (9, 0));
}

#[test]
fn cancelling_refunds_the_unmatched_budget() {
    let mut suite = Suite::new();
    let alice = suite.provider("alice", 2);
    suite.offer(&alice, "rtx-4090", 1, 600);
    // Three replicas at up to 1000 per hour: budget 3000; one matches at 600.
    suite.post_order(NewOrder {
        replication: 3,
        ..new_order()
    });
    let order = suite.order(1);
    assert_eq!(order.status, OrderStatus::Open);
    assert_eq!(order.committed, Uint128::new(600));
    assert_eq!(suite.stats("rtx-4090").resting_demand_units, 2);

    let stranger = suite.stranger.clone();
    assert_eq!(
        suite.exec_err(&stranger, &[], ExecuteMsg::CancelOrder { order_id: 1 }),
        ContractError::NotRenter {
            sender: stranger.to_string(),
            order_id: 1
        }
    );
    assert_eq!(
        suite.exec_err(&stranger, &[], ExecuteMsg::CancelOrder { order_id: 9 }),
        ContractError::OrderNotFound { order_id: 9 }
    );
    let renter = suite.renter.clone();
    let res = suite.exec(&renter, &[], ExecuteMsg::CancelOrder { order_id: 1 });
    // The running lease keeps its reservation; the rest comes back now.
    assert_eq!(res.messages, vec![refund(1, 2_400)]);
    assert_eq!(suite.order(1).status, OrderStatus::Cancelled);
    assert_eq!(suite.stats("rtx-4090").resting_demand_units, 0);
    assert_eq!(
        suite.exec_err(&renter, &[], ExecuteMsg::CancelOrder { order_id: 1 }),
        ContractError::OrderNotOpen {
            order_id: 1,
            status: OrderStatus::Cancelled
        }
    );
    // Capacity arriving later does not match a cancelled order.
    let bob = suite.provider("bob", 1);
    let res = suite.exec(&bob, &[], offer_msg("rtx-4090", 1, 600));
    assert_eq!(res.messages, vec![set_locked(&bob, 1_000)]);

    // Without any lease, cancelling closes the whole account.
    suite.post_order(NewOrder {
        requirements: Requirements {
            models: Some(vec!["a100".into()]),
            ..Requirements::default()
        },
        ..new_order()
    });
    let res = suite.exec(&renter, &[], ExecuteMsg::CancelOrder { order_id: 2 });
    assert_eq!(res.messages, vec![close_account(2)]);
    assert!(suite.order(2).closed);
}

#[test]
fn orders_past_their_deadline_expire() {
    let mut suite = Suite::new();
    let renter = suite.renter.clone();
    for i in 0..3u64 {
        suite.post_order(NewOrder {
            deadline: GENESIS + 100 * (i + 1),
            ..new_order()
        });
    }
    assert_eq!(suite.stats("rtx-4090").resting_demand_units, 3);
    assert_eq!(
        suite.exec_err(&renter, &[], ExecuteMsg::ExpireOrders { limit: Some(0) }),
        ContractError::InvalidLimit { got: 0, max: 20 }
    );
    suite.advance(200);
    let res = suite.exec(&renter, &[], ExecuteMsg::ExpireOrders { limit: None });
    assert_eq!(res.messages, vec![close_account(1), close_account(2)]);
    assert_eq!(attr(&res, "orders_due"), "2");
    assert_eq!(suite.order(1).status, OrderStatus::Expired);
    assert_eq!(suite.order(3).status, OrderStatus::Open);
    assert_eq!(suite.stats("rtx-4090").resting_demand_units, 1);

    // Lazily: an offer meeting an expired order expires it instead of matching it.
    suite.advance(100);
    let alice = suite.provider("alice", 1);
    let res = suite.exec(&alice, &[], offer_msg("rtx-4090", 1, 500));
    assert_eq!(
        res.messages,
        vec![close_account(3), set_locked(&alice, 1_000)]
    );
    assert_eq!(suite.order(3).status, OrderStatus::Expired);
    let res = suite.exec(&renter, &[], ExecuteMsg::ExpireOrders { limit: Some(5) });
    assert_eq!(attr(&res, "orders_due"), "0");
}

#[test]
fn a_renters_orders_are_listed_through_escrows_index() {
    let mut suite = Suite::new();
    for _ in 0..103 {
        suite.post_order(new_order());
    }
    let other = addr("other");
    suite
        .try_post_order(&other, new_order(), &[usdc(1_000)])
        .unwrap();
    let page: OrdersResponse = suite
        .query(QueryMsg::OrdersByRenter {
            renter: suite.renter.to_string(),
            start_after: None,
            limit: Some(1_000),
        })
        .unwrap();
    assert_eq!(page.orders.len(), 100);
    assert_eq!(page.orders[0].order_id, 1);
    let rest: OrdersResponse = suite
        .query(QueryMsg::OrdersByRenter {
            renter: suite.renter.to_string(),
            start_after: Some(100),
            limit: None,
        })
        .unwrap();
    assert_eq!(
        rest.orders.iter().map(|o| o.order_id).collect::<Vec<_>>(),
        vec![101, 102, 103]
    );
    let theirs: OrdersResponse = suite
        .query(QueryMsg::OrdersByRenter {
            renter: other.to_string(),
            start_after: None,
            limit: None,
        })
        .unwrap();
    assert_eq!(theirs.orders.len(), 1);
    assert_eq!(theirs.orders[0].order_id, 104);
}
