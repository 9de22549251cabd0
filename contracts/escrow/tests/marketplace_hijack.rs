//! The attack the marketplace rule closes, on a chain: before handing escrow to governance, the
//! owner points `marketplace` at itself and, as the marketplace, refunds or closes every account
//! to itself. Escrow refuses to change its marketplace while any account is open.

mod common;

use common::*;
use cosmwasm_std::Uint128;
use escrow::msg::{ExecuteMsg, Rate};
use escrow::ContractError;
use gridshare_types::owner::OwnerAction;

#[test]
fn the_owner_cannot_repoint_the_marketplace_and_drain_escrow() {
    let mut world = World::new(Collector::Accepting);
    let (owner, governance) = (world.owner.clone(), world.app.api().addr_make("governance"));
    let (r1, r2, payee) = (
        world.renters[0].clone(),
        world.renters[1].clone(),
        world.payees[0].clone(),
    );
    world.open_account(1, &r1, false, 50_000).unwrap();
    world.open_account(2, &r2, true, 70_000).unwrap();
    world
        .open_payment(1, 1, &payee, Rate::per_second(10u128), 20_000, 0)
        .unwrap();
    world.advance(100);
    let (usdc, grid) = (world.usdc(), world.grid());

    // The hand-over is under way: governance has been offered the contract, not yet accepted.
    world
        .exec(
            &owner,
            &ExecuteMsg::UpdateOwnership(OwnerAction::TransferOwnership {
                new_owner: governance.to_string(),
                expiry: None,
            }),
        )
        .unwrap();

    // The owner's last chance: point the marketplace at itself…
    let hijack = ExecuteMsg::UpdateConfig {
        marketplace: Some(owner.to_string()),
        fee_collector: None,
        accepted_denoms: None,
    };
    assert_eq!(
        escrow_error(world.exec(&owner, &hijack).unwrap_err()),
        ContractError::MarketplaceHasOpenAccounts { open_accounts: 2 }
    );
    // …so it holds none of the marketplace's powers over the escrowed coins.
    for msg in [
        ExecuteMsg::Refund {
            account_id: 1,
            amount: Uint128::new(30_000),
        },
        ExecuteMsg::CloseAccount {
            account_id: 2,
            until: None,
        },
        ExecuteMsg::ClosePayment {
            lease_id: 1,
            until: None,
        },
    ] {
        assert_eq!(
            escrow_error(world.exec(&owner, &msg).unwrap_err()),
            ContractError::Unauthorized {
                sender: owner.to_string(),
                role: "marketplace",
            }
        );
    }
    assert_eq!(world.balance(&owner, &usdc), 0);
    assert_eq!(world.balance(&owner, &grid), 0);
    assert_eq!(world.balance(&world.escrow, &usdc), 50_000);
    assert_eq!(world.balance(&world.escrow, &grid), 70_000);

    // Governance takes over; the accounts run their course under the real marketplace.
    world
        .exec(
            &governance,
            &ExecuteMsg::UpdateOwnership(OwnerAction::AcceptOwnership {}),
        )
        .unwrap();
    assert_eq!(
        escrow_error(world.exec(&owner, &hijack).unwrap_err()),
        ContractError::Owner(gridshare_plumbing::OwnerError::NotOwner {
            sender: owner.to_string(),
        })
    );
    world.close_account(1).unwrap();
    assert_eq!(
        escrow_error(world.exec(&governance, &hijack).unwrap_err()),
        ContractError::MarketplaceHasOpenAccounts { open_accounts: 1 }
    );
    world.close_account(2).unwrap();
    assert_eq!(world.balance(&payee, &usdc), 1_000);
    assert_eq!(world.balance(&r1, &usdc), 49_000);
    assert_eq!(world.balance(&r2, &grid), 70_000);

    // With no account open there is nothing to take, and the marketplace may move.
    assert_eq!(world.balance(&world.escrow, &usdc), 0);
    assert_eq!(world.balance(&world.escrow, &grid), 0);
    let marketplace_v2 = world.app.api().addr_make("marketplace_v2");
    world
        .exec(
            &governance,
            &ExecuteMsg::UpdateConfig {
                marketplace: Some(marketplace_v2.to_string()),
                fee_collector: None,
                accepted_denoms: None,
            },
        )
        .unwrap();
}
