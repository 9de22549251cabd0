//! FundEmissions, ReportWork and ClaimEmissions: a pre-funded pool; each epoch reserves its
//! emission when its first fee-weighted work arrives, is topped up by funding while it is current,
//! and is split by fee weight once finished.

use super::helpers::*;
use crate::msg::{
    EmissionWeight, EpochResponse, ExecuteMsg, InstantiateMsg, ProviderWorkResponse, QueryMsg,
    ReceiveMsg, ScheduledEmission, WorkResponse,
};
use crate::{ContractError, MAX_EMISSION_CLAIM_EPOCHS, MAX_EMISSION_WEIGHT};
use cosmwasm_std::{Addr, Uint128, Uint256};
use gridshare_plumbing::FundsError;
use gridshare_types::UncheckedDenom;

fn work_msg(provider: &str, gpu_seconds: u64) -> ExecuteMsg {
    ExecuteMsg::ReportWork {
        provider: provider.to_string(),
        gpu_seconds,
        fee_paid: fee(1, UUSDC),
    }
}

fn w(n: u128) -> Uint256 {
    Uint256::from(n)
}

fn provider_work(suite: &Suite, who: &Addr) -> Vec<WorkResponse> {
    suite
        .query::<ProviderWorkResponse>(QueryMsg::ProviderWork {
            address: who.to_string(),
            start_after: None,
            limit: None,
        })
        .unwrap()
        .work
}

fn set_weights(suite: &mut Suite, weights: Vec<crate::msg::UncheckedEmissionWeight>) {
    let owner = suite.owner.clone();
    let ExecuteMsg::UpdateConfig {
        marketplace,
        treasury,
        unbonding_period,
        min_stake_per_gpu,
        compensation_ratio,
        reward_denoms,
        emission_per_epoch,
        ..
    } = no_update()
    else {
        unreachable!("no_update is an UpdateConfig")
    };
    suite.exec(
        &owner,
        &[],
        ExecuteMsg::UpdateConfig {
            marketplace,
            treasury,
            unbonding_period,
            min_stake_per_gpu,
            compensation_ratio,
            reward_denoms,
            emission_per_epoch,
            emission_weights: Some(weights),
        },
    );
}

#[test]
fn anyone_funds_the_pool_in_the_stake_denom() {
    let mut suite = Suite::new();
    let carol = suite.carol.clone();
    let res = suite.fund(&carol, 5_000);
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "fund_emissions"),
            ("sender", carol.as_str()),
            ("amount", "5000"),
            ("epoch", "0"),
            ("topped_up", "0"),
            ("pool", "5000"),
        ])
    );
    let emissions = suite.emissions();
    assert_eq!((emissions.pool, emissions.funded), (u(5_000), u(5_000)));
    assert_eq!(suite.holdings(&cw20("grid")).emission_pool, u(5_000));

    let mut native = Suite::native();
    native.fund(&carol, 7);
    assert_eq!(native.emissions().pool, u(7));
}

#[test]
fn only_the_stake_denom_funds_the_pool() {
    let mut suite = Suite::new();
    let carol = suite.carol.clone();
    assert_eq!(
        suite
            .try_receive(&addr("rwd"), &carol, 5, &ReceiveMsg::FundEmissions {})
            .unwrap_err(),
        ContractError::Funds(FundsError::WrongDenom {
            expected: format!("cw20:{}", addr("grid")),
            got: format!("cw20:{}", addr("rwd")),
        })
    );
    assert_eq!(
        suite.exec_err(&carol, &[coin(5, UGRID)], ExecuteMsg::FundEmissions {}),
        ContractError::Funds(FundsError::WrongDenom {
            expected: format!("cw20:{}", addr("grid")),
            got: "native:ugrid".into(),
        })
    );
    assert_eq!(
        suite
            .try_receive(&addr("grid"), &carol, 0, &ReceiveMsg::FundEmissions {})
            .unwrap_err(),
        ContractError::Funds(FundsError::ZeroAmount)
    );
    let mut native = Suite::native();
    assert_eq!(
        native.exec_err(&carol, &[], ExecuteMsg::FundEmissions {}),
        ContractError::Funds(FundsError::NoFunds)
    );
    assert_eq!(
        native.exec_err(
            &carol,
            &[coin(1, UGRID), coin(1, UUSDC)],
            ExecuteMsg::FundEmissions {}
        ),
        ContractError::Funds(FundsError::MultipleDenoms {
            denoms: "ugrid,uusdc".into()
        })
    );
    assert_eq!(
        native.exec_err(&carol, &[coin(5, UUSDC)], ExecuteMsg::FundEmissions {}),
        ContractError::Funds(FundsError::WrongDenom {
            expected: "native:ugrid".into(),
            got: "native:uusdc".into(),
        })
    );
}

#[test]
fn only_the_marketplace_reports_positive_work() {
    let mut suite = Suite::new();
    let (alice, owner, carol) = (
        suite.alice.clone(),
        suite.owner.clone(),
        suite.carol.clone(),
    );
    for sender in [alice.clone(), owner] {
        assert_eq!(
            suite.exec_err(&sender, &[], work_msg(alice.as_str(), 5)),
            ContractError::Unauthorized {
                sender: sender.to_string(),
                role: "marketplace",
            }
        );
    }
    assert_eq!(
        suite
            .as_marketplace(work_msg(alice.as_str(), 0))
            .unwrap_err(),
        ContractError::ZeroWork
    );
    assert_eq!(
        suite.as_marketplace(work_msg("bad", 5)).unwrap_err(),
        invalid_address("bad")
    );
    suite.fund(&carol, 300);
    suite.advance(EPOCH + 1);
    let res = suite.report(&alice, 5, fee(40, UUSDC));
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "report_work"),
            ("provider", alice.as_str()),
            ("epoch", "1"),
            ("gpu_seconds", "5"),
            ("fee", "40 native:uusdc"),
            ("weight", "40"),
            ("provider_work", "5"),
            ("provider_weight", "40"),
            ("epoch_work", "5"),
            ("epoch_weight", "40"),
            // The first weighted report opens the epoch: it reserves what the pool has.
            ("reserved", "300"),
            ("emission_target", "1000"),
        ])
    );
    let res = suite.report(&alice, 7, None);
    assert_eq!(attr(&res, "fee"), "none");
    assert_eq!(attr(&res, "weight"), "0");
    assert!(!res.attributes.iter().any(|a| a.key == "reserved"));
    let epoch = suite.epoch(None);
    assert_eq!((epoch.total_work, epoch.total_weight), (u(12), w(40)));
}

#[test]
fn finished_epochs_are_split_by_fee_weight() {
    let mut suite = Suite::new();
    let (alice, bob, carol) = (suite.alice.clone(), suite.bob.clone(), suite.carol.clone());
    suite.fund(&carol, 10_000);
    // Bob delivered more GPU-seconds, but alice's leases paid three times the fees.
    suite.report(&alice, 100, fee(300, UUSDC));
    suite.report(&bob, 900, fee(100, UUSDC));
    // Not finished yet.
    assert_eq!(
        suite.exec_err(&alice, &[], ExecuteMsg::ClaimEmissions { limit: None }),
        ContractError::NoEmissions {
            address: alice.to_string(),
            current_epoch: 0,
        }
    );
    suite.advance(EPOCH);
    let res = suite.claim_emissions(&alice, None);
    assert_eq!(
        res.messages,
        vec![cw20_transfer(&addr("grid"), &alice, 750)]
    );
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "claim_emissions"),
            ("provider", alice.as_str()),
            ("epochs", "1"),
            ("amount", "750"),
        ])
    );
    let emissions = suite.emissions();
    assert_eq!(
        (emissions.pool, emissions.allocated, emissions.paid),
        (u(9_000), u(250), u(750))
    );
    let res = suite.claim_emissions(&bob, None);
    assert_eq!(res.messages, vec![cw20_transfer(&addr("grid"), &bob, 250)]);
    assert_eq!(
        suite.epoch(Some(0)),
        EpochResponse {
            epoch: 0,
            start: GENESIS,
            end: GENESIS + EPOCH,
            finished: true,
            total_work: u(1_000),
            total_weight: w(400),
            emission: Some(u(1_000)),
            emission_target: Some(u(1_000)),
            claimed_work: u(1_000),
            claimed_weight: w(400),
            paid: u(1_000),
        }
    );
    // Claimed epochs are gone.
    assert_eq!(
        suite.exec_err(&bob, &[], ExecuteMsg::ClaimEmissions { limit: None }),
        ContractError::NoEmissions {
            address: bob.to_string(),
            current_epoch: 1,
        }
    );
}

/// The wash trade: one address as provider and renter reports enormous GPU-seconds. Its leases
/// pay no fee (`fee: None`), so it earns nothing; an honest provider with a small real fee earns
/// the whole epoch's emission.
#[test]
fn a_self_dealing_provider_earns_nothing() {
    let mut suite = Suite::new();
    let (alice, carol, mallory) = (suite.alice.clone(), suite.carol.clone(), addr("mallory"));
    suite.fund(&carol, 10_000);
    suite.report(&mallory, u64::MAX / 2, None);
    suite.report(&mallory, u64::MAX / 2, None);
    // Unweighted work does not open the epoch.
    assert_eq!(suite.epoch(None).emission, None);
    assert_eq!(suite.emissions().pool, u(10_000));
    suite.report(&alice, 60, fee(5, UUSDC));
    suite.advance(EPOCH);

    let res = suite.claim_emissions(&mallory, None);
    assert!(res.messages.is_empty());
    assert_eq!(attr(&res, "amount"), "0");
    let res = suite.claim_emissions(&alice, None);
    assert_eq!(
        res.messages,
        vec![cw20_transfer(&addr("grid"), &alice, EMISSION)]
    );
    let epoch = suite.epoch(Some(0));
    assert_eq!(epoch.total_work.u128(), u128::from(u64::MAX / 2) * 2 + 60);
    assert_eq!(epoch.total_weight, w(5));
    assert_eq!(epoch.paid, u(EMISSION));
    assert_eq!(suite.sent_to(&mallory, &cw20("grid")), 0);
}

#[test]
fn gpu_seconds_are_still_recorded_without_weight() {
    let mut suite = Suite::new();
    let mallory = addr("mallory");
    suite.report(&mallory, 3_600, None);
    assert_eq!(
        provider_work(&suite, &mallory),
        vec![WorkResponse {
            epoch: 0,
            gpu_seconds: u(3_600),
            weight: Uint256::zero(),
            finished: false,
        }]
    );
    suite.advance(EPOCH);
    // Nothing to pay, but the claim clears the entry (and the epoch reserved nothing).
    assert_eq!(attr(&suite.claim_emissions(&mallory, None), "amount"), "0");
    assert!(provider_work(&suite, &mallory).is_empty());
    assert_eq!(suite.epoch(Some(0)).emission, None);
    assert_eq!(suite.epoch(Some(0)).claimed_work, u(3_600));
}

#[test]
fn fee_denoms_are_made_comparable_by_their_weights() {
    let mut suite = Suite::with(InstantiateMsg {
        emission_weights: Some(vec![
            weight(UncheckedDenom::Native(UUSDC.into()), 3),
            weight(UncheckedDenom::Native("uatom".into()), 1),
            weight(UncheckedDenom::Native("uosmo".into()), 0),
        ]),
        ..instantiate_msg()
    });
    let (alice, bob, carol) = (suite.alice.clone(), suite.bob.clone(), suite.carol.clone());
    let dave = addr("dave");
    suite.fund(&carol, 10_000);
    suite.report(&alice, 1, fee(100, UUSDC));
    suite.report(&bob, 1, fee(100, "uatom"));
    // No weight, or a zero weight: no emissions.
    let res = suite.report(&carol, 1, fee(1_000_000, "uosmo"));
    assert_eq!(attr(&res, "weight"), "0");
    let res = suite.as_marketplace(ExecuteMsg::ReportWork {
        provider: dave.to_string(),
        gpu_seconds: 1,
        fee_paid: Some(crate::msg::DenomAmount {
            denom: cw20("rwd"),
            amount: u(1_000_000),
        }),
    });
    assert_eq!(attr(&res.unwrap(), "weight"), "0");
    suite.advance(EPOCH);
    assert_eq!(attr(&suite.claim_emissions(&alice, None), "amount"), "750");
    assert_eq!(attr(&suite.claim_emissions(&bob, None), "amount"), "250");
    assert_eq!(attr(&suite.claim_emissions(&carol, None), "amount"), "0");
    assert_eq!(attr(&suite.claim_emissions(&dave, None), "amount"), "0");
}

#[test]
fn the_largest_fees_times_the_largest_weight_do_not_overflow() {
    let mut suite = Suite::with(InstantiateMsg {
        emission_weights: Some(vec![weight(
            UncheckedDenom::Native(UUSDC.into()),
            MAX_EMISSION_WEIGHT,
        )]),
        ..instantiate_msg()
    });
    let (alice, bob, carol) = (suite.alice.clone(), suite.bob.clone(), suite.carol.clone());
    suite.fund(&carol, 10_000);
    // u128::MAX is divisible by 3, so the split is exact.
    suite.report(&alice, 1, fee(u128::MAX, UUSDC));
    suite.report(&alice, 1, fee(u128::MAX, UUSDC));
    suite.report(&bob, 1, fee(u128::MAX / 3 * 2, UUSDC));
    suite.advance(EPOCH);
    assert_eq!(attr(&suite.claim_emissions(&alice, None), "amount"), "750");
    assert_eq!(attr(&suite.claim_emissions(&bob, None), "amount"), "250");
    assert_eq!(suite.emissions().pool, u(9_000));
}

#[test]
fn rounding_remainders_return_to_the_pool_once() {
    let mut suite = Suite::new();
    let (alice, bob, carol) = (suite.alice.clone(), suite.bob.clone(), suite.carol.clone());
    let mallory = addr("mallory");
    suite.fund(&carol, 10_000);
    suite.report_work(&alice, 1);
    suite.report_work(&bob, 2);
    suite.report(&mallory, 50, None);
    suite.advance(EPOCH);
    assert_eq!(attr(&suite.claim_emissions(&alice, None), "amount"), "333");
    assert_eq!(suite.emissions().allocated, u(667));
    assert_eq!(attr(&suite.claim_emissions(&bob, None), "amount"), "666");
    let emissions = suite.emissions();
    assert_eq!(
        (emissions.pool, emissions.allocated, emissions.paid),
        (u(9_001), Uint128::zero(), u(999))
    );
    // An unweighted claimant after the last weighted one returns nothing a second time.
    assert_eq!(attr(&suite.claim_emissions(&mallory, None), "amount"), "0");
    let emissions = suite.emissions();
    assert_eq!((emissions.pool, emissions.paid), (u(9_001), u(999)));
}

#[test]
fn an_epoch_reserves_at_most_what_the_pool_holds() {
    let mut suite = Suite::new();
    let (alice, bob, carol) = (suite.alice.clone(), suite.bob.clone(), suite.carol.clone());
    suite.fund(&carol, 500);
    suite.report_work(&alice, 1);
    // Epoch 0 opened and took the whole pool.
    assert_eq!(suite.epoch(None).emission, Some(u(500)));
    assert_eq!(suite.emissions().pool, Uint128::zero());
    assert_eq!(suite.emissions().allocated, u(500));
    suite.report_work(&bob, 1);
    suite.advance(EPOCH);
    suite.report_work(&alice, 1);
    // Epoch 1 opened on an empty pool.
    assert_eq!(suite.epoch(None).emission, Some(Uint128::zero()));
    suite.advance(EPOCH);
    let res = suite.claim_emissions(&alice, None);
    assert_eq!(attr(&res, "amount"), "250");
    assert_eq!(attr(&res, "epochs"), "2");
    assert_eq!(attr(&suite.claim_emissions(&bob, None), "amount"), "250");
}

/// Rule (b): claims never fix an epoch's emission. What an epoch distributes is what it reserved
/// when it opened plus what funding added while it was the current epoch, whatever the pool holds
/// when its providers claim.
#[test]
fn a_claim_while_the_pool_is_empty_does_not_zero_an_epoch() {
    let mut suite = Suite::new();
    let (alice, bob, carol) = (suite.alice.clone(), suite.bob.clone(), suite.carol.clone());
    suite.fund(&carol, 1_000);
    suite.report_work(&alice, 1);
    suite.report_work(&bob, 1);
    suite.advance(EPOCH);
    // Epoch 1 opens on the empty pool; alice claims epoch 0 while the pool is empty.
    suite.report_work(&alice, 1);
    assert_eq!(suite.emissions().pool, Uint128::zero());
    assert_eq!(attr(&suite.claim_emissions(&alice, None), "amount"), "500");
    // Funding while epoch 1 is current tops it up to its emission; the rest stays pooled.
    let res = suite.fund(&carol, 5_000);
    assert_eq!(
        (
            attr(&res, "epoch"),
            attr(&res, "topped_up"),
            attr(&res, "pool")
        ),
        ("1".into(), "1000".into(), "4000".into())
    );
    assert_eq!(suite.epoch(Some(1)).emission, Some(u(1_000)));
    suite.advance(EPOCH);
    assert_eq!(attr(&suite.claim_emissions(&alice, None), "amount"), "1000");
    assert_eq!(attr(&suite.claim_emissions(&bob, None), "amount"), "500");
    assert_eq!(suite.emissions().pool, u(4_000));
}

#[test]
fn funding_after_an_epoch_has_finished_serves_later_epochs() {
    let mut suite = Suite::new();
    let (alice, carol) = (suite.alice.clone(), suite.carol.clone());
    // Epoch 0 opens on an empty pool and nobody funds it while it is current: it emits 0.
    suite.report_work(&alice, 1);
    suite.advance(EPOCH);
    let res = suite.fund(&carol, 5_000);
    // Epoch 1 has not opened: nothing to top up.
    assert_eq!(attr(&res, "topped_up"), "0");
    assert_eq!(attr(&suite.claim_emissions(&alice, None), "amount"), "0");
    assert_eq!(suite.epoch(Some(0)).emission, Some(Uint128::zero()));
    assert_eq!(suite.emissions().pool, u(5_000));
    // The funding is there for epoch 1.
    suite.report_work(&alice, 1);
    suite.advance(EPOCH);
    assert_eq!(attr(&suite.claim_emissions(&alice, None), "amount"), "1000");
}

#[test]
fn top_ups_stop_at_the_epochs_emission() {
    let mut suite = Suite::new();
    let (alice, carol) = (suite.alice.clone(), suite.carol.clone());
    suite.report_work(&alice, 1);
    assert_eq!(attr(&suite.fund(&carol, 300), "topped_up"), "300");
    assert_eq!(attr(&suite.fund(&carol, 2_000), "topped_up"), "700");
    assert_eq!(attr(&suite.fund(&carol, 50), "topped_up"), "0");
    let epoch = suite.epoch(None);
    assert_eq!(
        (epoch.emission, epoch.emission_target),
        (Some(u(1_000)), Some(u(1_000)))
    );
    assert_eq!(suite.emissions().pool, u(1_350));
    assert_eq!(suite.emissions().allocated, u(1_000));
}

/// Rule (c): a change of `emission_per_epoch` takes effect from the next epoch, whether or not
/// the current one has opened yet.
#[test]
fn a_new_emission_rate_waits_for_the_next_epoch() {
    let mut suite = Suite::new();
    let (alice, carol) = (suite.alice.clone(), suite.carol.clone());
    suite.fund(&carol, 100_000);
    // Changed before the epoch opened: epoch 0 still reserves the old rate.
    let res = suite.set_emission(10);
    assert_eq!(attr(&res, "emission_per_epoch"), "1000");
    assert_eq!(attr(&res, "next_emission_per_epoch"), "10");
    assert_eq!(attr(&res, "next_emission_from_epoch"), "1");
    let config = suite.config();
    assert_eq!(config.emission_per_epoch, u(1_000));
    assert_eq!(
        config.scheduled_emission,
        Some(ScheduledEmission {
            from_epoch: 1,
            emission_per_epoch: u(10),
            emission_weights: config.emission_weights.clone(),
        })
    );
    suite.report_work(&alice, 1);
    assert_eq!(suite.epoch(None).emission, Some(u(1_000)));
    // Changed again after it opened: still no effect on epoch 0; the last change wins.
    suite.set_emission(20);
    suite.fund(&carol, 1);
    assert_eq!(suite.epoch(None).emission, Some(u(1_000)));
    assert_eq!(suite.emissions().emission_per_epoch, u(1_000));

    suite.advance(EPOCH);
    assert_eq!(suite.emissions().emission_per_epoch, u(20));
    assert_eq!(suite.config().scheduled_emission, None);
    suite.report_work(&alice, 1);
    suite.advance(EPOCH);
    let res = suite.claim_emissions(&alice, None);
    assert_eq!(attr(&res, "amount"), "1020");
}

#[test]
fn an_epoch_opened_short_is_topped_up_to_its_own_rate() {
    let mut suite = Suite::new();
    let (alice, carol) = (suite.alice.clone(), suite.carol.clone());
    suite.report_work(&alice, 1);
    // Raising the rate mid-epoch does not raise what epoch 0 may be topped up to.
    suite.set_emission(5_000);
    assert_eq!(attr(&suite.fund(&carol, 10_000), "topped_up"), "1000");
    assert_eq!(suite.epoch(None).emission_target, Some(u(1_000)));
    suite.advance(EPOCH);
    suite.report_work(&alice, 1);
    assert_eq!(suite.epoch(None).emission, Some(u(5_000)));
    assert_eq!(suite.epoch(None).emission_target, Some(u(5_000)));
}

#[test]
fn a_schedule_in_force_becomes_the_base_of_the_next_change() {
    let mut suite = Suite::new();
    let (alice, carol) = (suite.alice.clone(), suite.carol.clone());
    suite.fund(&carol, 100_000);
    suite.set_emission(10);
    suite.advance(3 * EPOCH);
    // The change for epoch 1 is in force; a weights-only change keeps its rate.
    set_weights(
        &mut suite,
        vec![weight(UncheckedDenom::Native(UUSDC.into()), 2)],
    );
    let config = suite.config();
    assert_eq!(config.emission_per_epoch, u(10));
    assert_eq!(
        config.scheduled_emission,
        Some(ScheduledEmission {
            from_epoch: 4,
            emission_per_epoch: u(10),
            emission_weights: vec![EmissionWeight {
                denom: native(UUSDC),
                weight: u(2),
            }],
        })
    );
    // Epoch 3 still weighs with the old weights, epoch 4 with the new ones.
    let res = suite.report(&alice, 1, fee(7, UUSDC));
    assert_eq!(attr(&res, "weight"), "7");
    suite.advance(EPOCH);
    let res = suite.report(&alice, 1, fee(7, UUSDC));
    assert_eq!(attr(&res, "weight"), "14");
    // A denom the new weights leave out earns nothing from epoch 4 on.
    let res = suite.as_marketplace(ExecuteMsg::ReportWork {
        provider: alice.to_string(),
        gpu_seconds: 1,
        fee_paid: Some(crate::msg::DenomAmount {
            denom: cw20("rwd"),
            amount: u(7),
        }),
    });
    assert_eq!(attr(&res.unwrap(), "weight"), "0");
}

#[test]
fn a_claim_with_nothing_to_pay_still_clears_the_epochs() {
    let mut suite = Suite::new();
    let alice = suite.alice.clone();
    suite.report_work(&alice, 10);
    suite.advance(EPOCH);
    let res = suite.claim_emissions(&alice, None);
    assert!(res.messages.is_empty());
    assert_eq!(attr(&res, "amount"), "0");
    assert!(provider_work(&suite, &alice).is_empty());
}

#[test]
fn epochs_without_work_emit_nothing() {
    let mut suite = Suite::new();
    let (alice, carol) = (suite.alice.clone(), suite.carol.clone());
    suite.fund(&carol, 10_000);
    suite.advance(3 * EPOCH);
    suite.report_work(&alice, 1);
    suite.advance(EPOCH);
    assert_eq!(attr(&suite.claim_emissions(&alice, None), "amount"), "1000");
    assert_eq!(suite.emissions().pool, u(9_000));
    assert_eq!(suite.epoch(Some(1)).emission, None);
    assert_eq!(suite.epoch(Some(1)).emission_target, None);
}

#[test]
fn claims_are_bounded_by_a_limit() {
    let mut suite = Suite::new();
    let (alice, carol) = (suite.alice.clone(), suite.carol.clone());
    suite.fund(&carol, 10_000);
    for _ in 0..3 {
        suite.report_work(&alice, 1);
        suite.advance(EPOCH);
    }
    for limit in [0, MAX_EMISSION_CLAIM_EPOCHS + 1] {
        assert_eq!(
            suite.exec_err(
                &alice,
                &[],
                ExecuteMsg::ClaimEmissions { limit: Some(limit) }
            ),
            ContractError::InvalidClaimLimit {
                got: limit,
                max: MAX_EMISSION_CLAIM_EPOCHS
            }
        );
    }
    let res = suite.claim_emissions(&alice, Some(2));
    assert_eq!(
        (attr(&res, "epochs"), attr(&res, "amount")),
        ("2".into(), "2000".into())
    );
    assert_eq!(
        provider_work(&suite, &alice),
        vec![WorkResponse {
            epoch: 2,
            gpu_seconds: u(1),
            weight: w(1),
            finished: true,
        }]
    );
    let res = suite.claim_emissions(&alice, Some(MAX_EMISSION_CLAIM_EPOCHS));
    assert_eq!(attr(&res, "amount"), "1000");
}

#[test]
fn work_in_the_current_epoch_waits() {
    let mut suite = Suite::new();
    let (alice, carol) = (suite.alice.clone(), suite.carol.clone());
    suite.fund(&carol, 10_000);
    suite.report_work(&alice, 1);
    suite.advance(EPOCH);
    suite.report_work(&alice, 1);
    let work: ProviderWorkResponse = suite
        .query(QueryMsg::ProviderWork {
            address: alice.to_string(),
            start_after: Some(0),
            limit: Some(1),
        })
        .unwrap();
    assert_eq!(
        work.work,
        vec![WorkResponse {
            epoch: 1,
            gpu_seconds: u(1),
            weight: w(1),
            finished: false,
        }]
    );
    let res = suite.claim_emissions(&alice, None);
    assert_eq!(
        (attr(&res, "epochs"), attr(&res, "amount")),
        ("1".into(), "1000".into())
    );
    assert!(!suite.epoch(None).finished);
    assert_eq!(suite.epoch(None).epoch, 1);
}

#[test]
fn epoch_queries_reject_epochs_out_of_range() {
    let suite = Suite::new();
    assert!(suite
        .query::<EpochResponse>(QueryMsg::Epoch {
            epoch: Some(u64::MAX)
        })
        .is_err());
}
