//! A renter's budget streams to two providers of one order; fees reach the collector through its
//! deposit message; the rest comes back. Native and cw20 orders alike.

use escrow::ContractError;
use gridshare_testing::{assert_contract_error, Asset, PaymentSpec, SuiteBuilder, USDC};

#[test]
fn an_order_streams_to_its_providers_and_refunds_the_rest() {
    let mut suite = SuiteBuilder::new()
        .with_native("renter", 10_000_000, USDC)
        .with_native("friend", 1_000_000, USDC)
        .build();
    let usdc = suite.usdc();

    // Two GPUs at 1.8 USDC per hour each, replicated on two providers, budget 8 USDC.
    suite
        .open_account(1, "renter", Asset::native(8_000_000, USDC))
        .unwrap();
    for (lease, provider) in [(11, "alice"), (12, "bob")] {
        suite
            .open_payment(
                PaymentSpec::lease(lease)
                    .in_account(1)
                    .to(provider)
                    .per_hour(2 * 1_800_000)
                    .cap(3_600_000)
                    .fee_bps(250),
            )
            .unwrap();
    }
    let account = suite.escrow_account(1);
    assert_eq!(account.reserved.u128(), 7_200_000);
    assert_eq!(account.available.u128(), 800_000);

    // A third lease would overdraw the account.
    assert_contract_error(
        suite.open_payment(
            PaymentSpec::lease(13)
                .in_account(1)
                .to("carol")
                .per_hour(1)
                .cap(800_001),
        ),
        ContractError::InsufficientFunds {
            account_id: 1,
            available: 800_000u128.into(),
            requested: 800_001u128.into(),
        },
    );

    // Half an hour of proven work on both.
    suite.advance_seconds(1_800);
    suite.release(11).unwrap();
    suite.release(12).unwrap();
    let alice = suite.escrow_payment(11);
    assert_eq!(alice.released.u128(), 1_800_000);
    assert_eq!(alice.fees_paid.u128(), 45_000);
    assert_eq!(alice.withdrawable.u128(), 1_755_000);
    assert_eq!(suite.fees_collected(&usdc).u128(), 90_000);
    assert_eq!(suite.balance(&suite.staking.clone(), &usdc).u128(), 90_000);

    // Alice withdraws; bob waits.
    suite.withdraw("alice", &[11]).unwrap();
    assert_eq!(suite.balance_of("alice", &usdc).u128(), 1_755_000);
    assert_contract_error(
        suite.withdraw("bob", &[11]),
        ContractError::NotPayee {
            sender: suite.addr("bob").to_string(),
            lease_id: 11,
        },
    );

    // A friend tops the order up; then bob's provider goes silent: his payment closes at the
    // last proven time and the rest of his cap frees up.
    suite
        .top_up("friend", 1, Asset::native(500_000, USDC))
        .unwrap();
    let last_proof = suite.now();
    suite.advance_seconds(600);
    suite.close_payment(12, Some(last_proof)).unwrap();
    assert_eq!(suite.escrow_payment(12).released.u128(), 1_800_000);
    assert_eq!(suite.escrow_account(1).open_payments, 1);

    // Alice finishes the hour; the order closes: alice and bob are paid what they are owed,
    // the renter gets everything else back.
    suite.advance_seconds(1_200);
    suite.close_account(1, None).unwrap();
    let alice = suite.escrow_payment(11);
    assert_eq!(alice.released.u128(), 3_600_000);
    assert!(alice.closed);
    assert_eq!(suite.balance_of("alice", &usdc).u128(), 3_600_000 - 90_000);
    assert_eq!(suite.balance_of("bob", &usdc).u128(), 1_800_000 - 45_000);
    let fees = suite.fees_collected(&usdc).u128();
    assert_eq!(fees, 90_000 + 45_000);
    let spent = 3_600_000 + 1_800_000;
    assert_eq!(
        suite.balance_of("renter", &usdc).u128(),
        10_000_000 - 8_000_000 + (8_000_000 + 500_000 - spent)
    );
    assert_eq!(suite.balance(&suite.escrow.clone(), &usdc).u128(), 0);
    assert_eq!(suite.escrow_total(&usdc).u128(), 0);

    assert_contract_error(
        suite.close_account(1, None),
        ContractError::AccountClosed { account_id: 1 },
    );
}

#[test]
fn cw20_orders_settle_the_same_way() {
    let mut suite = SuiteBuilder::new().with_grid("renter", 1_000_000).build();
    let grid = suite.grid_denom();
    let token = suite.grid.clone();

    suite
        .open_account(7, "renter", Asset::cw20(100_000, &token))
        .unwrap();
    suite
        .open_payment(
            PaymentSpec::lease(70)
                .in_account(7)
                .to("alice")
                .per_second(10)
                .cap(50_000)
                .fee_bps(1_000),
        )
        .unwrap();
    suite.advance_seconds(1_000);
    suite.release(70).unwrap();
    assert_eq!(suite.fees_collected(&grid).u128(), 1_000);
    suite.withdraw("alice", &[70]).unwrap();
    assert_eq!(suite.balance_of("alice", &grid).u128(), 9_000);

    suite.refund(7, 50_000).unwrap();
    assert_eq!(suite.escrow_account(7).available.u128(), 0);
    suite.advance_seconds(5_000);
    suite.close_account(7, None).unwrap();
    // The payment ran to its cap: 50_000 paid, 5_000 of it fees.
    assert_eq!(suite.balance_of("alice", &grid).u128(), 45_000);
    assert_eq!(suite.fees_collected(&grid).u128(), 5_000);
    assert_eq!(suite.balance_of("renter", &grid).u128(), 1_000_000 - 50_000);
    assert_eq!(suite.balance(&suite.escrow.clone(), &grid).u128(), 0);
}

#[test]
fn a_token_escrow_does_not_list_is_refused() {
    let mut suite = SuiteBuilder::new()
        .with_native("renter", 1_000, "ufake")
        .build();
    assert_contract_error(
        suite.open_account(1, "renter", Asset::native(1_000, "ufake")),
        ContractError::DenomNotAccepted {
            denom: "native:ufake".into(),
        },
    );
    // The renter's budget came back; escrow holds nothing.
    assert_eq!(
        suite
            .balance_of("renter", &gridshare_types::Denom::Native("ufake".into()))
            .u128(),
        1_000
    );
}
