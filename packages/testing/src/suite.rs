//! The scenario world: a chain with the GridShare contracts deployed and named people on it.

use crate::deploy::{
    Deployment, EscrowSetup, GovernanceSetup, GridSetup, MarketplaceSetup, Setup, StakingSetup,
};
use cosmwasm_std::{coins, Addr, BlockInfo, Decimal, Timestamp, Uint128};
use cw20::{BalanceResponse, Cw20Coin, Cw20QueryMsg};
use cw_multi_test::{App, Executor};
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
        let deployed = Deployment {
            deployer: owner.clone(),
            admin: Some(owner.clone()),
            grid: GridSetup {
                initial_balances,
                mint: None,
                tiers: vec![premium_tier()],
            },
        }
        .deploy(&mut app, |grid| {
            let usdc_and_grid = vec![
                UncheckedDenom::Native(USDC.into()),
                UncheckedDenom::Cw20(grid.to_string()),
            ];
            Setup {
                staking: StakingSetup {
                    treasury: api.addr_make("treasury"),
                    unbonding_period: UNBONDING_PERIOD,
                    min_stake_per_gpu: Uint128::new(MIN_STAKE_PER_GPU),
                    compensation_ratio: Decimal::percent(50),
                    reward_denoms: usdc_and_grid.clone(),
                    epoch_seconds: EPOCH_SECONDS,
                    emission_per_epoch: Uint128::new(EMISSION_PER_EPOCH),
                    emission_weights: None,
                },
                escrow: EscrowSetup {
                    accepted_denoms: usdc_and_grid,
                },
                marketplace: MarketplaceSetup {
                    premium_access: true,
                    params: crate::marketplace::params(),
                    catalogue: crate::marketplace::catalogue(),
                },
                governance: Some(GovernanceSetup {
                    deposit: None,
                    min_proposer_power: Uint128::new(1),
                    quorum: Decimal::percent(30),
                    threshold: Decimal::percent(50),
                    veto_threshold: Decimal::permille(334),
                    voting_period: VOTING_PERIOD,
                    timelock: TIMELOCK,
                    min_timelock: 1,
                }),
            }
        });

        Suite {
            app,
            owner,
            marketplace: deployed.marketplace,
            escrow: deployed.escrow,
            staking: deployed.staking,
            grid: deployed.grid,
            governance: deployed
                .governance
                .unwrap_or_else(|| unreachable!("the suite deploys governance")),
            pending_reveals: vec![],
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
    /// Commitments the suite's keepers have not revealed yet: (provider, lease, output).
    pub pending_reveals: Vec<(String, u64, Vec<u8>)>,
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
