//! The test bench: governance instantiated on mock dependencies whose querier plays the staking
//! contract (voting power by height, with staking's rule that a change at height `h` is visible
//! from `h + 1`) and a GRID cw20 (balances), a cast of stakers, and an `execute` that audits the
//! books after every success (held deposits = deposits of unclosed proposals; tallies = sums of
//! ballots); the harness's `Chain` proves that every error left the storage exactly as it was.

use crate::contract::{execute, instantiate, migrate, query, reply};
use crate::msg::{
    ConfigResponse, DepositStatus, ExecuteMsg, InstantiateMsg, MigrateMsg, ProposalMessage,
    ProposalResponse, QueryMsg, ReceiveMsg, Tally, UncheckedDeposit, VoteOption,
};
use crate::state::{BALLOTS, DEPOSITS_HELD, PROPOSALS};
use crate::ContractError;
use cosmwasm_std::{
    from_json, to_json_binary, Addr, Binary, Coin, ContractResult, Decimal, Order, Reply, Response,
    StdResult, SubMsgResult, SystemError, SystemResult, Uint128, WasmQuery,
};
use cw20::{BalanceResponse, Cw20QueryMsg};
use gridshare_types::staking::{QueryMsg as StakingQueryMsg, VotingPowerResponse};
use gridshare_types::{Denom, UncheckedDenom};
pub use gridshare_unit_harness::{addr, attr, attrs, snapshot, Bench, Snapshot};
use gridshare_unit_harness::{
    cw20_receive, Chain, Contract, ExecuteFn, InstantiateFn, MigrateFn, QueryFn, ReplyFn,
};
use serde::de::DeserializeOwned;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

/// Governance's entry points, as the harness drives them.
pub struct Governance;

impl Contract for Governance {
    type InstantiateMsg = InstantiateMsg;
    type ExecuteMsg = ExecuteMsg;
    type QueryMsg = QueryMsg;
    type MigrateMsg = MigrateMsg;
    type Error = ContractError;
    const INSTANTIATE: InstantiateFn<Self> = instantiate;
    const EXECUTE: ExecuteFn<Self> = execute;
    const QUERY: QueryFn<Self> = query;
    const MIGRATE: MigrateFn<Self> = migrate;
    const REPLY: Option<ReplyFn<Self>> = Some(reply);
}

pub const UGRID: &str = "ugrid";
/// A whole second, so that timestamps in assertions read cleanly.
pub const GENESIS: u64 = 1_700_000_000;
pub const DAY: u64 = 86_400;
pub const VOTING_PERIOD: u64 = 3 * DAY;
pub const TIMELOCK: u64 = DAY;
/// The timelock floor fixed at instantiation: a minute.
pub const MIN_TIMELOCK: u64 = 60;
pub const DEPOSIT: u128 = 1_000;
/// Seconds per block.
pub const BLOCK: u64 = 5;

pub fn u(n: u128) -> Uint128 {
    Uint128::new(n)
}

pub fn coin(amount: u128, denom: &str) -> Coin {
    Coin::new(amount, denom)
}

/// The standard rules: a native 1000 ugrid deposit, quorum 30 %, threshold 50 %, veto 1/3,
/// three days of voting, one day of timelock, never less than a minute.
pub fn instantiate_msg() -> InstantiateMsg {
    InstantiateMsg {
        staking: addr("staking").to_string(),
        deposit: Some(UncheckedDeposit {
            denom: UncheckedDenom::Native(UGRID.into()),
            amount: u(DEPOSIT),
        }),
        min_proposer_power: Uint128::zero(),
        quorum: Decimal::percent(30),
        threshold: Decimal::percent(50),
        veto_threshold: Decimal::permille(334),
        voting_period: VOTING_PERIOD,
        timelock: TIMELOCK,
        min_timelock: MIN_TIMELOCK,
    }
}

/// Staking's bonds as snapshots: per address, `(height of the change, value after it)`.
#[derive(Default, Debug)]
pub struct FakeStaking {
    pub bonds: BTreeMap<String, Vec<(u64, u128)>>,
}

impl FakeStaking {
    /// The bond of `address` at the start of block `height`.
    pub fn power_at(&self, address: &str, height: u64) -> u128 {
        self.bonds
            .get(address)
            .and_then(|changes| changes.iter().rev().find(|(h, _)| *h < height))
            .map_or(0, |(_, v)| *v)
    }

    pub fn total_at(&self, height: u64) -> u128 {
        self.bonds.keys().map(|a| self.power_at(a, height)).sum()
    }

    pub fn set(&mut self, address: &Addr, height: u64, value: u128) {
        self.bonds
            .entry(address.to_string())
            .or_default()
            .push((height, value));
    }
}

pub struct Suite {
    pub chain: Chain<Governance>,
    pub staking_addr: Addr,
    pub grid: Addr,
    pub staking: Rc<RefCell<FakeStaking>>,
    /// GRID (cw20) balances the fake token reports.
    pub grid_balances: Rc<RefCell<BTreeMap<String, u128>>>,
    pub alice: Addr,
    pub bob: Addr,
    pub carol: Addr,
    /// Has no stake.
    pub dave: Addr,
}

impl Suite {
    /// Governance with the standard rules at block time [`GENESIS`], height 100; Alice, Bob and
    /// Carol have bonded 400, 300 and 300 (total 1000) before height 100.
    pub fn new() -> Self {
        Self::with(instantiate_msg())
    }

    pub fn with(msg: InstantiateMsg) -> Self {
        let mut chain = Chain::at(GENESIS);
        chain.env.block.height = 100;
        let staking_addr = addr("staking");
        let grid = addr("grid");
        let staking = Rc::new(RefCell::new(FakeStaking::default()));
        let grid_balances = Rc::new(RefCell::new(BTreeMap::new()));
        {
            let (staking, grid_balances) = (staking.clone(), grid_balances.clone());
            let (staking_addr, grid) = (staking_addr.clone(), grid.clone());
            chain.deps.querier.update_wasm(move |query| match query {
                WasmQuery::Smart { contract_addr, msg }
                    if contract_addr.as_str() == staking_addr.as_str() =>
                {
                    let staking = staking.borrow();
                    let response = match from_json::<StakingQueryMsg>(msg) {
                        Ok(StakingQueryMsg::VotingPowerAtHeight {
                            address,
                            height: Some(height),
                        }) => VotingPowerResponse {
                            power: u(staking.power_at(&address, height)),
                            height,
                        },
                        Ok(StakingQueryMsg::TotalPowerAtHeight {
                            height: Some(height),
                        }) => VotingPowerResponse {
                            power: u(staking.total_at(height)),
                            height,
                        },
                        other => panic!("governance asked staking {other:?}"),
                    };
                    SystemResult::Ok(ContractResult::Ok(to_json_binary(&response).unwrap()))
                }
                WasmQuery::Smart { contract_addr, msg }
                    if contract_addr.as_str() == grid.as_str() =>
                {
                    let response = match from_json::<Cw20QueryMsg>(msg) {
                        Ok(Cw20QueryMsg::Balance { address }) => BalanceResponse {
                            balance: u(grid_balances
                                .borrow()
                                .get(&address)
                                .copied()
                                .unwrap_or_default()),
                        },
                        other => panic!("governance asked GRID {other:?}"),
                    };
                    SystemResult::Ok(ContractResult::Ok(to_json_binary(&response).unwrap()))
                }
                WasmQuery::Smart { contract_addr, .. } => {
                    SystemResult::Err(SystemError::NoSuchContract {
                        addr: contract_addr.clone(),
                    })
                }
                other => panic!("unexpected query {other:?}"),
            });
        }
        let suite_staking = staking.clone();
        {
            let mut s = suite_staking.borrow_mut();
            s.set(&addr("alice"), 10, 400);
            s.set(&addr("bob"), 20, 300);
            s.set(&addr("carol"), 30, 300);
        }
        chain.instantiate(&addr("deployer"), msg, &[]).unwrap();
        Suite {
            chain,
            staking_addr,
            grid,
            staking,
            grid_balances,
            alice: addr("alice"),
            bob: addr("bob"),
            carol: addr("carol"),
            dave: addr("dave"),
        }
    }

    pub fn gov(&self) -> Addr {
        self.chain.contract()
    }

    pub fn height(&self) -> u64 {
        self.chain.height()
    }

    /// Moves the chain forward by `seconds`, one block per [`BLOCK`] seconds (at least one).
    pub fn advance(&mut self, seconds: u64) {
        self.chain
            .advance_blocks(seconds, seconds.div_ceil(BLOCK).max(1));
    }

    /// `who`'s bond becomes `value` in the current block (visible from the next).
    pub fn set_bond(&mut self, who: &Addr, value: u128) {
        let height = self.height();
        self.staking.borrow_mut().set(who, height, value);
    }

    /// The governance contract's native balance, as the bank reports it.
    pub fn set_native_balance(&mut self, amount: u128) {
        let gov = self.gov();
        self.chain
            .deps
            .querier
            .bank
            .update_balance(gov, vec![coin(amount, UGRID)]);
    }

    pub fn set_grid_balance(&mut self, who: &Addr, amount: u128) {
        self.grid_balances
            .borrow_mut()
            .insert(who.to_string(), amount);
    }

    pub fn snapshot(&self) -> Snapshot {
        self.chain.snapshot()
    }

    /// The reply the chain gives governance to sub-message `id` (governance attaches no
    /// payload). The books are audited after a success; the chain holds an error to "storage
    /// unchanged".
    pub fn try_reply(&mut self, id: u64, result: SubMsgResult) -> Result<Response, ContractError> {
        let result = self.chain.reply(Reply {
            id,
            payload: Binary::default(),
            gas_used: 0,
            result,
        });
        if result.is_ok() {
            self.check_books();
        }
        result
    }

    pub fn fail_dispatch(&mut self, id: u64, reason: &str) -> Response {
        self.try_reply(id, SubMsgResult::Err(reason.into()))
            .unwrap()
    }

    // ---- the story's verbs ----

    pub fn propose_msg(title: &str, messages: Vec<ProposalMessage>) -> ExecuteMsg {
        ExecuteMsg::Propose {
            title: title.into(),
            description: format!("{title}, explained"),
            messages,
        }
    }

    /// `who` proposes `messages` with the standard native deposit; returns the proposal id.
    pub fn propose(&mut self, who: &Addr, messages: Vec<ProposalMessage>) -> u64 {
        let res = self.exec(
            who,
            &[coin(DEPOSIT, UGRID)],
            Self::propose_msg("A proposal", messages),
        );
        attr(&res, "proposal_id").parse().unwrap()
    }

    /// A proposal through GRID's `Send` (the cw20 deposit form).
    pub fn try_propose_cw20(
        &mut self,
        token: &Addr,
        who: &Addr,
        amount: u128,
        messages: Vec<ProposalMessage>,
    ) -> Result<Response, ContractError> {
        self.try_exec(
            token,
            &[],
            ExecuteMsg::Receive(cw20_receive(
                who,
                amount,
                &ReceiveMsg::Propose {
                    title: "Paid in GRID".into(),
                    description: String::new(),
                    messages,
                },
            )),
        )
    }

    pub fn vote(&mut self, who: &Addr, proposal_id: u64, vote: VoteOption) -> Response {
        self.exec(who, &[], ExecuteMsg::Vote { proposal_id, vote })
    }

    pub fn vote_err(&mut self, who: &Addr, proposal_id: u64, vote: VoteOption) -> ContractError {
        self.exec_err(who, &[], ExecuteMsg::Vote { proposal_id, vote })
    }

    pub fn close(&mut self, proposal_id: u64) -> Result<Response, ContractError> {
        let dave = self.dave.clone();
        self.try_exec(&dave, &[], ExecuteMsg::Close { proposal_id })
    }

    pub fn execute(&mut self, proposal_id: u64) -> Result<Response, ContractError> {
        let dave = self.dave.clone();
        self.try_exec(&dave, &[], ExecuteMsg::Execute { proposal_id })
    }

    /// What governance itself does inside `Execute`'s sub-message.
    pub fn dispatch(&mut self, proposal_id: u64) -> Result<Response, ContractError> {
        let gov = self.gov();
        self.try_exec(&gov, &[], ExecuteMsg::DispatchProposal { proposal_id })
    }

    /// A passed proposal with `messages`, whose timelock is over: Alice and Bob vote yes.
    pub fn passed(&mut self, messages: Vec<ProposalMessage>) -> u64 {
        let alice = self.alice.clone();
        let bob = self.bob.clone();
        let id = self.propose(&alice, messages);
        self.vote(&alice, id, VoteOption::Yes);
        self.vote(&bob, id, VoteOption::Yes);
        self.advance(VOTING_PERIOD + TIMELOCK);
        id
    }

    // ---- queries ----

    pub fn query<T: DeserializeOwned>(&self, msg: QueryMsg) -> StdResult<T> {
        self.chain.query(msg)
    }

    pub fn proposal(&self, proposal_id: u64) -> ProposalResponse {
        self.query(QueryMsg::Proposal { proposal_id }).unwrap()
    }

    pub fn config(&self) -> ConfigResponse {
        self.query(QueryMsg::Config {}).unwrap()
    }

    // ---- the audit run after every success ----

    pub fn check_books(&self) {
        let storage = &self.chain.deps.storage;
        let mut held: BTreeMap<String, Uint128> = BTreeMap::new();
        let proposals: Vec<_> = PROPOSALS
            .range(storage, None, None, Order::Ascending)
            .collect::<StdResult<_>>()
            .unwrap();
        for (id, proposal) in &proposals {
            if let Some(deposit) = &proposal.deposit {
                if deposit.status == DepositStatus::Held {
                    *held.entry(deposit.denom.key()).or_default() += deposit.amount;
                    assert_eq!(
                        proposal.status,
                        crate::msg::ProposalStatus::Open,
                        "proposal {id} is closed but its deposit is held"
                    );
                }
            }
            let mut tally = Tally::default();
            for item in BALLOTS
                .prefix(*id)
                .range(storage, None, None, Order::Ascending)
            {
                let (_, ballot) = item.unwrap();
                match ballot.vote {
                    VoteOption::Yes => tally.yes += ballot.power,
                    VoteOption::No => tally.no += ballot.power,
                    VoteOption::Abstain => tally.abstain += ballot.power,
                    VoteOption::Veto => tally.veto += ballot.power,
                }
            }
            assert_eq!(
                tally, proposal.tally,
                "proposal {id}: tally is not its ballots"
            );
        }
        let recorded: BTreeMap<String, Uint128> = DEPOSITS_HELD
            .range(storage, None, None, Order::Ascending)
            .map(|item| {
                let (key, deposit) = item.unwrap();
                assert_eq!(key, deposit.denom.key());
                assert!(!deposit.amount.is_zero(), "an empty held entry for {key}");
                (key, deposit.amount)
            })
            .collect();
        assert_eq!(recorded, held, "held deposits drifted");
    }
}

impl Bench for Suite {
    type ExecuteMsg = ExecuteMsg;
    type Error = ContractError;

    /// Executes `msg` from `sender` with `funds` and audits the books after a success; the
    /// chain holds an error to "storage unchanged".
    fn try_exec(
        &mut self,
        sender: &Addr,
        funds: &[Coin],
        msg: ExecuteMsg,
    ) -> Result<Response, ContractError> {
        let result = self.chain.exec(sender, msg, funds);
        if result.is_ok() {
            self.check_books();
        }
        result
    }
}

pub fn native(denom: &str) -> Denom {
    Denom::Native(denom.into())
}

/// A `WasmExecute` of `{"ping":{}}` on `contract`.
pub fn ping(contract: &str) -> ProposalMessage {
    ProposalMessage::WasmExecute {
        contract: addr(contract).to_string(),
        msg: Binary::from(br#"{"ping":{}}"#),
        funds: vec![],
    }
}
