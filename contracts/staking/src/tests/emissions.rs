//! FundEmissions, ReportWork and ClaimEmissions: a pre-funded pool split by work share per epoch.

use super::helpers::*;
use crate::msg::{
    EpochResponse, ExecuteMsg, ProviderWorkResponse, QueryMsg, ReceiveMsg, WorkResponse,
};
use crate::{ContractError, MAX_EMISSION_CLAIM_EPOCHS};
use cosmwasm_std::Uint128;

fn work_msg(provider: &str, gpu_seconds: u64) -> ExecuteMsg {
    ExecuteMsg::ReportWork {
        provider: provider.to_string(),
        gpu_seconds,
    }
}

fn set_emission(suite: &mut Suite, amount: u128) {
    let owner = suite.owner.clone();
    suite.exec(
        &owner,
        &[],
        ExecuteMsg::UpdateConfig {
            marketplace: None,
            treasury: None,
            unbonding_period: None,
            min_stake_per_gpu: None,
            compensation_ratio: None,
            reward_denoms: None,
            emission_per_epoch: Some(u(amount)),
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
        ContractError::WrongDenom {
            expected: format!("cw20:{}", addr("grid")),
            got: format!("cw20:{}", addr("rwd")),
        }
    );
    assert_eq!(
        suite.exec_err(&carol, &[coin(5, UGRID)], ExecuteMsg::FundEmissions {}),
        ContractError::WrongDenom {
            expected: format!("cw20:{}", addr("grid")),
            got: "native:ugrid".into(),
        }
    );
    assert_eq!(
        suite
            .try_receive(&addr("grid"), &carol, 0, &ReceiveMsg::FundEmissions {})
            .unwrap_err(),
        ContractError::ZeroAmount
    );
    let mut native = Suite::native();
    assert_eq!(
        native.exec_err(&carol, &[], ExecuteMsg::FundEmissions {}),
        ContractError::NoFunds
    );
    assert_eq!(
        native.exec_err(
            &carol,
            &[coin(1, UGRID), coin(1, UUSDC)],
            ExecuteMsg::FundEmissions {}
        ),
        ContractError::MultipleDenoms {
            denoms: "ugrid,uusdc".into()
        }
    );
    assert_eq!(
        native.exec_err(&carol, &[coin(5, UUSDC)], ExecuteMsg::FundEmissions {}),
        ContractError::WrongDenom {
            expected: "native:ugrid".into(),
            got: "native:uusdc".into(),
        }
    );
}

#[test]
fn only_the_marketplace_reports_positive_work() {
    let mut suite = Suite::new();
    let (alice, owner) = (suite.alice.clone(), suite.owner.clone());
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
    suite.advance(EPOCH + 1);
    let res = suite.report_work(&alice, 5);
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "report_work"),
            ("provider", alice.as_str()),
            ("epoch", "1"),
            ("gpu_seconds", "5"),
            ("provider_work", "5"),
            ("epoch_work", "5"),
        ])
    );
    suite.report_work(&alice, 7);
    assert_eq!(suite.epoch(None).total_work, u(12));
}

#[test]
fn finished_epochs_are_split_by_work_share() {
    let mut suite = Suite::new();
    let (alice, bob, carol) = (suite.alice.clone(), suite.bob.clone(), suite.carol.clone());
    suite.fund(&carol, 10_000);
    suite.report_work(&alice, 300);
    suite.report_work(&bob, 100);
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
            total_work: u(400),
            emission: Some(u(1_000)),
            claimed_work: u(400),
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

#[test]
fn rounding_remainders_return_to_the_pool() {
    let mut suite = Suite::new();
    let (alice, bob, carol) = (suite.alice.clone(), suite.bob.clone(), suite.carol.clone());
    suite.fund(&carol, 10_000);
    suite.report_work(&alice, 1);
    suite.report_work(&bob, 2);
    suite.advance(EPOCH);
    assert_eq!(attr(&suite.claim_emissions(&alice, None), "amount"), "333");
    assert_eq!(suite.emissions().allocated, u(667));
    assert_eq!(attr(&suite.claim_emissions(&bob, None), "amount"), "666");
    let emissions = suite.emissions();
    assert_eq!(
        (emissions.pool, emissions.allocated, emissions.paid),
        (u(9_001), Uint128::zero(), u(999))
    );
}

#[test]
fn an_epoch_emits_at_most_what_the_pool_holds() {
    let mut suite = Suite::new();
    let (alice, bob, carol) = (suite.alice.clone(), suite.bob.clone(), suite.carol.clone());
    suite.fund(&carol, 500);
    suite.report_work(&alice, 1);
    suite.report_work(&bob, 1);
    suite.advance(EPOCH);
    suite.report_work(&alice, 1);
    suite.advance(EPOCH);
    // Epoch 0 is fixed first, at the whole pool; epoch 1 then finds it empty.
    let res = suite.claim_emissions(&alice, None);
    assert_eq!(attr(&res, "amount"), "250");
    assert_eq!(attr(&res, "epochs"), "2");
    assert_eq!(suite.epoch(Some(0)).emission, Some(u(500)));
    assert_eq!(suite.epoch(Some(1)).emission, Some(Uint128::zero()));
    assert_eq!(attr(&suite.claim_emissions(&bob, None), "amount"), "250");
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
    let work: ProviderWorkResponse = suite
        .query(QueryMsg::ProviderWork {
            address: alice.to_string(),
            start_after: None,
            limit: None,
        })
        .unwrap();
    assert!(work.work.is_empty());
}

#[test]
fn the_emission_is_fixed_when_the_epoch_is_first_claimed() {
    let mut suite = Suite::new();
    let (alice, bob, carol) = (suite.alice.clone(), suite.bob.clone(), suite.carol.clone());
    suite.fund(&carol, 10_000);
    suite.report_work(&alice, 1);
    suite.report_work(&bob, 1);
    suite.advance(EPOCH);
    suite.claim_emissions(&alice, None);
    set_emission(&mut suite, 10);
    assert_eq!(attr(&suite.claim_emissions(&bob, None), "amount"), "500");
    // A later epoch uses the new rate.
    suite.report_work(&bob, 1);
    suite.advance(EPOCH);
    assert_eq!(attr(&suite.claim_emissions(&bob, None), "amount"), "10");
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
    let work: ProviderWorkResponse = suite
        .query(QueryMsg::ProviderWork {
            address: alice.to_string(),
            start_after: None,
            limit: None,
        })
        .unwrap();
    assert_eq!(
        work.work,
        vec![WorkResponse {
            epoch: 2,
            gpu_seconds: u(1),
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
