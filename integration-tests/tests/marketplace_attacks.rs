//! Attacks on the market across marketplace, escrow, staking and the GRID token, told as stories:
//! what an adversary tries, and what the contracts let it do.

use cosmwasm_std::Uint128;
use gridshare_testing::marketplace::{
    crank_skipped, event_attr, events_of, Job, DISPUTE_WINDOW, H100, MAX_SILENCE, RTX4090,
    SLASH_AMOUNT,
};
use gridshare_testing::{
    assert_contract_error, Suite, SuiteBuilder, EMISSION_PER_EPOCH, EPOCH_SECONDS,
    MIN_STAKE_PER_GPU, USDC,
};
use gridshare_types::escrow::ExecuteMsg as EscrowMsg;
use gridshare_types::marketplace::{
    lease_id, CloseReason, LeaseState, ParamsUpdate, RenterFault, SlashRule,
};
use gridshare_types::staking::{
    EpochResponse, ExecuteMsg as StakingMsg, ProviderWorkResponse, QueryMsg as StakingQuery,
};
use gridshare_types::{Denom, UncheckedDenom};

const STAKE: u128 = 20_000;
const RENTER_USDC: u128 = 100_000_000;

fn market(providers: &[&str]) -> Suite {
    let mut builder = SuiteBuilder::new().with_native("renter", RENTER_USDC, USDC);
    for p in providers {
        builder = builder.with_grid(p, STAKE);
    }
    builder.build()
}

/// A staking configuration change: only the fields set here change.
#[derive(Default)]
struct StakingUpdate {
    marketplace: Option<String>,
    min_stake_per_gpu: Option<u128>,
    reward_denoms: Option<Vec<UncheckedDenom>>,
}

impl StakingUpdate {
    fn run(self, suite: &mut Suite) -> anyhow::Result<cw_multi_test::AppResponse> {
        let staking = suite.staking.clone();
        suite.owner_executes(
            &staking,
            &StakingMsg::UpdateConfig {
                marketplace: self.marketplace,
                treasury: None,
                unbonding_period: None,
                min_stake_per_gpu: self.min_stake_per_gpu.map(Uint128::new),
                compensation_ratio: None,
                reward_denoms: self.reward_denoms,
                emission_per_epoch: None,
                emission_weights: None,
            },
        )
    }
}

/// Fails the test unless `result` failed with an error whose innermost message is `expected`.
#[track_caller]
fn assert_refused<T: std::fmt::Debug>(result: anyhow::Result<T>, expected: &str) {
    match result {
        Ok(value) => panic!("expected {expected:?}, got success: {value:?}"),
        Err(err) => assert_eq!(err.root_cause().to_string(), expected, "{err:?}"),
    }
}

/// Every order's escrow account is closed and holds nothing, and escrow holds no USDC.
fn assert_escrow_settled(suite: &Suite, orders: &[u64]) {
    for order_id in orders {
        let account = suite.escrow_account(*order_id);
        assert!(account.closed, "account {order_id} still open: {account:?}");
        assert_eq!(account.balance, Uint128::zero(), "account {order_id}");
        assert!(suite.order(*order_id).closed);
    }
    let usdc = suite.usdc();
    assert_eq!(suite.balance(&suite.escrow.clone(), &usdc), Uint128::zero());
    assert_eq!(suite.escrow_total(&usdc), Uint128::zero());
}

/// The reported attack. A provider with leases running withdraws its offer (so closing each
/// lease must lower its collateral lock), governance raises the stake per GPU above its bond, and
/// it goes silent. Closing a lease used to ask staking to lock the new requirement, which staking
/// refuses above the bond, so every `Reap` batch containing one of its leases reverted (and so did
/// the renter's own `CloseLease` and `Finalize`): the provider held its renters' leases hostage
/// and escaped its slash.
#[test]
fn a_priced_out_provider_cannot_poison_the_reaper() {
    let mut suite = market(&["mallory", "bob"]);
    suite
        .provider("mallory")
        .bonds(3 * MIN_STAKE_PER_GPU)
        .registers("eu-west")
        .offers(H100, 3, 1_000_000);
    suite
        .provider("bob")
        .bonds(STAKE)
        .registers("eu-west")
        .offers(H100, 1, 1_100_000);
    let orders: Vec<u64> = (0..4)
        .map(|_| {
            suite
                .renter("renter")
                .posts(Job::sha256().on(H100).max_price(2_000_000))
        })
        .collect();
    let leases: Vec<u64> = orders.iter().map(|o| lease_id(*o, 0).unwrap()).collect();
    for lease in &leases[..3] {
        assert_eq!(suite.lease(*lease).provider, suite.addr("mallory"));
    }
    assert_eq!(suite.lease(leases[3]).provider, suite.addr("bob"));
    assert_eq!(suite.staker("mallory").locked.u128(), 3 * MIN_STAKE_PER_GPU);

    // mallory pulls her offer with three leases running; the owner raises the stake per GPU
    // tenfold, far above her 3 000 bond.
    suite.provider("mallory").withdraws_offer(1);
    StakingUpdate {
        min_stake_per_gpu: Some(10 * MIN_STAKE_PER_GPU),
        ..StakingUpdate::default()
    }
    .run(&mut suite)
    .unwrap();
    // What closing a lease used to ask for (the new requirement of the 2 units still listed
    // after it) is more than her bond, and staking refuses it.
    assert_contract_error(
        suite.lock_collateral("mallory", 2 * 10 * MIN_STAKE_PER_GPU),
        staking::ContractError::LockExceedsBond {
            bonded: Uint128::new(3 * MIN_STAKE_PER_GPU),
            requested: Uint128::new(2 * 10 * MIN_STAKE_PER_GPU),
        },
    );

    // Ten minutes in: one result, one renter who stops early.
    suite.advance_seconds(600);
    suite
        .provider("mallory")
        .heartbeat()
        .submits(leases[1], b"output");
    suite.provider("bob").heartbeat();
    suite.renter("renter").closes(leases[0]).unwrap();
    assert_eq!(suite.lease(leases[0]).state, LeaseState::Cancelled);
    // The lock only goes down: 2 units still listed would need 20 000, she keeps 3 000 locked.
    assert_eq!(suite.staker("mallory").locked.u128(), 3 * MIN_STAKE_PER_GPU);
    suite.advance_seconds(DISPUTE_WINDOW + 1);
    suite.finalize(leases[1]).unwrap();
    assert_eq!(suite.lease(leases[1]).state, LeaseState::Accepted);

    // Both are silent now. One reap closes every lease of the batch, mallory's included.
    let res = suite.reap().unwrap();
    assert_eq!(crank_skipped(&res), vec![]);
    for lease in [leases[2], leases[3]] {
        let lease = suite.lease(lease);
        assert_eq!(lease.state, LeaseState::Failed);
        assert_eq!(lease.close_reason, Some(CloseReason::Silent));
    }
    // Slashed for the silent lease (not for the cancelled or accepted ones); the renter gets half.
    assert_eq!(
        suite.staker("mallory").bonded.u128(),
        3 * MIN_STAKE_PER_GPU - SLASH_AMOUNT
    );
    assert_eq!(suite.staker("bob").bonded.u128(), STAKE - SLASH_AMOUNT);
    let grid = suite.grid_denom();
    assert_eq!(suite.balance_of("renter", &grid).u128(), SLASH_AMOUNT);
    // Nothing is listed any more: her lock is released.
    assert_eq!(suite.staker("mallory").locked.u128(), 0);
    assert_eq!(suite.provider_info("mallory").counters.missed_liveness, 1);

    // Every account closed empty: the renter paid 600 s of the cancelled and the accepted lease
    // (no result, no pay for the silent ones) and got the rest back.
    assert_escrow_settled(&suite, &orders);
    let paid: u128 = leases
        .iter()
        .map(|l| suite.escrow_payment(*l).released.u128())
        .sum();
    assert_eq!(paid, 2 * (1_000_000 * 600 / 3_600));
    let usdc = suite.usdc();
    assert_eq!(suite.balance_of("renter", &usdc).u128(), RENTER_USDC - paid);
    // Nothing left to reap.
    let res = suite.reap().unwrap();
    assert_eq!(crank_skipped(&res), vec![]);
    assert_eq!(suite.staker("bob").bonded.u128(), STAKE - SLASH_AMOUNT);
}

/// If every lease of a batch fails to settle (here staking answers the marketplace with
/// "unauthorized" for a while), the reap itself still goes through: each failed lease is rolled
/// back on its own, named in a `crank_skipped` event, and settled by a later reap.
#[test]
fn a_reap_whose_steps_all_fail_reverts_nothing_and_retries_later() {
    let mut suite = market(&["alice", "bob"]);
    for (p, price) in [("alice", 1_000_000), ("bob", 1_200_000)] {
        suite
            .provider(p)
            .bonds(STAKE)
            .registers("eu-west")
            .offers(H100, 1, price);
    }
    let orders: Vec<u64> = (0..2)
        .map(|_| {
            suite
                .renter("renter")
                .posts(Job::sha256().on(H100).max_price(2_000_000))
        })
        .collect();
    let placeholder = suite.addr("placeholder");
    let point_staking_at = |suite: &mut Suite, marketplace: String| {
        StakingUpdate {
            marketplace: Some(marketplace),
            ..StakingUpdate::default()
        }
        .run(suite)
        .unwrap();
    };
    point_staking_at(&mut suite, placeholder.to_string());
    suite.advance_seconds(MAX_SILENCE + 1);

    let res = suite.reap().unwrap();
    let skipped = crank_skipped(&res);
    let ids: Vec<(String, String)> = skipped
        .iter()
        .map(|(s, i, _)| (s.clone(), i.clone()))
        .collect();
    let expected: Vec<(String, String)> = orders
        .iter()
        .map(|o| {
            (
                "reap_lease".to_string(),
                lease_id(*o, 0).unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(ids, expected);
    for (_, _, reason) in &skipped {
        assert!(!reason.is_empty());
    }
    for order_id in &orders {
        assert_eq!(
            suite.lease(lease_id(*order_id, 0).unwrap()).state,
            LeaseState::Active
        );
        assert!(!suite.escrow_account(*order_id).closed);
    }
    assert_eq!(suite.staker("alice").bonded.u128(), STAKE);
    // Re-keyed behind a silence period: reaping at once does nothing.
    let res = suite.reap().unwrap();
    assert_eq!(crank_skipped(&res), vec![]);
    assert!(!suite.order(orders[0]).closed);

    // Staking is fixed; the next reap settles both leases.
    let market = suite.marketplace.to_string();
    point_staking_at(&mut suite, market);
    suite.advance_seconds(MAX_SILENCE + 1);
    let res = suite.reap().unwrap();
    assert_eq!(crank_skipped(&res), vec![]);
    for order_id in &orders {
        assert_eq!(
            suite.lease(lease_id(*order_id, 0).unwrap()).state,
            LeaseState::Failed
        );
    }
    assert_eq!(suite.staker("alice").bonded.u128(), STAKE - SLASH_AMOUNT);
    assert_eq!(suite.staker("bob").bonded.u128(), STAKE - SLASH_AMOUNT);
    assert_escrow_settled(&suite, &orders);
    let usdc = suite.usdc();
    assert_eq!(suite.balance_of("renter", &usdc).u128(), RENTER_USDC);
}

/// The fee chain: an order's denom must stay deliverable as a fee. Staking refuses to drop a denom
/// escrow takes fees in, the marketplace refuses a denom escrow does not hold, and when the fee
/// collector refuses a fee anyway the lease still settles: escrow keeps the fee until it can be
/// delivered.
#[test]
fn an_undeliverable_fee_never_blocks_a_settlement() {
    let mut suite = market(&["alice"]);
    let usdc = suite.usdc();
    // Staking's own check: escrow takes USDC fees, so USDC stays a reward denom.
    let staking = suite.staking.clone();
    let drop_usdc = StakingUpdate {
        reward_denoms: Some(vec![UncheckedDenom::Cw20(suite.grid.to_string())]),
        ..StakingUpdate::default()
    };
    assert_refused(
        drop_usdc.run(&mut suite),
        &format!(
            "{usdc} is in the escrow's accepted denoms but not in the staking's reward denoms: \
             fees in it could never be delivered"
        ),
    );
    assert!(suite.staking_holdings(&usdc).is_some());
    // The marketplace's: it takes only denoms escrow holds.
    assert_refused(
        suite.update_market_params(ParamsUpdate {
            accepted_denoms: Some(vec![
                UncheckedDenom::Native(USDC.into()),
                UncheckedDenom::Native("uatom".into()),
            ]),
            ..ParamsUpdate::default()
        }),
        &format!(
            "{} is in the marketplace's accepted denoms but not in the escrow's accepted \
             denoms: fees in it could never be delivered",
            Denom::Native("uatom".into())
        ),
    );
    assert_eq!(
        suite.market_config().params.accepted_denoms,
        vec![usdc.clone()]
    );

    // Escrow's collector is pointed at a contract that is no fee collector (it does not answer
    // the check, so escrow cannot tell) and refuses every deposit.
    let (escrow, governance) = (suite.escrow.clone(), suite.governance.clone());
    let set_collector = |suite: &mut Suite, collector: String| {
        suite
            .owner_executes(
                &escrow,
                &EscrowMsg::UpdateConfig {
                    marketplace: None,
                    fee_collector: Some(collector),
                    accepted_denoms: None,
                },
            )
            .unwrap()
    };
    let res = set_collector(&mut suite, governance.to_string());
    assert!(res
        .events
        .iter()
        .flat_map(|e| &e.attributes)
        .any(|a| a.key == "fee_collector_denoms" && a.value == "skipped"));

    suite
        .provider("alice")
        .bonds(STAKE)
        .registers("eu-west")
        .offers(H100, 1, 2_000_000);
    let order = suite
        .renter("renter")
        .posts(Job::sha256().on(H100).max_price(3_000_000));
    let lease = lease_id(order, 0).unwrap();
    suite.advance_seconds(600);
    suite.provider("alice").heartbeat().submits(lease, b"out");
    suite.advance_seconds(DISPUTE_WINDOW + 1);
    let res = suite.finalize(lease).unwrap();

    // Settled: paid, refunded, closed; the fee stays in escrow, uncollected.
    let gross = 2_000_000u128 * 600 / 3_600;
    let fee = gross * 250 / 10_000;
    assert_eq!(suite.lease(lease).state, LeaseState::Accepted);
    let uncollected = events_of(&res, "wasm-fee_uncollected");
    assert_eq!(uncollected.len(), 1);
    assert_eq!(event_attr(uncollected[0], "amount"), fee.to_string());
    assert_eq!(suite.balance_of("alice", &usdc).u128(), gross - fee);
    assert_eq!(
        suite.balance_of("renter", &usdc).u128(),
        RENTER_USDC - gross
    );
    assert!(suite.escrow_account(order).closed);
    assert_eq!(suite.escrow_uncollected_fees(&usdc).u128(), fee);
    assert_eq!(suite.balance(&escrow, &usdc).u128(), fee);
    assert_eq!(suite.fees_collected(&usdc).u128(), 0);
    // The work is still reported to staking with its fee.
    let work: ProviderWorkResponse = suite.query_contract(
        &staking,
        &StakingQuery::ProviderWork {
            address: suite.addr("alice").to_string(),
            start_after: None,
            limit: None,
        },
    );
    assert_eq!(work.work[0].gpu_seconds.u128(), 600);
    assert_eq!(work.work[0].weight, cosmwasm_std::Uint256::from(fee));

    // Delivering again to a collector that still refuses changes nothing.
    assert!(suite.deliver_fees("anyone", &usdc).is_err());
    assert_eq!(suite.escrow_uncollected_fees(&usdc).u128(), fee);
    // Pointed back at staking, anyone delivers the fee: it becomes stakers' rewards.
    set_collector(&mut suite, staking.to_string());
    suite.deliver_fees("anyone", &usdc).unwrap();
    assert_eq!(suite.fees_collected(&usdc).u128(), fee);
    assert_eq!(suite.escrow_uncollected_fees(&usdc).u128(), 0);
    assert_eq!(suite.balance(&escrow, &usdc).u128(), 0);
    // alice is the only staker: the fee is hers, to the unit rounding leaves.
    let rewards = suite.pending_rewards("alice", &usdc).u128();
    assert!(fee - rewards <= 1, "{rewards} of {fee}");
}

fn epoch(suite: &Suite, epoch: u64) -> EpochResponse {
    suite.query_contract(
        &suite.staking.clone(),
        &StakingQuery::Epoch { epoch: Some(epoch) },
    )
}

fn work_of(suite: &Suite, who: &str) -> ProviderWorkResponse {
    suite.query_contract(
        &suite.staking.clone(),
        &StakingQuery::ProviderWork {
            address: suite.addr(who).to_string(),
            start_after: None,
            limit: None,
        },
    )
}

/// Wash trading for emissions: one address rents its own 100 GPUs at price 1 for 23 hours,
/// reporting 8.28 million GPU-seconds of "work" while an honest provider does one paid hour in
/// the same epoch. Emissions follow the fee paid by someone else, so the wash trader gets nothing
/// (and loses the fee) and the honest provider gets the whole epoch's emission.
#[test]
fn wash_trading_earns_no_emissions() {
    let mut suite = SuiteBuilder::new()
        .with_native("renter", RENTER_USDC, USDC)
        .with_native("wash", 10_000, USDC)
        .with_grid("wash", 100 * MIN_STAKE_PER_GPU)
        .with_grid("honest", STAKE)
        .build();
    suite
        .fund_emissions("owner", 2 * EMISSION_PER_EPOCH)
        .unwrap();
    let start = suite.now().seconds();
    suite
        .provider("wash")
        .bonds(100 * MIN_STAKE_PER_GPU)
        .registers("eu-west")
        .offers(RTX4090, 100, 1);
    suite
        .provider("honest")
        .bonds(STAKE)
        .registers("eu-west")
        .offers(H100, 1, 2_000_000);
    let wash_job = Job::sha256()
        .on(RTX4090)
        .gpus(100)
        .max_price(1)
        .hours(23)
        .runtime(23 * 3_600);
    assert_eq!(wash_job.budget(), 2_300);
    let wash_order = suite.renter("wash").posts(wash_job);
    let wash_lease = lease_id(wash_order, 0).unwrap();
    assert_eq!(suite.lease(wash_lease).provider, suite.addr("wash"));
    let honest_order = suite
        .renter("renter")
        .posts(Job::sha256().on(H100).max_price(3_000_000).runtime(3_600));
    let honest_lease = lease_id(honest_order, 0).unwrap();

    // The honest hour.
    suite.advance_seconds(3_600);
    suite
        .provider("honest")
        .heartbeat()
        .submits(honest_lease, b"real work");
    suite.advance_seconds(DISPUTE_WINDOW + 1);
    suite.finalize(honest_lease).unwrap();
    // The wash trade: 23 hours of 100 GPUs, accepted before the epoch ends.
    let until = start + 23 * 3_600;
    suite.advance_seconds(until - suite.now().seconds());
    suite
        .provider("wash")
        .heartbeat()
        .submits(wash_lease, b"nothing");
    suite.advance_seconds(DISPUTE_WINDOW + 1);
    suite.finalize(wash_lease).unwrap();
    assert_eq!(suite.lease(wash_lease).state, LeaseState::Accepted);
    assert!(
        suite.now().seconds() < start + EPOCH_SECONDS,
        "still epoch 0"
    );

    // The work is on record, the weight only where a fee came from someone else.
    let honest_fee = 2_000_000u128 * 250 / 10_000;
    let wash_work = work_of(&suite, "wash");
    assert_eq!(wash_work.work.len(), 1);
    assert_eq!(wash_work.work[0].gpu_seconds.u128(), 100 * 23 * 3_600);
    assert!(wash_work.work[0].weight.is_zero());
    let honest_work = work_of(&suite, "honest");
    assert_eq!(honest_work.work[0].gpu_seconds.u128(), 3_600);
    assert_eq!(
        honest_work.work[0].weight,
        cosmwasm_std::Uint256::from(honest_fee)
    );
    let e0 = epoch(&suite, 0);
    assert_eq!(e0.total_work.u128(), 100 * 23 * 3_600 + 3_600);
    assert_eq!(e0.total_weight, cosmwasm_std::Uint256::from(honest_fee));
    assert_eq!(e0.emission, Some(Uint128::new(EMISSION_PER_EPOCH)));

    // After the epoch: the wash trader's claim is worth nothing, the honest provider's everything.
    suite.advance_seconds(3_600);
    assert!(suite.now().seconds() >= start + EPOCH_SECONDS);
    let grid = suite.grid_denom();
    let before = suite.balance_of("wash", &grid);
    let res = suite.claim_emissions("wash").unwrap();
    let claim = events_of(&res, "wasm")
        .into_iter()
        .find(|e| {
            e.attributes
                .iter()
                .any(|a| a.key == "action" && a.value == "claim_emissions")
        })
        .map(|e| event_attr(e, "amount"))
        .unwrap();
    assert_eq!(claim, "0");
    assert_eq!(suite.balance_of("wash", &grid), before);
    let before = suite.balance_of("honest", &grid).u128();
    suite.claim_emissions("honest").unwrap();
    assert_eq!(
        suite.balance_of("honest", &grid).u128(),
        before + EMISSION_PER_EPOCH
    );
    // And the wash trade cost its trader the fee on its own payment.
    let wash_fee = 2_300u128 * 250 / 10_000;
    let usdc = suite.usdc();
    assert_eq!(suite.balance_of("wash", &usdc).u128(), 10_000 - wash_fee);
}

/// Issue 16's griefing renter posted malformed jobs that took a provider from reputation 1000
/// to 200. Handed back as the renter's fault, they now cost the provider nothing; and a provider
/// that blames renters to leave leases gains no coin, cannot do it once another replica
/// committed, and is counted in the open.
#[test]
fn blaming_the_other_side_of_a_lease_pays_nobody() {
    let mut suite = market(&["alice", "bob"]);
    for p in ["alice", "bob"] {
        suite
            .provider(p)
            .bonds(STAKE)
            .registers("eu-west")
            .offers(RTX4090, 1, 2_000_000);
    }
    let usdc = suite.usdc();
    let renter_before = suite.balance_of("renter", &usdc);
    let reputation = suite.provider_info("alice").reputation;

    // Four malformed jobs in a row, each handed back by the provider that drew it.
    for _ in 0..4 {
        let order = suite
            .renter("renter")
            .posts(Job::sha256().on(RTX4090).max_price(2_000_000).runtime(600));
        let lease = lease_id(order, 0).unwrap();
        suite.advance_seconds(30);
        let provider = suite.lease(lease).provider;
        let name = if provider == suite.addr("alice") {
            "alice"
        } else {
            "bob"
        };
        // The renter cannot blame itself to dodge paying for time used.
        assert_contract_error(
            suite
                .renter("renter")
                .try_hand_back(lease, RenterFault::JobRefused),
            marketplace::ContractError::RenterFaultRefused {
                lease_id: lease,
                by_renter: true,
            },
        );
        suite
            .provider(name)
            .try_hand_back(lease, RenterFault::JobRefused)
            .unwrap();
        let closed = suite.lease(lease);
        assert_eq!(closed.close_reason, Some(CloseReason::RenterFault));
        assert_eq!(closed.state, LeaseState::Cancelled);
    }
    // Nobody was paid, nobody's reputation moved, and the renter got every budget back.
    assert_eq!(suite.balance_of("renter", &usdc), renter_before);
    assert_eq!(suite.balance_of("alice", &usdc).u128(), 0);
    assert_eq!(suite.balance_of("bob", &usdc).u128(), 0);
    assert_eq!(suite.provider_info("alice").reputation, reputation);
    let handed_back = suite.provider_info("alice").counters.handed_back
        + suite.provider_info("bob").counters.handed_back;
    assert_eq!(handed_back, 4);

    // Once a replica committed, the job evidently runs: blaming the renter to leave is refused,
    // and leaving is the liveness fault it always was.
    let order = suite.renter("renter").posts(
        Job::sha256()
            .on(RTX4090)
            .replicas(2)
            .max_price(2_000_000)
            .runtime(600),
    );
    let (first, second) = (lease_id(order, 0).unwrap(), lease_id(order, 1).unwrap());
    let name_of = |suite: &Suite, lease| {
        if suite.lease(lease).provider == suite.addr("alice") {
            "alice"
        } else {
            "bob"
        }
    };
    let (a, b) = (name_of(&suite, first), name_of(&suite, second));
    suite.advance_seconds(60);
    suite
        .provider(a)
        .heartbeat()
        .commits_only(first, b"the output");
    assert_contract_error(
        suite
            .provider(b)
            .try_hand_back(second, RenterFault::InputUnavailable),
        marketplace::ContractError::RenterFaultRefused {
            lease_id: second,
            by_renter: false,
        },
    );
}

/// Slashes compound: when two leases of one provider fail in one reap, the second slash takes
/// its basis points of the bond the first one left.
#[test]
fn slashes_in_one_reap_compound() {
    let mut suite = market(&["alice"]);
    suite.set_slash_rule(SlashRule::BondBps { bps: 1_000 });
    suite
        .provider("alice")
        .bonds(10_000)
        .registers("eu-west")
        .offers(H100, 2, 1_000_000);
    let orders: Vec<u64> = (0..2)
        .map(|_| {
            suite
                .renter("renter")
                .posts(Job::sha256().on(H100).max_price(2_000_000))
        })
        .collect();
    suite.advance_seconds(MAX_SILENCE + 1);
    let res = suite.reap().unwrap();
    assert_eq!(crank_skipped(&res), vec![]);
    let slashes: Vec<(String, String, String)> = events_of(&res, "wasm-slash")
        .into_iter()
        .map(|e| {
            (
                event_attr(e, "lease_id"),
                event_attr(e, "bonded"),
                event_attr(e, "slashed"),
            )
        })
        .collect();
    let (l1, l2) = (
        lease_id(orders[0], 0).unwrap(),
        lease_id(orders[1], 0).unwrap(),
    );
    assert_eq!(
        slashes,
        vec![
            (l1.to_string(), "10000".into(), "1000".into()),
            (l2.to_string(), "9000".into(), "900".into()),
        ]
    );
    // 10% of 10 000, then 10% of 9 000: 8 100 left, not 8 000.
    assert_eq!(suite.staker("alice").bonded.u128(), 8_100);
    // Half of each slash compensates the renter, the rest goes to the treasury.
    let grid = suite.grid_denom();
    assert_eq!(suite.balance_of("renter", &grid).u128(), 950);
    assert_eq!(suite.balance_of("treasury", &grid).u128(), 950);
    assert_escrow_settled(&suite, &orders);
}
