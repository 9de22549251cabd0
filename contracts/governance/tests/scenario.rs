//! Governance on a cw-multi-test chain with the REAL staking contract and GRID (access-token) as
//! the stake token: bond, propose, vote, pass, wait out the timelock, execute; a failing message;
//! voting power from staking's snapshots; deposits refunded and forfeited; the treasury.

mod common;

use common::*;
use cosmwasm_std::{to_json_binary, Decimal};
use cw20::Cw20ExecuteMsg;
use cw_multi_test::Executor;
use governance::msg::{
    DepositStatus, ExecuteMsg as GovExecuteMsg, ProposalMessage, ProposalStatus, VoteOption,
};
use governance::ContractError;
use gridshare_testing::HandOver;

fn gov_error(err: &anyhow::Error) -> &ContractError {
    err.downcast_ref::<ContractError>()
        .unwrap_or_else(|| panic!("not a governance error: {err:?}"))
}

#[test]
fn stakers_pass_a_proposal_that_changes_staking() {
    let mut world = World::new();
    world.stakers_bond();
    world.hand_over();
    let alice = world.addr("alice");
    let before = world.grid_balance(&alice);

    let staking = world.staking.clone();
    let id = world.propose(
        "alice",
        "Shorter unbonding",
        vec![wasm_execute(&staking, &set_unbonding_period(3 * DAY))],
    );
    assert_eq!(world.grid_balance(&alice), before - DEPOSIT);
    let start = world.proposal(id);
    assert_eq!(start.total_power, u(100_000));
    assert_eq!(start.status, ProposalStatus::Open);

    world.vote("alice", id, VoteOption::Yes).unwrap();
    world.vote("bob", id, VoteOption::Yes).unwrap();
    world.vote("carol", id, VoteOption::No).unwrap();
    let tally = world.proposal(id).tally;
    assert_eq!((tally.yes, tally.no), (u(80_000), u(20_000)));

    // Voting still open, then the timelock.
    assert_eq!(
        gov_error(&world.execute(id).unwrap_err()),
        &ContractError::VotingOpen {
            proposal_id: id,
            ends_at: start.voting_ends_at,
        }
    );
    world.advance(VOTING_PERIOD);
    assert!(matches!(
        gov_error(&world.execute(id).unwrap_err()),
        ContractError::TimelockActive { .. }
    ));
    assert_eq!(world.staking_config().unbonding_period, UNBONDING_PERIOD);

    world.advance(TIMELOCK);
    world.execute(id).unwrap();
    let done = world.proposal(id);
    assert_eq!(done.status, ProposalStatus::Executed);
    assert_eq!(done.deposit.unwrap().status, DepositStatus::Refunded);
    assert_eq!(world.grid_balance(&alice), before, "the deposit came back");
    assert_eq!(world.staking_config().unbonding_period, 3 * DAY);
    assert!(matches!(
        gov_error(&world.execute(id).unwrap_err()),
        ContractError::AlreadyExecuted { .. }
    ));
}

#[test]
fn a_failing_message_is_recorded_and_governance_keeps_working() {
    let mut world = World::new();
    world.stakers_bond();
    world.hand_over();
    let staking = world.staking.clone();
    // The first message is fine, the second is refused by staking: neither may take effect.
    let bad = world.propose(
        "bob",
        "Half good, half broken",
        vec![
            wasm_execute(&staking, &set_unbonding_period(DAY)),
            wasm_execute(&staking, &invalid_staking_update()),
        ],
    );
    let res = world.pass_and_execute(bad);
    assert!(res
        .events
        .iter()
        .any(|e| e.attributes.iter().any(|a| a.value == "execution_failed")));
    match world.proposal(bad).status {
        ProposalStatus::ExecutionFailed { reason } => {
            assert!(reason.contains("compensation ratio"), "{reason}")
        }
        other => panic!("expected ExecutionFailed, got {other:?}"),
    }
    assert_eq!(
        world.staking_config().unbonding_period,
        UNBONDING_PERIOD,
        "the good message was reverted with the bad one"
    );
    match gov_error(&world.execute(bad).unwrap_err()) {
        ContractError::ExecutionAlreadyFailed { proposal_id, .. } => assert_eq!(*proposal_id, bad),
        other => panic!("{other:?}"),
    }

    // A later proposal passes and executes normally.
    let good = world.propose(
        "carol",
        "Try again",
        vec![wasm_execute(&staking, &set_unbonding_period(DAY))],
    );
    world.pass_and_execute(good);
    assert_eq!(world.proposal(good).status, ProposalStatus::Executed);
    assert_eq!(world.staking_config().unbonding_period, DAY);
}

#[test]
fn voting_power_comes_from_stakings_snapshot_at_the_start_height() {
    let mut world = World::new();
    world.stakers_bond();
    // Carol unbonds everything before the proposal's block.
    world.unbond("carol", 20_000);
    world.advance(BLOCK_SECONDS);
    // Dave bonds in the proposal's own block; Bob unbonds in it.
    world.bond("dave", 50_000);
    world.unbond("bob", 10_000);
    let id = world.propose("alice", "Signal", vec![]);
    let start_height = world.proposal(id).start_height;
    assert_eq!(start_height, world.height());
    assert_eq!(world.proposal(id).total_power, u(80_000));

    for (who, expected) in [("carol", "carol"), ("dave", "dave")] {
        let err = world.vote(who, id, VoteOption::Yes).unwrap_err();
        assert_eq!(
            gov_error(&err),
            &ContractError::NoVotingPower {
                proposal_id: id,
                voter: world.addr(expected).to_string(),
                height: start_height,
            }
        );
    }
    // Bob's unbond in the start block does not reduce his weight on this proposal, nor does
    // Alice's unbond afterwards.
    world.advance(BLOCK_SECONDS);
    world.unbond("alice", 40_000);
    world.vote("bob", id, VoteOption::Yes).unwrap();
    world.vote("alice", id, VoteOption::No).unwrap();
    let tally = world.proposal(id).tally;
    assert_eq!((tally.yes, tally.no), (u(40_000), u(40_000)));

    // Dave's stake counts for the next proposal.
    let next = world.propose("alice", "Signal again", vec![]);
    world.vote("dave", next, VoteOption::Yes).unwrap();
    assert_eq!(world.proposal(next).tally.yes, u(50_000));
}

#[test]
fn votes_are_final_and_end_with_the_period() {
    let mut world = World::new();
    world.stakers_bond();
    let id = world.propose("alice", "Signal", vec![]);
    world.vote("alice", id, VoteOption::Yes).unwrap();
    assert_eq!(
        gov_error(&world.vote("alice", id, VoteOption::No).unwrap_err()),
        &ContractError::AlreadyVoted {
            proposal_id: id,
            voter: world.addr("alice").to_string(),
            vote: VoteOption::Yes,
        }
    );
    world.advance(VOTING_PERIOD);
    assert!(matches!(
        gov_error(&world.vote("bob", id, VoteOption::Yes).unwrap_err()),
        ContractError::VotingClosed { .. }
    ));
    // Alice alone (40 % of the power) passes it; a signalling proposal executes with no messages.
    world.close(id).unwrap();
    assert_eq!(world.proposal(id).status, ProposalStatus::Passed);
}

#[test]
fn a_vetoed_proposal_forfeits_its_deposit_to_the_treasury() {
    let mut world = World::new();
    world.stakers_bond();
    let (dave, governance) = (world.addr("dave"), world.governance.clone());
    let before = world.grid_balance(&dave);
    let id = world.propose("dave", "Mint me everything", vec![]);
    world.vote("alice", id, VoteOption::Veto).unwrap();
    world.vote("bob", id, VoteOption::Yes).unwrap();
    world.advance(VOTING_PERIOD);
    world.close(id).unwrap();
    let p = world.proposal(id);
    assert_eq!(p.status, ProposalStatus::Vetoed);
    assert_eq!(p.deposit.unwrap().status, DepositStatus::Forfeited);
    assert_eq!(world.grid_balance(&dave), before - DEPOSIT);
    assert_eq!(world.grid_balance(&governance), DEPOSIT, "now treasury");
}

#[test]
fn the_treasury_pays_but_held_deposits_are_untouchable() {
    let mut world = World::new();
    world.stakers_bond();
    let (governance, grid) = (world.governance.clone(), world.grid.clone());
    // Fund the treasury with 5 000 GRID.
    let (alice, carol) = (world.addr("alice"), world.addr("carol"));
    world
        .app
        .execute_contract(
            alice,
            grid.clone(),
            &Cw20ExecuteMsg::Transfer {
                recipient: governance.to_string(),
                amount: u(5_000),
            },
            &[],
        )
        .unwrap();
    let carol_before = world.grid_balance(&carol);

    // An open proposal holds its deposit while the spend runs.
    let pending = world.propose("dave", "Pending", vec![]);
    let spend_all = |amount| {
        vec![wasm_execute(
            &grid,
            &Cw20ExecuteMsg::Transfer {
                recipient: carol.to_string(),
                amount: u(amount),
            },
        )]
    };
    // Treasury (5 000) + the spend proposal's own deposit (refunded first) + the pending deposit.
    let greedy = world.propose("bob", "Take the deposits too", spend_all(5_000 + DEPOSIT));
    world.pass_and_execute(greedy);
    match world.proposal(greedy).status {
        ProposalStatus::ExecutionFailed { reason } => {
            assert!(reason.contains("held as proposal deposits"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(world.grid_balance(&carol), carol_before);

    let fair = world.propose("bob", "Pay Carol", spend_all(5_000));
    world.pass_and_execute(fair);
    assert_eq!(world.proposal(fair).status, ProposalStatus::Executed);
    assert_eq!(world.grid_balance(&carol), carol_before + 5_000);
    assert_eq!(
        world.grid_balance(&governance),
        DEPOSIT,
        "the pending deposit"
    );
    world.close(pending).unwrap();
    assert_eq!(world.grid_balance(&governance), 0);
}

#[test]
fn governance_changes_its_own_rules_only_through_proposals() {
    let mut world = World::new();
    world.stakers_bond();
    let governance = world.governance.clone();
    let update = GovExecuteMsg::UpdateConfig {
        staking: None,
        deposit: None,
        min_proposer_power: None,
        quorum: Some(Decimal::percent(50)),
        threshold: None,
        veto_threshold: None,
        voting_period: Some(DAY),
        timelock: None,
    };
    assert!(matches!(
        gov_error(&world.gov("deployer", &update).unwrap_err()),
        ContractError::Unauthorized { .. }
    ));
    let id = world.propose(
        "alice",
        "Faster votes",
        vec![wasm_execute(&governance, &update)],
    );
    world.pass_and_execute(id);
    let config: governance::msg::ConfigResponse = world
        .app
        .wrap()
        .query_wasm_smart(&governance, &governance::msg::QueryMsg::Config {})
        .unwrap();
    assert_eq!(config.quorum, Decimal::percent(50));
    assert_eq!(config.voting_period, DAY);
}

#[test]
fn no_proposal_lowers_the_timelock_below_its_floor() {
    let mut world = World::new();
    world.stakers_bond();
    let governance = world.governance.clone();
    let set_timelock = |timelock| GovExecuteMsg::UpdateConfig {
        staking: None,
        deposit: None,
        min_proposer_power: None,
        quorum: None,
        threshold: None,
        veto_threshold: None,
        voting_period: None,
        timelock: Some(timelock),
    };
    for timelock in [0, MIN_TIMELOCK - 1] {
        let id = world.propose(
            "alice",
            "No delay",
            vec![wasm_execute(&governance, &set_timelock(timelock))],
        );
        world.pass_and_execute(id);
        match world.proposal(id).status {
            ProposalStatus::ExecutionFailed { reason } => assert!(
                reason.contains(&format!(
                    "timelock of {timelock} s is below the minimum of {MIN_TIMELOCK} s"
                )),
                "{reason}"
            ),
            other => panic!("expected ExecutionFailed, got {other:?}"),
        }
    }
    let config = |world: &World| -> governance::msg::ConfigResponse {
        world
            .app
            .wrap()
            .query_wasm_smart(&governance, &governance::msg::QueryMsg::Config {})
            .unwrap()
    };
    assert_eq!(
        (config(&world).timelock, config(&world).min_timelock),
        (TIMELOCK, MIN_TIMELOCK)
    );
    // Down to the floor is allowed, and then binds the next proposal.
    let id = world.propose(
        "alice",
        "Shortest delay",
        vec![wasm_execute(&governance, &set_timelock(MIN_TIMELOCK))],
    );
    world.pass_and_execute(id);
    assert_eq!(config(&world).timelock, MIN_TIMELOCK);
    let next = world.propose("bob", "Signal", vec![]);
    let p = world.proposal(next);
    assert_eq!(p.executable_at, p.voting_ends_at + MIN_TIMELOCK);
}

#[test]
fn a_wrong_deposit_token_is_refused_and_returned() {
    let mut world = World::new();
    world.stakers_bond();
    // A second cw20 (cw20-base) sent to governance: refused, so the tokens never leave.
    let code = world
        .app
        .store_code(Box::new(cw_multi_test::ContractWrapper::new(
            cw20_base::contract::execute,
            cw20_base::contract::instantiate,
            cw20_base::contract::query,
        )));
    let alice = world.addr("alice");
    let other = world
        .app
        .instantiate_contract(
            code,
            alice.clone(),
            &cw20_base::msg::InstantiateMsg {
                name: "Other".into(),
                symbol: "OTHER".into(),
                decimals: 6,
                initial_balances: vec![cw20::Cw20Coin {
                    address: alice.to_string(),
                    amount: u(DEPOSIT),
                }],
                mint: None,
                marketing: None,
            },
            &[],
            "other",
            None,
        )
        .unwrap();
    let governance = world.governance.clone();
    let err = world
        .app
        .execute_contract(
            alice.clone(),
            other.clone(),
            &Cw20ExecuteMsg::Send {
                contract: governance.to_string(),
                amount: u(DEPOSIT),
                msg: to_json_binary(&governance::msg::ReceiveMsg::Propose {
                    title: "t".into(),
                    description: String::new(),
                    messages: vec![ProposalMessage::BankSend {
                        to: alice.to_string(),
                        amount: vec![cosmwasm_std::coin(1, "ugrid")],
                    }],
                })
                .unwrap(),
            },
            &[],
        )
        .unwrap_err();
    assert!(matches!(
        gov_error(&err),
        ContractError::WrongDeposit { .. }
    ));
    let balance: cw20::BalanceResponse = world
        .app
        .wrap()
        .query_wasm_smart(
            &other,
            &cw20::Cw20QueryMsg::Balance {
                address: alice.to_string(),
            },
        )
        .unwrap();
    assert_eq!(balance.balance, u(DEPOSIT), "the Send was reverted");
}
