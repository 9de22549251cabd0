//! Property tests of governance on a cw-multi-test chain with the real staking contract and GRID:
//! random rules, random bonds, and random sequences of proposals, votes, closes, executions, bonds
//! and the passing of time, including what an adversary would try (voting twice, voting without
//! power or after the period, closing or executing early, executing twice or a rejected
//! proposal, paying the wrong deposit, draining held deposits through a proposal, calling the
//! internal messages). Every step is checked against a plain model of governance:
//!
//! - every message succeeds exactly when the model says so, and a refusal is the model's error;
//! - the deposits governance holds (its `Deposits` query, and the `Held` deposits of the
//!   proposals) always equal the sum of the open proposals' deposits, and its GRID balance is
//!   exactly those plus the treasury (forfeited deposits less what proposals spent);
//! - each proposal's tally is the sum of the powers (at its start height) of the ballots that
//!   were accepted, and its outcome follows the tally rules, computed here independently in
//!   integer arithmetic: quorum, then veto, then threshold;
//! - every holder's GRID balance is the model's (deposits leave, and come back unless vetoed).

mod common;

use common::*;
use cosmwasm_std::{to_json_binary, Addr, Decimal};
use cw20::Cw20ExecuteMsg;
use cw_multi_test::Executor;
use governance::msg::{
    DepositStatus, DepositsResponse, ExecuteMsg as GovExecuteMsg, ProposalMessage, ProposalStatus,
    QueryMsg as GovQueryMsg, ReceiveMsg as GovReceiveMsg, VoteOption,
};
use governance::ContractError;
use gridshare_types::staking::ReceiveMsg as StakingReceiveMsg;
use proptest::prelude::*;
use std::collections::BTreeSet;

/// Four GRID holders, and Erin, who has no GRID and no stake.
const ACTORS: [&str; 5] = ["alice", "bob", "carol", "dave", "erin"];
const OPTIONS: [VoteOption; 4] = [
    VoteOption::Yes,
    VoteOption::No,
    VoteOption::Abstain,
    VoteOption::Veto,
];

/// What a proposal's messages do.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Content {
    /// No messages: a signalling vote.
    Signal,
    /// Pays `amount` GRID from governance to a sink: fine from the treasury, never from the
    /// deposits held for open proposals.
    Spend(u128),
    /// Pays `amount`, then a message staking refuses: neither may take effect.
    SpendThenBreak(u128),
}

#[derive(Clone, Debug)]
enum Op {
    /// `deposit_delta` is added to the required deposit (-1, 0 or 1).
    Propose {
        who: usize,
        content: Content,
        deposit_delta: i8,
    },
    Vote {
        who: usize,
        proposal: usize,
        option: usize,
    },
    /// Every actor votes `option` on the proposal, one after the other.
    Rally {
        proposal: usize,
        option: usize,
    },
    Close {
        proposal: usize,
    },
    Execute {
        proposal: usize,
    },
    Bond {
        who: usize,
        amount: u128,
    },
    /// A plain GRID transfer to governance: it joins the treasury.
    Fund {
        who: usize,
        amount: u128,
    },
    /// Somebody calls governance's internal messages directly.
    Sneak {
        who: usize,
        proposal: usize,
    },
    Advance {
        seconds: u64,
    },
}

fn content() -> impl Strategy<Value = Content> {
    prop_oneof![
        2 => Just(Content::Signal),
        3 => (0u128..3_000).prop_map(Content::Spend),
        1 => (0u128..3_000).prop_map(Content::SpendThenBreak),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    let who = 0..ACTORS.len();
    // Mostly yes, so that proposals pass often enough to be executed (early, late and twice).
    let option =
        prop_oneof![5 => Just(0usize), 2 => Just(1usize), 1 => Just(2usize), 2 => Just(3usize)];
    prop_oneof![
        3 => (who.clone(), content(), prop_oneof![8 => Just(0i8), 1 => Just(-1i8), 1 => Just(1i8)])
            .prop_map(|(who, content, deposit_delta)| Op::Propose { who, content, deposit_delta }),
        10 => (who.clone(), 0usize..16, option)
            .prop_map(|(who, proposal, option)| Op::Vote { who, proposal, option }),
        3 => (0usize..16, prop_oneof![3 => Just(0usize), 1 => 0..OPTIONS.len()])
            .prop_map(|(proposal, option)| Op::Rally { proposal, option }),
        2 => (0usize..16).prop_map(|proposal| Op::Close { proposal }),
        4 => (0usize..16).prop_map(|proposal| Op::Execute { proposal }),
        1 => (who.clone(), 1u128..20_000).prop_map(|(who, amount)| Op::Bond { who, amount }),
        1 => (who.clone(), 1u128..800).prop_map(|(who, amount)| Op::Fund { who, amount }),
        1 => (who, 0usize..16).prop_map(|(who, proposal)| Op::Sneak { who, proposal }),
        4 => prop_oneof![
            Just(BLOCK_SECONDS),
            1u64..DAY,
            Just(DAY),
            Just(VOTING_PERIOD),
            Just(VOTING_PERIOD + TIMELOCK),
        ]
        .prop_map(|seconds| Op::Advance { seconds }),
    ]
}

/// The refusals the model predicts, by kind.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Refusal {
    NotFound,
    VotingClosed,
    AlreadyVoted,
    NoVotingPower,
    VotingOpen,
    AlreadyClosed,
    NotPassed,
    TimelockActive,
    AlreadyExecuted,
    ExecutionAlreadyFailed,
    Unauthorized,
    WrongDeposit,
    NoStakedPower,
    /// GRID itself refuses (the sender cannot pay what it sends).
    Token,
}

fn refusal_of(err: &anyhow::Error) -> Refusal {
    match err.downcast_ref::<ContractError>() {
        Some(ContractError::ProposalNotFound { .. }) => Refusal::NotFound,
        Some(ContractError::VotingClosed { .. }) => Refusal::VotingClosed,
        Some(ContractError::AlreadyVoted { .. }) => Refusal::AlreadyVoted,
        Some(ContractError::NoVotingPower { .. }) => Refusal::NoVotingPower,
        Some(ContractError::VotingOpen { .. }) => Refusal::VotingOpen,
        Some(ContractError::AlreadyClosed { .. }) => Refusal::AlreadyClosed,
        Some(ContractError::NotPassed { .. }) => Refusal::NotPassed,
        Some(ContractError::TimelockActive { .. }) => Refusal::TimelockActive,
        Some(ContractError::AlreadyExecuted { .. }) => Refusal::AlreadyExecuted,
        Some(ContractError::ExecutionAlreadyFailed { .. }) => Refusal::ExecutionAlreadyFailed,
        Some(ContractError::Unauthorized { .. }) => Refusal::Unauthorized,
        Some(ContractError::WrongDeposit { .. }) => Refusal::WrongDeposit,
        Some(ContractError::NoStakedPower { .. }) => Refusal::NoStakedPower,
        Some(other) => panic!("unexpected governance error {other:?}"),
        None => Refusal::Token,
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Status {
    Open,
    Passed,
    Rejected,
    Vetoed,
    Executed,
    Failed,
}

/// The rules, in thousandths.
#[derive(Clone, Copy, Debug)]
struct Rules {
    quorum: u128,
    threshold: u128,
    veto: u128,
}

impl Rules {
    /// The tally rules, in integers: fewer votes than `ceil(quorum × total)` (or none) →
    /// rejected; `veto > veto_threshold × cast` → vetoed; `yes > threshold × (yes + no + veto)`
    /// → passed; otherwise rejected.
    fn outcome(&self, tally: &[u128; 4], total: u128) -> Status {
        let [yes, no, abstain, veto] = *tally;
        let cast = yes + no + abstain + veto;
        if cast == 0 || cast * 1_000 < total * self.quorum {
            return Status::Rejected;
        }
        if veto * 1_000 > cast * self.veto {
            return Status::Vetoed;
        }
        let decisive = yes + no + veto;
        if decisive > 0 && yes * 1_000 > decisive * self.threshold {
            Status::Passed
        } else {
            Status::Rejected
        }
    }
}

#[derive(Debug)]
struct Proposal {
    proposer: usize,
    content: Content,
    start_height: u64,
    ends: u64,
    executable: u64,
    total: u128,
    tally: [u128; 4],
    voters: BTreeSet<usize>,
    status: Status,
    deposit: DepositStatus,
}

#[derive(Debug)]
struct Model {
    rules: Rules,
    /// Per actor: `(height of the change, bond after it)`.
    bonds: Vec<Vec<(u64, u128)>>,
    grid: Vec<u128>,
    proposals: Vec<Proposal>,
    /// Forfeited deposits less what proposals spent.
    treasury: u128,
    spent: u128,
}

impl Model {
    /// The bond of `who` at the start of block `height` (staking's snapshot rule).
    fn power_at(&self, who: usize, height: u64) -> u128 {
        self.bonds[who]
            .iter()
            .rev()
            .find(|(h, _)| *h < height)
            .map_or(0, |(_, v)| *v)
    }

    fn total_at(&self, height: u64) -> u128 {
        (0..ACTORS.len()).map(|a| self.power_at(a, height)).sum()
    }

    fn held(&self) -> u128 {
        self.proposals
            .iter()
            .filter(|p| p.deposit == DepositStatus::Held)
            .count() as u128
            * DEPOSIT
    }

    /// The proposal `choice` points at: an existing one, or the next id (which does not exist).
    fn pick(&self, choice: usize) -> u64 {
        (choice % (self.proposals.len() + 1)) as u64 + 1
    }

    /// Records the outcome of an open proposal and settles its deposit.
    fn settle(&mut self, index: usize, status: Status) {
        let p = &mut self.proposals[index];
        p.status = status;
        if status == Status::Vetoed {
            p.deposit = DepositStatus::Forfeited;
            self.treasury += DEPOSIT;
        } else {
            p.deposit = DepositStatus::Refunded;
            self.grid[p.proposer] += DEPOSIT;
        }
    }
}

struct Chain {
    world: World,
    actors: Vec<Addr>,
    sink: Addr,
    model: Model,
}

impl Chain {
    fn new(rules: Rules, bonds: [u128; 4]) -> Self {
        let mut world = World::with_rules(
            Decimal::permille(rules.quorum as u64),
            Decimal::permille(rules.threshold as u64),
            Decimal::permille(rules.veto as u64),
        );
        let actors: Vec<Addr> = ACTORS.iter().map(|a| world.addr(a)).collect();
        let mut model = Model {
            rules,
            bonds: vec![vec![]; ACTORS.len()],
            grid: vec![HOLDING, HOLDING, HOLDING, HOLDING, 0],
            proposals: vec![],
            treasury: 0,
            spent: 0,
        };
        let height = world.height();
        for (who, amount) in bonds.into_iter().enumerate() {
            if amount > 0 {
                world.bond(ACTORS[who], amount);
                model.grid[who] -= amount;
                model.bonds[who].push((height, amount));
            }
        }
        world.advance(BLOCK_SECONDS);
        Chain {
            sink: world.addr("sink"),
            world,
            actors,
            model,
        }
    }

    fn now(&self) -> u64 {
        self.world.app.block_info().time.seconds()
    }

    fn messages(&self, content: Content) -> Vec<ProposalMessage> {
        let spend = |amount: u128| {
            wasm_execute(
                &self.world.grid,
                &Cw20ExecuteMsg::Transfer {
                    recipient: self.sink.to_string(),
                    amount: u(amount),
                },
            )
        };
        match content {
            Content::Signal => vec![],
            Content::Spend(amount) => vec![spend(amount)],
            Content::SpendThenBreak(amount) => vec![
                spend(amount),
                wasm_execute(&self.world.staking, &invalid_staking_update()),
            ],
        }
    }

    fn gov(&mut self, who: usize, msg: &GovExecuteMsg) -> anyhow::Result<()> {
        let (sender, governance) = (self.actors[who].clone(), self.world.governance.clone());
        self.world
            .app
            .execute_contract(sender, governance, msg, &[])
            .map(|_| ())
    }

    /// Runs `op` on chain and in the model; the chain must do what the model predicts.
    fn step(&mut self, op: &Op) -> Result<(), TestCaseError> {
        let now = self.now();
        let height = self.world.height();
        let (result, expected): (anyhow::Result<()>, Result<(), Refusal>) = match *op {
            Op::Propose {
                who,
                content,
                deposit_delta,
            } => {
                let amount = DEPOSIT.saturating_add_signed(i128::from(deposit_delta));
                let messages = self.messages(content);
                let governance = self.world.governance.clone();
                let result = self
                    .world
                    .grid_send(
                        ACTORS[who],
                        &governance,
                        amount,
                        to_json_binary(&GovReceiveMsg::Propose {
                            title: "A proposal".into(),
                            description: format!("{content:?}"),
                            messages,
                        })
                        .unwrap(),
                    )
                    .map(|_| ());
                let total = self.model.total_at(height);
                let expected = if self.model.grid[who] < amount {
                    Err(Refusal::Token)
                } else if amount != DEPOSIT {
                    Err(Refusal::WrongDeposit)
                } else if total == 0 {
                    Err(Refusal::NoStakedPower)
                } else {
                    self.model.grid[who] -= DEPOSIT;
                    self.model.proposals.push(Proposal {
                        proposer: who,
                        content,
                        start_height: height,
                        ends: now + VOTING_PERIOD,
                        executable: now + VOTING_PERIOD + TIMELOCK,
                        total,
                        tally: [0; 4],
                        voters: BTreeSet::new(),
                        status: Status::Open,
                        deposit: DepositStatus::Held,
                    });
                    Ok(())
                };
                (result, expected)
            }
            Op::Vote {
                who,
                proposal,
                option,
            } => {
                let id = self.model.pick(proposal);
                let result = self.gov(
                    who,
                    &GovExecuteMsg::Vote {
                        proposal_id: id,
                        vote: OPTIONS[option],
                    },
                );
                let expected = match self.model.proposals.get(id as usize - 1) {
                    None => Err(Refusal::NotFound),
                    Some(p) if p.status != Status::Open || now >= p.ends => {
                        Err(Refusal::VotingClosed)
                    }
                    Some(p) if p.voters.contains(&who) => Err(Refusal::AlreadyVoted),
                    Some(p) => match self.model.power_at(who, p.start_height) {
                        0 => Err(Refusal::NoVotingPower),
                        power => {
                            let p = &mut self.model.proposals[id as usize - 1];
                            p.voters.insert(who);
                            p.tally[option] += power;
                            Ok(())
                        }
                    },
                };
                (result, expected)
            }
            Op::Rally { proposal, option } => {
                for who in 0..ACTORS.len() {
                    self.step(&Op::Vote {
                        who,
                        proposal,
                        option,
                    })?;
                }
                (Ok(()), Ok(()))
            }
            Op::Close { proposal } => {
                let id = self.model.pick(proposal);
                let result = self.gov(3, &GovExecuteMsg::Close { proposal_id: id });
                let index = id as usize - 1;
                let expected = match self.model.proposals.get(index) {
                    None => Err(Refusal::NotFound),
                    Some(p) if p.status != Status::Open => Err(Refusal::AlreadyClosed),
                    Some(p) if now < p.ends => Err(Refusal::VotingOpen),
                    Some(p) => {
                        let status = self.model.rules.outcome(&p.tally, p.total);
                        self.model.settle(index, status);
                        Ok(())
                    }
                };
                (result, expected)
            }
            Op::Execute { proposal } => {
                let id = self.model.pick(proposal);
                // Anyone may execute: Erin, who has nothing at stake.
                let result = self.gov(4, &GovExecuteMsg::Execute { proposal_id: id });
                let index = id as usize - 1;
                let expected = match self.model.proposals.get(index) {
                    None => Err(Refusal::NotFound),
                    Some(p) if p.status == Status::Open && now < p.ends => Err(Refusal::VotingOpen),
                    Some(p) => {
                        let was_open = p.status == Status::Open;
                        let status = if was_open {
                            self.model.rules.outcome(&p.tally, p.total)
                        } else {
                            p.status
                        };
                        match status {
                            Status::Passed if now < p.executable => Err(Refusal::TimelockActive),
                            Status::Passed => {
                                let content = p.content;
                                if was_open {
                                    self.model.settle(index, Status::Passed);
                                }
                                let ok = match content {
                                    Content::Signal => true,
                                    Content::Spend(amount) => amount <= self.model.treasury,
                                    Content::SpendThenBreak(_) => false,
                                };
                                if ok {
                                    if let Content::Spend(amount) = content {
                                        self.model.treasury -= amount;
                                        self.model.spent += amount;
                                    }
                                }
                                self.model.proposals[index].status =
                                    if ok { Status::Executed } else { Status::Failed };
                                Ok(())
                            }
                            Status::Executed => Err(Refusal::AlreadyExecuted),
                            Status::Failed => Err(Refusal::ExecutionAlreadyFailed),
                            Status::Open | Status::Rejected | Status::Vetoed => {
                                Err(Refusal::NotPassed)
                            }
                        }
                    }
                };
                (result, expected)
            }
            Op::Bond { who, amount } => {
                let staking = self.world.staking.clone();
                let result = self
                    .world
                    .grid_send(
                        ACTORS[who],
                        &staking,
                        amount,
                        to_json_binary(&StakingReceiveMsg::Bond {}).unwrap(),
                    )
                    .map(|_| ());
                let expected = if self.model.grid[who] < amount {
                    Err(Refusal::Token)
                } else {
                    self.model.grid[who] -= amount;
                    let bonded = self.model.power_at(who, u64::MAX);
                    self.model.bonds[who].push((height, bonded + amount));
                    Ok(())
                };
                (result, expected)
            }
            Op::Fund { who, amount } => {
                let (sender, grid) = (self.actors[who].clone(), self.world.grid.clone());
                let result = self
                    .world
                    .app
                    .execute_contract(
                        sender,
                        grid,
                        &Cw20ExecuteMsg::Transfer {
                            recipient: self.world.governance.to_string(),
                            amount: u(amount),
                        },
                        &[],
                    )
                    .map(|_| ());
                let expected = if self.model.grid[who] < amount {
                    Err(Refusal::Token)
                } else {
                    self.model.grid[who] -= amount;
                    self.model.treasury += amount;
                    Ok(())
                };
                (result, expected)
            }
            Op::Sneak { who, proposal } => {
                let id = self.model.pick(proposal);
                let msg = if proposal % 2 == 0 {
                    GovExecuteMsg::DispatchProposal { proposal_id: id }
                } else {
                    GovExecuteMsg::AssertDepositsHeld {}
                };
                (self.gov(who, &msg), Err(Refusal::Unauthorized))
            }
            Op::Advance { seconds } => {
                self.world.advance(seconds);
                (Ok(()), Ok(()))
            }
        };
        match (&result, expected) {
            (Ok(()), Ok(())) => {}
            (Err(err), Err(refusal)) => {
                prop_assert_eq!(refusal_of(err), refusal, "{:?}: {:?}", op, err)
            }
            _ => prop_assert!(
                false,
                "{:?}: the chain said {:?}, the model {:?}",
                op,
                result,
                expected
            ),
        }
        Ok(())
    }

    /// The invariants, after every step.
    fn check(&self) -> Result<(), TestCaseError> {
        let wrap = self.world.app.wrap();
        let governance = &self.world.governance;
        let held = self.model.held();

        let deposits: DepositsResponse = wrap
            .query_wasm_smart(governance, &GovQueryMsg::Deposits {})
            .unwrap();
        let reported: u128 = deposits.deposits.iter().map(|d| d.amount.u128()).sum();
        prop_assert_eq!(reported, held, "held deposits");
        prop_assert!(deposits.deposits.len() <= 1, "one deposit denom");

        let mut held_in_proposals = 0;
        let now = self.now();
        for (index, model) in self.model.proposals.iter().enumerate() {
            let p = self.world.proposal(index as u64 + 1);
            let deposit = p.deposit.expect("every proposal paid a deposit");
            prop_assert_eq!(deposit.status, model.deposit, "proposal {}", index + 1);
            if deposit.status == DepositStatus::Held {
                held_in_proposals += deposit.amount.u128();
                prop_assert_eq!(model.status, Status::Open);
            }
            prop_assert_eq!(p.total_power.u128(), model.total);
            prop_assert_eq!(p.start_height, model.start_height);
            let tally = [p.tally.yes, p.tally.no, p.tally.abstain, p.tally.veto].map(|t| t.u128());
            prop_assert_eq!(tally, model.tally, "tally of proposal {}", index + 1);
            // As reported now: an open proposal whose vote ended shows its outcome.
            let status = match model.status {
                Status::Open if now >= model.ends => {
                    self.model.rules.outcome(&model.tally, model.total)
                }
                status => status,
            };
            prop_assert_eq!(
                status_of(p.status),
                status,
                "status of proposal {}",
                index + 1
            );
        }
        prop_assert_eq!(held_in_proposals, held);

        prop_assert_eq!(
            self.world.grid_balance(governance),
            held + self.model.treasury,
            "governance holds exactly the held deposits and the treasury"
        );
        prop_assert_eq!(self.world.grid_balance(&self.sink), self.model.spent);
        for (who, addr) in self.actors.iter().enumerate() {
            prop_assert_eq!(
                self.world.grid_balance(addr),
                self.model.grid[who],
                "{}",
                ACTORS[who]
            );
        }
        Ok(())
    }
}

fn rules() -> impl Strategy<Value = Rules> {
    (
        prop_oneof![3 => 1u128..=400, 1 => 1u128..=1_000, 1 => Just(1_000u128)],
        prop_oneof![Just(500u128), 500u128..750, 500u128..1_000],
        prop_oneof![3 => 200u128..=1_000, 1 => 1u128..=1_000, 1 => Just(334u128)],
    )
        .prop_map(|(quorum, threshold, veto)| Rules {
            quorum,
            threshold,
            veto,
        })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 64,
        max_shrink_iters: 2_000,
        ..ProptestConfig::default()
    })]

    #[test]
    fn deposits_and_outcomes_follow_the_rules(
        rules in rules(),
        bonds in proptest::array::uniform4(prop_oneof![Just(0u128), 1u128..40_000]),
        ops in proptest::collection::vec(op(), 1..80),
    ) {
        let mut chain = Chain::new(rules, bonds);
        chain.check()?;
        for op in &ops {
            chain.step(op)?;
            chain.check()?;
        }
        // Then every vote ends and every timelock runs out: each proposal is executed (twice)
        // and closed, in id order, so passed ones run while later ones still hold deposits.
        chain.step(&Op::Advance { seconds: VOTING_PERIOD + TIMELOCK })?;
        chain.check()?;
        let count = chain.model.proposals.len();
        for proposal in 0..count {
            for op in [Op::Execute { proposal }, Op::Execute { proposal }, Op::Close { proposal }] {
                chain.step(&op)?;
                chain.check()?;
            }
        }
        prop_assert_eq!(chain.model.held(), 0);
    }
}

/// The model's integer rules at their edges (quorum 30 %, threshold 50 %, veto 33.4 %).
#[test]
fn the_model_rules_at_their_edges() {
    let rules = Rules {
        quorum: 300,
        threshold: 500,
        veto: 334,
    };
    // Total power 100: the quorum needs 30 votes of any option.
    assert_eq!(rules.outcome(&[29, 0, 0, 0], 100), Status::Rejected);
    assert_eq!(rules.outcome(&[30, 0, 0, 0], 100), Status::Passed);
    assert_eq!(rules.outcome(&[0, 0, 30, 0], 100), Status::Rejected);
    assert_eq!(rules.outcome(&[0, 0, 0, 0], 0), Status::Rejected);
    // A veto needs more than 33.4 % of the votes cast: 10 of 30 is not enough, 11 is.
    assert_eq!(rules.outcome(&[20, 0, 0, 10], 100), Status::Passed);
    assert_eq!(rules.outcome(&[15, 4, 0, 11], 100), Status::Vetoed);
    // The threshold is strict and abstentions do not count in it.
    assert_eq!(rules.outcome(&[15, 15, 0, 0], 100), Status::Rejected);
    assert_eq!(rules.outcome(&[16, 15, 50, 0], 100), Status::Passed);
}

fn status_of(status: ProposalStatus) -> Status {
    match status {
        ProposalStatus::Open => Status::Open,
        ProposalStatus::Passed => Status::Passed,
        ProposalStatus::Rejected => Status::Rejected,
        ProposalStatus::Vetoed => Status::Vetoed,
        ProposalStatus::Executed => Status::Executed,
        ProposalStatus::ExecutionFailed { .. } => Status::Failed,
    }
}

proptest! {
    /// The contract's tally function agrees with the model's integer rules on any tally, at any
    /// total power and under any valid rules.
    #[test]
    fn the_contract_tally_is_the_model_tally(
        rules in rules(),
        tally in proptest::array::uniform4(prop_oneof![Just(0u128), 0u128..50, 0u128..u64::MAX as u128]),
        extra in prop_oneof![Just(0u128), 0u128..100, 0u128..u64::MAX as u128],
    ) {
        let total = tally.iter().sum::<u128>() + extra;
        let contract = governance::tally::outcome(
            &governance::msg::Tally {
                yes: u(tally[0]),
                no: u(tally[1]),
                abstain: u(tally[2]),
                veto: u(tally[3]),
            },
            u(total),
            &governance::msg::VotingRules {
                quorum: Decimal::permille(rules.quorum as u64),
                threshold: Decimal::permille(rules.threshold as u64),
                veto_threshold: Decimal::permille(rules.veto as u64),
            },
        )
        .unwrap();
        prop_assert_eq!(status_of(contract), rules.outcome(&tally, total));
    }
}
