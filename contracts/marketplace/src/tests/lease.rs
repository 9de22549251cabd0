//! Leases after the match: results, the dispute window, quorum, early closes, expiry, and the
//! exact escrow and staking messages each ending emits.

use super::helpers::*;
use crate::msg::*;
use crate::ContractError;
use cosmwasm_std::{Addr, Uint128};
use gridshare_plumbing::OwnerError;

/// One provider with an rtx-4090 at 900, and the default order matched to it (lease 16).
fn leased() -> (Suite, Addr) {
    let mut suite = Suite::new();
    let alice = suite.provider("alice", 4);
    suite.offer(&alice, "rtx-4090", 4, 900);
    suite.post_order(new_order());
    (suite, alice)
}

#[test]
fn only_the_assigned_provider_submits_and_only_once() {
    let (mut suite, alice) = leased();
    let bob = suite.provider("bob", 1);
    assert_eq!(
        suite.submit(&bob, 16, SHA_A).unwrap_err(),
        ContractError::NotLeaseProvider {
            sender: bob.to_string(),
            lease_id: 16
        }
    );
    let stranger = suite.stranger.clone();
    assert_eq!(
        suite.submit(&stranger, 16, SHA_A).unwrap_err(),
        ContractError::NotLeaseProvider {
            sender: stranger.to_string(),
            lease_id: 16
        }
    );
    assert_eq!(
        suite.submit(&alice, 17, SHA_A).unwrap_err(),
        ContractError::LeaseNotFound { lease_id: 17 }
    );
    assert_eq!(
        suite.submit(&alice, 16, "xyz").unwrap_err(),
        ContractError::InvalidSha256 {
            value: "xyz".into()
        }
    );
    suite.advance(1_200);
    let res = suite.submit(&alice, 16, &SHA_A.to_uppercase()).unwrap();
    assert!(
        res.messages.is_empty(),
        "k = 1 waits for the dispute window"
    );
    let lease = suite.lease(16);
    assert_eq!(lease.state, LeaseState::Submitted);
    let result = lease.result.unwrap();
    assert_eq!(result.sha256, SHA_A, "stored lowercase");
    assert_eq!(result.submitted_at, ts(GENESIS + 1_200));
    assert_eq!((result.runtime_seconds, result.energy_wh), (100, 7));
    assert_eq!(
        suite.submit(&alice, 16, SHA_A).unwrap_err(),
        ContractError::AlreadySubmitted { lease_id: 16 }
    );
}

#[test]
fn a_single_result_is_accepted_after_the_dispute_window() {
    let (mut suite, alice) = leased();
    suite.advance(1_200);
    suite.submit(&alice, 16, SHA_A).unwrap();
    let anyone = suite.stranger.clone();
    suite.advance(DISPUTE_WINDOW - 1);
    assert_eq!(
        suite.exec_err(&anyone, &[], ExecuteMsg::Finalize { lease_id: 16 }),
        ContractError::DisputeWindowOpen {
            lease_id: 16,
            until: GENESIS + 1_200 + DISPUTE_WINDOW
        }
    );
    suite.advance(1);
    let res = suite.exec(&anyone, &[], ExecuteMsg::Finalize { lease_id: 16 });
    // Paid for the 1200 s billed, 1 GPU × 1200 s of work reported with the fee the payment
    // carried (900/h × 1200 s = 300, 2.5% of it rounded down: 7), the rest refunded.
    assert_eq!(
        res.messages,
        vec![
            close_payment(16, GENESIS + 1_200),
            report_work(&alice, 1_200, Some(7)),
            close_account(1),
        ]
    );
    let lease = suite.lease(16);
    assert_eq!(lease.state, LeaseState::Accepted);
    assert_eq!(lease.close_reason, Some(CloseReason::Completed));
    assert_eq!(lease.paid_until, Some(ts(GENESIS + 1_200)));
    assert!(suite.order(1).closed);
    assert_eq!(suite.provider_info(&alice).counters.accepted, 1);
    assert_eq!(suite.offer_info(1).free_units, 4);
    assert_eq!(suite.stats("rtx-4090").leased_units, 0);
    assert_eq!(
        suite.exec_err(&anyone, &[], ExecuteMsg::Finalize { lease_id: 16 }),
        ContractError::WrongLeaseState {
            lease_id: 16,
            state: LeaseState::Accepted,
            expected: LeaseState::Submitted
        }
    );
}

#[test]
fn billable_time_stops_at_the_max_duration() {
    let (mut suite, alice) = leased();
    // Submitted after 2 h on a 1 h order: only the hour is paid.
    suite.advance(2 * HOUR);
    suite.submit(&alice, 16, SHA_A).unwrap();
    suite.advance(DISPUTE_WINDOW);
    let anyone = suite.stranger.clone();
    let res = suite.exec(&anyone, &[], ExecuteMsg::Finalize { lease_id: 16 });
    assert_eq!(
        res.messages,
        vec![
            close_payment(16, GENESIS + HOUR),
            report_work(&alice, HOUR, Some(22)),
            close_account(1),
        ]
    );
}

#[test]
fn the_renter_disputes_inside_the_window_and_governance_decides() {
    let (mut suite, alice) = leased();
    suite.advance(600);
    suite.submit(&alice, 16, SHA_A).unwrap();
    let (renter, stranger, owner) = (
        suite.renter.clone(),
        suite.stranger.clone(),
        suite.owner.clone(),
    );
    assert_eq!(
        suite.exec_err(&stranger, &[], ExecuteMsg::Dispute { lease_id: 16 }),
        ContractError::NotRenter {
            sender: stranger.to_string(),
            order_id: 1
        }
    );
    suite.exec(&renter, &[], ExecuteMsg::Dispute { lease_id: 16 });
    assert!(suite.lease(16).disputed);
    assert_eq!(
        suite.exec_err(&renter, &[], ExecuteMsg::Dispute { lease_id: 16 }),
        ContractError::AlreadyDisputed { lease_id: 16 }
    );
    suite.advance(DISPUTE_WINDOW);
    assert_eq!(
        suite.exec_err(&stranger, &[], ExecuteMsg::Finalize { lease_id: 16 }),
        ContractError::Disputed { lease_id: 16 }
    );
    let resolve = ExecuteMsg::ResolveDispute {
        lease_id: 16,
        uphold_result: false,
    };
    assert_eq!(
        suite.exec_err(&renter, &[], resolve.clone()),
        ContractError::Owner(OwnerError::NotOwner {
            sender: renter.to_string(),
        })
    );
    let res = suite.exec(&owner, &[], resolve);
    // Unpaid, slashed (the renter compensated), everything refunded.
    assert_eq!(
        res.messages,
        vec![
            close_payment(16, GENESIS),
            slash(&alice, SLASH, "DisputeWon", 16, &renter),
            close_account(1),
        ]
    );
    let lease = suite.lease(16);
    assert_eq!(lease.state, LeaseState::Rejected);
    assert_eq!(lease.close_reason, Some(CloseReason::DisputeWon));
    assert_eq!(lease.close_reason.unwrap().band(), CloseBand::Renter);
    let info = suite.provider_info(&alice);
    assert_eq!(info.counters.rejected, 1);
    assert_eq!(info.reputation, 333);
}

#[test]
fn a_dispute_governance_rejects_pays_the_provider() {
    let (mut suite, alice) = leased();
    suite.advance(600);
    suite.submit(&alice, 16, SHA_A).unwrap();
    let (renter, owner) = (suite.renter.clone(), suite.owner.clone());
    assert_eq!(
        suite.exec_err(
            &owner,
            &[],
            ExecuteMsg::ResolveDispute {
                lease_id: 16,
                uphold_result: true
            }
        ),
        ContractError::NotDisputed { lease_id: 16 }
    );
    suite.exec(&renter, &[], ExecuteMsg::Dispute { lease_id: 16 });
    let res = suite.exec(
        &owner,
        &[],
        ExecuteMsg::ResolveDispute {
            lease_id: 16,
            uphold_result: true,
        },
    );
    assert_eq!(
        res.messages,
        vec![
            close_payment(16, GENESIS + 600),
            report_work(&alice, 600, Some(3)),
            close_account(1),
        ]
    );
    assert_eq!(suite.lease(16).state, LeaseState::Accepted);
}

#[test]
fn disputes_after_the_window_are_refused() {
    let (mut suite, alice) = leased();
    let renter = suite.renter.clone();
    assert_eq!(
        suite.exec_err(&renter, &[], ExecuteMsg::Dispute { lease_id: 16 }),
        ContractError::WrongLeaseState {
            lease_id: 16,
            state: LeaseState::Active,
            expected: LeaseState::Submitted
        }
    );
    suite.advance(100);
    suite.submit(&alice, 16, SHA_A).unwrap();
    suite.advance(DISPUTE_WINDOW);
    assert_eq!(
        suite.exec_err(&renter, &[], ExecuteMsg::Dispute { lease_id: 16 }),
        ContractError::DisputeWindowClosed {
            lease_id: 16,
            closed_at: GENESIS + 100 + DISPUTE_WINDOW
        }
    );
}

/// Three providers, one order with replication 3 matched to all of them (leases 16, 17, 18).
fn replicated() -> (Suite, Vec<Addr>) {
    let mut suite = Suite::new();
    let providers: Vec<Addr> = ["alice", "bob", "carol"]
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let p = suite.provider(name, 1);
            suite.offer(&p, "rtx-4090", 1, 700 + 100 * i as u128);
            p
        })
        .collect();
    suite.post_order(NewOrder {
        replication: 3,
        ..new_order()
    });
    assert_eq!(suite.order(1).lease_ids, vec![16, 17, 18]);
    (suite, providers)
}

#[test]
fn a_quorum_accepts_the_majority_and_slashes_the_dissent() {
    let (mut suite, p) = replicated();
    let renter = suite.renter.clone();
    // Leases went to the cheapest first: alice 16, bob 17, carol 18.
    assert_eq!(suite.lease(17).provider, p[1]);
    suite.advance(100);
    assert!(suite.submit(&p[0], 16, SHA_A).unwrap().messages.is_empty());
    suite.advance(100);
    assert!(suite.submit(&p[1], 17, SHA_B).unwrap().messages.is_empty());
    assert_eq!(
        suite.exec_err(&renter, &[], ExecuteMsg::Dispute { lease_id: 16 }),
        ContractError::QuorumVerified {
            lease_id: 16,
            replication: 3
        }
    );
    suite.advance(100);
    let res = suite.submit(&p[2], 18, SHA_A).unwrap();
    assert_eq!(
        res.messages,
        vec![
            // 700/h × 100 s = 19, whose 2.5% rounds to nothing: work without emission weight.
            close_payment(16, GENESIS + 100),
            report_work(&p[0], 100, None),
            close_payment(17, GENESIS),
            slash(&p[1], SLASH, "RejectedByQuorum", 17, &renter),
            close_payment(18, GENESIS + 300),
            report_work(&p[2], 300, Some(1)),
            close_account(1),
        ]
    );
    assert_eq!(suite.order(1).canonical_sha256, Some(SHA_A.into()));
    assert_eq!(suite.lease(17).state, LeaseState::Rejected);
    assert_eq!(
        suite.lease(17).close_reason,
        Some(CloseReason::RejectedByQuorum)
    );
    assert_eq!(suite.lease(18).state, LeaseState::Accepted);
}

#[test]
fn late_results_are_judged_against_the_canonical_one() {
    let (mut suite, p) = replicated();
    let renter = suite.renter.clone();
    suite.advance(100);
    suite.submit(&p[0], 16, SHA_A).unwrap();
    let res = suite.submit(&p[1], 17, SHA_A).unwrap();
    // Majority (2 of 3) at once: both accepted; the account stays open for carol.
    assert_eq!(
        res.messages,
        vec![
            close_payment(16, GENESIS + 100),
            report_work(&p[0], 100, None),
            close_payment(17, GENESIS + 100),
            report_work(&p[1], 100, None),
        ]
    );
    suite.advance(50);
    let res = suite.submit(&p[2], 18, SHA_B).unwrap();
    assert_eq!(
        res.messages,
        vec![
            close_payment(18, GENESIS),
            slash(&p[2], SLASH, "RejectedByQuorum", 18, &renter),
            close_account(1),
        ]
    );
}

#[test]
fn no_majority_means_no_payment() {
    let mut suite = Suite::new();
    let (alice, bob) = (suite.provider("alice", 1), suite.provider("bob", 1));
    suite.offer(&alice, "rtx-4090", 1, 700);
    suite.offer(&bob, "rtx-4090", 1, 800);
    suite.post_order(NewOrder {
        replication: 2,
        ..new_order()
    });
    suite.advance(100);
    suite.submit(&alice, 16, SHA_A).unwrap();
    let res = suite.submit(&bob, 17, SHA_B).unwrap();
    assert_eq!(
        res.messages,
        vec![
            close_payment(16, GENESIS),
            close_payment(17, GENESIS),
            close_account(1)
        ]
    );
    for id in [16, 17] {
        let lease = suite.lease(id);
        assert_eq!(lease.state, LeaseState::Failed);
        assert_eq!(lease.close_reason, Some(CloseReason::NoQuorum));
    }
    assert_eq!(suite.provider_info(&alice).counters.rejected, 0);
}

#[test]
fn the_renter_cancels_and_pays_for_the_time_used() {
    let (mut suite, alice) = leased();
    let stranger = suite.stranger.clone();
    assert_eq!(
        suite.exec_err(&stranger, &[], ExecuteMsg::CloseLease { lease_id: 16 }),
        ContractError::NotLeaseParty {
            sender: stranger.to_string(),
            lease_id: 16
        }
    );
    suite.advance(900);
    let renter = suite.renter.clone();
    let res = suite.exec(&renter, &[], ExecuteMsg::CloseLease { lease_id: 16 });
    assert_eq!(
        res.messages,
        vec![close_payment(16, GENESIS + 900), close_account(1)]
    );
    let lease = suite.lease(16);
    assert_eq!(lease.state, LeaseState::Cancelled);
    assert_eq!(lease.close_reason, Some(CloseReason::RenterCancelled));
    assert_eq!(suite.provider_info(&alice).counters.rejected, 0);
    assert_eq!(
        suite.exec_err(&renter, &[], ExecuteMsg::CloseLease { lease_id: 16 }),
        ContractError::WrongLeaseState {
            lease_id: 16,
            state: LeaseState::Cancelled,
            expected: LeaseState::Active
        }
    );
}

#[test]
fn the_provider_withdraws_unpaid() {
    let (mut suite, alice) = leased();
    suite.advance(900);
    let res = suite.exec(&alice, &[], ExecuteMsg::CloseLease { lease_id: 16 });
    assert_eq!(
        res.messages,
        vec![close_payment(16, GENESIS), close_account(1)]
    );
    let lease = suite.lease(16);
    assert_eq!(lease.close_reason, Some(CloseReason::ProviderWithdrew));
    assert_eq!(lease.close_reason.unwrap().band(), CloseBand::Provider);
    assert_eq!(suite.provider_info(&alice).counters.rejected, 1);
}

#[test]
fn a_lease_without_a_result_expires_after_its_max_duration() {
    let (mut suite, alice) = leased();
    let (renter, anyone) = (suite.renter.clone(), suite.stranger.clone());
    suite.advance(HOUR);
    assert_eq!(
        suite.exec_err(&anyone, &[], ExecuteMsg::Finalize { lease_id: 16 }),
        ContractError::LeaseNotOverdue {
            lease_id: 16,
            until: GENESIS + HOUR
        }
    );
    suite.advance(1);
    let res = suite.exec(&anyone, &[], ExecuteMsg::Finalize { lease_id: 16 });
    assert_eq!(
        res.messages,
        vec![
            close_payment(16, GENESIS),
            slash(&alice, SLASH, "Expired", 16, &renter),
            close_account(1),
        ]
    );
    assert_eq!(suite.lease(16).state, LeaseState::Expired);
}

#[test]
fn freed_capacity_matches_resting_orders() {
    let (mut suite, alice) = leased();
    // Alice's 4 GPUs: 1 leased; an order for 4 rests.
    suite.post_order(NewOrder {
        gpu_count: 4,
        ..new_order()
    });
    assert_eq!(suite.order(2).status, OrderStatus::Open);
    let renter = suite.renter.clone();
    let res = suite.exec(&renter, &[], ExecuteMsg::CloseLease { lease_id: 16 });
    assert_eq!(
        res.messages,
        vec![
            close_payment(16, GENESIS),
            close_account(1),
            open_payment(2, 32, &alice, 3_600, 3_600, TAKE_RATE_BPS),
        ]
    );
    assert_eq!(suite.order(2).status, OrderStatus::Filled);
    assert_eq!(suite.offer_info(1).free_units, 0);
}

#[test]
fn slashing_can_be_a_share_of_the_bond() {
    let (mut suite, alice) = leased();
    let owner = suite.owner.clone();
    suite.exec(
        &owner,
        &[],
        ExecuteMsg::UpdateParams(ParamsUpdate {
            slash: Some(SlashRule::BondBps { bps: 2_500 }),
            ..ParamsUpdate::default()
        }),
    );
    suite.advance(HOUR + 1);
    let anyone = suite.stranger.clone();
    let res = suite.exec(&anyone, &[], ExecuteMsg::Finalize { lease_id: 16 });
    // The rule travels: staking takes a quarter of the bond as it is when the slash runs.
    let renter = suite.renter.clone();
    assert!(res.messages.contains(&slash_by(
        &alice,
        SlashRule::BondBps { bps: 2_500 },
        "Expired",
        16,
        &renter
    )));
    assert_eq!(
        suite.world.borrow().bond_of(&alice),
        3_000,
        "a quarter of 4000"
    );
    // A zero slash sends nothing.
    suite.exec(
        &owner,
        &[],
        ExecuteMsg::UpdateParams(ParamsUpdate {
            slash: Some(SlashRule::Fixed {
                amount: Uint128::zero(),
            }),
            ..ParamsUpdate::default()
        }),
    );
    // (alice is alive again: a silent provider is never matched)
    suite.heartbeat(&alice);
    suite.post_order(new_order());
    suite.advance(HOUR + 1);
    let res = suite.exec(&anyone, &[], ExecuteMsg::Finalize { lease_id: 32 });
    assert_eq!(
        res.messages,
        vec![close_payment(32, GENESIS + HOUR + 1), close_account(2)]
    );
}

#[test]
fn lease_listings_are_paginated() {
    let mut suite = Suite::new();
    let alice = suite.provider("alice", 120);
    suite.offer(&alice, "rtx-4090", 32, 500);
    suite.offer(&alice, "a100", 32, 500);
    suite.offer(&alice, "t4", 32, 200);
    suite.offer(&alice, "rtx-4090", 24, 500);
    for _ in 0..105 {
        suite.post_order(NewOrder {
            requirements: Requirements::default(),
            ..new_order()
        });
    }
    let page: LeasesResponse = suite
        .query(QueryMsg::LeasesByProvider {
            provider: alice.to_string(),
            start_after: None,
            limit: Some(1_000),
        })
        .unwrap();
    assert_eq!(page.leases.len(), 100);
    let rest: LeasesResponse = suite
        .query(QueryMsg::LeasesByProvider {
            provider: alice.to_string(),
            start_after: Some(page.leases[99].lease_id),
            limit: Some(1_000),
        })
        .unwrap();
    assert_eq!(rest.leases.len(), 5);
    let by_order: LeasesResponse = suite
        .query(QueryMsg::LeasesByOrder {
            order_id: 7,
            start_after: None,
            limit: None,
        })
        .unwrap();
    assert_eq!(by_order.leases.len(), 1);
    assert_eq!(by_order.leases[0].lease_id, 7 * 16);
    let after: LeasesResponse = suite
        .query(QueryMsg::LeasesByOrder {
            order_id: 7,
            start_after: Some(7 * 16),
            limit: None,
        })
        .unwrap();
    assert!(after.leases.is_empty());
}

/// Submits lease `lease_id` of `provider` after `seconds` and lets anyone finalize it after the
/// dispute window; returns the finalizing transaction.
fn run_and_finalize(
    suite: &mut Suite,
    provider: &Addr,
    lease_id: u64,
    seconds: u64,
) -> cosmwasm_std::Response {
    suite.advance(seconds);
    suite.submit(provider, lease_id, SHA_A).unwrap();
    suite.advance(DISPUTE_WINDOW);
    let anyone = suite.stranger.clone();
    suite.exec(&anyone, &[], ExecuteMsg::Finalize { lease_id })
}

#[test]
fn reported_work_carries_the_fee_escrow_takes() {
    let mut suite = Suite::new();
    let alice = suite.provider("alice", 4);
    suite.offer(&alice, "rtx-4090", 4, 900);
    // Two GPUs for 1800 s at 900 per GPU-hour: 900 gross, 2.5% of it is 22 (22.5 rounded down).
    suite.post_order(NewOrder {
        gpu_count: 2,
        ..new_order()
    });
    let res = run_and_finalize(&mut suite, &alice, 16, 1_800);
    assert!(
        res.messages.contains(&report_work(&alice, 3_600, Some(22))),
        "{:?}",
        res.messages
    );
    assert_eq!(fee_for(1_800, 1_800), Some(22));
    // A renter with a fee discount pays a smaller fee, and the weight follows it: 125 bps of 900
    // is 11 (11.25 rounded down).
    let pro = addr("pro");
    suite.world.borrow_mut().tiers.insert(
        pro.to_string(),
        gridshare_types::access::TierBenefits {
            tier: "pro".into(),
            fee_discount_bps: 5_000,
            priority: 0,
            max_open_orders: 10,
        },
    );
    suite.heartbeat(&alice);
    suite
        .try_post_order(
            &pro,
            NewOrder {
                gpu_count: 2,
                ..new_order()
            },
            &[usdc(2_000)],
        )
        .unwrap();
    assert_eq!(suite.order(2).fee_bps, 125);
    let res = run_and_finalize(&mut suite, &alice, 32, 1_800);
    assert!(res.messages.contains(&report_work(&alice, 3_600, Some(11))));
    // The mock staking recorded exactly what was reported.
    let work = suite.world.borrow().work.clone();
    assert_eq!(
        work.iter()
            .map(|(_, s, f)| (*s, f.as_ref().map(|f| f.amount.u128())))
            .collect::<Vec<_>>(),
        vec![(3_600, Some(22)), (3_600, Some(11))]
    );
}

#[test]
fn self_dealt_work_is_recorded_without_emission_weight() {
    let mut suite = Suite::new();
    let alice = suite.provider("alice", 100);
    suite.offer(&alice, "rtx-4090", 100, 1);
    // alice rents her own 100 GPUs at price 1 for most of a day.
    let order = NewOrder {
        gpu_count: 100,
        max_price: Uint128::new(1),
        max_duration: 23 * HOUR,
        deadline: ts(GENESIS + 24 * HOUR),
        ..new_order()
    };
    suite.try_post_order(&alice, order, &[usdc(2_300)]).unwrap();
    let lease = suite.lease(16);
    assert_eq!((lease.provider.clone(), lease.units), (alice.clone(), 100));
    // Escrow still takes its fee on the payment (the order's fee_bps is unchanged)...
    assert_eq!(suite.order(1).fee_bps, TAKE_RATE_BPS);
    for _ in 0..(23 * HOUR / MAX_SILENCE) {
        suite.advance(MAX_SILENCE);
        suite.heartbeat(&alice);
    }
    let res = run_and_finalize(&mut suite, &alice, 16, 0);
    // ...but the work reported to staking carries no fee: 100 × 82 800 GPU-seconds, weight 0.
    let billable = 23 * HOUR / MAX_SILENCE * MAX_SILENCE;
    assert!(
        res.messages
            .contains(&report_work(&alice, 100 * billable, None)),
        "{:?}",
        res.messages
    );
    assert_eq!(suite.provider_info(&alice).counters.accepted, 1);
}

#[test]
fn a_slash_rule_that_takes_nothing_sends_nothing() {
    let (mut suite, _alice) = leased();
    let owner = suite.owner.clone();
    suite.exec(
        &owner,
        &[],
        ExecuteMsg::UpdateParams(ParamsUpdate {
            slash: Some(SlashRule::BondBps { bps: 0 }),
            ..ParamsUpdate::default()
        }),
    );
    suite.advance(HOUR + 1);
    let anyone = suite.stranger.clone();
    let res = suite.exec(&anyone, &[], ExecuteMsg::Finalize { lease_id: 16 });
    assert_eq!(
        res.messages,
        vec![close_payment(16, GENESIS), close_account(1)]
    );
    assert_eq!(suite.lease(16).state, LeaseState::Expired);
    assert!(suite.world.borrow().slashed.is_empty());
}
