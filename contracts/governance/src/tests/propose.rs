//! Propose: the snapshot it takes, the deposit in both forms, the power gate, every refusal.

use super::helpers::*;
use crate::msg::{
    Deposit, DepositStatus, DepositsResponse, ExecuteMsg, InstantiateMsg, ProposalDeposit,
    ProposalMessage, ProposalStatus, QueryMsg, Tally, UncheckedDeposit, VotingRules,
};
use crate::state::PROPOSALS;
use crate::{
    ContractError, MAX_DESCRIPTION_LEN, MAX_MSG_BYTES, MAX_PROPOSAL_BYTES, MAX_PROPOSAL_MESSAGES,
    MAX_TITLE_LEN,
};
use cosmwasm_std::{to_json_binary, to_json_vec, Binary, Decimal, Uint128};
use gridshare_types::{Denom, UncheckedDenom};

fn grid_deposit_msg() -> InstantiateMsg {
    InstantiateMsg {
        deposit: Some(UncheckedDeposit {
            denom: UncheckedDenom::Cw20(addr("grid").to_string()),
            amount: u(DEPOSIT),
        }),
        ..instantiate_msg()
    }
}

#[test]
fn a_proposal_snapshots_power_rules_and_deposit() {
    let mut suite = Suite::new();
    let alice = suite.alice.clone();
    let messages = vec![ping("escrow")];
    let res = suite.exec(
        &alice,
        &[coin(DEPOSIT, UGRID)],
        ExecuteMsg::Propose {
            title: "Lower the fee".into(),
            description: "Because.".into(),
            messages: messages.clone(),
        },
    );
    let ends = GENESIS + VOTING_PERIOD;
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "propose"),
            ("proposal_id", "1"),
            ("proposer", alice.as_str()),
            ("start_height", "100"),
            ("total_power", "1000"),
            ("voting_ends_at", &ends.to_string()),
            ("executable_at", &(ends + TIMELOCK).to_string()),
        ])
    );
    assert_eq!(res.data, Some(to_json_binary(&1u64).unwrap()));
    assert!(res.messages.is_empty(), "the deposit stays here");

    let p = suite.proposal(1);
    assert_eq!(p.id, 1);
    assert_eq!(p.title, "Lower the fee");
    assert_eq!(p.description, "Because.");
    assert_eq!(p.proposer, alice);
    assert_eq!(p.messages, messages);
    assert_eq!(p.staking, suite.staking_addr);
    assert_eq!(p.start_height, 100);
    assert_eq!(p.start_time, GENESIS);
    assert_eq!(p.voting_ends_at, ends);
    assert_eq!(p.executable_at, ends + TIMELOCK);
    assert_eq!(p.total_power, u(1000));
    assert_eq!(
        p.rules,
        VotingRules {
            quorum: Decimal::percent(30),
            threshold: Decimal::percent(50),
            veto_threshold: Decimal::permille(334),
        }
    );
    assert_eq!(p.tally, Tally::default());
    assert_eq!(p.status, ProposalStatus::Open);
    assert_eq!(
        p.deposit,
        Some(ProposalDeposit {
            denom: native(UGRID),
            amount: u(DEPOSIT),
            depositor: alice,
            status: DepositStatus::Held,
        })
    );
    assert_eq!(
        suite
            .query::<DepositsResponse>(QueryMsg::Deposits {})
            .unwrap()
            .deposits,
        vec![Deposit {
            denom: native(UGRID),
            amount: u(DEPOSIT)
        }]
    );

    // Ids count up; anyone may propose, staked or not.
    let dave = suite.dave.clone();
    assert_eq!(suite.propose(&dave, vec![]), 2);
}

#[test]
fn the_native_deposit_must_be_exact() {
    let mut suite = Suite::new();
    let alice = suite.alice.clone();
    let msg = || Suite::propose_msg("p", vec![]);
    assert_eq!(
        suite.exec_err(&alice, &[], msg()),
        ContractError::DepositRequired {
            required: "1000 native:ugrid".into()
        }
    );
    assert_eq!(
        suite.exec_err(&alice, &[coin(999, UGRID)], msg()),
        ContractError::WrongDeposit {
            expected: "1000 native:ugrid".into(),
            got: "999 native:ugrid".into(),
        }
    );
    assert_eq!(
        suite.exec_err(&alice, &[coin(DEPOSIT, "uusdc")], msg()),
        ContractError::WrongDeposit {
            expected: "1000 native:ugrid".into(),
            got: "1000 native:uusdc".into(),
        }
    );
    assert_eq!(
        suite.exec_err(&alice, &[coin(DEPOSIT, UGRID), coin(1, "uusdc")], msg()),
        ContractError::Funds(gridshare_plumbing::FundsError::MultipleDenoms {
            denoms: "ugrid,uusdc".into()
        })
    );
    // A cw20 is not the native deposit.
    let grid = suite.grid.clone();
    assert_eq!(
        suite
            .try_propose_cw20(&grid, &alice, DEPOSIT, vec![])
            .unwrap_err(),
        ContractError::WrongDeposit {
            expected: "1000 native:ugrid".into(),
            got: format!("1000 cw20:{grid}"),
        }
    );
}

#[test]
fn a_grid_deposit_arrives_through_send() {
    let mut suite = Suite::with(grid_deposit_msg());
    let (alice, grid) = (suite.alice.clone(), suite.grid.clone());
    let res = suite
        .try_propose_cw20(&grid, &alice, DEPOSIT, vec![ping("staking")])
        .unwrap();
    assert_eq!(attr(&res, "proposer"), alice.as_str());
    let p = suite.proposal(1);
    assert_eq!(p.title, "Paid in GRID");
    assert_eq!(
        p.deposit,
        Some(ProposalDeposit {
            denom: Denom::Cw20(grid.clone()),
            amount: u(DEPOSIT),
            depositor: alice.clone(),
            status: DepositStatus::Held,
        })
    );

    // Another token, another amount, or native coins are refused.
    let fake = addr("fake_grid");
    assert_eq!(
        suite
            .try_propose_cw20(&fake, &alice, DEPOSIT, vec![])
            .unwrap_err(),
        ContractError::WrongDeposit {
            expected: format!("1000 cw20:{grid}"),
            got: format!("1000 cw20:{fake}"),
        }
    );
    assert_eq!(
        suite
            .try_propose_cw20(&grid, &alice, DEPOSIT + 1, vec![])
            .unwrap_err(),
        ContractError::WrongDeposit {
            expected: format!("1000 cw20:{grid}"),
            got: format!("1001 cw20:{grid}"),
        }
    );
    assert_eq!(
        suite.exec_err(
            &alice,
            &[coin(DEPOSIT, UGRID)],
            Suite::propose_msg("p", vec![])
        ),
        ContractError::WrongDeposit {
            expected: format!("1000 cw20:{grid}"),
            got: "1000 native:ugrid".into(),
        }
    );
    assert_eq!(
        suite.exec_err(&alice, &[], Suite::propose_msg("p", vec![])),
        ContractError::DepositRequired {
            required: format!("1000 cw20:{grid}")
        }
    );
    // The Receive itself takes no native coins.
    let err = suite.exec_err(
        &grid,
        &[coin(1, UGRID)],
        ExecuteMsg::Receive(cw20::Cw20ReceiveMsg {
            sender: alice.to_string(),
            amount: u(DEPOSIT),
            msg: Binary::default(),
        }),
    );
    assert_eq!(
        err,
        ContractError::Funds(gridshare_plumbing::FundsError::UnexpectedFunds {
            funds: "1ugrid".into()
        })
    );
}

#[test]
fn with_a_power_gate_and_no_deposit() {
    let mut suite = Suite::with(InstantiateMsg {
        deposit: None,
        min_proposer_power: u(300),
        ..instantiate_msg()
    });
    let (bob, dave) = (suite.bob.clone(), suite.dave.clone());
    suite.exec(&bob, &[], Suite::propose_msg("p", vec![]));
    assert_eq!(suite.proposal(1).deposit, None);
    assert_eq!(
        suite.exec_err(&dave, &[], Suite::propose_msg("p", vec![])),
        ContractError::InsufficientProposerPower {
            proposer: dave.to_string(),
            power: Uint128::zero(),
            required: u(300),
            height: 100,
        }
    );
    assert_eq!(
        suite.exec_err(
            &bob,
            &[coin(DEPOSIT, UGRID)],
            Suite::propose_msg("p", vec![])
        ),
        ContractError::UnexpectedDeposit {
            got: "1000 native:ugrid".into()
        }
    );
    let grid = suite.grid.clone();
    assert_eq!(
        suite.try_propose_cw20(&grid, &bob, 5, vec![]).unwrap_err(),
        ContractError::UnexpectedDeposit {
            got: format!("5 cw20:{grid}")
        }
    );
    // Power bonded in the proposal's own block does not count yet.
    suite.set_bond(&dave, 5_000);
    assert!(matches!(
        suite.exec_err(&dave, &[], Suite::propose_msg("p", vec![])),
        ContractError::InsufficientProposerPower { .. }
    ));
    suite.advance(BLOCK);
    suite.exec(&dave, &[], Suite::propose_msg("p", vec![]));
}

#[test]
fn nothing_staked_means_no_proposals() {
    let mut suite = Suite::new();
    let (alice, bob, carol) = (suite.alice.clone(), suite.bob.clone(), suite.carol.clone());
    for who in [&alice, &bob, &carol] {
        suite.set_bond(who, 0);
    }
    // Unbonded in this block: still counts at this height.
    suite.propose(&alice, vec![]);
    suite.advance(BLOCK);
    assert_eq!(
        suite.exec_err(
            &alice,
            &[coin(DEPOSIT, UGRID)],
            Suite::propose_msg("p", vec![])
        ),
        ContractError::NoStakedPower { height: 101 }
    );
}

#[test]
fn title_description_and_message_count_are_bounded() {
    let mut suite = Suite::new();
    let alice = suite.alice.clone();
    let deposit = [coin(DEPOSIT, UGRID)];
    let propose = |title: String, description: String, messages| ExecuteMsg::Propose {
        title,
        description,
        messages,
    };
    assert_eq!(
        suite.exec_err(&alice, &deposit, propose("  ".into(), "d".into(), vec![])),
        ContractError::EmptyTitle
    );
    assert_eq!(
        suite.exec_err(
            &alice,
            &deposit,
            propose("t".repeat(MAX_TITLE_LEN + 1), "d".into(), vec![])
        ),
        ContractError::TitleTooLong {
            len: MAX_TITLE_LEN + 1,
            max: MAX_TITLE_LEN
        }
    );
    assert_eq!(
        suite.exec_err(
            &alice,
            &deposit,
            propose("t".into(), "d".repeat(MAX_DESCRIPTION_LEN + 1), vec![])
        ),
        ContractError::DescriptionTooLong {
            len: MAX_DESCRIPTION_LEN + 1,
            max: MAX_DESCRIPTION_LEN
        }
    );
    assert_eq!(
        suite.exec_err(
            &alice,
            &deposit,
            propose(
                "t".into(),
                "d".into(),
                vec![ping("x"); MAX_PROPOSAL_MESSAGES + 1]
            )
        ),
        ContractError::TooManyMessages {
            got: MAX_PROPOSAL_MESSAGES + 1,
            max: MAX_PROPOSAL_MESSAGES
        }
    );
    suite.exec(
        &alice,
        &deposit,
        propose(
            "t".repeat(MAX_TITLE_LEN),
            "d".repeat(MAX_DESCRIPTION_LEN),
            vec![ping("x"); MAX_PROPOSAL_MESSAGES],
        ),
    );
}

fn execute_with_msg_of(bytes: usize) -> ProposalMessage {
    ProposalMessage::WasmExecute {
        contract: addr("escrow").to_string(),
        msg: Binary::from(vec![b'x'; bytes]),
        funds: vec![],
    }
}

/// The bytes proposal `id` takes in storage.
fn stored_size(suite: &Suite, id: u64) -> usize {
    let proposal = PROPOSALS.load(&suite.chain.deps.storage, id).unwrap();
    to_json_vec(&proposal).unwrap().len()
}

#[test]
fn each_message_is_capped_in_size() {
    let mut suite = Suite::new();
    let alice = suite.alice.clone();
    let deposit = [coin(DEPOSIT, UGRID)];
    assert_eq!(
        suite.exec_err(
            &alice,
            &deposit,
            Suite::propose_msg("p", vec![ping("a"), execute_with_msg_of(MAX_MSG_BYTES + 1)])
        ),
        ContractError::MessageTooLarge {
            index: 1,
            size: MAX_MSG_BYTES + 1,
            max: MAX_MSG_BYTES,
        }
    );
    let migrate = ProposalMessage::WasmMigrate {
        contract: addr("escrow").to_string(),
        new_code_id: 2,
        msg: Binary::from(vec![b'{'; 20_000]),
    };
    assert_eq!(
        suite.exec_err(&alice, &deposit, Suite::propose_msg("p", vec![migrate])),
        ContractError::MessageTooLarge {
            index: 0,
            size: 20_000,
            max: MAX_MSG_BYTES,
        }
    );
    // Exactly the cap is fine.
    let id = suite.propose(&alice, vec![execute_with_msg_of(MAX_MSG_BYTES)]);
    assert_eq!(
        suite.proposal(id).messages,
        vec![execute_with_msg_of(MAX_MSG_BYTES)]
    );
}

#[test]
fn the_whole_proposal_is_capped_as_stored() {
    let mut suite = Suite::new();
    let alice = suite.alice.clone();
    let deposit = [coin(DEPOSIT, UGRID)];
    // Three large messages: every one under its own cap, together close to the proposal's.
    let messages = vec![execute_with_msg_of(14_000); 3];
    let propose = |description: String| ExecuteMsg::Propose {
        title: "Big".into(),
        description,
        messages: messages.clone(),
    };
    let id = suite.exec(&alice, &deposit, propose(String::new()));
    let id: u64 = attr(&id, "proposal_id").parse().unwrap();
    let base = stored_size(&suite, id);
    let room = MAX_PROPOSAL_BYTES - base;
    assert!(room > 0 && room <= MAX_DESCRIPTION_LEN, "room {room}");

    // Filling the proposal to exactly the cap is accepted...
    let res = suite.exec(&alice, &deposit, propose("d".repeat(room)));
    let id: u64 = attr(&res, "proposal_id").parse().unwrap();
    assert_eq!(stored_size(&suite, id), MAX_PROPOSAL_BYTES);
    // ...one byte more is not, and the error says by how much.
    assert_eq!(
        suite.exec_err(&alice, &deposit, propose("d".repeat(room + 1))),
        ContractError::ProposalTooLarge {
            size: MAX_PROPOSAL_BYTES + 1,
            max: MAX_PROPOSAL_BYTES,
        }
    );
    // Four such messages never fit, whatever the description.
    assert!(matches!(
        suite.exec_err(
            &alice,
            &deposit,
            Suite::propose_msg("p", vec![execute_with_msg_of(MAX_MSG_BYTES); 4])
        ),
        ContractError::ProposalTooLarge { size, max: MAX_PROPOSAL_BYTES } if size > MAX_PROPOSAL_BYTES
    ));
    // A description that JSON must escape counts as stored: six bytes per control character.
    let escaped = "\u{1}".repeat(room / 6 + 1);
    assert!(escaped.len() <= MAX_DESCRIPTION_LEN);
    assert!(matches!(
        suite.exec_err(&alice, &deposit, propose(escaped)),
        ContractError::ProposalTooLarge { .. }
    ));
    // A cw20 deposit's proposal is held to the same cap.
    let mut suite = Suite::with(grid_deposit_msg());
    let grid = suite.grid.clone();
    assert!(matches!(
        suite
            .try_propose_cw20(
                &grid,
                &alice,
                DEPOSIT,
                vec![execute_with_msg_of(MAX_MSG_BYTES); 4]
            )
            .unwrap_err(),
        ContractError::ProposalTooLarge { .. }
    ));
}

#[test]
fn invalid_messages_are_refused_with_their_index() {
    let mut suite = Suite::new();
    let alice = suite.alice.clone();
    let to = addr("to").to_string();
    let cases = [
        (
            ProposalMessage::BankSend {
                to: to.clone(),
                amount: vec![],
            },
            "no coins to send".to_string(),
        ),
        (
            ProposalMessage::BankSend {
                to: to.clone(),
                amount: vec![coin(0, UGRID)],
            },
            "zero amount of ugrid".to_string(),
        ),
        (
            ProposalMessage::BankSend {
                to: to.clone(),
                amount: vec![coin(1, UGRID), coin(2, UGRID)],
            },
            "ugrid listed twice".to_string(),
        ),
        (
            ProposalMessage::WasmExecute {
                contract: to.clone(),
                msg: Binary::default(),
                funds: vec![coin(1, "u")],
            },
            "invalid native denom \"u\": length must be between 3 and 128".to_string(),
        ),
        (
            ProposalMessage::WasmMigrate {
                contract: to.clone(),
                new_code_id: 0,
                msg: Binary::default(),
            },
            "code id 0 does not exist".to_string(),
        ),
    ];
    for (bad, reason) in cases {
        assert_eq!(
            suite.exec_err(
                &alice,
                &[coin(DEPOSIT, UGRID)],
                Suite::propose_msg("p", vec![ping("a"), bad])
            ),
            ContractError::InvalidMessage { index: 1, reason }
        );
    }
    let err = suite.exec_err(
        &alice,
        &[coin(DEPOSIT, UGRID)],
        Suite::propose_msg(
            "p",
            vec![ProposalMessage::BankSend {
                to: "Not An Address".into(),
                amount: vec![coin(1, UGRID)],
            }],
        ),
    );
    use cosmwasm_std::Api;
    let expected = cosmwasm_std::testing::MockApi::default()
        .addr_validate("Not An Address")
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        ContractError::InvalidMessage {
            index: 0,
            reason: expected
        }
    );
}

#[test]
fn messages_are_stored_normalized() {
    let mut suite = Suite::new();
    let alice = suite.alice.clone();
    let id = suite.propose(
        &alice,
        vec![ProposalMessage::BankSend {
            to: addr("to").to_string(),
            amount: vec![coin(2, "uusdc"), coin(1, "uatom")],
        }],
    );
    assert_eq!(
        suite.proposal(id).messages,
        vec![ProposalMessage::BankSend {
            to: addr("to").to_string(),
            amount: vec![coin(1, "uatom"), coin(2, "uusdc")],
        }]
    );
}

#[test]
fn a_cw20_receive_with_an_unknown_hook_is_refused() {
    let mut suite = Suite::with(grid_deposit_msg());
    let (alice, grid) = (suite.alice.clone(), suite.grid.clone());
    let err = suite.exec_err(
        &grid,
        &[],
        ExecuteMsg::Receive(cw20::Cw20ReceiveMsg {
            sender: alice.to_string(),
            amount: u(DEPOSIT),
            msg: to_json_binary(&"bond").unwrap(),
        }),
    );
    assert!(matches!(err, ContractError::Std(_)), "{err:?}");
}
