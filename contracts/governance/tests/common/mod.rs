//! A cw-multi-test chain with the real GridShare contracts, deployed and wired by the suite's
//! `Deployment` (GRID, the access-token, as the stake token and the only denom; staking, escrow,
//! the marketplace and governance) by `deployer`, with four GRID holders; the hand-over is the
//! suite's `HandOver`.

#![allow(dead_code)]

use cosmwasm_std::{to_json_binary, Addr, Binary, Decimal, Uint128};
use cw20::{BalanceResponse, Cw20Coin, Cw20ExecuteMsg, Cw20QueryMsg, MinterResponse};
use cw_multi_test::{App, AppResponse, Executor};
use governance::msg::{
    ExecuteMsg as GovExecuteMsg, ProposalMessage, ProposalResponse, QueryMsg as GovQueryMsg,
    ReceiveMsg as GovReceiveMsg, UncheckedDeposit, VoteOption,
};
use gridshare_testing::deploy::{
    Deployed, Deployment, EscrowSetup, GovernanceSetup, GridSetup, HandOver, MarketplaceSetup,
    Setup, StakingSetup,
};
use gridshare_types::owner::OwnershipResponse;
use gridshare_types::staking::{
    ConfigResponse as StakingConfig, ExecuteMsg as StakingExecuteMsg, QueryMsg as StakingQueryMsg,
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
        reveal_window: 600,
        slash: gridshare_types::marketplace::SlashRule::Fixed { amount: u(500) },
        liveness_slash: gridshare_types::marketplace::SlashRule::Fixed { amount: u(500) },
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

        let deployed = Deployment {
            deployer: deployer.clone(),
            admin: Some(deployer.clone()),
            grid: GridSetup {
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
                tiers: vec![],
            },
        }
        .deploy(&mut app, |grid| {
            let grid_only = || vec![UncheckedDenom::Cw20(grid.to_string())];
            Setup {
                staking: StakingSetup {
                    treasury: api.addr_make("treasury"),
                    unbonding_period: UNBONDING_PERIOD,
                    min_stake_per_gpu: u(1_000),
                    compensation_ratio: Decimal::percent(50),
                    reward_denoms: grid_only(),
                    epoch_seconds: DAY,
                    emission_per_epoch: u(100),
                    emission_weights: None,
                },
                escrow: EscrowSetup {
                    accepted_denoms: grid_only(),
                },
                marketplace: MarketplaceSetup {
                    premium_access: true,
                    params: marketplace_params(grid),
                    catalogue: vec![],
                },
                governance: Some(GovernanceSetup {
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
                }),
            }
        });

        let governance = deployed.governance().clone();
        World {
            app,
            deployer,
            grid: deployed.grid,
            staking: deployed.staking,
            escrow: deployed.escrow,
            marketplace: deployed.marketplace,
            governance,
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

    /// `Ownership {}` of an owned contract (the same query and answer on all four).
    pub fn ownership(&self, contract: &Addr) -> OwnershipResponse {
        self.app
            .wrap()
            .query_wasm_smart(contract, &gridshare_types::staking::QueryMsg::Ownership {})
            .unwrap_or_else(|e| panic!("ownership of {contract}: {e}"))
    }
}

/// The hand-over is the suite's ([`HandOver`]); on this chain Alice proposes and Alice and Bob
/// vote yes (call `stakers_bond` first).
impl HandOver for World {
    fn app_mut(&mut self) -> &mut App {
        &mut self.app
    }

    fn deployed(&self) -> Deployed {
        Deployed {
            deployer: self.deployer.clone(),
            grid: self.grid.clone(),
            staking: self.staking.clone(),
            escrow: self.escrow.clone(),
            marketplace: self.marketplace.clone(),
            governance: Some(self.governance.clone()),
        }
    }

    fn pass_proposal(&mut self, title: &str, messages: Vec<ProposalMessage>) -> u64 {
        let id = self.propose("alice", title, messages);
        self.pass_and_execute(id);
        id
    }
}
