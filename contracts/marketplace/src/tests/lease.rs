//! Leases after the match: commitments and reveals, billing by proven work, the dispute window
//! and its referee, quorum and its referee, early closes, deadlines, and the exact escrow and
//! staking messages each ending emits.

use super::helpers::*;
use crate::msg::*;
use crate::ContractError;
use cosmwasm_std::{Addr, Uint128};
use gridshare_plumbing::OwnerError;
use gridshare_types::verification::result_commitment;

/// One provider with an rtx-4090 at 900, and the default order matched to it (lease 16).
fn leased() -> (Suite, Addr) {
    let mut suite = Suite::new();
    let alice = suite.provider("alice", 4);
    suite.offer(&alice, "rtx-4090", 4, 900);
    suite.post_order(new_order());
    (suite, alice)
}

/// A `k = 2` order on alice (lease 16, at 700) and bob (lease 17, at 800), the only providers:
/// no referee can be matched.
fn two_replicas() -> (Suite, Addr, Addr) {
    let mut suite = Suite::new();
    let (alice, bob) = (suite.provider("alice", 1), suite.provider("bob", 1));
    suite.offer(&alice, "rtx-4090", 1, 700);
    suite.offer(&bob, "rtx-4090", 1, 800);
    suite.post_order(NewOrder {
        replication: 2,
        ..new_order()
    });
    (suite, alice, bob)
}

/// [`leased`], plus bob listed before the order (a referee candidate).
fn leased_with_referee() -> (Suite, Addr, Addr) {
    let mut suite = Suite::new();
    let alice = suite.provider("alice", 4);
    let bob = suite.provider("bob", 4);
    suite.offer(&alice, "rtx-4090", 4, 900);
    suite.offer(&bob, "rtx-4090", 4, 950);
    suite.post_order(new_order());
    assert_eq!(suite.lease(16).provider, alice);
    (suite, alice, bob)
}

fn finalize(suite: &mut Suite, lease_id: u64) -> cosmwasm_std::Response {
    let anyone = suite.stranger.clone();
    suite.exec(&anyone, &[], ExecuteMsg::Finalize { lease_id })
}

/// The renter disputes lease 16 with its bond, after the referee candidate's keeper beat.
fn disputes(suite: &mut Suite, referee: &Addr) -> cosmwasm_std::Response {
    suite.heartbeat(referee);
    let renter = suite.renter.clone();
    suite.exec(&renter, &[usdc(1_000)], dispute_msg())
}

fn dispute_msg() -> ExecuteMsg {
    ExecuteMsg::Dispute {
        lease_id: 16,
        salt: RENTER_SALT.into(),
    }
}

#[test]
fn only_the_assigned_provider_commits_and_only_once() {
    let (mut suite, alice) = leased();
    let bob = suite.provider("bob", 1);
    assert_eq!(
        suite.commit(&bob, 16, SHA_A).unwrap_err(),
        ContractError::NotLeaseProvider {
            sender: bob.to_string(),
            lease_id: 16
        }
    );
    assert_eq!(
        suite.commit(&alice, 17, SHA_A).unwrap_err(),
        ContractError::LeaseNotFound { lease_id: 17 }
    );
    let bad = ExecuteMsg::CommitResult {
        lease_id: 16,
        commitment: "xyz".into(),
        output_uri: "https://out".into(),
        runtime_seconds: 1,
        energy_mwh: Some(0),
    };
    assert_eq!(
        suite.exec_err(&alice, &[], bad),
        ContractError::InvalidSha256 {
            value: "xyz".into()
        }
    );
    suite.advance(300);
    suite.commit(&alice, 16, SHA_A).unwrap();
    let lease = suite.lease(16);
    assert_eq!(lease.state, LeaseState::Committed);
    let result = lease.result.clone().unwrap();
    assert_eq!(result.committed_at, GENESIS + 300);
    assert_eq!(
        result.sha256, None,
        "nothing about the output is public yet"
    );
    assert_eq!((result.runtime_seconds, result.energy_mwh), (100, Some(7)));
    // k = 1: every replica committed, so reveals are open at once.
    assert_eq!(lease.reveals_open_at, Some(GENESIS + 300));
    assert_eq!(lease.reveal_deadline, Some(GENESIS + 300 + REVEAL_WINDOW));
    assert_eq!(
        suite.commit(&alice, 16, SHA_A).unwrap_err(),
        ContractError::AlreadySubmitted { lease_id: 16 }
    );
}

#[test]
fn a_reveal_must_open_its_commitment() {
    let (mut suite, alice) = leased();
    suite.advance(300);
    suite.commit(&alice, 16, SHA_A).unwrap();
    // Another output, or another salt, does not open it.
    let expected = suite.lease(16).result.unwrap().commitment;
    assert_eq!(
        suite.reveal(&alice, 16, SHA_B).unwrap_err(),
        ContractError::CommitmentMismatch {
            lease_id: 16,
            expected: expected.clone()
        }
    );
    let wrong_salt = ExecuteMsg::RevealResult {
        lease_id: 16,
        sha256: SHA_A.into(),
        salt: "ff".repeat(16),
    };
    assert_eq!(
        suite.exec_err(&alice, &[], wrong_salt),
        ContractError::CommitmentMismatch {
            lease_id: 16,
            expected
        }
    );
    let short_salt = ExecuteMsg::RevealResult {
        lease_id: 16,
        sha256: SHA_A.into(),
        salt: "00".into(),
    };
    assert!(matches!(
        suite.exec_err(&alice, &[], short_salt),
        ContractError::InvalidResult { field: "salt", .. }
    ));
    suite.reveal(&alice, 16, &SHA_A.to_uppercase()).unwrap();
    let lease = suite.lease(16);
    assert_eq!(lease.state, LeaseState::Revealed);
    assert_eq!(
        lease.result.unwrap().sha256,
        Some(SHA_A.into()),
        "stored lowercase"
    );
    assert_eq!(lease.dispute_deadline, Some(GENESIS + 300 + DISPUTE_WINDOW));
    assert_eq!(lease.finalizable_at, lease.dispute_deadline);
}

#[test]
fn a_single_result_is_accepted_after_the_dispute_window_and_billed_to_its_commitment() {
    let (mut suite, alice) = leased();
    suite.advance(500);
    suite.commit(&alice, 16, SHA_A).unwrap();
    // Revealing later changes nothing about pay: the commitment proved the work done at 500 s.
    suite.advance(200);
    suite.reveal(&alice, 16, SHA_A).unwrap();
    suite.advance(DISPUTE_WINDOW - 1);
    let anyone = suite.stranger.clone();
    assert_eq!(
        suite.exec_err(&anyone, &[], ExecuteMsg::Finalize { lease_id: 16 }),
        ContractError::LeaseNotOverdue {
            lease_id: 16,
            until: GENESIS + 700 + DISPUTE_WINDOW
        }
    );
    suite.advance(1);
    let res = finalize(&mut suite, 16);
    // 900/h × 500 s = 125, 2.5% of it rounded down: 3.
    assert_eq!(
        res.messages,
        vec![
            close_payment(16, GENESIS + 500),
            report_work(&alice, 500, Some(3)),
            close_account(1),
        ]
    );
    let lease = suite.lease(16);
    assert_eq!(lease.state, LeaseState::Accepted);
    assert_eq!(lease.close_reason, Some(CloseReason::Completed));
    assert_eq!(lease.finalizable_at, None);
    assert!(suite.order(1).closed);
    assert_eq!(suite.order(1).canonical_sha256, Some(SHA_A.into()));
    assert_eq!(suite.provider_info(&alice).counters.accepted, 1);
    assert_eq!(suite.offer_info(1).free_units, 4);
}

#[test]
fn a_result_held_back_is_billed_for_the_jobs_max_runtime_only() {
    let (mut suite, alice) = leased();
    // The job may run 600 s; the provider commits after 3000 s to bill 5× more.
    suite.advance(3_000);
    suite.submit(&alice, 16, SHA_A).unwrap();
    suite.advance(DISPUTE_WINDOW);
    let res = finalize(&mut suite, 16);
    assert_eq!(
        res.messages,
        vec![
            close_payment(16, GENESIS + 600),
            report_work(&alice, 600, Some(3)),
            close_account(1),
        ]
    );
}

#[test]
fn commitments_after_the_max_duration_are_refused_and_the_lease_expires() {
    let (mut suite, alice) = leased();
    let renter = suite.renter.clone();
    suite.advance(HOUR);
    assert_eq!(suite.lease(16).commit_deadline, GENESIS + HOUR);
    assert_eq!(suite.lease(16).finalizable_at, Some(GENESIS + HOUR + 1));
    let anyone = suite.stranger.clone();
    assert_eq!(
        suite.exec_err(&anyone, &[], ExecuteMsg::Finalize { lease_id: 16 }),
        ContractError::LeaseNotOverdue {
            lease_id: 16,
            until: GENESIS + HOUR + 1
        }
    );
    suite.advance(1);
    assert_eq!(
        suite.commit(&alice, 16, SHA_A).unwrap_err(),
        ContractError::CommitDeadlinePassed {
            lease_id: 16,
            deadline: GENESIS + HOUR
        }
    );
    let res = finalize(&mut suite, 16);
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
fn a_missed_reveal_is_a_liveness_fault_and_unpaid() {
    let (mut suite, alice) = leased();
    let renter = suite.renter.clone();
    suite.advance(100);
    suite.commit(&alice, 16, SHA_A).unwrap();
    suite.advance(REVEAL_WINDOW + 1);
    assert_eq!(
        suite.reveal(&alice, 16, SHA_A).unwrap_err(),
        ContractError::RevealDeadlinePassed {
            lease_id: 16,
            deadline: GENESIS + 100 + REVEAL_WINDOW
        }
    );
    let res = finalize(&mut suite, 16);
    assert_eq!(
        res.messages,
        vec![
            close_payment(16, GENESIS),
            slash(&alice, SLASH, "MissedReveal", 16, &renter),
            close_account(1),
        ]
    );
    assert_eq!(
        suite.lease(16).close_reason,
        Some(CloseReason::MissedReveal)
    );
    assert_eq!(suite.provider_info(&alice).counters.missed_liveness, 1);
}

#[test]
fn a_dispute_needs_its_bond_and_salt_and_matches_a_referee() {
    let (mut suite, alice, bob) = leased_with_referee();
    let (renter, stranger) = (suite.renter.clone(), suite.stranger.clone());
    assert_eq!(
        suite.exec_err(&renter, &[usdc(1_000)], dispute_msg()),
        ContractError::WrongLeaseState {
            lease_id: 16,
            state: LeaseState::Active,
            expected: LeaseState::Revealed
        }
    );
    suite.advance(600);
    suite.submit(&alice, 16, SHA_A).unwrap();
    let bond = suite.order(1).dispute_bond;
    assert_eq!(bond, Uint128::new(1_000), "one replica's budget");
    assert_eq!(
        suite.exec_err(&stranger, &[usdc(1_000)], dispute_msg()),
        ContractError::NotRenter {
            sender: stranger.to_string(),
            order_id: 1
        }
    );
    assert_eq!(
        suite.exec_err(&renter, &[usdc(999)], dispute_msg()),
        ContractError::WrongBond {
            expected: "1000 native:uusdc".into(),
            got: "999 native:uusdc".into()
        }
    );
    let wrong_salt = ExecuteMsg::Dispute {
        lease_id: 16,
        salt: "11".repeat(16),
    };
    assert_eq!(
        suite.exec_err(&renter, &[usdc(1_000)], wrong_salt),
        ContractError::DisputeSaltMismatch { order_id: 1 }
    );
    let res = disputes(&mut suite, &bob);
    assert_eq!(attr(&res, "referee_lease"), "17");
    let referee = suite.lease(17);
    assert!(referee.referee);
    assert_eq!(referee.provider, bob);
    assert_eq!(referee.state, LeaseState::Active);
    let order = suite.order(1);
    assert!(order.disputed);
    assert_eq!(order.referee_lease, Some(17));
    assert_eq!(order.lease_ids, vec![16, 17]);
    assert_eq!(
        suite.lease(16).dispute_deadline,
        Some(GENESIS + 600 + HOUR + REVEAL_WINDOW)
    );
    assert_eq!(
        suite.exec_err(&renter, &[usdc(1_000)], dispute_msg()),
        ContractError::AlreadyDisputed { lease_id: 16 }
    );
    // The dispute window passing changes nothing while the referee works.
    suite.advance(DISPUTE_WINDOW);
    assert!(matches!(
        suite.exec_err(&stranger, &[], ExecuteMsg::Finalize { lease_id: 16 }),
        ContractError::LeaseNotOverdue { .. }
    ));
}

#[test]
fn a_referee_that_agrees_upholds_the_result_and_the_bond_pays_it_and_the_provider() {
    let (mut suite, alice, bob) = leased_with_referee();
    suite.advance(600);
    suite.submit(&alice, 16, SHA_A).unwrap();
    disputes(&mut suite, &bob);
    suite.advance(400);
    let res = suite.submit(&bob, 17, SHA_A).unwrap();
    // bob: 950/h × 400 s = 105, fee 2; the rest of the bond (1000 − 105) goes to alice, whom the
    // renter disputed for nothing; alice: 900/h × 600 s = 150, fee 3.
    assert_eq!(
        res.messages,
        vec![
            close_payment(17, GENESIS + 1_000),
            report_work(&bob, 400, Some(2)),
            forfeit(1, 895, &alice),
            close_payment(16, GENESIS + 600),
            report_work(&alice, 600, Some(3)),
            close_account(1),
        ]
    );
    assert_eq!(suite.lease(16).state, LeaseState::Accepted);
    assert_eq!(suite.lease(17).state, LeaseState::Accepted);
    assert_eq!(suite.order(1).canonical_sha256, Some(SHA_A.into()));
}

#[test]
fn a_referee_that_disagrees_rejects_the_result_and_compensates_the_renter() {
    let (mut suite, alice, bob) = leased_with_referee();
    let renter = suite.renter.clone();
    suite.advance(600);
    suite.submit(&alice, 16, SHA_A).unwrap();
    disputes(&mut suite, &bob);
    suite.advance(400);
    let res = suite.submit(&bob, 17, SHA_B).unwrap();
    assert_eq!(
        res.messages,
        vec![
            close_payment(17, GENESIS + 1_000),
            report_work(&bob, 400, Some(2)),
            close_payment(16, GENESIS),
            slash(&alice, SLASH, "DisputeWon", 16, &renter),
            close_account(1),
        ]
    );
    let lease = suite.lease(16);
    assert_eq!(lease.state, LeaseState::Rejected);
    assert_eq!(lease.close_reason, Some(CloseReason::DisputeWon));
    assert_eq!(lease.close_reason.unwrap().band(), CloseBand::Renter);
    // The renter gets the referee's output.
    assert_eq!(suite.order(1).canonical_sha256, Some(SHA_B.into()));
    assert_eq!(suite.provider_info(&alice).counters.rejected, 1);
}

#[test]
fn a_silent_referee_lets_the_result_stand_by_the_dispute_deadline() {
    let (mut suite, alice, bob) = leased_with_referee();
    suite.advance(600);
    suite.submit(&alice, 16, SHA_A).unwrap();
    let renter = suite.renter.clone();
    disputes(&mut suite, &bob);
    let deadline = suite.lease(16).dispute_deadline.unwrap();
    // Bob never commits: at its commit deadline the referee is at fault and alice's result stands.
    suite.advance(HOUR + 1);
    assert!(deadline >= GENESIS + 600 + HOUR);
    let res = finalize(&mut suite, 16);
    assert_eq!(
        res.messages,
        vec![
            close_payment(17, GENESIS + 600),
            slash(&bob, SLASH, "Expired", 17, &renter),
            close_payment(16, GENESIS + 600),
            report_work(&alice, 600, Some(3)),
            close_account(1),
        ]
    );
    assert_eq!(suite.lease(16).state, LeaseState::Accepted);
}

/// Found by the liveness property test: a referee closed for silence (never at its deadlines)
/// used to leave the disputed result revealed for ever.
#[test]
fn a_referee_reaped_for_silence_lets_the_result_stand() {
    let (mut suite, alice, bob) = leased_with_referee();
    suite.advance(600);
    suite.submit(&alice, 16, SHA_A).unwrap();
    disputes(&mut suite, &bob);
    // Bob never beats again: the reaper fails its referee lease before its commit deadline.
    suite.advance(MAX_SILENCE + 1);
    suite.heartbeat(&alice);
    let anyone = suite.stranger.clone();
    suite.exec(&anyone, &[], ExecuteMsg::Reap { limit: None });
    assert_eq!(suite.lease(17).close_reason, Some(CloseReason::Silent));
    // Without a referee answer alice's result stands, at once.
    assert_eq!(suite.lease(16).state, LeaseState::Accepted);
    assert_eq!(suite.lease(16).paid_until, Some(GENESIS + 600));
    assert_eq!(suite.order(1).canonical_sha256, Some(SHA_A.into()));
    assert!(suite.order(1).closed);
}

#[test]
fn a_dispute_without_an_eligible_referee_is_refused_and_changes_nothing() {
    let (mut suite, alice) = leased();
    suite.advance(600);
    suite.submit(&alice, 16, SHA_A).unwrap();
    let renter = suite.renter.clone();
    // A provider listed after the order was posted is not eligible: it could be the renter's.
    let late = suite.provider("late", 4);
    suite.offer(&late, "rtx-4090", 4, 500);
    suite.heartbeat(&late);
    assert_eq!(
        suite.exec_err(&renter, &[usdc(1_000)], dispute_msg()),
        ContractError::NoReferee { order_id: 1 }
    );
    assert!(!suite.lease(16).disputed);
}

#[test]
fn an_order_without_a_salt_commitment_cannot_be_disputed() {
    let mut suite = Suite::new();
    let alice = suite.provider("alice", 4);
    suite.offer(&alice, "rtx-4090", 4, 900);
    suite.post_order(NewOrder {
        dispute_salt_hash: None,
        ..new_order()
    });
    suite.submit(&alice, 16, SHA_A).unwrap();
    let renter = suite.renter.clone();
    assert_eq!(
        suite.exec_err(&renter, &[usdc(1_000)], dispute_msg()),
        ContractError::NoDisputeSalt { order_id: 1 }
    );
}

#[test]
fn the_owner_may_override_a_dispute() {
    let (mut suite, alice, bob) = leased_with_referee();
    suite.advance(600);
    suite.submit(&alice, 16, SHA_A).unwrap();
    let (renter, owner) = (suite.renter.clone(), suite.owner.clone());
    let resolve = |uphold_result| ExecuteMsg::ResolveDispute {
        lease_id: 16,
        uphold_result,
    };
    assert_eq!(
        suite.exec_err(&owner, &[], resolve(true)),
        ContractError::NotDisputed { lease_id: 16 }
    );
    disputes(&mut suite, &bob);
    assert_eq!(
        suite.exec_err(&renter, &[], resolve(false)),
        ContractError::Owner(OwnerError::NotOwner {
            sender: renter.to_string(),
        })
    );
    suite.advance(100);
    let res = suite.exec(&owner, &[], resolve(true));
    // Alice paid; bob's unneeded referee work paid for its 100 s so far (950/h: 26).
    assert_eq!(
        res.messages,
        vec![
            close_payment(16, GENESIS + 600),
            report_work(&alice, 600, Some(3)),
            close_payment(17, GENESIS + 700),
            close_account(1),
        ]
    );
    assert_eq!(suite.lease(17).state, LeaseState::Cancelled);
    let _ = bob;
}

#[test]
fn disputes_after_the_window_are_refused() {
    let (mut suite, alice) = leased();
    let renter = suite.renter.clone();
    suite.advance(100);
    suite.submit(&alice, 16, SHA_A).unwrap();
    suite.advance(DISPUTE_WINDOW);
    assert_eq!(
        suite.exec_err(&renter, &[usdc(1_000)], dispute_msg()),
        ContractError::DisputeWindowClosed {
            lease_id: 16,
            closed_at: GENESIS + 100 + DISPUTE_WINDOW
        }
    );
}

/// Three providers, one order with replication 3 matched to all of them (leases 16, 17, 18),
/// and dave listed too (a referee candidate).
fn replicated() -> (Suite, Vec<Addr>) {
    let mut suite = Suite::new();
    let providers: Vec<Addr> = ["alice", "bob", "carol", "dave"]
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

/// Found by the liveness property test: an open order's deadline was announced (as
/// `finalizable_at`, and as `LeaseNotOverdue`'s `until`) as the time `Finalize` moves its leases
/// on even while a replica still owed its commitment, when `Finalize` is still refused.
#[test]
fn an_open_orders_deadline_is_not_announced_while_a_replica_owes_its_commitment() {
    let mut suite = Suite::new();
    let (alice, bob) = (suite.provider("alice", 1), suite.provider("bob", 1));
    suite.offer(&alice, "rtx-4090", 1, 700);
    suite.offer(&bob, "rtx-4090", 1, 800);
    suite.post_order(NewOrder {
        replication: 3,
        deadline: GENESIS + 1_800,
        ..new_order()
    });
    assert_eq!(suite.order(1).lease_ids, vec![16, 17]);
    suite.advance(100);
    suite.commit(&alice, 16, SHA_A).unwrap();
    // Bob owes his commitment until his commit deadline: that is when Finalize can act.
    assert_eq!(suite.lease(16).finalizable_at, Some(GENESIS + HOUR + 1));
    suite.advance(1_700);
    let anyone = suite.stranger.clone();
    assert_eq!(
        suite
            .try_exec(&anyone, &[], ExecuteMsg::Finalize { lease_id: 16 })
            .unwrap_err(),
        ContractError::LeaseNotOverdue {
            lease_id: 16,
            until: GENESIS + HOUR + 1
        }
    );
}

#[test]
fn reveals_open_only_once_every_replica_committed() {
    let (mut suite, p) = replicated();
    suite.advance(100);
    suite.commit(&p[0], 16, SHA_A).unwrap();
    assert_eq!(
        suite.reveal(&p[0], 16, SHA_A).unwrap_err(),
        ContractError::RevealsNotOpen { lease_id: 16 }
    );
    assert_eq!(suite.lease(16).reveals_open_at, None);
    // The other replicas' deadlines are what Finalize waits for.
    assert_eq!(suite.lease(16).finalizable_at, Some(GENESIS + HOUR + 1));
    suite.commit(&p[1], 17, SHA_A).unwrap();
    suite.advance(50);
    suite.commit(&p[2], 18, SHA_A).unwrap();
    assert_eq!(suite.lease(16).reveals_open_at, Some(GENESIS + 150));
    suite.reveal(&p[0], 16, SHA_A).unwrap();
}

#[test]
fn a_copied_commitment_can_never_be_revealed() {
    let (mut suite, p) = replicated();
    let renter = suite.renter.clone();
    suite.advance(100);
    suite.commit(&p[0], 16, SHA_A).unwrap();
    // Bob copies alice's commitment from the chain without running anything.
    let copied = suite.lease(16).result.unwrap().commitment;
    suite
        .try_exec(
            &p[1],
            &[],
            ExecuteMsg::CommitResult {
                lease_id: 17,
                commitment: copied.clone(),
                output_uri: "https://bob".into(),
                runtime_seconds: 1,
                energy_mwh: Some(0),
            },
        )
        .unwrap();
    suite.commit(&p[2], 18, SHA_A).unwrap();
    suite.reveal(&p[0], 16, SHA_A).unwrap();
    // Even knowing the output and alice's salt, bob's address and lease are in the digest.
    let forged = ExecuteMsg::RevealResult {
        lease_id: 17,
        sha256: SHA_A.into(),
        salt: salt_of(16),
    };
    assert!(matches!(
        suite.exec_err(&p[1], &[], forged),
        ContractError::CommitmentMismatch { lease_id: 17, .. }
    ));
    assert_ne!(
        result_commitment(SHA_A, 17, p[1].as_str(), &salt_of(16)),
        Some(copied)
    );
    // Alice and carol agree: accepted at once; bob misses the reveal deadline and is slashed.
    let res = suite.reveal(&p[2], 18, SHA_A).unwrap();
    assert!(res.messages.contains(&report_work(&p[0], 100, None)));
    assert_eq!(suite.lease(17).state, LeaseState::Committed);
    suite.advance(REVEAL_WINDOW + 1);
    let res = finalize(&mut suite, 17);
    assert_eq!(
        res.messages,
        vec![
            close_payment(17, GENESIS),
            slash(&p[1], SLASH, "MissedReveal", 17, &renter),
            close_account(1),
        ]
    );
}

#[test]
fn a_quorum_accepts_the_majority_and_the_dissents_slash_goes_to_the_treasury() {
    let (mut suite, p) = replicated();
    let renter = suite.renter.clone();
    suite.advance(100);
    assert!(suite.submit(&p[0], 16, SHA_A).unwrap().messages.is_empty());
    suite.advance(100);
    assert!(suite.submit(&p[1], 17, SHA_B).unwrap().messages.is_empty());
    assert_eq!(
        suite.exec_err(&renter, &[usdc(1_000)], dispute_msg()),
        ContractError::QuorumVerified {
            lease_id: 16,
            replication: 3
        }
    );
    suite.advance(100);
    let res = suite.submit(&p[2], 18, SHA_A).unwrap();
    let ran = suite.world.borrow().slashed.clone();
    assert_eq!(ran, vec![(p[1].to_string(), SLASH, Some(17))]);
    assert!(res.messages.contains(&slash_to_treasury(&p[1], 17)));
    assert_eq!(suite.order(1).canonical_sha256, Some(SHA_A.into()));
    assert_eq!(
        suite.lease(17).close_reason,
        Some(CloseReason::RejectedByQuorum)
    );
    assert_eq!(suite.lease(18).state, LeaseState::Accepted);
    // Billed to each commitment: alice 100 s, carol 300 s.
    assert_eq!(suite.lease(16).paid_until, Some(GENESIS + 100));
    assert_eq!(suite.lease(18).paid_until, Some(GENESIS + 300));
}

#[test]
fn disagreement_without_a_majority_goes_to_a_referee() {
    let mut suite = Suite::new();
    let names = ["alice", "bob", "carol"];
    let p: Vec<Addr> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let a = suite.provider(name, 1);
            suite.offer(&a, "rtx-4090", 1, 700 + 100 * i as u128);
            a
        })
        .collect();
    let renter = suite.renter.clone();
    suite.post_order(NewOrder {
        replication: 2,
        ..new_order()
    });
    // k = 2 funds a referee: three replica budgets.
    assert_eq!(suite.order(1).budget, Uint128::new(3_000));
    suite.advance(100);
    suite.submit(&p[0], 16, SHA_A).unwrap();
    let res = suite.submit(&p[1], 17, SHA_B).unwrap();
    assert_eq!(
        attr_opt(&res, "lease_ids").as_deref(),
        Some("18"),
        "carol referees"
    );
    assert_eq!(suite.order(1).referee_lease, Some(18));
    suite.advance(100);
    let res = suite.submit(&p[2], 18, SHA_B).unwrap();
    assert!(res.messages.contains(&close_payment(16, GENESIS)));
    assert!(res
        .messages
        .contains(&slash(&p[0], SLASH, "RejectedByReferee", 16, &renter)));
    assert!(res.messages.contains(&close_payment(17, GENESIS + 100)));
    assert_eq!(suite.order(1).canonical_sha256, Some(SHA_B.into()));
    assert_eq!(suite.lease(18).state, LeaseState::Accepted);
}

/// Found by the liveness property test: a referee that agreed with no replica used to be
/// accepted and paid (work reported too) for an output nobody confirmed, with no canonical result.
#[test]
fn a_referee_that_agrees_with_no_replica_is_not_accepted() {
    const SHA_C: &str = "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc";
    let mut suite = Suite::new();
    let p: Vec<Addr> = ["alice", "bob", "carol"]
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let a = suite.provider(name, 1);
            suite.offer(&a, "rtx-4090", 1, 700 + 100 * i as u128);
            a
        })
        .collect();
    suite.post_order(NewOrder {
        replication: 2,
        ..new_order()
    });
    suite.advance(100);
    suite.submit(&p[0], 16, SHA_A).unwrap();
    suite.submit(&p[1], 17, SHA_B).unwrap();
    assert_eq!(suite.order(1).referee_lease, Some(18));
    suite.advance(100);
    let res = suite.submit(&p[2], 18, SHA_C).unwrap();
    assert_eq!(
        res.messages,
        vec![
            close_payment(16, GENESIS),
            close_payment(17, GENESIS),
            close_payment(18, GENESIS + 100),
            close_account(1),
        ]
    );
    for id in [16, 17, 18] {
        let lease = suite.lease(id);
        assert_eq!(lease.state, LeaseState::Failed, "lease {id}");
        assert_eq!(
            lease.close_reason,
            Some(CloseReason::NoQuorum),
            "lease {id}"
        );
    }
    assert_eq!(suite.order(1).canonical_sha256, None);
    assert_eq!(suite.provider_info(&p[2]).counters.accepted, 0);
}

#[test]
fn no_majority_and_no_referee_means_no_payment_and_no_slash() {
    let (mut suite, alice, bob) = two_replicas();
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
fn leaving_after_another_replica_committed_is_a_fault_and_the_committed_work_is_refereed() {
    let mut suite = Suite::new();
    let p: Vec<Addr> = ["alice", "bob", "carol"]
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let a = suite.provider(name, 1);
            suite.offer(&a, "rtx-4090", 1, 700 + 100 * i as u128);
            a
        })
        .collect();
    let renter = suite.renter.clone();
    suite.post_order(NewOrder {
        replication: 2,
        ..new_order()
    });
    suite.advance(100);
    suite.submit(&p[0], 16, SHA_A).unwrap();
    // Bob walks away once alice committed: slashed, and alice's work is still judged.
    let res = suite.exec(&p[1], &[], close(17));
    assert!(res
        .messages
        .contains(&slash(&p[1], SLASH, "ProviderWithdrew", 17, &renter)));
    // Reveals open; alice reveals alone: no majority of 2, so a referee checks her work.
    suite.reveal(&p[0], 16, SHA_A).unwrap();
    assert_eq!(suite.order(1).referee_lease, Some(18));
    suite.advance(100);
    let res = suite.submit(&p[2], 18, SHA_A).unwrap();
    assert!(res.messages.contains(&close_payment(16, GENESIS + 100)));
    assert_eq!(suite.lease(16).state, LeaseState::Accepted);
    assert_eq!(suite.order(1).canonical_sha256, Some(SHA_A.into()));
}

#[test]
fn the_renter_cancels_and_pays_for_the_time_used() {
    let (mut suite, alice) = leased();
    let stranger = suite.stranger.clone();
    assert_eq!(
        suite.exec_err(
            &stranger,
            &[],
            ExecuteMsg::CloseLease {
                lease_id: 16,
                renter_fault: None
            }
        ),
        ContractError::NotLeaseParty {
            sender: stranger.to_string(),
            lease_id: 16
        }
    );
    suite.advance(900);
    let renter = suite.renter.clone();
    let res = suite.exec(&renter, &[], close(16));
    assert_eq!(
        res.messages,
        vec![close_payment(16, GENESIS + 900), close_account(1)]
    );
    let lease = suite.lease(16);
    assert_eq!(lease.state, LeaseState::Cancelled);
    assert_eq!(lease.close_reason, Some(CloseReason::RenterCancelled));
    assert_eq!(suite.provider_info(&alice).counters.rejected, 0);
    assert_eq!(
        suite.exec_err(
            &renter,
            &[],
            ExecuteMsg::CloseLease {
                lease_id: 16,
                renter_fault: None
            }
        ),
        ContractError::WrongLeaseState {
            lease_id: 16,
            state: LeaseState::Cancelled,
            expected: LeaseState::Active
        }
    );
}

#[test]
fn a_renter_that_cancels_after_a_commitment_pays_the_committed_replicas() {
    // Only two providers: no referee can be matched, so no verdict is possible.
    let (mut suite, alice, _) = two_replicas();
    suite.advance(300);
    suite.submit(&alice, 16, SHA_A).unwrap();
    let renter = suite.renter.clone();
    suite.exec(&renter, &[], close(17));
    // Reveals open; alice reveals; no majority and no referee — alice is paid her 300 s anyway.
    let res = suite.reveal(&alice, 16, SHA_A).unwrap();
    assert!(res.messages.contains(&close_payment(16, GENESIS + 300)));
    assert_eq!(suite.lease(16).state, LeaseState::Cancelled);
}

#[test]
fn the_provider_withdraws_unpaid() {
    let (mut suite, alice) = leased();
    suite.advance(900);
    let res = suite.exec(&alice, &[], close(16));
    assert_eq!(
        res.messages,
        vec![close_payment(16, GENESIS), close_account(1)]
    );
    let lease = suite.lease(16);
    assert_eq!(lease.close_reason, Some(CloseReason::ProviderWithdrew));
    assert_eq!(lease.close_reason.unwrap().band(), CloseBand::Provider);
    assert_eq!(suite.provider_info(&alice).counters.rejected, 1);
}

/// Issue 16: four malformed jobs used to cost a provider its reputation. A hand-back for the
/// renter's fault is unpaid, unslashed and leaves the reputation as it was; it is counted in the
/// open, and the renter gets the rest of its budget back.
#[test]
fn a_renter_fault_hand_back_is_unpaid_and_costs_no_reputation() {
    let (mut suite, alice) = leased();
    let before = suite.provider_info(&alice);
    suite.advance(120);
    let res = suite.exec(
        &alice,
        &[],
        ExecuteMsg::CloseLease {
            lease_id: 16,
            renter_fault: Some(RenterFault::InputMismatch),
        },
    );
    // Paid until the start (nothing), no slash, the account closes and refunds the renter.
    assert_eq!(
        res.messages,
        vec![close_payment(16, GENESIS), close_account(1)]
    );
    assert!(res
        .attributes
        .iter()
        .any(|a| a.key == "fault" && a.value == "input_mismatch"));
    let lease = suite.lease(16);
    assert_eq!(lease.state, LeaseState::Cancelled);
    assert_eq!(lease.close_reason, Some(CloseReason::RenterFault));
    assert_eq!(lease.close_reason.unwrap().band(), CloseBand::Renter);
    let after = suite.provider_info(&alice);
    assert_eq!(after.reputation, before.reputation);
    assert_eq!(
        after.counters,
        ReputationCounters {
            handed_back: 1,
            ..before.counters
        }
    );
}

/// The provider's word alone decides a renter fault, so it may only ever cost the provider pay:
/// the renter cannot use it, and once another replica committed (the job evidently runs) a
/// provider leaving is a liveness fault that blaming the renter cannot dodge.
#[test]
fn a_renter_fault_is_refused_from_the_renter_and_after_a_commitment() {
    let (mut suite, _) = leased();
    let renter = suite.renter.clone();
    let blame = |lease_id| ExecuteMsg::CloseLease {
        lease_id,
        renter_fault: Some(RenterFault::JobRefused),
    };
    assert_eq!(
        suite.exec_err(&renter, &[], blame(16)),
        ContractError::RenterFaultRefused {
            lease_id: 16,
            by_renter: true
        }
    );

    let (mut suite, alice, bob) = two_replicas();
    suite.advance(100);
    suite.submit(&alice, 16, SHA_A).unwrap();
    assert_eq!(
        suite.exec_err(&bob, &[], blame(17)),
        ContractError::RenterFaultRefused {
            lease_id: 17,
            by_renter: false
        }
    );
    assert_eq!(suite.provider_info(&bob).counters.handed_back, 0);
}

/// A replica handed back for the renter's fault is not matched again (the same job would fail
/// on the next provider), and the order counts as cut short: the replica that committed is
/// paid for its proven work even without a majority.
#[test]
fn a_renter_fault_ends_the_replica_and_the_committed_replica_is_paid() {
    let (mut suite, alice, bob) = two_replicas();
    suite.advance(60);
    suite.exec(
        &bob,
        &[],
        ExecuteMsg::CloseLease {
            lease_id: 17,
            renter_fault: Some(RenterFault::InputUnavailable),
        },
    );
    assert_eq!(suite.order(1).lease_ids, vec![16, 17]);
    suite.advance(240);
    // Alice commits and reveals alone: no majority, but the order was cut short by the renter's
    // fault, so her 300 s are paid.
    let res = suite.submit(&alice, 16, SHA_A).unwrap();
    assert!(res.messages.contains(&close_payment(16, GENESIS + 300)));
    assert_eq!(suite.lease(16).state, LeaseState::Cancelled);
    assert_eq!(suite.provider_info(&bob).counters.rejected, 0);
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
    let res = suite.exec(&renter, &[], close(16));
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
fn the_two_slash_classes_are_separate_parameters() {
    let (mut suite, alice) = leased();
    let owner = suite.owner.clone();
    suite.exec(
        &owner,
        &[],
        ExecuteMsg::UpdateParams(ParamsUpdate {
            liveness_slash: Some(SlashRule::BondBps { bps: 2_500 }),
            slash: Some(SlashRule::Fixed {
                amount: Uint128::new(1),
            }),
            ..ParamsUpdate::default()
        }),
    );
    suite.advance(HOUR + 1);
    let res = finalize(&mut suite, 16);
    // Missing the commit deadline is a liveness fault: the liveness rule travels.
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
            liveness_slash: Some(SlashRule::Fixed {
                amount: Uint128::zero(),
            }),
            ..ParamsUpdate::default()
        }),
    );
    suite.heartbeat(&alice);
    suite.post_order(new_order());
    suite.advance(HOUR + 1);
    let res = finalize(&mut suite, 32);
    assert_eq!(
        res.messages,
        vec![close_payment(32, GENESIS + HOUR + 1), close_account(2)]
    );
    assert!(suite.world.borrow().slashed.len() == 1);
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

/// Commits and reveals lease `lease_id` of `provider` after `seconds` and lets anyone finalize
/// it after the dispute window; returns the finalizing transaction.
fn run_and_finalize(
    suite: &mut Suite,
    provider: &Addr,
    lease_id: u64,
    seconds: u64,
) -> cosmwasm_std::Response {
    suite.advance(seconds);
    suite.submit(provider, lease_id, SHA_A).unwrap();
    suite.advance(DISPUTE_WINDOW);
    finalize(suite, lease_id)
}

#[test]
fn reported_work_carries_the_fee_escrow_takes() {
    let mut suite = Suite::new();
    let alice = suite.provider("alice", 4);
    suite.offer(&alice, "rtx-4090", 4, 900);
    // Two GPUs for 600 s at 900 per GPU-hour: 300 gross, 2.5% of it is 7 (7.5 rounded down).
    suite.post_order(NewOrder {
        gpu_count: 2,
        ..new_order()
    });
    let res = run_and_finalize(&mut suite, &alice, 16, 600);
    assert!(
        res.messages.contains(&report_work(&alice, 1_200, Some(7))),
        "{:?}",
        res.messages
    );
    assert_eq!(fee_for(1_800, 600), Some(7));
    // A renter with a fee discount pays a smaller fee, and the weight follows it: 125 bps of 300
    // is 3 (3.75 rounded down).
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
    let res = run_and_finalize(&mut suite, &alice, 32, 600);
    assert!(res.messages.contains(&report_work(&alice, 1_200, Some(3))));
    let work = suite.world.borrow().work.clone();
    assert_eq!(
        work.iter()
            .map(|(_, s, f)| (*s, f.as_ref().map(|f| f.amount.u128())))
            .collect::<Vec<_>>(),
        vec![(1_200, Some(7)), (1_200, Some(3))]
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
        deadline: GENESIS + 24 * HOUR,
        ..new_order()
    };
    suite.try_post_order(&alice, order, &[usdc(2_300)]).unwrap();
    let lease = suite.lease(16);
    assert_eq!((lease.provider.clone(), lease.units), (alice.clone(), 100));
    assert_eq!(suite.order(1).fee_bps, TAKE_RATE_BPS);
    let res = run_and_finalize(&mut suite, &alice, 16, 600);
    // The work reported to staking carries no fee: 100 × 600 GPU-seconds, weight 0.
    assert!(
        res.messages.contains(&report_work(&alice, 100 * 600, None)),
        "{:?}",
        res.messages
    );
    assert_eq!(suite.provider_info(&alice).counters.accepted, 1);
}

#[test]
fn a_fresh_provider_starts_at_a_neutral_reputation() {
    let (mut suite, alice) = leased();
    assert_eq!(suite.provider_info(&alice).reputation, 500);
    run_and_finalize(&mut suite, &alice, 16, 600);
    assert_eq!(suite.provider_info(&alice).reputation, 666);
}

/// The referee draw cannot be steered by shaping the book once the seed is known: withdrawing
/// offers that did not win never changes the winner (rendezvous hashing), and a provider listed
/// after the order never takes part.
#[test]
fn withdrawing_other_offers_never_changes_the_referee() {
    let draw = |withdraw: &[&str]| {
        let mut suite = Suite::new();
        let alice = suite.provider("alice", 4);
        suite.offer(&alice, "rtx-4090", 4, 900);
        let candidates = ["bob", "carol", "dave", "erin"];
        for (i, name) in candidates.iter().enumerate() {
            let p = suite.provider(name, 1);
            suite.offer(&p, "rtx-4090", 1, 950 + i as u128);
        }
        suite.post_order(new_order());
        assert_eq!(suite.lease(16).provider, alice);
        suite.advance(600);
        suite
            .submit(&alice, 16, SHA_A)
            .unwrap_or_else(|e| panic!("{e}"));
        for (i, name) in candidates.iter().enumerate() {
            let p = addr(name);
            suite.heartbeat(&p);
            if withdraw.contains(name) {
                suite.exec(
                    &p,
                    &[],
                    ExecuteMsg::WithdrawOffer {
                        offer_id: i as u64 + 2,
                    },
                );
            }
        }
        let renter = suite.renter.clone();
        suite.exec(&renter, &[usdc(1_000)], dispute_msg());
        suite.lease(17).provider
    };
    let winner = draw(&[]);
    let losers: Vec<&str> = ["bob", "carol", "dave", "erin"]
        .into_iter()
        .filter(|name| addr(name) != winner)
        .collect();
    assert_eq!(draw(&losers[..1]), winner);
    assert_eq!(draw(&losers[..2]), winner);
    assert_eq!(draw(&losers), winner, "the winner alone is left");
}

#[test]
fn energy_is_summed_per_provider_over_accepted_results_and_unmeasured_is_never_zero() {
    let (mut suite, alice, bob) = two_replicas();
    suite.advance(100);
    // Alice's keeper measured 7 mWh; bob's could not measure.
    suite.submit(&alice, 16, SHA_A).unwrap();
    let commitment = result_commitment(SHA_A, 17, bob.as_str(), &salt_of(17)).unwrap();
    suite.exec(
        &bob,
        &[],
        ExecuteMsg::CommitResult {
            lease_id: 17,
            commitment,
            output_uri: "https://out.example/result".into(),
            runtime_seconds: 100,
            energy_mwh: None,
        },
    );
    assert_eq!(suite.lease(17).result.unwrap().energy_mwh, None);
    suite.reveal(&bob, 17, SHA_A).unwrap();
    suite.reveal(&alice, 16, SHA_A).unwrap();
    for id in [16, 17] {
        assert_eq!(suite.lease(id).state, LeaseState::Accepted);
    }
    let (a, b) = (suite.provider_info(&alice), suite.provider_info(&bob));
    assert_eq!(
        (a.energy_mwh, a.energy_measured, a.counters.accepted),
        (7, 1, 1)
    );
    assert_eq!(
        (b.energy_mwh, b.energy_measured, b.counters.accepted),
        (0, 0, 1)
    );
}

#[test]
fn energy_claimed_for_results_that_were_not_accepted_counts_for_nothing() {
    // Two replicas disagree and no referee exists: neither result is accepted, so neither
    // provider's claimed energy reaches its record (a figure nobody verified stays off it).
    let (mut suite, alice, bob) = two_replicas();
    suite.advance(100);
    suite.submit(&alice, 16, SHA_A).unwrap();
    suite.submit(&bob, 17, SHA_B).unwrap();
    for who in [&alice, &bob] {
        let p = suite.provider_info(who);
        assert_eq!(
            (p.energy_mwh, p.energy_measured, p.counters.accepted),
            (0, 0, 0)
        );
    }
}
