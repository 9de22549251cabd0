//! The scenario world: a chain with the GridShare contracts deployed and named people on it.

use crate::contracts;
use cosmwasm_std::{coins, Addr, BlockInfo, Decimal, Timestamp, Uint128};
use cw20::{BalanceResponse, Cw20Coin, Cw20QueryMsg};
use cw_multi_test::{App, Executor};
use gridshare_types::escrow::InstantiateMsg as EscrowInstantiateMsg;
use gridshare_types::marketplace::{
    ExecuteMsg as MarketExecuteMsg, InstantiateMsg as MarketInstantiateMsg,
};
use gridshare_types::staking::InstantiateMsg as StakingInstantiateMsg;
use gridshare_types::{Denom, UncheckedDenom};

/// The stablecoin renters pay with in scenarios.
pub const USDC: &str = "uusdc";
/// GRID minted to the owner at genesis, on top of what the builder hands out.
pub const GRID_INITIAL_SUPPLY: u128 = 1_000_000_000;
/// Staking parameters of the scenario chain.
pub const UNBONDING_PERIOD: u64 = 7 * 24 * 3600;
pub const MIN_STAKE_PER_GPU: u128 = 1_000;
pub const EPOCH_SECONDS: u64 = 24 * 3600;
pub const EMISSION_PER_EPOCH: u128 = 10_000;
/// Governance's voting rules in scenarios.
pub const VOTING_PERIOD: u64 = 24 * 3600;
pub const TIMELOCK: u64 = 3600;
/// The premium tier on sale in scenarios: half the take rate, served first.
pub const PREMIUM_TIER: &str = "pro";
pub const PREMIUM_PRICE: u128 = 1_000;

pub fn premium_tier() -> access_token::msg::Tier {
    access_token::msg::Tier {
        id: PREMIUM_TIER.into(),
        price_per_period: Uint128::new(PREMIUM_PRICE),
        period_seconds: 30 * 24 * 3600,
        fee_discount_bps: 5_000,
        priority: 1,
        max_open_orders: 50,
    }
}

/// Seconds per block in scenarios.
pub const BLOCK_SECONDS: u64 = 5;

pub struct SuiteBuilder {
    native: Vec<(String, u128, String)>,
    grid: Vec<(String, u128)>,
}

impl Default for SuiteBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl SuiteBuilder {
    pub fn new() -> Self {
        SuiteBuilder {
            native: vec![],
            grid: vec![],
        }
    }

    /// `name` starts with `amount` of the native `denom`.
    pub fn with_native(mut self, name: &str, amount: u128, denom: &str) -> Self {
        self.native
            .push((name.to_string(), amount, denom.to_string()));
        self
    }

    /// `name` starts with `amount` GRID (the cw20 token).
    pub fn with_grid(mut self, name: &str, amount: u128) -> Self {
        self.grid.push((name.to_string(), amount));
        self
    }

    pub fn build(self) -> Suite {
        let mut app = App::default();
        let api = *app.api();
        let owner = api.addr_make("owner");

        for (name, amount, denom) in &self.native {
            let who = api.addr_make(name);
            app.init_modules(|router, _, storage| {
                router
                    .bank
                    .init_balance(storage, &who, coins(*amount, denom))
            })
            .unwrap_or_else(|e| panic!("funding {name}: {e}"));
        }

        let mut initial_balances = vec![Cw20Coin {
            address: owner.to_string(),
            amount: Uint128::new(GRID_INITIAL_SUPPLY),
        }];
        initial_balances.extend(self.grid.iter().map(|(name, amount)| Cw20Coin {
            address: api.addr_make(name).to_string(),
            amount: Uint128::new(*amount),
        }));
        let grid_code = app.store_code(contracts::access_token());
        let grid = app
            .instantiate_contract(
                grid_code,
                owner.clone(),
                &access_token::msg::InstantiateMsg {
                    name: "GridShare".into(),
                    symbol: "GRID".into(),
                    decimals: 6,
                    initial_balances,
                    mint: None,
                    marketing: None,
                    admin: None,
                    tiers: vec![premium_tier()],
                },
                &[],
                "grid",
                Some(owner.to_string()),
            )
            .unwrap_or_else(|e| panic!("instantiating GRID: {e}"));

        let staking_code = app.store_code(contracts::staking());
        let staking = app
            .instantiate_contract(
                staking_code,
                owner.clone(),
                &StakingInstantiateMsg {
                    owner: None,
                    marketplace: owner.to_string(),
                    treasury: api.addr_make("treasury").to_string(),
                    stake_denom: UncheckedDenom::Cw20(grid.to_string()),
                    unbonding_period: UNBONDING_PERIOD,
                    min_stake_per_gpu: Uint128::new(MIN_STAKE_PER_GPU),
                    compensation_ratio: Decimal::percent(50),
                    reward_denoms: vec![
                        UncheckedDenom::Native(USDC.into()),
                        UncheckedDenom::Cw20(grid.to_string()),
                    ],
                    epoch_seconds: EPOCH_SECONDS,
                    emission_per_epoch: Uint128::new(EMISSION_PER_EPOCH),
                    emission_weights: None,
                },
                &[],
                "staking",
                Some(owner.to_string()),
            )
            .unwrap_or_else(|e| panic!("instantiating staking: {e}"));

        let escrow_code = app.store_code(contracts::escrow());
        let escrow = app
            .instantiate_contract(
                escrow_code,
                owner.clone(),
                &EscrowInstantiateMsg {
                    owner: None,
                    marketplace: owner.to_string(),
                    fee_collector: staking.to_string(),
                    accepted_denoms: vec![
                        UncheckedDenom::Native(USDC.into()),
                        UncheckedDenom::Cw20(grid.to_string()),
                    ],
                },
                &[],
                "escrow",
                Some(owner.to_string()),
            )
            .unwrap_or_else(|e| panic!("instantiating escrow: {e}"));

        let market_code = app.store_code(contracts::marketplace());
        let marketplace = app
            .instantiate_contract(
                market_code,
                owner.clone(),
                &MarketInstantiateMsg {
                    owner: None,
                    escrow: escrow.to_string(),
                    staking: staking.to_string(),
                    access_token: Some(grid.to_string()),
                    params: crate::marketplace::params(),
                },
                &[],
                "marketplace",
                Some(owner.to_string()),
            )
            .unwrap_or_else(|e| panic!("instantiating the marketplace: {e}"));
        for model in crate::marketplace::catalogue() {
            app.execute_contract(
                owner.clone(),
                marketplace.clone(),
                &MarketExecuteMsg::AddModel { model },
                &[],
            )
            .unwrap_or_else(|e| panic!("seeding the catalogue: {e}"));
        }
        app.execute_contract(
            owner.clone(),
            escrow.clone(),
            &gridshare_types::escrow::ExecuteMsg::UpdateConfig {
                marketplace: Some(marketplace.to_string()),
                fee_collector: None,
                accepted_denoms: None,
            },
            &[],
        )
        .unwrap_or_else(|e| panic!("wiring escrow to the marketplace: {e}"));
        app.execute_contract(
            owner.clone(),
            staking.clone(),
            &gridshare_types::staking::ExecuteMsg::UpdateConfig {
                marketplace: Some(marketplace.to_string()),
                treasury: None,
                unbonding_period: None,
                min_stake_per_gpu: None,
                compensation_ratio: None,
                reward_denoms: None,
                emission_per_epoch: None,
                emission_weights: None,
            },
            &[],
        )
        .unwrap_or_else(|e| panic!("wiring staking to the marketplace: {e}"));

        let governance_code = app.store_code(contracts::governance());
        let governance = app
            .instantiate_contract(
                governance_code,
                owner.clone(),
                &governance::msg::InstantiateMsg {
                    staking: staking.to_string(),
                    deposit: None,
                    min_proposer_power: Uint128::new(1),
                    quorum: Decimal::percent(30),
                    threshold: Decimal::percent(50),
                    veto_threshold: Decimal::permille(334),
                    voting_period: VOTING_PERIOD,
                    timelock: TIMELOCK,
                    min_timelock: 1,
                },
                &[],
                "governance",
                Some(owner.to_string()),
            )
            .unwrap_or_else(|e| panic!("instantiating governance: {e}"));

        Suite {
            app,
            owner,
            marketplace,
            escrow,
            staking,
            grid,
            governance,
        }
    }
}

pub struct Suite {
    pub app: App,
    pub owner: Addr,
    pub marketplace: Addr,
    pub escrow: Addr,
    /// Also escrow's fee collector: every fee becomes staking rewards.
    pub staking: Addr,
    /// The GRID token: cw20 plus premium-access tiers.
    pub grid: Addr,
    /// Deployed but not yet in charge: see `hand_over_to_governance`.
    pub governance: Addr,
}

impl Suite {
    /// The address of a named participant.
    pub fn addr(&self, name: &str) -> Addr {
        self.app.api().addr_make(name)
    }

    pub fn usdc(&self) -> Denom {
        Denom::Native(USDC.into())
    }

    pub fn grid_denom(&self) -> Denom {
        Denom::Cw20(self.grid.clone())
    }

    pub fn block(&self) -> BlockInfo {
        self.app.block_info()
    }

    pub fn now(&self) -> Timestamp {
        self.app.block_info().time
    }

    /// Moves time forward, with the blocks that take.
    pub fn advance_seconds(&mut self, seconds: u64) {
        self.app.update_block(|block| {
            block.time = block.time.plus_seconds(seconds);
            block.height += seconds.div_ceil(BLOCK_SECONDS).max(1);
        });
    }

    /// What `who` holds of `denom`.
    pub fn balance(&self, who: &Addr, denom: &Denom) -> Uint128 {
        match denom {
            Denom::Native(d) => self
                .app
                .wrap()
                .query_balance(who, d)
                .map(|c| c.amount)
                .unwrap_or_else(|e| panic!("bank balance of {who}: {e}")),
            Denom::Cw20(token) => self
                .app
                .wrap()
                .query_wasm_smart::<BalanceResponse>(
                    token,
                    &Cw20QueryMsg::Balance {
                        address: who.to_string(),
                    },
                )
                .map(|r| r.balance)
                .unwrap_or_else(|e| panic!("cw20 balance of {who}: {e}")),
        }
    }

    pub fn balance_of(&self, name: &str, denom: &Denom) -> Uint128 {
        self.balance(&self.addr(name), denom)
    }
}

impl Suite {
    /// The owner sends `msg` to `contract` (a configuration change, say).
    pub fn owner_executes<M: serde::Serialize + std::fmt::Debug>(
        &mut self,
        contract: &Addr,
        msg: &M,
    ) -> anyhow::Result<cw_multi_test::AppResponse> {
        let owner = self.owner.clone();
        self.app.execute_contract(owner, contract.clone(), msg, &[])
    }

    /// Queries `contract`; panics with the query when it fails.
    pub fn query_contract<T: serde::de::DeserializeOwned, M: serde::Serialize + std::fmt::Debug>(
        &self,
        contract: &Addr,
        msg: &M,
    ) -> T {
        self.app
            .wrap()
            .query_wasm_smart(contract, msg)
            .unwrap_or_else(|e| panic!("query {msg:?} of {contract}: {e}"))
    }
}
