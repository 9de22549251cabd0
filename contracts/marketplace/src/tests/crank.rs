//! Crank isolation: `Reap`, `ExpireOrders` and the re-matching of freed capacity run each entry
//! as its own self-addressed sub-message. A poisoned entry is rolled back and skipped (a
//! `crank_skipped` event names it), the others settle, the bad entry is moved out of the way so
//! the next call's limit goes to work that can succeed, and once the poison is gone it settles.

use super::helpers::*;
use crate::msg::*;
use crate::state::{OFFERS, OFFER_BOOK, ORDERS, ORDER_DEADLINES, REAP_QUEUE};
use crate::ContractError;
use cosmwasm_std::{Addr, Order, Response, StdResult, Storage, Uint128};

fn queue(suite: &Suite) -> Vec<(u64, u32)> {
    REAP_QUEUE
        .keys(&suite.chain.deps.storage, None, None, Order::Ascending)
        .collect::<StdResult<_>>()
        .unwrap()
}

fn deadlines(suite: &Suite) -> Vec<(u64, u64)> {
    ORDER_DEADLINES
        .keys(&suite.chain.deps.storage, None, None, Order::Ascending)
        .collect::<StdResult<_>>()
        .unwrap()
}

/// The offer ids in the book.
fn book(suite: &Suite) -> Vec<u64> {
    OFFER_BOOK
        .keys(&suite.chain.deps.storage, None, None, Order::Ascending)
        .map(|k| k.map(|(_, _, (_, offer_id))| offer_id))
        .collect::<StdResult<_>>()
        .unwrap()
}

/// The `crank_skipped` events of a transaction: (step, id, reason).
fn skipped(res: &Response) -> Vec<(String, String, String)> {
    events(res, "crank_skipped")
        .into_iter()
        .map(|e| {
            (
                event_attr(e, "step"),
                event_attr(e, "id"),
                event_attr(e, "reason"),
            )
        })
        .collect()
}

fn reap(suite: &mut Suite, limit: Option<u32>) -> Response {
    let anyone = suite.stranger.clone();
    suite.exec(&anyone, &[], ExecuteMsg::Reap { limit })
}

fn expire(suite: &mut Suite, limit: Option<u32>) -> Response {
    let anyone = suite.stranger.clone();
    suite.exec(&anyone, &[], ExecuteMsg::ExpireOrders { limit })
}

/// alice, bob and carol each lease one GPU to one order (leases 16, 32, 48; offers 1, 2, 3;
/// provider ids 1, 2, 3), all matched at genesis.
fn three_leases() -> (Suite, [Addr; 3]) {
    let mut suite = Suite::new();
    let providers = ["alice", "bob", "carol"].map(|name| suite.provider(name, 1));
    for (i, p) in providers.iter().enumerate() {
        suite.offer(p, "rtx-4090", 1, 500 + 100 * i as u128);
    }
    for _ in 0..3 {
        suite.post_order(new_order());
    }
    for (i, p) in providers.iter().enumerate() {
        assert_eq!(suite.lease(16 * (i as u64 + 1)).provider, *p);
    }
    (suite, providers)
}

#[test]
fn a_lease_that_cannot_be_closed_is_skipped_and_the_batch_settles() {
    let (mut suite, [alice, bob, carol]) = three_leases();
    let renter = suite.renter.clone();
    // Poison: alice's offer record can no longer be loaded, so her lease cannot close.
    let offer = OFFERS.load(&suite.chain.deps.storage, 1).unwrap();
    OFFERS.remove(&mut suite.chain.deps.storage, 1);
    suite.advance(MAX_SILENCE + 1);
    let res = reap(&mut suite, None);

    // One step per lease and one per provider, each its own sub-message, in order.
    assert_eq!(
        suite.steps,
        vec![
            CrankStep::ReapLease { lease_id: 16 },
            CrankStep::ReapDone {
                provider: 1,
                queued_at: GENESIS + MAX_SILENCE + 1,
                exhausted: false
            },
            CrankStep::ReapLease { lease_id: 32 },
            // A closed lease frees its GPU: re-matched in a step of its own, inside the lease's.
            CrankStep::Rematch { offers: vec![2] },
            CrankStep::ReapDone {
                provider: 2,
                queued_at: GENESIS + MAX_SILENCE + 1,
                exhausted: false
            },
            CrankStep::ReapLease { lease_id: 48 },
            CrankStep::Rematch { offers: vec![3] },
            CrankStep::ReapDone {
                provider: 3,
                queued_at: GENESIS + MAX_SILENCE + 1,
                exhausted: false
            },
        ]
    );
    // Nothing of the poisoned step went out: no payment closed, no slash for alice.
    assert_eq!(
        res.messages,
        vec![
            close_payment(32, GENESIS),
            slash(&bob, SLASH, "Silent", 32, &renter),
            close_account(2),
            close_payment(48, GENESIS),
            slash(&carol, SLASH, "Silent", 48, &renter),
            close_account(3),
        ]
    );
    let skips = skipped(&res);
    assert_eq!(skips.len(), 1, "{skips:?}");
    assert_eq!(
        (skips[0].0.as_str(), skips[0].1.as_str()),
        ("reap_lease", "16")
    );
    assert!(
        skips[0].2.contains("Offer"),
        "the reason says why: {}",
        skips[0].2
    );
    assert_eq!(suite.skipped.len(), 1);

    // The good leases are final, the bad one untouched and its provider unblamed.
    assert_eq!(suite.lease(32).state, LeaseState::Failed);
    assert_eq!(suite.lease(48).state, LeaseState::Failed);
    assert_eq!(suite.lease(16).state, LeaseState::Active);
    assert!(!suite.order(1).closed);
    assert_eq!(suite.provider_info(&alice).counters.missed_liveness, 0);
    assert_eq!(suite.world.borrow().bond_of(&alice), MIN_STAKE_PER_GPU);
    assert_eq!(
        suite.world.borrow().bond_of(&bob),
        MIN_STAKE_PER_GPU - SLASH
    );
    // alice stays queued, looked at again after another silence period; the others are dormant.
    assert_eq!(queue(&suite), vec![(suite.now() + MAX_SILENCE + 1, 1)]);

    // Reaping again at once finds nothing due: the poisoned lease does not eat the limit.
    let res = reap(&mut suite, None);
    assert_eq!(attr(&res, "providers_checked"), "0");

    // The poison is removed: the next check closes the lease, paid up to the last heartbeat.
    OFFERS
        .save(&mut suite.chain.deps.storage, 1, &offer)
        .unwrap();
    suite.advance(MAX_SILENCE + 1);
    let res = reap(&mut suite, None);
    assert!(skipped(&res).is_empty());
    assert_eq!(
        res.messages,
        vec![
            close_payment(16, GENESIS),
            slash(&alice, SLASH, "Silent", 16, &renter),
            close_account(1),
        ]
    );
    assert_eq!(suite.lease(16).state, LeaseState::Failed);
    assert!(suite.order(1).closed);
    assert!(queue(&suite).is_empty());
}

#[test]
fn a_skipped_entry_does_not_hold_the_head_of_the_queue() {
    let (mut suite, [_, bob, carol]) = three_leases();
    OFFERS.remove(&mut suite.chain.deps.storage, 1);
    suite.advance(MAX_SILENCE + 1);
    let due = suite.now();
    // Each call may look at one provider and close one lease.
    let res = reap(&mut suite, Some(2));
    assert_eq!(attr(&res, "providers_checked"), "1");
    assert_eq!(skipped(&res).len(), 1);
    assert_eq!(
        queue(&suite),
        vec![
            (GENESIS + MAX_SILENCE + 1, 2),
            (GENESIS + MAX_SILENCE + 1, 3),
            (due + MAX_SILENCE + 1, 1),
        ],
        "alice moved behind the others"
    );
    // So the next calls are spent on bob and carol, whose leases can close.
    let res = reap(&mut suite, Some(2));
    assert!(skipped(&res).is_empty());
    assert_eq!(suite.lease(32).state, LeaseState::Failed);
    assert_eq!(suite.lease(48).state, LeaseState::Active);
    let res = reap(&mut suite, Some(2));
    assert!(skipped(&res).is_empty());
    assert_eq!(suite.lease(48).state, LeaseState::Failed);
    assert_eq!(suite.provider_info(&bob).counters.missed_liveness, 1);
    assert_eq!(suite.provider_info(&carol).counters.missed_liveness, 1);
    assert_eq!(suite.lease(16).state, LeaseState::Active);
}

#[test]
fn a_staking_query_that_fails_for_one_provider_skips_only_its_lease() {
    let (mut suite, [alice, bob, carol]) = three_leases();
    let renter = suite.renter.clone();
    // alice withdraws her offer while her lease runs: closing it queries staking for her lock.
    let res = suite.exec(&alice, &[], ExecuteMsg::WithdrawOffer { offer_id: 1 });
    assert_eq!(res.messages, vec![set_locked(&alice, MIN_STAKE_PER_GPU)]);
    suite
        .world
        .borrow_mut()
        .staking_broken
        .insert(alice.to_string());
    suite.advance(MAX_SILENCE + 1);
    let res = reap(&mut suite, None);
    let skips = skipped(&res);
    assert_eq!(skips.len(), 1);
    assert_eq!(skips[0].1, "16");
    assert!(
        skips[0].2.contains("staking cannot answer"),
        "{}",
        skips[0].2
    );
    assert_eq!(
        res.messages,
        vec![
            close_payment(32, GENESIS),
            slash(&bob, SLASH, "Silent", 32, &renter),
            close_account(2),
            close_payment(48, GENESIS),
            slash(&carol, SLASH, "Silent", 48, &renter),
            close_account(3),
        ]
    );
    assert_eq!(suite.lease(16).state, LeaseState::Active);

    // Staking answers again: the lease fails, alice is slashed and her lock released.
    suite.world.borrow_mut().staking_broken.clear();
    suite.advance(MAX_SILENCE + 1);
    let res = reap(&mut suite, None);
    assert!(skipped(&res).is_empty());
    assert_eq!(
        res.messages,
        vec![
            close_payment(16, GENESIS),
            slash(&alice, SLASH, "Silent", 16, &renter),
            set_locked(&alice, 0),
            close_account(1),
        ]
    );
    assert_eq!(suite.world.borrow().lock_of(&alice), 0);
    assert!(queue(&suite).is_empty());
}

#[test]
fn a_provider_that_cannot_go_dormant_is_skipped_and_requeued() {
    let mut suite = Suite::new();
    let alice = suite.provider("alice", 1);
    let bob = suite.provider("bob", 1);
    suite.offer(&alice, "rtx-4090", 1, 500);
    suite.offer(&bob, "rtx-4090", 1, 600);
    // alice has no lease; taking her offers out of the book needs her offer record.
    let offer = OFFERS.load(&suite.chain.deps.storage, 1).unwrap();
    OFFERS.remove(&mut suite.chain.deps.storage, 1);
    suite.advance(MAX_SILENCE + 1);
    let res = reap(&mut suite, None);
    let skips = skipped(&res);
    assert_eq!(skips.len(), 1);
    assert_eq!(
        (skips[0].0.as_str(), skips[0].1.as_str()),
        ("reap_provider", "1")
    );
    // The reply re-keys alice's entry; bob went dormant.
    assert_eq!(queue(&suite), vec![(suite.now() + MAX_SILENCE, 1)]);
    assert_eq!(book(&suite), vec![1], "alice's offer is still in the book");
    OFFERS
        .save(&mut suite.chain.deps.storage, 1, &offer)
        .unwrap();
    suite.advance(MAX_SILENCE);
    let res = reap(&mut suite, None);
    assert!(skipped(&res).is_empty());
    assert!(queue(&suite).is_empty());
    assert!(book(&suite).is_empty());
}

#[test]
fn an_order_that_cannot_expire_is_skipped_and_rekeyed() {
    let mut suite = Suite::new();
    for i in 1..=4u64 {
        suite.post_order(NewOrder {
            deadline: GENESIS + 100 * i,
            ..new_order()
        });
    }
    // Poison: order 2's record no longer parses.
    let key = ORDERS.key(2);
    let original = suite.chain.deps.storage.get(&key).unwrap();
    suite.chain.deps.storage.set(&key, b"\"garbage\"");
    suite.advance(500);
    let res = expire(&mut suite, Some(2));
    assert_eq!(
        suite.steps,
        vec![
            CrankStep::ExpireOrder {
                order_id: 1,
                due_at: GENESIS + 100
            },
            CrankStep::ExpireOrder {
                order_id: 2,
                due_at: GENESIS + 200
            },
        ]
    );
    assert_eq!(res.messages, vec![close_account(1)]);
    let skips = skipped(&res);
    assert_eq!(skips.len(), 1);
    assert_eq!(
        (skips[0].0.as_str(), skips[0].1.as_str()),
        ("expire_order", "2")
    );
    // Order 2 waits behind the others, so the next call expires 3 and 4.
    let retry = suite.now() + MAX_SILENCE;
    assert_eq!(
        deadlines(&suite),
        vec![(GENESIS + 300, 3), (GENESIS + 400, 4), (retry, 2)]
    );
    let res = expire(&mut suite, Some(2));
    assert_eq!(res.messages, vec![close_account(3), close_account(4)]);
    assert!(skipped(&res).is_empty());
    assert_eq!(deadlines(&suite), vec![(retry, 2)]);
    // Not due before the retry time; healed, it expires then.
    suite.chain.deps.storage.set(&key, &original);
    let res = expire(&mut suite, None);
    assert_eq!(attr(&res, "orders_due"), "0");
    suite.advance(MAX_SILENCE);
    let res = expire(&mut suite, None);
    assert_eq!(res.messages, vec![close_account(2)]);
    assert_eq!(suite.order(2).status, OrderStatus::Expired);
    assert!(deadlines(&suite).is_empty());
    assert_eq!(suite.stats("rtx-4090").resting_demand_units, 0);
}

#[test]
fn an_overdue_order_met_while_matching_never_reverts_the_match() {
    let mut suite = Suite::new();
    let alice = suite.provider("alice", 1);
    suite.offer(&alice, "rtx-4090", 1, 500);
    // Two replicas, one matched at once: the order rests for the other.
    suite.post_order(NewOrder {
        replication: 2,
        deadline: GENESIS + 1_000,
        ..new_order()
    });
    suite.exec(&alice, &[], ExecuteMsg::WithdrawOffer { offer_id: 1 });
    // Alice never commits: winding the order down expires her lease, which asks staking about
    // her lock.
    suite
        .world
        .borrow_mut()
        .staking_broken
        .insert(alice.to_string());
    suite.advance(HOUR + 1);
    suite.heartbeat(&alice);
    let bob = suite.provider("bob", 1);
    let res = suite.exec(&bob, &[], offer_msg("rtx-4090", 1, 600));
    // bob's offer is listed; the order's expiry was tried in its own step and skipped.
    assert_eq!(res.messages, vec![set_locked(&bob, MIN_STAKE_PER_GPU)]);
    assert_eq!(
        suite.steps,
        vec![CrankStep::ExpireOrder {
            order_id: 1,
            due_at: GENESIS + 1_000
        }]
    );
    let skips = skipped(&res);
    assert_eq!(
        (skips[0].0.as_str(), skips[0].1.as_str()),
        ("expire_order", "1")
    );
    assert_eq!(suite.offer_info(2).free_units, 1);
    assert_eq!(suite.order(1).status, OrderStatus::Open);
    assert_eq!(deadlines(&suite), vec![(suite.now() + MAX_SILENCE, 1)]);

    // Healed: the order expires and alice's lease with it (a missed commitment).
    suite.world.borrow_mut().staking_broken.clear();
    suite.advance(MAX_SILENCE);
    let res = expire(&mut suite, None);
    assert!(skipped(&res).is_empty());
    assert_eq!(suite.order(1).status, OrderStatus::Expired);
    assert_eq!(suite.lease(16).state, LeaseState::Expired);
    assert!(suite.order(1).closed);
    assert!(res.messages.contains(&set_locked(&alice, 0)));
    assert_eq!(res.messages.last(), Some(&close_account(1)));
}

#[test]
fn freed_capacity_is_rematched_in_its_own_step() {
    let mut suite = Suite::new();
    let alice = suite.provider("alice", 1);
    suite.offer(&alice, "rtx-4090", 1, 500);
    suite.post_order(new_order());
    suite.post_order(new_order());
    assert_eq!(suite.order(2).status, OrderStatus::Open);
    suite.advance(600);
    suite.heartbeat(&alice);
    let renter = suite.renter.clone();
    let res = suite.exec(&renter, &[], close(16));
    assert_eq!(suite.steps, vec![CrankStep::Rematch { offers: vec![1] }]);
    assert_eq!(
        res.messages,
        vec![
            close_payment(16, GENESIS + 600),
            close_account(1),
            open_payment(2, 32, &alice, 500, 500, TAKE_RATE_BPS),
        ]
    );
    assert_eq!(suite.order(2).status, OrderStatus::Filled);
}

#[test]
fn a_rematch_that_fails_leaves_the_settlement_standing() {
    let mut suite = Suite::new();
    let alice = suite.provider("alice", 1);
    suite.offer(&alice, "rtx-4090", 1, 500);
    suite.post_order(new_order());
    suite.post_order(new_order());
    // Poison the resting order the freed GPU would match.
    let key = ORDERS.key(2);
    let original = suite.chain.deps.storage.get(&key).unwrap();
    suite.chain.deps.storage.set(&key, b"\"garbage\"");
    suite.advance(600);
    suite.heartbeat(&alice);
    let renter = suite.renter.clone();
    let res = suite.exec(&renter, &[], close(16));
    assert_eq!(
        res.messages,
        vec![close_payment(16, GENESIS + 600), close_account(1)]
    );
    let skips = skipped(&res);
    assert_eq!((skips[0].0.as_str(), skips[0].1.as_str()), ("rematch", "1"));
    assert_eq!(suite.lease(16).state, LeaseState::Cancelled);
    assert_eq!(suite.offer_info(1).free_units, 1);
    // The GPU stays in the book and matches once the order can be read again.
    suite.chain.deps.storage.set(&key, &original);
    suite.exec(
        &alice,
        &[],
        ExecuteMsg::UpdateOffer {
            offer_id: 1,
            price: Some(Uint128::new(400)),
            units: None,
        },
    );
    assert_eq!(suite.order(2).status, OrderStatus::Filled);
}

#[test]
fn only_the_marketplace_itself_runs_crank_steps() {
    let (mut suite, _) = three_leases();
    suite.advance(MAX_SILENCE + 1);
    let steps = [
        CrankStep::ReapLease { lease_id: 16 },
        CrankStep::ReapDone {
            provider: 1,
            queued_at: GENESIS + MAX_SILENCE + 1,
            exhausted: false,
        },
        CrankStep::ExpireOrder {
            order_id: 1,
            due_at: GENESIS,
        },
        CrankStep::Rematch { offers: vec![1] },
    ];
    let (stranger, owner, renter) = (
        suite.stranger.clone(),
        suite.owner.clone(),
        suite.renter.clone(),
    );
    for step in steps {
        for sender in [&stranger, &owner, &renter] {
            assert_eq!(
                suite.exec_err(sender, &[], ExecuteMsg::Crank(step.clone())),
                ContractError::Unauthorized {
                    sender: sender.to_string(),
                    role: "marketplace itself",
                }
            );
        }
    }
    assert_eq!(suite.lease(16).state, LeaseState::Active);
    // Crank takes no funds either, whoever sends it.
    assert!(matches!(
        suite.exec_err(
            &stranger,
            &[usdc(1)],
            ExecuteMsg::Crank(CrankStep::ReapLease { lease_id: 16 })
        ),
        ContractError::Funds(_)
    ));
}

#[test]
fn a_step_for_a_live_provider_changes_nothing() {
    let (mut suite, [alice, ..]) = three_leases();
    suite.advance(MAX_SILENCE);
    suite.heartbeat(&alice);
    // Even from the contract itself: a lease of a live provider is not reaped.
    let before = suite.snapshot();
    let contract = suite.chain.env.contract.address.clone();
    let res = suite.exec(
        &contract,
        &[],
        ExecuteMsg::Crank(CrankStep::ReapLease { lease_id: 16 }),
    );
    assert!(res.messages.is_empty());
    assert_eq!(before, suite.snapshot());
    assert_eq!(suite.lease(16).state, LeaseState::Active);
}

#[test]
fn the_reaper_never_does_more_than_max_reap_steps() {
    let mut suite = Suite::new();
    for i in 0..25 {
        suite.provider(&format!("p{i}"), 1);
    }
    suite.advance(MAX_SILENCE + 1);
    // Asking for more than the cap gets the cap (20): one step per provider looked at.
    let res = reap(&mut suite, Some(u32::MAX));
    assert_eq!(attr(&res, "providers_checked"), "20");
    assert_eq!(suite.steps.len(), 20);
    assert_eq!(queue(&suite).len(), 5);
    let res = reap(&mut suite, Some(1_000));
    assert_eq!(attr(&res, "providers_checked"), "5");
    assert!(queue(&suite).is_empty());

    // Each lease closed counts too, and a lower cap is obeyed the same way.
    let mut suite = Suite::new();
    let alice = suite.provider("alice", 8);
    suite.offer(&alice, "rtx-4090", 8, 900);
    for _ in 0..6 {
        suite.post_order(new_order());
    }
    let owner = suite.owner.clone();
    suite.exec(
        &owner,
        &[],
        ExecuteMsg::UpdateParams(ParamsUpdate {
            max_reap: Some(4),
            ..ParamsUpdate::default()
        }),
    );
    suite.advance(MAX_SILENCE + 1);
    // Alice (1) and three leases; the provider stays queued, exhausted.
    let res = reap(&mut suite, Some(50));
    assert_eq!(attr(&res, "lease_steps"), "3");
    assert_eq!(
        suite.steps.last(),
        Some(&CrankStep::ReapDone {
            provider: 1,
            queued_at: GENESIS + MAX_SILENCE + 1,
            exhausted: true
        })
    );
    assert_eq!(queue(&suite), vec![(GENESIS + MAX_SILENCE + 1, 1)]);
    let res = reap(&mut suite, None);
    assert_eq!(attr(&res, "lease_steps"), "3");
    assert!(queue(&suite).is_empty());
    assert_eq!(suite.provider_info(&alice).counters.missed_liveness, 6);
    assert_eq!(
        suite.exec_err(&owner, &[], ExecuteMsg::Reap { limit: Some(0) }),
        ContractError::InvalidLimit { got: 0, max: 4 }
    );
}

#[test]
fn expiry_never_does_more_than_max_reap_orders() {
    let mut suite = Suite::new();
    for _ in 0..25 {
        suite.post_order(NewOrder {
            deadline: GENESIS + 10,
            ..new_order()
        });
    }
    suite.advance(10);
    let res = expire(&mut suite, Some(u32::MAX));
    assert_eq!(attr(&res, "orders_due"), "20");
    assert_eq!(res.messages.len(), 20);
    assert_eq!(deadlines(&suite).len(), 5);
    let res = expire(&mut suite, None);
    assert_eq!(attr(&res, "orders_due"), "5");
    assert!(deadlines(&suite).is_empty());
    for order_id in 1..=25 {
        assert_eq!(suite.order(order_id).status, OrderStatus::Expired);
    }
}

#[test]
fn a_message_refused_downstream_rolls_back_its_whole_step() {
    let (mut suite, [alice, bob, carol]) = three_leases();
    let renter = suite.renter.clone();
    // Staking refuses alice's slash: the step's escrow message and its storage writes go too.
    suite
        .world
        .borrow_mut()
        .staking_refuses
        .insert(alice.to_string());
    suite.advance(MAX_SILENCE + 1);
    let res = reap(&mut suite, None);
    let skips = skipped(&res);
    assert_eq!(skips.len(), 1);
    assert_eq!(skips[0].1, "16");
    assert!(skips[0].2.contains("refuses Slash"), "{}", skips[0].2);
    assert!(!res.messages.contains(&close_payment(16, GENESIS)));
    assert_eq!(
        res.messages,
        vec![
            close_payment(32, GENESIS),
            slash(&bob, SLASH, "Silent", 32, &renter),
            close_account(2),
            close_payment(48, GENESIS),
            slash(&carol, SLASH, "Silent", 48, &renter),
            close_account(3),
        ]
    );
    assert_eq!(suite.lease(16).state, LeaseState::Active);
    assert_eq!(suite.offer_info(1).free_units, 0);
    assert_eq!(suite.stats("rtx-4090").leased_units, 1);
    assert_eq!(suite.provider_info(&alice).counters.missed_liveness, 0);

    // The transaction's own messages have no such isolation: a refusal there reverts it all.
    let dave = suite.provider("dave", 1);
    suite.world.borrow_mut().staking_refuses = [dave.to_string()].into();
    let before = suite.snapshot();
    let err = suite
        .try_exec(&dave, &[], offer_msg("t4", 1, 100))
        .unwrap_err();
    assert!(err.to_string().contains("refuses SetLocked"), "{err}");
    assert_eq!(before, suite.snapshot(), "rolled back");
}
