//! The hand-over procedure documented in governance's crate docs, step by step: the deployer
//! offers each contract, a proposal accepts the offers all together, then the one-step roles move;
//! afterwards the deployer's key can change nothing, and only passed proposals change parameters
//! or migrate.

mod common;

use common::*;
use cosmwasm_std::{Addr, CosmosMsg, Decimal, WasmMsg};
use cw_multi_test::Executor;
use governance::msg::{ProposalMessage, ProposalStatus, VoteOption};
use gridshare_testing::contracts;
use gridshare_testing::deploy::{update_ownership, HandOver};
use gridshare_types::escrow::{
    ConfigResponse as EscrowConfig, ExecuteMsg as EscrowExecuteMsg, MigrateMsg as EscrowMigrateMsg,
    QueryMsg as EscrowQueryMsg,
};
use gridshare_types::marketplace::{
    ConfigResponse as MarketplaceConfig, ExecuteMsg as MarketplaceExecuteMsg, ParamsUpdate,
    QueryMsg as MarketplaceQueryMsg,
};
use gridshare_types::owner::{OwnerAction, OwnershipResponse};

/// The error `who` gets from an owner-only message: whatever the contract's error type, it names
/// `who` as not the owner (or, for GRID's tiers, not the admin).
fn assert_not_owner(err: &anyhow::Error, who: &Addr) {
    let text = format!("{err:#}");
    assert!(
        text.contains(&format!("{who} is not the owner"))
            || text.contains(&format!("{who} is not the admin")),
        "{text}"
    );
}

fn wasm_admin(world: &World, contract: &Addr) -> Option<Addr> {
    world
        .app
        .wrap()
        .query_wasm_contract_info(contract)
        .unwrap()
        .admin
}

fn code_id(world: &World, contract: &Addr) -> u64 {
    world
        .app
        .wrap()
        .query_wasm_contract_info(contract)
        .unwrap()
        .code_id
}

fn escrow_config(world: &World) -> EscrowConfig {
    world
        .app
        .wrap()
        .query_wasm_smart(&world.escrow, &EscrowQueryMsg::Config {})
        .unwrap()
}

fn marketplace_config(world: &World) -> MarketplaceConfig {
    world
        .app
        .wrap()
        .query_wasm_smart(&world.marketplace, &MarketplaceQueryMsg::Config {})
        .unwrap()
}

fn take_rate(bps: u16) -> ParamsUpdate {
    ParamsUpdate {
        take_rate_bps: Some(bps),
        ..Default::default()
    }
}

fn premium_tier(id: &str) -> access_token::msg::Tier {
    access_token::msg::Tier {
        id: id.into(),
        price_per_period: u(500),
        period_seconds: 30 * DAY,
        fee_discount_bps: 1_000,
        priority: 1,
        max_open_orders: 10,
    }
}

#[test]
fn after_the_hand_over_only_proposals_change_the_suite() {
    let mut world = World::new();
    world.stakers_bond();
    let (deployer, governance) = (world.deployer.clone(), world.governance.clone());
    let (escrow, staking, grid, marketplace) = (
        world.escrow.clone(),
        world.staking.clone(),
        world.grid.clone(),
        world.marketplace.clone(),
    );

    // 3. The deployer offers every owned contract to governance: nothing changes hands yet, and
    // the deployer still runs the suite.
    world.offer_suite_to_governance();
    for contract in world.owned_contracts() {
        assert_eq!(
            world.ownership(&contract),
            OwnershipResponse {
                owner: deployer.clone(),
                pending_owner: Some(governance.clone()),
                pending_expiry: None,
            }
        );
    }
    world
        .app
        .execute_contract(
            deployer.clone(),
            staking.clone(),
            &set_unbonding_period(UNBONDING_PERIOD),
            &[],
        )
        .unwrap();
    // Nobody can accept on governance's behalf, not even governance's own voters.
    let alice = world.addr("alice");
    let err = world
        .app
        .execute_contract(
            alice.clone(),
            escrow.clone(),
            &update_ownership(OwnerAction::AcceptOwnership {}),
            &[],
        )
        .unwrap_err();
    assert!(
        format!("{err:#}").contains("is not the pending owner"),
        "{err:#}"
    );

    // 4. One proposal accepts all four offers; it waits for its vote and timelock like any other.
    let messages = world.accept_suite_messages();
    let id = world.propose("alice", "Governance takes over the suite", messages);
    world.vote("alice", id, VoteOption::Yes).unwrap();
    world.vote("bob", id, VoteOption::Yes).unwrap();
    world.advance(VOTING_PERIOD);
    assert!(world.execute(id).is_err(), "the timelock holds");
    assert_eq!(world.ownership(&escrow).owner, deployer);
    world.advance(TIMELOCK);
    world.execute(id).unwrap();
    assert_eq!(world.proposal(id).status, ProposalStatus::Executed);

    // 5. Governance has proven that it can pass and execute: now the one-step roles.
    world.hand_over_one_step_roles();

    // 7. Verify: governance owns and administers everything, with no offer left pending.
    for contract in world.owned_contracts() {
        assert_eq!(
            world.ownership(&contract),
            OwnershipResponse {
                owner: governance.clone(),
                pending_owner: None,
                pending_expiry: None,
            }
        );
    }
    assert_eq!(escrow_config(&world).owner, governance);
    assert_eq!(world.staking_config().owner, governance);
    let admin: access_token::msg::AdminResponse = world
        .app
        .wrap()
        .query_wasm_smart(&grid, &access_token::msg::QueryMsg::Admin {})
        .unwrap();
    assert_eq!(admin.admin, governance);
    let minter: Option<cw20::MinterResponse> = world
        .app
        .wrap()
        .query_wasm_smart(&grid, &access_token::msg::QueryMsg::Minter {})
        .unwrap();
    assert_eq!(minter.unwrap().minter, governance.to_string());
    assert_eq!(marketplace_config(&world).owner, governance);
    for contract in [&escrow, &staking, &grid, &marketplace, &governance] {
        assert_eq!(wasm_admin(&world, contract), Some(governance.clone()));
    }

    // The deployer's key is powerless: configuration, tiers, ownership, minting and migrations
    // all fail.
    let err = world
        .app
        .execute_contract(
            deployer.clone(),
            staking.clone(),
            &set_unbonding_period(DAY),
            &[],
        )
        .unwrap_err();
    assert_not_owner(&err, &deployer);
    let err = world
        .app
        .execute_contract(
            deployer.clone(),
            escrow.clone(),
            &EscrowExecuteMsg::UpdateConfig {
                marketplace: Some(deployer.to_string()),
                fee_collector: None,
                accepted_denoms: None,
            },
            &[],
        )
        .unwrap_err();
    assert_not_owner(&err, &deployer);
    let err = world
        .app
        .execute_contract(
            deployer.clone(),
            marketplace.clone(),
            &MarketplaceExecuteMsg::UpdateParams(take_rate(100)),
            &[],
        )
        .unwrap_err();
    assert_not_owner(&err, &deployer);
    let err = world
        .app
        .execute_contract(
            deployer.clone(),
            grid.clone(),
            &access_token::msg::ExecuteMsg::SetTier {
                tier: premium_tier("pro"),
            },
            &[],
        )
        .unwrap_err();
    assert!(matches!(
        err.downcast_ref::<access_token::ContractError>(),
        Some(access_token::ContractError::Unauthorized { .. })
    ));
    for contract in world.owned_contracts() {
        let err = world
            .app
            .execute_contract(
                deployer.clone(),
                contract,
                &update_ownership(OwnerAction::TransferOwnership {
                    new_owner: deployer.to_string(),
                    expiry: None,
                }),
                &[],
            )
            .unwrap_err();
        assert_not_owner(&err, &deployer);
    }
    assert!(world
        .app
        .execute_contract(
            deployer.clone(),
            grid.clone(),
            &access_token::msg::ExecuteMsg::Mint {
                recipient: deployer.to_string(),
                amount: u(1),
            },
            &[],
        )
        .is_err());
    let new_escrow_code = world.app.store_code(contracts::escrow());
    assert!(world
        .app
        .migrate_contract(
            deployer.clone(),
            escrow.clone(),
            &EscrowMigrateMsg {},
            new_escrow_code,
        )
        .is_err());
    assert!(world
        .app
        .execute(
            deployer.clone(),
            CosmosMsg::Wasm(WasmMsg::UpdateAdmin {
                contract_addr: escrow.to_string(),
                admin: deployer.to_string(),
            }),
        )
        .is_err());

    // One proposal changes a staking parameter and the marketplace's take rate, migrates escrow
    // to a new code id (same version), adds a premium tier and mints into the treasury.
    let id = world.propose(
        "alice",
        "Post-launch maintenance",
        vec![
            wasm_execute(&staking, &set_unbonding_period(2 * DAY)),
            wasm_execute(
                &marketplace,
                &MarketplaceExecuteMsg::UpdateParams(take_rate(100)),
            ),
            ProposalMessage::WasmMigrate {
                contract: escrow.to_string(),
                new_code_id: new_escrow_code,
                msg: cosmwasm_std::to_json_binary(&EscrowMigrateMsg {}).unwrap(),
            },
            wasm_execute(
                &grid,
                &access_token::msg::ExecuteMsg::SetTier {
                    tier: premium_tier("pro"),
                },
            ),
            wasm_execute(
                &grid,
                &access_token::msg::ExecuteMsg::Mint {
                    recipient: governance.to_string(),
                    amount: u(1_000),
                },
            ),
        ],
    );
    let old_escrow_code = code_id(&world, &escrow);
    assert_ne!(old_escrow_code, new_escrow_code);
    // Nothing changes before the proposal has passed and its timelock is over.
    world.vote("alice", id, VoteOption::Yes).unwrap();
    world.vote("bob", id, VoteOption::Yes).unwrap();
    world.advance(VOTING_PERIOD);
    assert!(world.execute(id).is_err());
    assert_eq!(world.staking_config().unbonding_period, UNBONDING_PERIOD);
    world.advance(TIMELOCK);
    world.execute(id).unwrap();

    assert_eq!(world.proposal(id).status, ProposalStatus::Executed);
    assert_eq!(world.staking_config().unbonding_period, 2 * DAY);
    assert_eq!(marketplace_config(&world).params.take_rate_bps, 100);
    assert_eq!(code_id(&world, &escrow), new_escrow_code);
    assert_eq!(escrow_config(&world).owner, governance, "state kept");
    let tier: access_token::msg::Tier = world
        .app
        .wrap()
        .query_wasm_smart(
            &grid,
            &access_token::msg::QueryMsg::Tier { id: "pro".into() },
        )
        .unwrap();
    assert_eq!(tier, premium_tier("pro"));
    assert_eq!(world.grid_balance(&governance), 1_000);

    // Governance can even hand a contract on (e.g. to a successor), again only by proposal and
    // again in two steps: the successor must accept.
    let successor = world.addr("governance_v2");
    let id = world.propose(
        "bob",
        "Staking to a successor",
        vec![wasm_execute(
            &staking,
            &update_ownership(OwnerAction::TransferOwnership {
                new_owner: successor.to_string(),
                expiry: None,
            }),
        )],
    );
    world.pass_and_execute(id);
    assert_eq!(world.staking_config().owner, governance);
    assert_eq!(
        world.ownership(&staking).pending_owner,
        Some(successor.clone())
    );
    world
        .app
        .execute_contract(
            successor.clone(),
            staking.clone(),
            &update_ownership(OwnerAction::AcceptOwnership {}),
            &[],
        )
        .unwrap();
    assert_eq!(world.staking_config().owner, successor);
}

#[test]
fn the_acceptance_is_all_or_nothing_and_the_deployer_may_withdraw_an_offer() {
    let mut world = World::new();
    world.stakers_bond();
    let (deployer, governance) = (world.deployer.clone(), world.governance.clone());
    world.offer_suite_to_governance();
    let messages = world.accept_suite_messages();
    let id = world.propose("alice", "Governance takes over the suite", messages);
    // While the vote runs, the deployer withdraws the marketplace's offer (say, a parameter must
    // be fixed first).
    let marketplace = world.marketplace.clone();
    world
        .app
        .execute_contract(
            deployer.clone(),
            marketplace.clone(),
            &update_ownership(OwnerAction::CancelTransfer {}),
            &[],
        )
        .unwrap();
    world.pass_and_execute(id);
    match world.proposal(id).status {
        ProposalStatus::ExecutionFailed { reason } => {
            assert!(
                reason.contains("no ownership transfer is pending"),
                "{reason}"
            )
        }
        other => panic!("expected ExecutionFailed, got {other:?}"),
    }
    // None of the four changed hands, not even those whose offer was still open.
    for contract in world.owned_contracts() {
        assert_eq!(world.ownership(&contract).owner, deployer);
    }
    assert_eq!(
        world.ownership(&world.escrow.clone()).pending_owner,
        Some(governance.clone())
    );

    // Offer again and accept with a new proposal.
    world
        .app
        .execute_contract(
            deployer,
            marketplace,
            &update_ownership(OwnerAction::TransferOwnership {
                new_owner: governance.to_string(),
                expiry: None,
            }),
            &[],
        )
        .unwrap();
    let messages = world.accept_suite_messages();
    let id = world.propose("bob", "Governance takes over the suite, again", messages);
    world.pass_and_execute(id);
    assert_eq!(world.proposal(id).status, ProposalStatus::Executed);
    for contract in world.owned_contracts() {
        assert_eq!(world.ownership(&contract).owner, governance);
    }
}

#[test]
fn an_offer_that_expires_before_the_vote_ends_is_not_accepted() {
    let mut world = World::new();
    world.stakers_bond();
    let (deployer, governance, escrow) = (
        world.deployer.clone(),
        world.governance.clone(),
        world.escrow.clone(),
    );
    // Too short: the offer lapses during the vote, so the acceptance fails and nothing moves.
    let expiry = world.app.block_info().time.seconds() + VOTING_PERIOD / 2;
    world
        .app
        .execute_contract(
            deployer.clone(),
            escrow.clone(),
            &update_ownership(OwnerAction::TransferOwnership {
                new_owner: governance.to_string(),
                expiry: Some(expiry),
            }),
            &[],
        )
        .unwrap();
    assert_eq!(world.ownership(&escrow).pending_expiry, Some(expiry));
    let accept = vec![wasm_execute(
        &escrow,
        &update_ownership(OwnerAction::AcceptOwnership {}),
    )];
    let id = world.propose("alice", "Accept escrow", accept.clone());
    world.pass_and_execute(id);
    assert!(matches!(
        world.proposal(id).status,
        ProposalStatus::ExecutionFailed { .. }
    ));
    assert_eq!(escrow_config(&world).owner, deployer);

    // Governance cannot accept what was never offered either.
    let staking = world.staking.clone();
    let id = world.propose(
        "alice",
        "Accept staking",
        vec![wasm_execute(
            &staking,
            &update_ownership(OwnerAction::AcceptOwnership {}),
        )],
    );
    world.pass_and_execute(id);
    assert!(matches!(
        world.proposal(id).status,
        ProposalStatus::ExecutionFailed { .. }
    ));
    assert_eq!(world.staking_config().owner, deployer);
}

#[test]
fn governance_migrates_itself_only_by_proposal() {
    let mut world = World::new();
    world.stakers_bond();
    world.hand_over();
    let governance = world.governance.clone();
    let new_code = world.app.store_code(contracts::governance());
    assert!(world
        .app
        .migrate_contract(
            world.deployer.clone(),
            governance.clone(),
            &governance::msg::MigrateMsg {},
            new_code,
        )
        .is_err());
    let id = world.propose(
        "alice",
        "Upgrade governance",
        vec![ProposalMessage::WasmMigrate {
            contract: governance.to_string(),
            new_code_id: new_code,
            msg: cosmwasm_std::to_json_binary(&governance::msg::MigrateMsg {}).unwrap(),
        }],
    );
    world.pass_and_execute(id);
    assert_eq!(code_id(&world, &governance), new_code);
    assert_eq!(world.proposal(id).status, ProposalStatus::Executed);
    // The rules survived the migration.
    let config: governance::msg::ConfigResponse = world
        .app
        .wrap()
        .query_wasm_smart(&governance, &governance::msg::QueryMsg::Config {})
        .unwrap();
    assert_eq!(config.quorum, Decimal::percent(30));
}

#[test]
fn a_migration_to_a_bad_code_id_fails_without_bricking_governance() {
    let mut world = World::new();
    world.stakers_bond();
    world.hand_over();
    let (escrow, staking) = (world.escrow.clone(), world.staking.clone());
    let before = code_id(&world, &escrow);
    // Code 999 does not exist.
    let id = world.propose(
        "alice",
        "Wrong code",
        vec![
            wasm_execute(&staking, &set_unbonding_period(DAY)),
            ProposalMessage::WasmMigrate {
                contract: escrow.to_string(),
                new_code_id: 999,
                msg: cosmwasm_std::to_json_binary(&EscrowMigrateMsg {}).unwrap(),
            },
        ],
    );
    world.pass_and_execute(id);
    assert!(matches!(
        world.proposal(id).status,
        ProposalStatus::ExecutionFailed { .. }
    ));
    assert_eq!(code_id(&world, &escrow), before);
    assert_eq!(world.staking_config().unbonding_period, UNBONDING_PERIOD);
}
