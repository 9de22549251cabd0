//! The reaper: silent providers' leases fail, live ones are only re-scheduled, dormant providers
//! leave the book and come back with their next heartbeat.

use super::helpers::*;
use crate::msg::*;
use crate::state::REAP_QUEUE;
use crate::ContractError;
use cosmwasm_std::{Order, StdResult, Uint128};

fn queue(suite: &Suite) -> Vec<(u64, u32)> {
    REAP_QUEUE
        .keys(&suite.chain.deps.storage, None, None, Order::Ascending)
        .collect::<StdResult<_>>()
        .unwrap()
}

#[test]
fn a_silent_providers_uncommitted_leases_fail_unpaid() {
    let mut suite = Suite::new();
    let alice = suite.provider("alice", 4);
    suite.offer(&alice, "rtx-4090", 4, 900);
    suite.post_order(new_order());
    suite.post_order(new_order());
    suite.advance(100);
    suite.heartbeat(&alice);
    assert_eq!(queue(&suite), vec![(GENESIS + MAX_SILENCE + 1, 1)]);

    // Alive at the first check: re-keyed to the first moment it could be silent.
    suite.advance(MAX_SILENCE + 1 - 100);
    let anyone = suite.stranger.clone();
    let res = suite.exec(&anyone, &[], ExecuteMsg::Reap { limit: None });
    assert!(res.messages.is_empty());
    assert_eq!(attr(&res, "lease_steps"), "0");
    assert_eq!(queue(&suite), vec![(GENESIS + 100 + MAX_SILENCE + 1, 1)]);

    // Silent now.
    suite.advance(MAX_SILENCE);
    let renter = suite.renter.clone();
    let res = suite.exec(&anyone, &[], ExecuteMsg::Reap { limit: None });
    assert_eq!(
        res.messages,
        vec![
            close_payment(16, GENESIS),
            slash(&alice, SLASH, "Silent", 16, &renter),
            close_account(1),
            close_payment(32, GENESIS),
            slash(&alice, SLASH, "Silent", 32, &renter),
            close_account(2),
        ]
    );
    assert_eq!(attr(&res, "lease_steps"), "2");
    let lease = suite.lease(16);
    assert_eq!(lease.state, LeaseState::Failed);
    assert_eq!(lease.close_reason, Some(CloseReason::Silent));
    assert_eq!(lease.paid_until, Some(GENESIS), "no result, no pay");
    let info = suite.provider_info(&alice);
    assert_eq!(info.counters.missed_liveness, 2);
    assert_eq!(info.reputation, 166);
    // Dormant: out of the queue and out of the book.
    assert!(queue(&suite).is_empty());
    assert_eq!(suite.stats("rtx-4090").best_ask, None);
    let offers: OffersResponse = suite
        .query(QueryMsg::OffersByModel {
            model: "rtx-4090".into(),
            denom: native(USDC),
            start_after: None,
            limit: None,
        })
        .unwrap();
    assert!(offers.offers.is_empty());
    // Nothing left to reap.
    let res = suite.exec(&anyone, &[], ExecuteMsg::Reap { limit: None });
    assert_eq!(attr(&res, "providers_checked"), "0");

    // Its next heartbeat brings it back: queued, listed, matchable.
    suite.heartbeat(&alice);
    assert_eq!(queue(&suite), vec![(suite.now() + MAX_SILENCE + 1, 1)]);
    assert_eq!(suite.stats("rtx-4090").best_ask, Some(Uint128::new(900)));
    let res = suite.post_order(new_order());
    assert_eq!(attr(&res, "status"), "filled");
}

#[test]
fn a_silent_provider_is_never_matched() {
    let mut suite = Suite::new();
    let alice = suite.provider("alice", 1);
    let bob = suite.provider("bob", 1);
    suite.offer(&alice, "rtx-4090", 1, 500);
    suite.offer(&bob, "rtx-4090", 1, 900);
    suite.advance(MAX_SILENCE + 1);
    suite.heartbeat(&bob);
    let res = suite.post_order(new_order());
    assert_eq!(suite.lease(16).provider, bob, "{res:?}");
}

#[test]
fn the_reaper_is_bounded_by_its_limit() {
    let mut suite = Suite::new();
    let alice = suite.provider("alice", 8);
    suite.offer(&alice, "rtx-4090", 8, 900);
    for _ in 0..5 {
        suite.post_order(new_order());
    }
    suite.advance(MAX_SILENCE + 1);
    let anyone = suite.stranger.clone();
    assert_eq!(
        suite.exec_err(&anyone, &[], ExecuteMsg::Reap { limit: Some(0) }),
        ContractError::InvalidLimit { got: 0, max: 20 }
    );
    // One step to look at alice, two leases.
    let res = suite.exec(&anyone, &[], ExecuteMsg::Reap { limit: Some(3) });
    assert_eq!(attr(&res, "lease_steps"), "2");
    assert_eq!(queue(&suite).len(), 1, "still queued: leases remain");
    let res = suite.exec(&anyone, &[], ExecuteMsg::Reap { limit: Some(100) });
    assert_eq!(attr(&res, "lease_steps"), "3");
    assert!(queue(&suite).is_empty());
    assert_eq!(suite.provider_info(&alice).counters.missed_liveness, 5);
}

#[test]
fn committed_leases_are_judged_not_reaped() {
    let mut suite = Suite::new();
    let alice = suite.provider("alice", 4);
    let bob = suite.provider("bob", 4);
    suite.offer(&alice, "rtx-4090", 4, 900);
    suite.offer(&bob, "rtx-4090", 4, 950);
    suite.post_order(new_order());
    suite.post_order(new_order());
    suite.advance(60);
    suite.submit(&alice, 16, SHA_A).unwrap();
    suite.submit(&alice, 32, SHA_A).unwrap();
    let renter = suite.renter.clone();
    suite.exec(
        &renter,
        &[usdc(1_000)],
        ExecuteMsg::Dispute {
            lease_id: 32,
            salt: RENTER_SALT.into(),
        },
    );
    // Alice goes silent past the dispute window; bob (the referee of order 2) keeps beating.
    suite.advance(DISPUTE_WINDOW);
    suite.heartbeat(&bob);
    let anyone = suite.stranger.clone();
    let res = suite.exec(&anyone, &[], ExecuteMsg::Reap { limit: None });
    // Lease 16's window is over: accepted, paid to its commitment, never "silent".
    assert_eq!(
        res.messages,
        vec![
            close_payment(16, GENESIS + 60),
            report_work(&alice, 60, None),
            close_account(1),
        ]
    );
    assert_eq!(suite.lease(16).state, LeaseState::Accepted);
    // The disputed lease waits for its referee, and keeps the provider queued (bob too: it
    // referees).
    assert_eq!(suite.lease(32).state, LeaseState::Revealed);
    let next = suite.now() + MAX_SILENCE + 1;
    assert_eq!(queue(&suite), vec![(next, 1), (next, 2)]);
}

#[test]
fn inactive_providers_without_leases_leave_the_queue() {
    let mut suite = Suite::new();
    let alice = suite.provider("alice", 1);
    suite.exec(&alice, &[], ExecuteMsg::DeactivateProvider {});
    suite.advance(MAX_SILENCE + 1);
    let anyone = suite.stranger.clone();
    suite.exec(&anyone, &[], ExecuteMsg::Reap { limit: None });
    assert!(queue(&suite).is_empty());
}

/// The reported attack, on the bench: a provider withdraws an offer with a lease running, the
/// stake per GPU rises above its bond, and it goes silent. Closing the lease used to ask staking
/// to lock the new requirement, which staking refuses above the bond, reverting the whole reap.
#[test]
fn a_withdrawn_offer_under_a_raised_stake_does_not_block_the_reaper() {
    let mut suite = Suite::new();
    let mallory = suite.provider("mallory", 2);
    let bob = suite.provider("bob", 1);
    suite.offer(&mallory, "rtx-4090", 2, 500);
    suite.offer(&bob, "rtx-4090", 1, 600);
    for _ in 0..3 {
        suite.post_order(new_order());
    }
    assert_eq!(suite.lease(48).provider, bob);
    suite.exec(&mallory, &[], ExecuteMsg::WithdrawOffer { offer_id: 1 });
    suite.world.borrow_mut().min_stake_per_gpu = Some(10 * MIN_STAKE_PER_GPU);
    suite.advance(MAX_SILENCE + 1);
    let anyone = suite.stranger.clone();
    let res = suite.exec(&anyone, &[], ExecuteMsg::Reap { limit: None });
    assert!(suite.skipped.is_empty(), "{:?}", suite.skipped);
    assert_eq!(attr(&res, "lease_steps"), "3");
    for lease_id in [16, 32, 48] {
        assert_eq!(suite.lease(lease_id).state, LeaseState::Failed);
    }
    let renter = suite.renter.clone();
    // mallory's lock follows her listing down (2, 1, then 0 units listed: never above 2 000).
    assert_eq!(
        res.messages,
        vec![
            close_payment(16, GENESIS),
            slash(&mallory, SLASH, "Silent", 16, &renter),
            set_locked(&mallory, 2_000),
            close_account(1),
            close_payment(32, GENESIS),
            slash(&mallory, SLASH, "Silent", 32, &renter),
            set_locked(&mallory, 0),
            close_account(2),
            close_payment(48, GENESIS),
            slash(&bob, SLASH, "Silent", 48, &renter),
            close_account(3),
        ]
    );
    assert_eq!(suite.world.borrow().bond_of(&mallory), 2_000 - 2 * SLASH);
}
