//! The hand-over procedure documented in governance's crate docs, step by step: afterwards the
//! deployer's key can change nothing, and only passed proposals change parameters or migrate.

mod common;

use common::*;
use cosmwasm_std::{Addr, CosmosMsg, Decimal, WasmMsg};
use cw_multi_test::Executor;
use governance::msg::{ProposalMessage, ProposalStatus, VoteOption};
use gridshare_types::escrow::{
    ConfigResponse as EscrowConfig, ExecuteMsg as EscrowExecuteMsg, MigrateMsg as EscrowMigrateMsg,
    QueryMsg as EscrowQueryMsg,
};
use gridshare_types::marketplace::{
    ConfigResponse as MarketplaceConfig, ExecuteMsg as MarketplaceExecuteMsg, ParamsUpdate,
    QueryMsg as MarketplaceQueryMsg,
};
use gridshare_types::staking::ExecuteMsg as StakingExecuteMsg;

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
    world.hand_over();
    let (deployer, governance) = (world.deployer.clone(), world.governance.clone());
    let (escrow, staking, grid, marketplace) = (
        world.escrow.clone(),
        world.staking.clone(),
        world.grid.clone(),
        world.marketplace.clone(),
    );

    // 7. Verify: governance owns and administers everything.
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

    // The deployer's key is powerless: configuration, tiers, minting and migrations all fail.
    let err = world
        .app
        .execute_contract(
            deployer.clone(),
            staking.clone(),
            &set_unbonding_period(DAY),
            &[],
        )
        .unwrap_err();
    assert!(matches!(
        err.downcast_ref::<staking::ContractError>(),
        Some(staking::ContractError::Unauthorized { .. })
    ));
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
    assert!(matches!(
        err.downcast_ref::<escrow::ContractError>(),
        Some(escrow::ContractError::Unauthorized { .. })
    ));
    let err = world
        .app
        .execute_contract(
            deployer.clone(),
            marketplace.clone(),
            &MarketplaceExecuteMsg::UpdateParams(take_rate(100)),
            &[],
        )
        .unwrap_err();
    assert!(matches!(
        err.downcast_ref::<marketplace::ContractError>(),
        Some(marketplace::ContractError::Unauthorized { .. })
    ));
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
    let new_escrow_code = world.app.store_code(common::escrow());
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

    // Governance can even hand a contract on (e.g. to a successor), again only by proposal.
    let successor = world.addr("governance_v2");
    let id = world.propose(
        "bob",
        "Staking to a successor",
        vec![wasm_execute(
            &staking,
            &StakingExecuteMsg::UpdateOwner {
                owner: successor.to_string(),
            },
        )],
    );
    world.pass_and_execute(id);
    assert_eq!(world.staking_config().owner, successor);
}

#[test]
fn governance_migrates_itself_only_by_proposal() {
    let mut world = World::new();
    world.stakers_bond();
    world.hand_over();
    let governance = world.governance.clone();
    let new_code = world.app.store_code(common::governance());
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
