//! A provider bonds collateral, lists GPUs, earns a share of the fees escrow sends staking, is
//! slashed for a bad lease (the renter compensated), unbonds and claims; a staker's rewards and
//! everyone's voting power follow along.

use gridshare_testing::{
    assert_contract_error, Asset, PaymentSpec, SuiteBuilder, UNBONDING_PERIOD, USDC,
};
use staking::ContractError;

#[test]
fn a_provider_bonds_lists_is_slashed_unbonds_and_claims() {
    let mut suite = SuiteBuilder::new()
        .with_grid("alice", 10_000)
        .with_grid("bob", 30_000)
        .with_native("renter", 1_000_000, USDC)
        .build();
    let (usdc, grid) = (suite.usdc(), suite.grid_denom());

    suite.bond("alice", 10_000).unwrap();
    suite.bond("bob", 30_000).unwrap();
    let bonded_at = suite.block().height;
    suite.advance_seconds(5);
    assert_eq!(suite.voting_power_at("alice", bonded_at + 1).u128(), 10_000);
    assert_eq!(suite.voting_power_at("alice", bonded_at).u128(), 0);

    // The marketplace lists four of alice's GPUs: 4 × 1_000 GRID is locked.
    suite.lock_collateral("alice", 4_000).unwrap();
    assert_contract_error(
        suite.unbond("alice", 7_000),
        ContractError::StakeLocked {
            bonded: 10_000u128.into(),
            locked: 4_000u128.into(),
            requested: 7_000u128.into(),
        },
    );

    // A renter's job pays alice through escrow; the 10% fee becomes rewards: 1/4 alice, 3/4 bob.
    suite
        .open_account(1, "renter", Asset::native(100_000, USDC))
        .unwrap();
    suite
        .open_payment(
            PaymentSpec::lease(1)
                .in_account(1)
                .to("alice")
                .per_second(10)
                .cap(40_000)
                .fee_bps(1_000),
        )
        .unwrap();
    suite.advance_seconds(4_000);
    suite.release(1).unwrap();
    assert_eq!(suite.fees_collected(&usdc).u128(), 4_000);
    assert_eq!(suite.pending_rewards("alice", &usdc).u128(), 1_000);
    assert_eq!(suite.pending_rewards("bob", &usdc).u128(), 3_000);

    // A second lease of alice's fails verification: 2_000 GRID slashed, half to the renter.
    suite.slash("alice", 2_000, 2, "renter").unwrap();
    let slashed_at = suite.block().height;
    suite.advance_seconds(5);
    assert_eq!(suite.staker("alice").bonded.u128(), 8_000);
    assert_eq!(suite.balance_of("renter", &grid).u128(), 1_000);
    assert_eq!(suite.balance_of("treasury", &grid).u128(), 1_000);

    // Rewards earned before the slash are kept; bob claims his.
    suite.claim_rewards("bob").unwrap();
    assert_eq!(suite.balance_of("bob", &usdc).u128(), 3_000);
    assert_eq!(suite.pending_rewards("bob", &usdc).u128(), 0);

    // Alice's offers are withdrawn, the lock released, and she leaves.
    suite.lock_collateral("alice", 0).unwrap();
    suite.unbond("alice", 8_000).unwrap();
    let unbonded_at = suite.block().height;
    assert_eq!(suite.staker("alice").bonded.u128(), 0);
    assert_eq!(suite.staker("alice").unbonding.u128(), 8_000);
    assert!(matches!(
        suite
            .claim("alice")
            .unwrap_err()
            .downcast_ref::<ContractError>(),
        Some(ContractError::NothingToClaim { .. })
    ));

    // Fees that arrive now go to bob alone: unbonding stake earns nothing.
    suite
        .open_account(2, "renter", Asset::native(100_000, USDC))
        .unwrap();
    suite
        .open_payment(
            PaymentSpec::lease(3)
                .in_account(2)
                .to("alice")
                .per_second(10)
                .cap(10_000)
                .fee_bps(1_000),
        )
        .unwrap();
    suite.advance_seconds(UNBONDING_PERIOD);
    suite.close_account(2, None).unwrap();
    assert_eq!(suite.pending_rewards("alice", &usdc).u128(), 1_000);
    // 1_000 over 30_000 bonded is 0.0333… per unit: bob's 999.99… rounds down, the rest is dust.
    assert_eq!(suite.pending_rewards("bob", &usdc).u128(), 999);
    assert_eq!(
        suite.staking_holdings(&usdc).unwrap().rewards_dust.u128(),
        1
    );

    suite.claim("alice").unwrap();
    suite.claim_rewards("alice").unwrap();
    assert_eq!(suite.balance_of("alice", &grid).u128(), 8_000);
    assert_eq!(
        suite.balance_of("alice", &usdc).u128(),
        1_000 + (10_000 - 1_000),
        "alice's rewards plus her net pay from lease 3"
    );

    // History does not change: alice's power at the heights she held stake stays as it was.
    assert_eq!(suite.voting_power_at("alice", bonded_at + 1).u128(), 10_000);
    // A change at height h shows from h + 1.
    assert_eq!(suite.voting_power_at("alice", slashed_at).u128(), 10_000);
    assert_eq!(suite.voting_power_at("alice", slashed_at + 1).u128(), 8_000);
    assert_eq!(suite.voting_power_at("alice", unbonded_at).u128(), 8_000);
    assert_eq!(suite.voting_power_at("alice", unbonded_at + 1).u128(), 0);

    // Staking holds exactly what it accounts for, in both denoms.
    for denom in [&usdc, &grid] {
        let held = suite.balance(&suite.staking.clone(), denom);
        let accounted = suite
            .staking_holdings(denom)
            .map(|h| h.total)
            .unwrap_or_default();
        assert_eq!(held, accounted, "staking's books in {denom}");
    }
    assert_eq!(suite.staking_holdings(&grid).unwrap().bonded.u128(), 30_000);
}

#[test]
fn delivered_work_earns_emissions_after_the_epoch() {
    let mut suite = SuiteBuilder::new().build();
    let grid = suite.grid_denom();
    suite.fund_emissions("owner", 25_000).unwrap();
    suite.report_work("alice", 3_000).unwrap();
    suite.report_work("bob", 1_000).unwrap();
    assert!(
        suite.claim_emissions("alice").is_err(),
        "the epoch has not ended"
    );

    suite.advance_seconds(gridshare_testing::EPOCH_SECONDS);
    suite.claim_emissions("alice").unwrap();
    suite.claim_emissions("bob").unwrap();
    // 10_000 per epoch split 3:1.
    assert_eq!(suite.balance_of("alice", &grid).u128(), 7_500);
    assert_eq!(suite.balance_of("bob", &grid).u128(), 2_500);
    assert_eq!(
        suite.balance(&suite.staking.clone(), &grid),
        suite.staking_holdings(&grid).unwrap().total
    );
}
