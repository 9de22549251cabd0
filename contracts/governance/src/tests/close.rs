//! Close: after the vote only, once; the outcome recorded; the deposit refunded or forfeited.

use super::helpers::*;
use crate::msg::{
    DepositStatus, DepositsResponse, InstantiateMsg, ProposalStatus, QueryMsg, UncheckedDeposit,
    VoteOption,
};
use crate::ContractError;
use cosmwasm_std::{to_json_binary, BankMsg, CosmosMsg, SubMsg, WasmMsg};
use cw20::Cw20ExecuteMsg;
use gridshare_types::UncheckedDenom;

fn refund(to: &cosmwasm_std::Addr) -> SubMsg {
    SubMsg::new(BankMsg::Send {
        to_address: to.to_string(),
        amount: vec![coin(DEPOSIT, UGRID)],
    })
}

#[test]
fn closing_before_the_end_is_refused() {
    let mut suite = Suite::new();
    let alice = suite.alice.clone();
    let id = suite.propose(&alice, vec![]);
    suite.advance(VOTING_PERIOD - 1);
    assert_eq!(
        suite.close(id).unwrap_err(),
        ContractError::VotingOpen {
            proposal_id: id,
            ends_at: GENESIS + VOTING_PERIOD,
        }
    );
    assert_eq!(
        suite.close(99).unwrap_err(),
        ContractError::ProposalNotFound { proposal_id: 99 }
    );
}

#[test]
fn a_passed_proposal_refunds_its_deposit() {
    let mut suite = Suite::new();
    let (alice, bob) = (suite.alice.clone(), suite.bob.clone());
    let id = suite.propose(&bob, vec![]);
    suite.vote(&alice, id, VoteOption::Yes);
    suite.advance(VOTING_PERIOD);
    assert_eq!(
        suite.proposal(id).status,
        ProposalStatus::Passed,
        "as of now"
    );
    let res = suite.close(id).unwrap();
    assert_eq!(res.messages, vec![refund(&bob)]);
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "close"),
            ("proposal_id", "1"),
            ("status", "passed"),
            ("deposit", "refunded"),
        ])
    );
    let p = suite.proposal(id);
    assert_eq!(p.status, ProposalStatus::Passed);
    assert_eq!(p.deposit.unwrap().status, DepositStatus::Refunded);
    assert!(suite
        .query::<DepositsResponse>(QueryMsg::Deposits {})
        .unwrap()
        .deposits
        .is_empty());
    assert_eq!(
        suite.close(id).unwrap_err(),
        ContractError::AlreadyClosed {
            proposal_id: id,
            status: "passed".into()
        }
    );
}

#[test]
fn a_rejected_proposal_refunds_its_deposit() {
    // Quorum missed.
    let mut suite = Suite::new();
    let (alice, carol) = (suite.alice.clone(), suite.carol.clone());
    let id = suite.propose(&alice, vec![]);
    suite.advance(VOTING_PERIOD);
    let res = suite.close(id).unwrap();
    assert_eq!(attr(&res, "status"), "rejected");
    assert_eq!(res.messages, vec![refund(&alice)]);

    // Threshold missed.
    let id = suite.propose(&carol, vec![]);
    suite.vote(&alice, id, VoteOption::No);
    suite.vote(&carol, id, VoteOption::Yes);
    suite.advance(VOTING_PERIOD);
    let res = suite.close(id).unwrap();
    assert_eq!(attr(&res, "status"), "rejected");
    assert_eq!(res.messages, vec![refund(&carol)]);
    assert_eq!(suite.proposal(id).status, ProposalStatus::Rejected);
}

#[test]
fn a_vetoed_proposal_forfeits_its_deposit() {
    let mut suite = Suite::new();
    let (alice, bob, dave) = (suite.alice.clone(), suite.bob.clone(), suite.dave.clone());
    let id = suite.propose(&dave, vec![]);
    suite.vote(&alice, id, VoteOption::Veto);
    suite.vote(&bob, id, VoteOption::Yes);
    suite.advance(VOTING_PERIOD);
    let res = suite.close(id).unwrap();
    assert!(res.messages.is_empty(), "nothing is refunded");
    assert_eq!(attr(&res, "status"), "vetoed");
    assert_eq!(attr(&res, "deposit"), "forfeited");
    let p = suite.proposal(id);
    assert_eq!(p.status, ProposalStatus::Vetoed);
    assert_eq!(p.deposit.unwrap().status, DepositStatus::Forfeited);
    // The forfeited deposit is treasury now, no longer held.
    assert!(suite
        .query::<DepositsResponse>(QueryMsg::Deposits {})
        .unwrap()
        .deposits
        .is_empty());
}

#[test]
fn a_grid_deposit_is_refunded_with_a_cw20_transfer() {
    let mut suite = Suite::with(InstantiateMsg {
        deposit: Some(UncheckedDeposit {
            denom: UncheckedDenom::Cw20(addr("grid").to_string()),
            amount: u(DEPOSIT),
        }),
        ..instantiate_msg()
    });
    let (alice, grid) = (suite.alice.clone(), suite.grid.clone());
    suite
        .try_propose_cw20(&grid, &alice, DEPOSIT, vec![])
        .unwrap();
    suite.advance(VOTING_PERIOD);
    let res = suite.close(1).unwrap();
    assert_eq!(
        res.messages,
        vec![SubMsg::new(CosmosMsg::Wasm(WasmMsg::Execute {
            contract_addr: grid.to_string(),
            msg: to_json_binary(&Cw20ExecuteMsg::Transfer {
                recipient: alice.to_string(),
                amount: u(DEPOSIT),
            })
            .unwrap(),
            funds: vec![],
        }))]
    );
}

#[test]
fn without_a_deposit_closing_moves_nothing() {
    let mut suite = Suite::with(InstantiateMsg {
        deposit: None,
        min_proposer_power: u(1),
        ..instantiate_msg()
    });
    let alice = suite.alice.clone();
    suite.exec(&alice, &[], Suite::propose_msg("p", vec![]));
    suite.advance(VOTING_PERIOD);
    let res = suite.close(1).unwrap();
    assert!(res.messages.is_empty());
    assert_eq!(attr(&res, "deposit"), "none");
}

#[test]
fn closing_takes_no_funds() {
    let mut suite = Suite::new();
    let alice = suite.alice.clone();
    let id = suite.propose(&alice, vec![]);
    suite.advance(VOTING_PERIOD);
    assert_eq!(
        suite.exec_err(
            &alice,
            &[coin(1, UGRID)],
            crate::msg::ExecuteMsg::Close { proposal_id: id }
        ),
        ContractError::Funds(gridshare_plumbing::FundsError::UnexpectedFunds {
            funds: "1ugrid".into()
        })
    );
}
