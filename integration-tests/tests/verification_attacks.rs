//! The verification game, attacked: the eight attacks reproduced against the one-shot result
//! protocol, replayed against commit–reveal with referees and bonds. Each story asserts that the
//! attacker loses money (or gains nothing) and the honest party is paid.

use gridshare_testing::marketplace::{
    salt_for, Job, DISPUTE_WINDOW, H100, MAX_SILENCE, REVEAL_WINDOW, SLASH_AMOUNT,
};
use gridshare_testing::{Suite, SuiteBuilder, USDC};
use gridshare_types::marketplace::{CloseReason, LeaseState, Requirements};

const STAKE: u128 = 20_000;
const CASH: u128 = 100_000_000;
/// Every job's max runtime in these stories (the `Job::sha256()` default).
const RUNTIME: u64 = 600;

fn market(providers: &[&str], renters: &[&str]) -> Suite {
    let mut builder = SuiteBuilder::new();
    for r in renters {
        builder = builder.with_native(r, CASH, USDC);
    }
    for p in providers {
        builder = builder.with_grid(p, STAKE);
    }
    builder.build()
}

fn lists(suite: &mut Suite, provider: &str, price: u128) {
    suite
        .provider(provider)
        .bonds(STAKE)
        .registers("eu-west")
        .offers(H100, 1, price);
}

/// A market where every named provider has listed one H100 at its price (in that order, so
/// before any order is posted: each can referee).
fn listed_market(providers: &[(&str, u128)], renters: &[&str]) -> Suite {
    let names: Vec<&str> = providers.iter().map(|(name, _)| *name).collect();
    let mut suite = market(&names, renters);
    for (name, price) in providers {
        lists(&mut suite, name, *price);
    }
    suite
}

/// `renter` posts a `k`-replica hash job on H100s at up to 2 USDC an hour: the order and its
/// lease ids.
fn replicated_job(suite: &mut Suite, renter: &str, k: u8) -> (u64, Vec<u64>) {
    let order = suite
        .renter(renter)
        .posts(Job::sha256().on(H100).max_price(2_000_000).replicas(k));
    let leases = suite.leases_of(order).iter().map(|l| l.lease_id).collect();
    (order, leases)
}

fn usdc(suite: &Suite, who: &str) -> u128 {
    let denom = suite.usdc();
    suite.balance_of(who, &denom).u128()
}

fn grid(suite: &Suite, who: &str) -> u128 {
    let denom = suite.grid_denom();
    suite.balance_of(who, &denom).u128()
}

fn paid(suite: &Suite, lease_id: u64) -> u128 {
    suite.escrow_payment(lease_id).released.u128()
}

/// What `price` per GPU-hour pays for `seconds` of one GPU.
fn pay(price: u128, seconds: u64) -> u128 {
    price * u128::from(seconds) / 3_600
}

/// Attack 1: Copying. Under k = 2 a replica copies the other's commitment from the chain without
/// running anything: it can never reveal it, misses the reveal deadline (liveness slash, unpaid),
/// and the honest result is refereed and paid.
#[test]
fn a_copied_commitment_earns_a_slash_not_a_payment() {
    let mut suite = listed_market(
        &[
            ("mallory", 900_000),
            ("alice", 1_000_000),
            ("carol", 1_100_000),
        ],
        &["renter"],
    );
    let (order, leases) = replicated_job(&mut suite, "renter", 2);
    let (honest, copier) = (leases[1], leases[0]);
    assert_eq!(suite.lease(copier).provider, suite.addr("mallory"));

    suite.advance_seconds(300);
    suite.provider("alice").commits_only(honest, b"the output");
    let copied = suite.lease(honest).result.unwrap().commitment;
    suite
        .provider("mallory")
        .try_commit_raw(copier, &copied)
        .unwrap();
    // Reveals open; alice reveals. Mallory has no output and no salt that open her commitment:
    // even alice's output with alice's salt does not, her address and lease are in the digest.
    suite
        .provider("alice")
        .try_reveal(honest, b"the output")
        .unwrap();
    assert!(suite
        .provider("mallory")
        .try_reveal(copier, b"the output")
        .is_err());
    let forged = gridshare_types::marketplace::ExecuteMsg::RevealResult {
        lease_id: copier,
        sha256: gridshare_testing::marketplace::sha256_hex(b"the output"),
        salt: salt_for(honest),
    };
    assert!(suite.market_execute("mallory", &forged, &[]).is_err());

    // Past the reveal deadline: mallory is at fault; alice's lone reveal goes to a referee.
    suite.advance_seconds(REVEAL_WINDOW + 1);
    suite.provider("carol").heartbeat();
    suite.finalize(copier).unwrap();
    let copier_lease = suite.lease(copier);
    assert_eq!(copier_lease.close_reason, Some(CloseReason::MissedReveal));
    let referee = suite.order(order).referee_lease.expect("a referee");
    assert_eq!(suite.lease(referee).provider, suite.addr("carol"));
    suite.advance_seconds(200);
    suite.provider("carol").submits(referee, b"the output");

    assert_eq!(suite.lease(honest).state, LeaseState::Accepted);
    assert_eq!(paid(&suite, honest), pay(1_000_000, 300));
    assert_eq!(paid(&suite, copier), 0);
    assert_eq!(suite.staker("mallory").bonded.u128(), STAKE - SLASH_AMOUNT);
    assert!(suite.order(order).closed);
}

/// Attack 2: Sybil quorum. Under k = 3 a renter wins two replicas of its own order with two cheap
/// provider addresses that commit the same junk. The junk wins the quorum and the honest replica
/// is slashed — but the slash goes to the treasury, never to the renter, which pays its own
/// replicas' fees: the attack costs the Sybil group money and earns it nothing.
#[test]
fn a_sybil_quorum_costs_its_renter_money_and_earns_it_nothing() {
    let mut suite = listed_market(
        &[("s1", 1_000_000), ("s2", 1_000_001), ("alice", 1_100_000)],
        &["sybil"],
    );
    let group = |suite: &Suite| {
        (
            usdc(suite, "sybil") + usdc(suite, "s1") + usdc(suite, "s2"),
            grid(suite, "sybil") + grid(suite, "s1") + grid(suite, "s2"),
        )
    };
    let before = group(&suite);
    let (_, leases) = replicated_job(&mut suite, "sybil", 3);
    suite.advance_seconds(RUNTIME);
    suite.provider("s1").submits(leases[0], b"junk");
    suite.provider("s2").submits(leases[1], b"junk");
    suite
        .provider("alice")
        .submits(leases[2], b"the real output");

    let alice = suite.lease(leases[2]);
    assert_eq!(alice.close_reason, Some(CloseReason::RejectedByQuorum));
    assert_eq!(suite.staker("alice").bonded.u128(), STAKE - SLASH_AMOUNT);
    let treasury = grid(&suite, "treasury");
    assert_eq!(
        treasury, SLASH_AMOUNT,
        "the whole slash goes to the treasury"
    );
    let after = group(&suite);
    assert_eq!(after.1, before.1, "no compensation reaches the renter");
    assert!(
        after.0 < before.0,
        "the Sybil group lost the fees on its own payments: {} → {}",
        before.0,
        after.0
    );
}

/// Attack 3: Abandonment. Under k = 2, after the honest replica committed, the other replica's provider
/// walks away: it is at fault (liveness slash), and the honest result is refereed and paid.
#[test]
fn leaving_after_a_commitment_is_slashed_and_the_committed_work_still_paid() {
    let mut suite = listed_market(
        &[
            ("alice", 1_000_000),
            ("bob", 1_050_000),
            ("carol", 1_100_000),
        ],
        &["renter"],
    );
    let (order, leases) = replicated_job(&mut suite, "renter", 2);
    suite.advance_seconds(400);
    suite.provider("alice").submits(leases[0], b"the output");
    suite.provider("bob").try_close(leases[1]).unwrap();
    assert_eq!(suite.staker("bob").bonded.u128(), STAKE - SLASH_AMOUNT);
    // Reveals are open now (bob left); alice reveals, a referee is matched from the reserve.
    suite.provider("carol").heartbeat();
    suite.reveal_pending().unwrap();
    let referee = suite.order(order).referee_lease.expect("a referee");
    suite.provider("carol").submits(referee, b"the output");
    assert_eq!(suite.lease(leases[0]).state, LeaseState::Accepted);
    assert_eq!(paid(&suite, leases[0]), pay(1_000_000, 400));
    assert_eq!(paid(&suite, leases[1]), 0);
}

/// Attack 3b: The renter cancels the other replica after the honest one committed, where no referee is
/// listed: it cannot hold the output and a full refund — the committed replica is paid.
#[test]
fn a_renter_cancelling_a_replica_pays_the_committed_one() {
    let mut suite = listed_market(&[("alice", 1_000_000), ("bob", 1_050_000)], &["renter"]);
    let (order, leases) = replicated_job(&mut suite, "renter", 2);
    suite.advance_seconds(400);
    suite.provider("alice").submits(leases[0], b"the output");
    suite.renter("renter").closes(leases[1]).unwrap();
    suite.reveal_pending().unwrap();
    assert_eq!(paid(&suite, leases[0]), pay(1_000_000, 400));
    assert!(suite.order(order).closed);
    let spent = CASH - usdc(&suite, "renter");
    assert_eq!(spent, pay(1_000_000, 400) + pay(1_050_000, 400));
}

/// Attack 4: The electorate never shrinks. A k = 2 order with one matched replica does not accept that
/// replica's lone garbage at the deadline: one reveal is never a majority of two.
#[test]
fn a_lone_replica_of_an_expired_order_is_never_a_quorum() {
    let mut suite = listed_market(&[("mallory", 1_000_000)], &["renter"]);
    let order = suite
        .renter("renter")
        .posts(Job::sha256().on(H100).max_price(2_000_000).replicas(2));
    let lease = suite.leases_of(order)[0].lease_id;
    suite.advance_seconds(300);
    suite.provider("mallory").submits(lease, b"garbage");
    // The order's deadline passes; expiring it opens reveals for the replica it has.
    suite.advance_seconds(3_600);
    suite.provider("mallory").heartbeat();
    suite.expire_orders().unwrap();
    suite.reveal_pending().unwrap();
    let l = suite.lease(lease);
    assert_eq!(l.close_reason, Some(CloseReason::NoQuorum));
    assert_eq!(paid(&suite, lease), 0);
    assert_eq!(suite.order(order).canonical_sha256, None);
    assert_eq!(usdc(&suite, "renter"), CASH, "refunded in full");
}

/// Attack 5: Disputes are not free and always end. A dispute needs the bond: a renter that loses
/// pays the referee from it and forfeits the rest to the provider it disputed; a referee that
/// never answers lets the result stand by the dispute deadline, through permissionless calls.
#[test]
fn a_frivolous_dispute_costs_the_referee_and_ends_by_its_deadline() {
    let mut suite = listed_market(&[("alice", 1_000_000), ("carol", 1_200_000)], &["renter"]);
    let order = suite
        .renter("renter")
        .posts(Job::sha256().on(H100).max_price(2_000_000));
    let lease = suite.leases_of(order)[0].lease_id;
    suite.advance_seconds(RUNTIME);
    suite.provider("alice").submits(lease, b"the output");
    // Without the bond the dispute is refused.
    let bare = gridshare_types::marketplace::ExecuteMsg::Dispute {
        lease_id: lease,
        salt: gridshare_testing::marketplace::RENTER_SALT.into(),
    };
    assert!(suite.market_execute("renter", &bare, &[]).is_err());
    suite.provider("carol").heartbeat();
    suite.renter("renter").disputes(lease).unwrap();
    let referee = suite.order(order).referee_lease.expect("a referee");
    suite.advance_seconds(300);
    suite.provider("carol").submits(referee, b"the output");
    assert_eq!(suite.lease(lease).state, LeaseState::Accepted);
    assert_eq!(paid(&suite, lease), pay(1_000_000, RUNTIME));
    assert_eq!(paid(&suite, referee), pay(1_200_000, 300));
    // The renter lost its whole bond: the referee its frivolous dispute called was paid from it,
    // and the rest went to alice, whom it disputed for nothing.
    let bond = suite.order(order).dispute_bond.u128();
    let spent = CASH - usdc(&suite, "renter");
    assert_eq!(spent, pay(1_000_000, RUNTIME) + bond);
    let usdc_denom = suite.usdc();
    let fee = |gross: u128| gross * 250 / 10_000;
    let alice_job = pay(1_000_000, RUNTIME);
    assert_eq!(
        suite.balance_of("alice", &usdc_denom).u128(),
        alice_job - fee(alice_job) + (bond - pay(1_200_000, 300))
    );
}

#[test]
fn a_dispute_whose_referee_never_answers_lets_the_result_stand() {
    let mut suite = listed_market(&[("alice", 1_000_000), ("carol", 1_200_000)], &["renter"]);
    let order = suite
        .renter("renter")
        .posts(Job::sha256().on(H100).max_price(2_000_000));
    let lease = suite.leases_of(order)[0].lease_id;
    suite.advance_seconds(RUNTIME);
    suite.provider("alice").submits(lease, b"the output");
    suite.provider("carol").heartbeat();
    suite.renter("renter").disputes(lease).unwrap();
    let deadline = suite.lease(lease).dispute_deadline.unwrap();
    // A year passes for nobody: at the deadline anyone finalizes.
    suite.advance_seconds(deadline - suite.now().seconds() + 1);
    suite.finalize(lease).unwrap();
    assert_eq!(suite.lease(lease).state, LeaseState::Accepted);
    assert_eq!(paid(&suite, lease), pay(1_000_000, RUNTIME));
    assert_eq!(suite.staker("carol").bonded.u128(), STAKE - SLASH_AMOUNT);
    assert!(suite.order(order).closed);
    // The bond came back whole: the renter paid the job only.
    assert_eq!(CASH - usdc(&suite, "renter"), pay(1_000_000, RUNTIME));
}

/// Attack 6: Billing follows proven work. Holding a 600 s job back to the max duration bills 600 s; a
/// provider that never runs the job, heartbeats and goes silent is paid nothing; commitments
/// after `start + max_duration` are refused.
#[test]
fn billing_follows_the_commitment_not_the_clock() {
    let mut suite = market(&["slow", "ghost"], &["renter"]);
    lists(&mut suite, "slow", 1_000_000);
    let order = suite
        .renter("renter")
        .posts(Job::sha256().on(H100).max_price(2_000_000));
    let held = suite.leases_of(order)[0].lease_id;
    suite.advance_seconds(3_500);
    suite.provider("slow").heartbeat().submits(held, b"out");
    suite.advance_seconds(DISPUTE_WINDOW + 1);
    suite.finalize(held).unwrap();
    assert_eq!(paid(&suite, held), pay(1_000_000, RUNTIME), "not 3500 s");

    lists(&mut suite, "ghost", 900_000);
    let order = suite
        .renter("renter")
        .posts(Job::sha256().on(H100).max_price(2_000_000));
    let ghosted = suite.leases_of(order)[0].lease_id;
    assert_eq!(suite.lease(ghosted).provider, suite.addr("ghost"));
    for _ in 0..10 {
        suite.advance_seconds(60);
        suite.provider("ghost").heartbeat();
    }
    suite.advance_seconds(MAX_SILENCE + 1);
    suite.reap().unwrap();
    assert_eq!(suite.lease(ghosted).close_reason, Some(CloseReason::Silent));
    assert_eq!(paid(&suite, ghosted), 0, "heartbeats are not work");

    suite.provider("slow").heartbeat();
    let order = suite
        .renter("renter")
        .posts(Job::sha256().on(H100).max_price(2_000_000));
    let late = suite.leases_of(order)[0].lease_id;
    suite.advance_seconds(3_601);
    assert!(suite.provider("slow").try_commit(late, b"out").is_err());
}

/// Attack 7: Silent after committing. Under k = 2 a replica commits garbage and goes silent: the reaper
/// never closes it as "silent with pay"; it misses its reveal (slashed, unpaid) and the honest
/// result is refereed and paid.
#[test]
fn a_replica_silent_after_committing_is_judged_not_paid() {
    let mut suite = listed_market(
        &[
            ("mallory", 900_000),
            ("alice", 1_000_000),
            ("carol", 1_100_000),
        ],
        &["renter"],
    );
    let (order, leases) = replicated_job(&mut suite, "renter", 2);
    suite.advance_seconds(100);
    suite
        .provider("mallory")
        .commits_only(leases[0], b"garbage");
    suite
        .provider("alice")
        .heartbeat()
        .commits_only(leases[1], b"the output");
    suite
        .provider("alice")
        .try_reveal(leases[1], b"the output")
        .unwrap();
    // Mallory is silent past max_silence and past the reveal deadline. The reaper never closes a
    // committed lease as "silent" (which used to pay to the last heartbeat): it applies the
    // verification's deadline instead — a missed reveal, unpaid — and alice is refereed.
    const { assert!(MAX_SILENCE >= REVEAL_WINDOW) };
    suite.advance_seconds(MAX_SILENCE + 1);
    suite.provider("alice").heartbeat();
    suite.provider("carol").heartbeat();
    suite.reap().unwrap();
    assert_eq!(
        suite.lease(leases[0]).close_reason,
        Some(CloseReason::MissedReveal)
    );
    let referee = suite.order(order).referee_lease.expect("a referee");
    suite.provider("carol").submits(referee, b"the output");
    assert_eq!(suite.lease(leases[1]).state, LeaseState::Accepted);
    assert_eq!(paid(&suite, leases[0]), 0);
    assert_eq!(paid(&suite, leases[1]), pay(1_000_000, 100));
}

/// Attack 8: Whitewashing. A fresh address starts at a neutral reputation, so a renter's minimum
/// reputation keeps it out while an established provider is matched, even at a higher price.
#[test]
fn a_fresh_address_is_not_trusted_like_an_established_one() {
    let mut suite = market(&["veteran", "fresh"], &["renter"]);
    lists(&mut suite, "veteran", 1_000_000);
    let order = suite
        .renter("renter")
        .posts(Job::sha256().on(H100).max_price(2_000_000));
    let lease = suite.leases_of(order)[0].lease_id;
    suite.advance_seconds(RUNTIME);
    suite.provider("veteran").heartbeat().submits(lease, b"out");
    suite.advance_seconds(DISPUTE_WINDOW + 1);
    suite.finalize(lease).unwrap();
    assert_eq!(suite.provider_info("veteran").reputation, 666);

    lists(&mut suite, "fresh", 500_000);
    assert_eq!(suite.provider_info("fresh").reputation, 500);
    suite.provider("veteran").heartbeat();
    let mut job = Job::sha256().on(H100).max_price(2_000_000);
    job.order.requirements = Requirements {
        min_reputation: Some(600),
        ..job.order.requirements
    };
    let order = suite.renter("renter").posts(job);
    assert_eq!(
        suite.leases_of(order)[0].provider,
        suite.addr("veteran"),
        "the cheaper fresh address is filtered out"
    );
}
