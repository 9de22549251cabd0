//! A cw-multi-test chain with the real GridShare contracts: GRID (access-token) as the stake
//! token, staking, escrow and governance, deployed by `deployer`, with four GRID holders.

#![allow(dead_code)]

use cosmwasm_std::{to_json_binary, Addr, Binary, Decimal, Uint128, WasmMsg};
use cw20::{BalanceResponse, Cw20Coin, Cw20ExecuteMsg, Cw20QueryMsg, MinterResponse};
use cw_multi_test::{App, AppResponse, Executor};
use governance::msg::{
    ExecuteMsg as GovExecuteMsg, InstantiateMsg as GovInstantiateMsg, ProposalMessage,
    ProposalResponse, QueryMsg as GovQueryMsg, ReceiveMsg as GovReceiveMsg, UncheckedDeposit,
    VoteOption,
};
use gridshare_types::owner::{OwnerAction, OwnershipResponse};
use gridshare_types::staking::{
    ConfigResponse as StakingConfig, ExecuteMsg as StakingExecuteMsg,
    InstantiateMsg as StakingInstantiateMsg, QueryMsg as StakingQueryMsg,
    ReceiveMsg as StakingReceiveMsg,
};
use gridshare_types::UncheckedDenom;
use serde::Serialize;

pub const DAY: u64 = 86_400;
pub const VOTING_PERIOD: u64 = 3 * DAY;
pub const TIMELOCK: u64 = DAY;
/// Governance's timelock floor, fixed at instantiation.
pub const MIN_TIMELOCK: u64 = 3_600;
pub const DEPOSIT: u128 = 1_000;
pub const HOLDING: u128 = 100_000;
pub const UNBONDING_PERIOD: u64 = 7 * DAY;
pub const BLOCK_SECONDS: u64 = 5;

// The suite's own contract wrappers: one definition for every test crate.
pub use gridshare_testing::contracts::{access_token, escrow, governance, marketplace, staking};

pub fn u(n: u128) -> Uint128 {
    Uint128::new(n)
}

/// A `WasmExecute` proposal message.
pub fn wasm_execute(contract: &Addr, msg: &impl Serialize) -> ProposalMessage {
    ProposalMessage::WasmExecute {
        contract: contract.to_string(),
        msg: to_json_binary(msg).unwrap(),
        funds: vec![],
    }
}

/// Staking's `UpdateConfig` changing only the unbonding period.
pub fn set_unbonding_period(seconds: u64) -> StakingExecuteMsg {
    StakingExecuteMsg::UpdateConfig {
        marketplace: None,
        treasury: None,
        unbonding_period: Some(seconds),
        min_stake_per_gpu: None,
        compensation_ratio: None,
        reward_denoms: None,
        emission_per_epoch: None,
        emission_weights: None,
    }
}

/// Staking's `UpdateConfig` with an invalid compensation ratio: staking refuses it.
pub fn invalid_staking_update() -> StakingExecuteMsg {
    StakingExecuteMsg::UpdateConfig {
        marketplace: None,
        treasury: None,
        unbonding_period: None,
        min_stake_per_gpu: None,
        compensation_ratio: Some(Decimal::percent(200)),
        reward_denoms: None,
        emission_per_epoch: None,
        emission_weights: None,
    }
}

/// The marketplace's parameters on this chain (GRID is its only denom).
pub fn marketplace_params(grid: &Addr) -> gridshare_types::marketplace::Params {
    gridshare_types::marketplace::Params {
        accepted_denoms: vec![UncheckedDenom::Cw20(grid.to_string())],
        take_rate_bps: 250,
        heartbeat_interval: 60,
        max_silence: 300,
        dispute_window: 3_600,
        slash: gridshare_types::marketplace::SlashRule::Fixed { amount: u(500) },
        max_matches: 8,
        max_scan: 50,
        max_reap: 20,
        max_replication: 5,
        max_inline_bytes: 1_024,
        max_eligible_models: 4,
    }
}

pub struct World {
    pub app: App,
    pub deployer: Addr,
    pub grid: Addr,
    pub staking: Addr,
    pub escrow: Addr,
    pub marketplace: Addr,
    pub governance: Addr,
    pub escrow_code: u64,
    pub governance_code: u64,
}

impl Default for World {
    fn default() -> Self {
        Self::new()
    }
}

impl World {
    /// Everything deployed; nothing handed over yet (the deployer owns staking, escrow, the
    /// marketplace and GRID's tiers and is every contract's wasm admin).
    pub fn new() -> Self {
        Self::with_rules(
            Decimal::percent(30),
            Decimal::percent(50),
            Decimal::permille(334),
        )
    }

    /// As [`World::new`], with governance deciding by these rules.
    pub fn with_rules(quorum: Decimal, threshold: Decimal, veto_threshold: Decimal) -> Self {
        let mut app = App::default();
        let api = *app.api();
        let deployer = api.addr_make("deployer");
        let holders = ["alice", "bob", "carol", "dave"];

        let grid_code = app.store_code(access_token());
        let grid = app
            .instantiate_contract(
                grid_code,
                deployer.clone(),
                &access_token::msg::InstantiateMsg {
                    name: "GridShare".into(),
                    symbol: "GRID".into(),
                    decimals: 6,
                    initial_balances: holders
                        .iter()
                        .map(|h| Cw20Coin {
                            address: api.addr_make(h).to_string(),
                            amount: u(HOLDING),
                        })
                        .collect(),
                    mint: Some(MinterResponse {
                        minter: deployer.to_string(),
                        cap: Some(u(10 * HOLDING)),
                    }),
                    marketing: None,
                    admin: None,
                    tiers: vec![],
                },
                &[],
                "grid",
                Some(deployer.to_string()),
            )
            .unwrap();

        let staking_code = app.store_code(staking());
        let staking = app
            .instantiate_contract(
                staking_code,
                deployer.clone(),
                &StakingInstantiateMsg {
                    owner: None,
                    marketplace: api.addr_make("marketplace").to_string(),
                    treasury: api.addr_make("treasury").to_string(),
                    stake_denom: UncheckedDenom::Cw20(grid.to_string()),
                    unbonding_period: UNBONDING_PERIOD,
                    min_stake_per_gpu: u(1_000),
                    compensation_ratio: Decimal::percent(50),
                    reward_denoms: vec![UncheckedDenom::Cw20(grid.to_string())],
                    epoch_seconds: DAY,
                    emission_per_epoch: u(100),
                    emission_weights: None,
                },
                &[],
                "staking",
                Some(deployer.to_string()),
            )
            .unwrap();

        let escrow_code = app.store_code(escrow());
        let escrow = app
            .instantiate_contract(
                escrow_code,
                deployer.clone(),
                &gridshare_types::escrow::InstantiateMsg {
                    owner: None,
                    marketplace: api.addr_make("marketplace").to_string(),
                    fee_collector: staking.to_string(),
                    accepted_denoms: vec![UncheckedDenom::Cw20(grid.to_string())],
                },
                &[],
                "escrow",
                Some(deployer.to_string()),
            )
            .unwrap();

        let marketplace_code = app.store_code(marketplace());
        let marketplace = app
            .instantiate_contract(
                marketplace_code,
                deployer.clone(),
                &gridshare_types::marketplace::InstantiateMsg {
                    owner: None,
                    escrow: escrow.to_string(),
                    staking: staking.to_string(),
                    access_token: Some(grid.to_string()),
                    params: marketplace_params(&grid),
                },
                &[],
                "marketplace",
                Some(deployer.to_string()),
            )
            .unwrap();

        let governance_code = app.store_code(governance());
        let governance = app
            .instantiate_contract(
                governance_code,
                deployer.clone(),
                &GovInstantiateMsg {
                    staking: staking.to_string(),
                    deposit: Some(UncheckedDeposit {
                        denom: UncheckedDenom::Cw20(grid.to_string()),
                        amount: u(DEPOSIT),
                    }),
                    min_proposer_power: Uint128::zero(),
                    quorum,
                    threshold,
                    veto_threshold,
                    voting_period: VOTING_PERIOD,
                    timelock: TIMELOCK,
                    min_timelock: MIN_TIMELOCK,
                },
                &[],
                "governance",
                Some(deployer.to_string()),
            )
            .unwrap();

        World {
            app,
            deployer,
            grid,
            staking,
            escrow,
            marketplace,
            governance,
            escrow_code,
            governance_code,
        }
    }

    pub fn addr(&self, name: &str) -> Addr {
        self.app.api().addr_make(name)
    }

    pub fn height(&self) -> u64 {
        self.app.block_info().height
    }

    /// Moves time forward, one block per five seconds (at least one block).
    pub fn advance(&mut self, seconds: u64) {
        self.app.update_block(|block| {
            block.time = block.time.plus_seconds(seconds);
            block.height += seconds.div_ceil(BLOCK_SECONDS).max(1);
        });
    }

    pub fn grid_send(
        &mut self,
        who: &str,
        to: &Addr,
        amount: u128,
        hook: Binary,
    ) -> anyhow::Result<AppResponse> {
        let (sender, grid) = (self.addr(who), self.grid.clone());
        self.app.execute_contract(
            sender,
            grid,
            &Cw20ExecuteMsg::Send {
                contract: to.to_string(),
                amount: u(amount),
                msg: hook,
            },
            &[],
        )
    }

    pub fn grid_balance(&self, who: &Addr) -> u128 {
        self.app
            .wrap()
            .query_wasm_smart::<BalanceResponse>(
                &self.grid,
                &Cw20QueryMsg::Balance {
                    address: who.to_string(),
                },
            )
            .unwrap()
            .balance
            .u128()
    }

    pub fn bond(&mut self, who: &str, amount: u128) {
        let staking = self.staking.clone();
        self.grid_send(
            who,
            &staking,
            amount,
            to_json_binary(&StakingReceiveMsg::Bond {}).unwrap(),
        )
        .unwrap();
    }

    pub fn unbond(&mut self, who: &str, amount: u128) {
        let (sender, staking) = (self.addr(who), self.staking.clone());
        self.app
            .execute_contract(
                sender,
                staking,
                &StakingExecuteMsg::Unbond { amount: u(amount) },
                &[],
            )
            .unwrap();
    }

    pub fn staking_config(&self) -> StakingConfig {
        self.app
            .wrap()
            .query_wasm_smart(&self.staking, &StakingQueryMsg::Config {})
            .unwrap()
    }

    /// `who` proposes `messages`, paying the GRID deposit with `Send`; returns the id.
    pub fn try_propose(
        &mut self,
        who: &str,
        title: &str,
        messages: Vec<ProposalMessage>,
    ) -> anyhow::Result<u64> {
        let governance = self.governance.clone();
        let res = self.grid_send(
            who,
            &governance,
            DEPOSIT,
            to_json_binary(&GovReceiveMsg::Propose {
                title: title.into(),
                description: format!("{title}: rationale"),
                messages,
            })
            .unwrap(),
        )?;
        let id = res
            .events
            .iter()
            .flat_map(|e| e.attributes.iter())
            .find(|a| a.key == "proposal_id")
            .map(|a| a.value.parse().unwrap())
            .unwrap();
        Ok(id)
    }

    pub fn propose(&mut self, who: &str, title: &str, messages: Vec<ProposalMessage>) -> u64 {
        self.try_propose(who, title, messages).unwrap()
    }

    pub fn gov(&mut self, who: &str, msg: &GovExecuteMsg) -> anyhow::Result<AppResponse> {
        let (sender, governance) = (self.addr(who), self.governance.clone());
        self.app.execute_contract(sender, governance, msg, &[])
    }

    pub fn vote(
        &mut self,
        who: &str,
        proposal_id: u64,
        vote: VoteOption,
    ) -> anyhow::Result<AppResponse> {
        self.gov(who, &GovExecuteMsg::Vote { proposal_id, vote })
    }

    pub fn execute(&mut self, proposal_id: u64) -> anyhow::Result<AppResponse> {
        self.gov("dave", &GovExecuteMsg::Execute { proposal_id })
    }

    pub fn close(&mut self, proposal_id: u64) -> anyhow::Result<AppResponse> {
        self.gov("dave", &GovExecuteMsg::Close { proposal_id })
    }

    pub fn proposal(&self, proposal_id: u64) -> ProposalResponse {
        self.app
            .wrap()
            .query_wasm_smart(&self.governance, &GovQueryMsg::Proposal { proposal_id })
            .unwrap()
    }

    /// Alice and Bob (bonded 40 000 each) vote yes; then voting and the
    /// timelock run out and the proposal is executed.
    pub fn pass_and_execute(&mut self, proposal_id: u64) -> AppResponse {
        self.vote("alice", proposal_id, VoteOption::Yes).unwrap();
        self.vote("bob", proposal_id, VoteOption::Yes).unwrap();
        self.advance(VOTING_PERIOD + TIMELOCK);
        self.execute(proposal_id).unwrap()
    }

    /// Alice, Bob and Carol bond, and a block passes so that the bonds count.
    pub fn stakers_bond(&mut self) {
        self.bond("alice", 40_000);
        self.bond("bob", 40_000);
        self.bond("carol", 20_000);
        self.advance(BLOCK_SECONDS);
    }

    /// The contracts that have a GridShare owner (GRID: its tier admin), in hand-over order.
    pub fn owned_contracts(&self) -> Vec<Addr> {
        vec![
            self.escrow.clone(),
            self.staking.clone(),
            self.marketplace.clone(),
            self.grid.clone(),
        ]
    }

    /// `Ownership {}` of an owned contract (the same query and answer on all four).
    pub fn ownership(&self, contract: &Addr) -> OwnershipResponse {
        self.app
            .wrap()
            .query_wasm_smart(contract, &gridshare_types::staking::QueryMsg::Ownership {})
            .unwrap_or_else(|e| panic!("ownership of {contract}: {e}"))
    }

    /// Hand-over step 1: the deployer offers every owned contract to governance. Nothing changes
    /// hands yet.
    pub fn offer_suite_to_governance(&mut self) {
        let offer = update_ownership(OwnerAction::TransferOwnership {
            new_owner: self.governance.to_string(),
            expiry: None,
        });
        for contract in self.owned_contracts() {
            self.app
                .execute_contract(self.deployer.clone(), contract.clone(), &offer, &[])
                .unwrap_or_else(|e| panic!("offering {contract} to governance: {e:?}"));
        }
    }

    /// Hand-over step 2: a proposal whose messages accept every offer, all or nothing.
    pub fn accept_suite_messages(&self) -> Vec<ProposalMessage> {
        self.owned_contracts()
            .iter()
            .map(|contract| {
                wasm_execute(contract, &update_ownership(OwnerAction::AcceptOwnership {}))
            })
            .collect()
    }

    /// Hand-over step 3, once governance owns the suite: the roles that change hands in one step
    /// (GRID's cw20-base minter, every wasm admin) go to governance, now known to work.
    pub fn hand_over_one_step_roles(&mut self) {
        let deployer = self.deployer.clone();
        let gov = self.governance.to_string();
        self.app
            .execute_contract(
                deployer.clone(),
                self.grid.clone(),
                &access_token::msg::ExecuteMsg::UpdateMinter {
                    new_minter: Some(gov.clone()),
                },
                &[],
            )
            .unwrap();
        let mut contracts = self.owned_contracts();
        contracts.push(self.governance.clone());
        for contract in contracts {
            self.app
                .execute(
                    deployer.clone(),
                    WasmMsg::UpdateAdmin {
                        contract_addr: contract.to_string(),
                        admin: gov.clone(),
                    }
                    .into(),
                )
                .unwrap_or_else(|e| panic!("wasm admin of {contract}: {e:?}"));
        }
    }

    /// The whole hand-over, exactly as documented in governance's crate docs: offers, a proposal
    /// that accepts them (Alice proposes, Alice and Bob vote yes: call `stakers_bond` first), then
    /// the one-step roles. Returns the acceptance proposal's id.
    pub fn hand_over(&mut self) -> u64 {
        self.offer_suite_to_governance();
        let messages = self.accept_suite_messages();
        let id = self.propose("alice", "Governance takes over the suite", messages);
        self.pass_and_execute(id);
        assert_eq!(
            self.proposal(id).status,
            governance::msg::ProposalStatus::Executed,
            "the acceptance proposal did not execute (did the stakers bond?)"
        );
        self.hand_over_one_step_roles();
        id
    }
}

/// `{"update_ownership":…}`: the same JSON on escrow, staking, the marketplace and GRID.
pub fn update_ownership(action: OwnerAction) -> StakingExecuteMsg {
    StakingExecuteMsg::UpdateOwnership(action)
}
