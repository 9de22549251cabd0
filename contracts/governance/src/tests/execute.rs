//! Execute, DispatchProposal, AssertDepositsHeld and the failure reply: the timelock, all or
//! nothing, and a failure that is recorded rather than returned.

use super::helpers::*;
use crate::msg::{
    DepositStatus, ExecuteMsg, InstantiateMsg, ProposalMessage, ProposalStatus, UncheckedDeposit,
    VoteOption,
};
use crate::{ContractError, MAX_REASON_LEN};
use cosmwasm_std::{
    to_json_binary, BankMsg, Binary, CosmosMsg, ReplyOn, SubMsg, SubMsgResponse, SubMsgResult,
    WasmMsg,
};
use gridshare_types::UncheckedDenom;

fn bank_send(to: &str, amount: u128) -> ProposalMessage {
    ProposalMessage::BankSend {
        to: addr(to).to_string(),
        amount: vec![coin(amount, UGRID)],
    }
}

fn migrate_escrow() -> ProposalMessage {
    ProposalMessage::WasmMigrate {
        contract: addr("escrow").to_string(),
        new_code_id: 7,
        msg: Binary::from(b"{}"),
    }
}

fn dispatch_submsg(suite: &Suite, id: u64) -> SubMsg {
    SubMsg {
        id,
        payload: Binary::default(),
        msg: CosmosMsg::Wasm(WasmMsg::Execute {
            contract_addr: suite.gov().to_string(),
            msg: to_json_binary(&ExecuteMsg::DispatchProposal { proposal_id: id }).unwrap(),
            funds: vec![],
        }),
        gas_limit: None,
        reply_on: ReplyOn::Error,
    }
}

fn assert_deposits(suite: &Suite) -> SubMsg {
    SubMsg::new(WasmMsg::Execute {
        contract_addr: suite.gov().to_string(),
        msg: to_json_binary(&ExecuteMsg::AssertDepositsHeld {}).unwrap(),
        funds: vec![],
    })
}

#[test]
fn a_passed_proposal_executes_after_its_timelock() {
    let mut suite = Suite::new();
    let (alice, bob) = (suite.alice.clone(), suite.bob.clone());
    let id = suite.propose(&alice, vec![ping("staking"), bank_send("bob", 5)]);
    suite.vote(&alice, id, VoteOption::Yes);
    suite.vote(&bob, id, VoteOption::No);
    suite.advance(VOTING_PERIOD);
    suite.close(id).unwrap();

    suite.advance(TIMELOCK - 1);
    assert_eq!(
        suite.execute(id).unwrap_err(),
        ContractError::TimelockActive {
            proposal_id: id,
            executable_at: GENESIS + VOTING_PERIOD + TIMELOCK,
            now: GENESIS + VOTING_PERIOD + TIMELOCK - 1,
        }
    );
    suite.advance(1);
    let res = suite.execute(id).unwrap();
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "execute"),
            ("proposal_id", "1"),
            ("messages", "2"),
        ])
    );
    assert_eq!(res.messages, vec![dispatch_submsg(&suite, id)]);
    assert_eq!(suite.proposal(id).status, ProposalStatus::Executed);

    // Inside the sub-message: governance emits the messages, in order.
    let res = suite.dispatch(id).unwrap();
    assert_eq!(
        res.messages,
        vec![
            SubMsg::new(WasmMsg::Execute {
                contract_addr: addr("staking").to_string(),
                msg: Binary::from(br#"{"ping":{}}"#),
                funds: vec![],
            }),
            SubMsg::new(BankMsg::Send {
                to_address: addr("bob").to_string(),
                amount: vec![coin(5, UGRID)],
            }),
            assert_deposits(&suite),
        ]
    );
    // Once only.
    assert_eq!(
        suite.dispatch(id).unwrap_err(),
        ContractError::NotDispatching { proposal_id: id }
    );
    assert_eq!(
        suite.execute(id).unwrap_err(),
        ContractError::AlreadyExecuted { proposal_id: id }
    );
}

#[test]
fn executing_an_open_proposal_closes_it_first() {
    let mut suite = Suite::new();
    let (alice, bob) = (suite.alice.clone(), suite.bob.clone());
    let id = suite.propose(&bob, vec![migrate_escrow()]);
    suite.vote(&alice, id, VoteOption::Yes);
    assert_eq!(
        suite.execute(id).unwrap_err(),
        ContractError::VotingOpen {
            proposal_id: id,
            ends_at: GENESIS + VOTING_PERIOD,
        }
    );
    suite.advance(VOTING_PERIOD);
    // Closing is undone with the timelock error.
    assert!(matches!(
        suite.execute(id).unwrap_err(),
        ContractError::TimelockActive { .. }
    ));
    assert_eq!(
        suite.proposal(id).deposit.unwrap().status,
        DepositStatus::Held
    );

    suite.advance(TIMELOCK);
    let res = suite.execute(id).unwrap();
    assert_eq!(
        res.messages,
        vec![
            SubMsg::new(BankMsg::Send {
                to_address: bob.to_string(),
                amount: vec![coin(DEPOSIT, UGRID)],
            }),
            dispatch_submsg(&suite, id),
        ]
    );
    let p = suite.proposal(id);
    assert_eq!(p.status, ProposalStatus::Executed);
    assert_eq!(p.deposit.unwrap().status, DepositStatus::Refunded);
    let res = suite.dispatch(id).unwrap();
    assert_eq!(
        res.messages,
        vec![
            SubMsg::new(WasmMsg::Migrate {
                contract_addr: addr("escrow").to_string(),
                new_code_id: 7,
                msg: Binary::from(b"{}"),
            }),
            assert_deposits(&suite),
        ]
    );
}

#[test]
fn rejected_and_vetoed_proposals_do_not_execute() {
    let mut suite = Suite::new();
    let (alice, bob) = (suite.alice.clone(), suite.bob.clone());
    let rejected = suite.propose(&alice, vec![ping("x")]);
    suite.vote(&alice, rejected, VoteOption::No);
    let vetoed = suite.propose(&alice, vec![ping("x")]);
    suite.vote(&alice, vetoed, VoteOption::Veto);
    suite.vote(&bob, vetoed, VoteOption::Yes);
    suite.advance(VOTING_PERIOD + TIMELOCK);
    assert_eq!(
        suite.execute(rejected).unwrap_err(),
        ContractError::NotPassed {
            proposal_id: rejected,
            status: "rejected".into()
        }
    );
    suite.close(vetoed).unwrap();
    assert_eq!(
        suite.execute(vetoed).unwrap_err(),
        ContractError::NotPassed {
            proposal_id: vetoed,
            status: "vetoed".into()
        }
    );
    assert_eq!(
        suite.execute(42).unwrap_err(),
        ContractError::ProposalNotFound { proposal_id: 42 }
    );
}

#[test]
fn a_failed_execution_is_recorded_and_final() {
    let mut suite = Suite::new();
    let id = suite.passed(vec![ping("staking")]);
    suite.execute(id).unwrap();
    let res = suite.fail_dispatch(id, "staking: unknown variant `ping`");
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "execution_failed"),
            ("proposal_id", "1"),
            ("reason", "staking: unknown variant `ping`"),
        ])
    );
    assert_eq!(
        suite.proposal(id).status,
        ProposalStatus::ExecutionFailed {
            reason: "staking: unknown variant `ping`".into()
        }
    );
    assert_eq!(
        suite.execute(id).unwrap_err(),
        ContractError::ExecutionAlreadyFailed {
            proposal_id: id,
            reason: "staking: unknown variant `ping`".into()
        }
    );
    // The dispatch marker was cleared: nothing can dispatch it now.
    assert_eq!(
        suite.dispatch(id).unwrap_err(),
        ContractError::NotDispatching { proposal_id: id }
    );

    // Governance keeps working.
    let next = suite.passed(vec![ping("escrow")]);
    suite.execute(next).unwrap();
    suite.dispatch(next).unwrap();
    assert_eq!(suite.proposal(next).status, ProposalStatus::Executed);
}

#[test]
fn long_failure_reasons_are_truncated_on_a_char_boundary() {
    let mut suite = Suite::new();
    let id = suite.passed(vec![ping("staking")]);
    suite.execute(id).unwrap();
    let reason = format!("x{}", "é".repeat(MAX_REASON_LEN));
    suite.fail_dispatch(id, &reason);
    match suite.proposal(id).status {
        ProposalStatus::ExecutionFailed { reason: kept } => {
            assert_eq!(kept.len(), MAX_REASON_LEN - 1);
            assert!(reason.starts_with(&kept));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn unexpected_replies_are_refused() {
    let mut suite = Suite::new();
    let id = suite.passed(vec![ping("staking")]);
    // Before execution the proposal is not Executed.
    assert_eq!(
        suite
            .try_reply(id, SubMsgResult::Err("boom".into()))
            .unwrap_err(),
        ContractError::UnexpectedReply { id }
    );
    suite.execute(id).unwrap();
    #[allow(deprecated)]
    let ok = SubMsgResult::Ok(SubMsgResponse {
        events: vec![],
        data: None,
        msg_responses: vec![],
    });
    assert_eq!(
        suite.try_reply(id, ok).unwrap_err(),
        ContractError::UnexpectedReply { id }
    );
    assert_eq!(
        suite
            .try_reply(99, SubMsgResult::Err("boom".into()))
            .unwrap_err(),
        ContractError::ProposalNotFound { proposal_id: 99 }
    );
}

#[test]
fn a_proposal_without_messages_executes_at_once() {
    let mut suite = Suite::new();
    let id = suite.passed(vec![]);
    let res = suite.execute(id).unwrap();
    assert_eq!(
        res.messages,
        vec![SubMsg::new(BankMsg::Send {
            to_address: suite.alice.to_string(),
            amount: vec![coin(DEPOSIT, UGRID)],
        })]
    );
    assert_eq!(suite.proposal(id).status, ProposalStatus::Executed);
    assert_eq!(
        suite.dispatch(id).unwrap_err(),
        ContractError::NotDispatching { proposal_id: id }
    );
}

#[test]
fn only_governance_dispatches_and_asserts() {
    let mut suite = Suite::new();
    let id = suite.passed(vec![ping("x")]);
    suite.execute(id).unwrap();
    let alice = suite.alice.clone();
    let unauthorized = ContractError::Unauthorized {
        sender: alice.to_string(),
        role: "governance itself (only a passed proposal can do this)",
    };
    assert_eq!(
        suite.exec_err(
            &alice,
            &[],
            ExecuteMsg::DispatchProposal { proposal_id: id }
        ),
        unauthorized
    );
    assert_eq!(
        suite.exec_err(&alice, &[], ExecuteMsg::AssertDepositsHeld {}),
        unauthorized
    );
}

#[test]
fn while_deposits_are_held_the_treasury_must_keep_them() {
    let mut suite = Suite::new();
    let carol = suite.carol.clone();
    let spend = suite.passed(vec![bank_send("carol", 500)]);
    // Another proposal is open, its deposit held.
    let open = suite.propose(&carol, vec![]);
    suite.execute(spend).unwrap();
    let res = suite.dispatch(spend).unwrap();
    assert_eq!(res.messages.last(), Some(&assert_deposits(&suite)));
    let gov = suite.gov();
    // After the spend the bank holds less than the held deposit: the check fails, and with it
    // the whole dispatch.
    suite.set_native_balance(DEPOSIT - 1);
    assert_eq!(
        suite.exec_err(&gov, &[], ExecuteMsg::AssertDepositsHeld {}),
        ContractError::DepositsNotCovered {
            denom: "native:ugrid".into(),
            balance: u(DEPOSIT - 1),
            held: u(DEPOSIT),
        }
    );
    suite.set_native_balance(DEPOSIT);
    let res = suite.exec(&gov, &[], ExecuteMsg::AssertDepositsHeld {});
    assert_eq!(res.attributes, attrs(&[("action", "assert_deposits_held")]));

    // With nothing held, any balance passes.
    suite.advance(VOTING_PERIOD);
    suite.close(open).unwrap();
    suite.set_native_balance(0);
    suite.exec(&gov, &[], ExecuteMsg::AssertDepositsHeld {});
}

#[test]
fn grid_deposits_are_checked_against_the_grid_balance() {
    let mut suite = Suite::with(InstantiateMsg {
        deposit: Some(UncheckedDeposit {
            denom: UncheckedDenom::Cw20(addr("grid").to_string()),
            amount: u(DEPOSIT),
        }),
        ..instantiate_msg()
    });
    let (alice, grid, gov) = (suite.alice.clone(), suite.grid.clone(), suite.gov());
    suite
        .try_propose_cw20(&grid, &alice, DEPOSIT, vec![])
        .unwrap();
    suite.set_grid_balance(&gov, 10);
    assert_eq!(
        suite.exec_err(&gov, &[], ExecuteMsg::AssertDepositsHeld {}),
        ContractError::DepositsNotCovered {
            denom: format!("cw20:{grid}"),
            balance: u(10),
            held: u(DEPOSIT),
        }
    );
    suite.set_grid_balance(&gov, DEPOSIT);
    suite.exec(&gov, &[], ExecuteMsg::AssertDepositsHeld {});
}

#[test]
fn execute_takes_no_funds() {
    let mut suite = Suite::new();
    let id = suite.passed(vec![]);
    let alice = suite.alice.clone();
    assert_eq!(
        suite.exec_err(
            &alice,
            &[coin(3, UGRID)],
            ExecuteMsg::Execute { proposal_id: id }
        ),
        ContractError::Funds(gridshare_plumbing::FundsError::UnexpectedFunds {
            funds: "3ugrid".into()
        })
    );
}
