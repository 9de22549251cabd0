//! The life of GPU jobs across marketplace, escrow and staking: who is paid, who is slashed, what
//! comes back to the renter.

use gridshare_testing::marketplace::{Job, A100, DISPUTE_WINDOW, H100, MAX_SILENCE, SLASH_AMOUNT};
use gridshare_testing::{Suite, SuiteBuilder, MIN_STAKE_PER_GPU, USDC};
use gridshare_types::marketplace::{lease_id, CloseReason, LeaseState, OrderStatus};

const STAKE: u128 = 20_000;

fn market(providers: &[&str]) -> Suite {
    let mut builder = SuiteBuilder::new()
        .with_native("renter", 100_000_000, USDC)
        .with_native("renter2", 100_000_000, USDC);
    for p in providers {
        builder = builder.with_grid(p, STAKE);
    }
    builder.build()
}

#[test]
fn a_single_replica_job_is_matched_run_settled_and_refunded() {
    let mut suite = market(&["alice", "bob"]);
    suite
        .provider("alice")
        .bonds(STAKE)
        .registers("eu-west")
        .offers(H100, 4, 2_000_000);
    suite
        .provider("bob")
        .bonds(STAKE)
        .registers("eu-west")
        .offers(H100, 4, 2_500_000);
    // Collateral for the listed GPUs is locked in staking.
    assert_eq!(suite.staker("alice").locked.u128(), 4 * MIN_STAKE_PER_GPU);

    let job = Job::sha256()
        .on(H100)
        .gpus(2)
        .max_price(3_000_000)
        .hours(1)
        .runtime(3_600);
    let budget = job.budget();
    let order_id = suite.renter("renter").posts(job);

    // Matched at once with the cheapest offer.
    let lease_id = lease_id(order_id, 0).unwrap();
    let lease = suite.lease(lease_id);
    assert_eq!(lease.provider, suite.addr("alice"));
    assert_eq!(lease.price.u128(), 2_000_000);
    assert_eq!(lease.state, LeaseState::Active);
    assert_eq!(suite.order(order_id).status, OrderStatus::Filled);
    assert_eq!(suite.escrow_account(order_id).balance.u128(), budget);
    assert_eq!(suite.offers_of("alice")[0].free_units, 2);

    // Half an hour of work, then the result; the renter lets the dispute window pass.
    suite.advance_seconds(1_800);
    suite
        .provider("alice")
        .heartbeat()
        .submits(lease_id, b"the output");
    assert_contract_error_is_dispute_window(&mut suite, lease_id);
    suite.advance_seconds(DISPUTE_WINDOW + 1);
    suite.finalize(lease_id).unwrap();

    let lease = suite.lease(lease_id);
    assert_eq!(lease.state, LeaseState::Accepted);
    assert_eq!(lease.close_reason, Some(CloseReason::Completed));
    // Paid for 1_800 s of 2 GPUs at 2 USDC/h: 2_000_000 gross, 2.5% of it to staking.
    let gross = 2 * 2_000_000 * 1_800 / 3_600;
    let fee = gross * 250 / 10_000;
    let usdc = suite.usdc();
    // Closing the order paid alice directly: nothing is left for her to withdraw.
    assert_eq!(suite.balance_of("alice", &usdc).u128(), gross - fee);
    assert!(suite.withdraw("alice", &[lease_id]).is_err());
    assert_eq!(suite.fees_collected(&usdc).u128(), fee);
    // The order is over: the renter has everything else back and escrow holds nothing.
    assert_eq!(
        suite.balance_of("renter", &usdc).u128(),
        100_000_000 - gross
    );
    assert_eq!(suite.balance(&suite.escrow.clone(), &usdc).u128(), 0);
    assert!(suite.order(order_id).closed);
    // The GPUs are free again and the work is credited.
    assert_eq!(suite.offers_of("alice")[0].free_units, 4);
    assert_eq!(suite.provider_info("alice").counters.accepted, 1);
    let stats = suite.market_stats(H100);
    assert_eq!(stats.last_price.map(|p| p.u128()), Some(2_000_000));
    assert_eq!(stats.matches, 1);
}

fn assert_contract_error_is_dispute_window(suite: &mut Suite, lease_id: u64) {
    // Finalizing inside the dispute window is refused and changes nothing.
    assert!(suite.finalize(lease_id).is_err());
    assert_eq!(suite.lease(lease_id).state, LeaseState::Revealed);
}

#[test]
fn a_three_replica_job_accepts_the_quorum_and_slashes_the_dissenter() {
    let mut suite = market(&["alice", "bob", "carol", "dave"]);
    for (p, price) in [
        ("alice", 1_000_000),
        ("bob", 1_100_000),
        ("carol", 1_200_000),
        ("dave", 1_300_000),
    ] {
        suite
            .provider(p)
            .bonds(STAKE)
            .registers("eu-west")
            .offers(H100, 2, price);
    }
    let order_id = suite
        .renter("renter")
        .posts(Job::sha256().on(H100).max_price(2_000_000).replicas(3));
    let leases = suite.leases_of(order_id);
    assert_eq!(leases.len(), 3);
    let providers: Vec<_> = leases.iter().map(|l| l.provider.clone()).collect();
    assert_eq!(
        providers,
        vec![suite.addr("alice"), suite.addr("bob"), suite.addr("carol")],
        "three distinct providers, cheapest first"
    );

    suite.advance_seconds(600);
    let ids: Vec<u64> = leases.iter().map(|l| l.lease_id).collect();
    suite.provider("alice").submits(ids[0], b"right");
    suite.provider("carol").submits(ids[2], b"wrong");
    suite.provider("bob").submits(ids[1], b"right");

    assert_eq!(suite.lease(ids[0]).state, LeaseState::Accepted);
    assert_eq!(suite.lease(ids[1]).state, LeaseState::Accepted);
    let carol = suite.lease(ids[2]);
    assert_eq!(carol.state, LeaseState::Rejected);
    assert_eq!(carol.close_reason, Some(CloseReason::RejectedByQuorum));
    // The dissenter is slashed. A quorum the renter's own choice of replicas could have formed
    // never pays the renter: all of it goes to the treasury.
    assert_eq!(suite.staker("carol").bonded.u128(), STAKE - SLASH_AMOUNT);
    let grid = suite.grid_denom();
    assert_eq!(suite.balance_of("renter", &grid).u128(), 0);
    assert_eq!(suite.balance_of("treasury", &grid).u128(), SLASH_AMOUNT);
    assert_eq!(suite.provider_info("carol").counters.rejected, 1);
    assert_eq!(suite.provider_info("alice").counters.accepted, 1);

    // Honest providers are paid for their 600 s; carol gets nothing; the rest is refunded.
    let usdc = suite.usdc();
    let pay = |price: u128| price * 600 / 3_600;
    let spent = pay(1_000_000) + pay(1_100_000);
    assert_eq!(
        suite.balance_of("renter", &usdc).u128(),
        100_000_000 - spent
    );
    assert_eq!(suite.escrow_payment(ids[2]).released.u128(), 0);
    assert!(suite.order(order_id).closed);
    assert_eq!(suite.balance(&suite.escrow.clone(), &usdc).u128(), 0);
}

#[test]
fn a_silent_provider_is_reaped_slashed_and_the_renter_refunded() {
    let mut suite = market(&["alice"]);
    suite
        .provider("alice")
        .bonds(STAKE)
        .registers("eu-west")
        .offers(A100, 1, 1_000_000);
    let order_id = suite
        .renter("renter")
        .posts(Job::sha256().on(A100).hours(2));
    let lease_id = lease_id(order_id, 0).unwrap();

    // Alice's keeper heartbeats for ten minutes, then goes quiet.
    for _ in 0..10 {
        suite.advance_seconds(60);
        suite.provider("alice").heartbeat();
    }
    let last_heartbeat = suite.now().seconds();
    suite.advance_seconds(MAX_SILENCE + 60);
    suite.reap().unwrap();

    let lease = suite.lease(lease_id);
    assert_eq!(lease.state, LeaseState::Failed);
    assert_eq!(lease.close_reason, Some(CloseReason::Silent));
    // No result, no pay: heartbeats prove a keeper alive, not work done.
    assert_eq!(lease.paid_until, Some(lease.start));
    assert!(last_heartbeat > lease.start);
    let paid = 0u128;
    assert_eq!(suite.escrow_payment(lease_id).released.u128(), paid);
    assert_eq!(suite.staker("alice").bonded.u128(), STAKE - SLASH_AMOUNT);
    assert_eq!(suite.provider_info("alice").counters.missed_liveness, 1);
    let usdc = suite.usdc();
    assert_eq!(suite.balance_of("renter", &usdc).u128(), 100_000_000 - paid);
    // Reaping again finds nothing to do and changes nothing.
    let _ = suite.reap();
    assert_eq!(suite.staker("alice").bonded.u128(), STAKE - SLASH_AMOUNT);
}

#[test]
fn an_order_cancelled_half_matched_refunds_the_unmatched_part() {
    let mut suite = market(&["alice", "bob"]);
    suite
        .provider("alice")
        .bonds(STAKE)
        .registers("eu-west")
        .offers(H100, 1, 1_000_000);
    let job = Job::sha256().on(H100).max_price(1_500_000).replicas(2);
    let budget = job.budget();
    let order_id = suite.renter("renter").posts(job);
    // One replica matched, one rests in the book.
    assert_eq!(suite.leases_of(order_id).len(), 1);
    assert_eq!(suite.order(order_id).status, OrderStatus::Open);
    assert!(suite.market_stats(H100).resting_demand_units >= 1);

    suite.renter("renter").cancels(order_id).unwrap();
    assert_eq!(suite.order(order_id).status, OrderStatus::Cancelled);
    // The unmatched replica's budget is back at once; the matched lease runs on, and the referee
    // reserve (one replica at the max price) stays until the order settles.
    let usdc = suite.usdc();
    let lease_cap = 1_000_000u128;
    let reserve = 1_500_000u128;
    assert_eq!(
        suite.balance_of("renter", &usdc).u128(),
        100_000_000 - budget + (budget - lease_cap - reserve)
    );
    // Capacity arriving later does not match a cancelled order.
    suite
        .provider("bob")
        .bonds(STAKE)
        .registers("eu-west")
        .offers(H100, 1, 900_000);
    assert_eq!(suite.leases_of(order_id).len(), 1);
    assert_eq!(suite.offers_of("bob")[0].free_units, 1);

    // The matched replica completes. One result of a k = 2 order is no majority, and bob (listed
    // after the order) cannot referee it; but the renter cut the order short while alice worked,
    // so she is paid for her proven time: the renter never gets an output for free.
    let lease_id = lease_id(order_id, 0).unwrap();
    suite.advance_seconds(360);
    suite
        .provider("alice")
        .heartbeat()
        .submits(lease_id, b"done");
    let lease = suite.lease(lease_id);
    assert_eq!(lease.state, LeaseState::Cancelled);
    assert_eq!(lease.close_reason, Some(CloseReason::RenterCancelled));
    assert!(suite.order(order_id).closed);
    let paid = 1_000_000u128 * 360 / 3_600;
    assert_eq!(suite.balance_of("renter", &usdc).u128(), 100_000_000 - paid);
    assert_eq!(suite.balance(&suite.escrow.clone(), &usdc).u128(), 0);
}
