//! On a chain (cw-multi-test): a fee collector that refuses its fees never blocks settlement.
//! The fee stays in escrow, uncollected, the payee is paid, and the fee reaches the collector
//! later through `DeliverFees` (anyone) or `ClaimFees` (the collector).

mod common;

use common::*;
use escrow::msg::Rate;
use escrow::ContractError;
use gridshare_types::Denom;

/// Account 1 in `denom` (10_000) with lease 1 to payee 0 at 10/s, cap 5_000, 10 % fee; 100 s on.
fn streamed(world: &mut World, cw20: bool) {
    let renter = world.renters[0].clone();
    let payee = world.payees[0].clone();
    world.open_account(1, &renter, cw20, 10_000).unwrap();
    world
        .open_payment(1, 1, &payee, Rate::per_second(10u128), 5_000, 1_000)
        .unwrap();
    world.advance(100);
}

/// Escrow holds exactly its open accounts' total plus the uncollected fees.
fn assert_books(world: &World, denom: &Denom) {
    assert_eq!(
        world.balance(&world.escrow, denom),
        world.total(denom) + world.uncollected(denom),
        "escrow's {denom} balance"
    );
}

#[test]
fn a_refused_fee_never_blocks_a_release() {
    for cw20 in [false, true] {
        let mut world = World::new(Collector::Refusing);
        let denom = world.denom(cw20);
        streamed(&mut world, cw20);

        let res = world.release(1).unwrap();
        let uncollected = event(&res, "wasm-fee_uncollected");
        assert_eq!(uncollected[0], ("denom".to_string(), denom.to_string()));
        assert_eq!(uncollected[1], ("amount".to_string(), "100".to_string()));
        assert_eq!(
            uncollected[2],
            ("uncollected".to_string(), "100".to_string())
        );
        assert_eq!(
            uncollected[3],
            ("fee_collector".to_string(), world.refusing.to_string())
        );
        assert_eq!(uncollected[4].0, "error");
        assert!(
            uncollected[4].1.contains(REFUSAL),
            "the event names the collector's error: {}",
            uncollected[4].1
        );

        // The payee's share is released and paid; the fee stayed here, not with the collector.
        let payee = world.payees[0].clone();
        world.withdraw(&payee, &[1]).unwrap();
        assert_eq!(world.balance(&payee, &denom), 900);
        assert_eq!(world.balance(&world.refusing, &denom), 0);
        assert_eq!(world.uncollected(&denom), 100);
        assert_eq!(world.total(&denom), 9_000);
        assert_books(&world, &denom);

        // Closing the account settles the rest the same way and refunds the renter.
        world.advance(100);
        world.close_account(1).unwrap();
        assert_eq!(world.balance(&payee, &denom), 1_800);
        assert_eq!(world.uncollected(&denom), 200);
        assert_eq!(world.total(&denom), 0);
        assert_eq!(world.balance(&world.escrow, &denom), 200);
        assert_eq!(world.balance(&world.renters[0], &denom), 8_000);
        assert!(world.account(1).unwrap().closed);
    }
}

#[test]
fn delivering_to_a_collector_that_still_refuses_loses_nothing() {
    let mut world = World::new(Collector::Refusing);
    streamed(&mut world, false);
    world.release(1).unwrap();
    let (stranger, usdc) = (world.stranger.clone(), world.usdc());
    let escrow_before = world.balance(&world.escrow, &usdc);

    let err = world.deliver_fees(&stranger, &usdc).unwrap_err();
    assert!(
        format!("{err:?}").contains(REFUSAL),
        "the delivery fails with the collector's error: {err:?}"
    );
    assert_eq!(world.uncollected(&usdc), 100);
    assert_eq!(world.balance(&world.escrow, &usdc), escrow_before);
    assert_books(&world, &usdc);
}

#[test]
fn uncollected_fees_are_delivered_later_to_a_collector_that_accepts() {
    let mut world = World::new(Collector::Refusing);
    streamed(&mut world, false);
    let renter = world.renters[1].clone();
    let payee = world.payees[1].clone();
    world.open_account(2, &renter, true, 10_000).unwrap();
    world
        .open_payment(2, 2, &payee, Rate::per_second(5u128), 5_000, 500)
        .unwrap();
    world.advance(100);
    world.release(1).unwrap();
    world.release(2).unwrap();
    let (usdc, grid) = (world.usdc(), world.grid());
    // 10 % of 2000 and 5 % of 500.
    assert_eq!(world.uncollected(&usdc), 200);
    assert_eq!(world.uncollected(&grid), 25);

    // Governance points escrow at a collector that takes both denoms (the chain is checked)…
    let accepting = world.accepting.clone();
    let res = world.set_fee_collector(&accepting).unwrap();
    assert!(res
        .events
        .iter()
        .flat_map(|e| &e.attributes)
        .any(|a| a.key == "fee_collector_denoms" && a.value == "checked"));

    // …and anyone delivers what the old one refused, as rewards.
    let stranger = world.stranger.clone();
    world.deliver_fees(&stranger, &usdc).unwrap();
    world.deliver_fees(&stranger, &grid).unwrap();
    assert_eq!(world.deposited(&accepting, &usdc), 200);
    assert_eq!(world.deposited(&accepting, &grid), 25);
    assert_eq!(world.balance(&accepting, &usdc), 200);
    assert_eq!(world.balance(&accepting, &grid), 25);
    assert_eq!(world.uncollected(&usdc), 0);
    assert_eq!(world.uncollected(&grid), 0);
    assert_books(&world, &usdc);
    assert_books(&world, &grid);

    // Nothing left to deliver.
    assert_eq!(
        escrow_error(world.deliver_fees(&stranger, &usdc).unwrap_err()),
        ContractError::NoUncollectedFees {
            denom: usdc.to_string(),
        }
    );
    // New fees go straight to the new collector.
    world.advance(10);
    world.release(1).unwrap();
    assert_eq!(world.deposited(&accepting, &usdc), 210);
    assert_eq!(world.uncollected(&usdc), 0);
}

#[test]
fn a_refusing_collector_claims_its_fees_as_a_plain_transfer() {
    let mut world = World::new(Collector::Refusing);
    streamed(&mut world, false);
    let renter = world.renters[1].clone();
    let payee = world.payees[1].clone();
    world.open_account(2, &renter, true, 10_000).unwrap();
    world
        .open_payment(2, 2, &payee, Rate::per_second(5u128), 5_000, 500)
        .unwrap();
    world.advance(100);
    world.release(1).unwrap();
    world.release(2).unwrap();
    let (usdc, grid, refusing, stranger) = (
        world.usdc(),
        world.grid(),
        world.refusing.clone(),
        world.stranger.clone(),
    );

    assert_eq!(
        escrow_error(world.claim_fees(&stranger, &usdc).unwrap_err()),
        ContractError::Unauthorized {
            sender: stranger.to_string(),
            role: "fee collector",
        }
    );
    world.claim_fees(&refusing, &usdc).unwrap();
    world.claim_fees(&refusing, &grid).unwrap();
    assert_eq!(world.balance(&refusing, &usdc), 200);
    assert_eq!(world.balance(&refusing, &grid), 25);
    assert_eq!(world.uncollected(&usdc), 0);
    assert_eq!(world.uncollected(&grid), 0);
    assert_books(&world, &usdc);
    assert_books(&world, &grid);
}

#[test]
fn a_collector_that_accepts_gets_every_fee_at_once() {
    let mut world = World::new(Collector::Accepting);
    streamed(&mut world, true);
    let res = world.release(1).unwrap();
    assert!(res.events.iter().all(|e| e.ty != "wasm-fee_uncollected"));
    let (accepting, grid) = (world.accepting.clone(), world.grid());
    assert_eq!(world.deposited(&accepting, &grid), 100);
    assert_eq!(world.uncollected(&grid), 0);
    assert_books(&world, &grid);

    // The same collector refusing for a while: those fees wait, the later ones do not.
    world.set_refusing(true);
    world.advance(10);
    world.release(1).unwrap();
    world.set_refusing(false);
    world.advance(10);
    world.release(1).unwrap();
    assert_eq!(world.deposited(&accepting, &grid), 110);
    assert_eq!(world.uncollected(&grid), 10);
    let stranger = world.stranger.clone();
    world.deliver_fees(&stranger, &grid).unwrap();
    assert_eq!(world.deposited(&accepting, &grid), 120);
    assert_books(&world, &grid);
}
