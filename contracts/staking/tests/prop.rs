//! Property test on cw-multi-test with a real cw20-base token as the stake denom.
//!
//! Random sequences of bond / unbond / claim / lock / slash / deposit-reward / claim-reward /
//! fund / report-work / claim-emissions / advance-time run against the contract, one block each.
//! After every step:
//! - for every denom, the contract's real balance (cw20-base balance, or bank balance) equals the
//!   `Totals` query (bonds + claims + unclaimed rewards + undistributed + dust + emission pool and
//!   allocation), and the parts of each total add up;
//! - per reward denom, what stakers received is what the contract counts as claimed, and never more
//!   than was deposited;
//! - voting power and total power at every past height are what they were when that height was
//!   current, and the stakers' powers add up to the total at every height;
//! - every slash reports a `wasm-slash` event that took no more than requested.
//!
//! `PROPTEST_CASES` overrides the default of 64 cases.

use cosmwasm_std::{coin, to_json_binary, Addr, Decimal, Event, Uint128};
use cw20::{BalanceResponse, Cw20Coin, Cw20ExecuteMsg, Cw20QueryMsg};
use cw_multi_test::{App, AppResponse, ContractWrapper, Executor};
use gridshare_types::staking::{
    ExecuteMsg, InstantiateMsg, QueryMsg, ReceiveMsg, RewardPoolsResponse, TotalsResponse,
    VotingPowerResponse,
};
use gridshare_types::{Denom, UncheckedDenom};
use proptest::prelude::*;
use std::collections::BTreeMap;

const USDC: &str = "uusdc";
const STAKERS: usize = 3;
const START: u128 = 1_000_000_000;
const UNBONDING: u64 = 100;
const EPOCH: u64 = 50;

#[derive(Debug, Clone)]
enum Op {
    Bond {
        who: usize,
        amount: u128,
    },
    Unbond {
        who: usize,
        amount: u128,
    },
    Claim {
        who: usize,
    },
    Lock {
        who: usize,
        amount: u128,
    },
    Slash {
        who: usize,
        amount: u128,
        compensate: bool,
    },
    DepositNative {
        amount: u128,
    },
    DepositCw20 {
        token: usize,
        amount: u128,
    },
    ClaimRewards {
        who: usize,
    },
    Fund {
        amount: u128,
    },
    ReportWork {
        who: usize,
        gpu_seconds: u64,
    },
    ClaimEmissions {
        who: usize,
        limit: u32,
    },
    Advance {
        seconds: u64,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let who = 0..STAKERS;
    prop_oneof![
        4 => (who.clone(), 1u128..5_000).prop_map(|(who, amount)| Op::Bond { who, amount }),
        3 => (who.clone(), 1u128..4_000).prop_map(|(who, amount)| Op::Unbond { who, amount }),
        2 => who.clone().prop_map(|who| Op::Claim { who }),
        1 => (who.clone(), 0u128..3_000).prop_map(|(who, amount)| Op::Lock { who, amount }),
        2 => (who.clone(), 1u128..6_000, any::<bool>())
            .prop_map(|(who, amount, compensate)| Op::Slash { who, amount, compensate }),
        3 => (1u128..10_000).prop_map(|amount| Op::DepositNative { amount }),
        3 => (0..2usize, 1u128..10_000).prop_map(|(token, amount)| Op::DepositCw20 { token, amount }),
        3 => who.clone().prop_map(|who| Op::ClaimRewards { who }),
        1 => (1u128..5_000).prop_map(|amount| Op::Fund { amount }),
        2 => (who.clone(), 1u64..1_000).prop_map(|(who, gpu_seconds)| Op::ReportWork { who, gpu_seconds }),
        2 => (who, 1u32..4).prop_map(|(who, limit)| Op::ClaimEmissions { who, limit }),
        3 => (0u64..150).prop_map(|seconds| Op::Advance { seconds }),
    ]
}

struct Bench {
    app: App,
    staking: Addr,
    /// The stake token (also a reward denom) and a second reward token.
    grid: Addr,
    rwd: Addr,
    stakers: Vec<Addr>,
    marketplace: Addr,
    funder: Addr,
    renter: Addr,
    /// Per reward denom key: deposited by the test, and received by stakers through ClaimRewards.
    deposited: BTreeMap<String, u128>,
    received: BTreeMap<String, u128>,
    /// (height, each staker's power, total power) as observed while that height was current.
    history: Vec<(u64, Vec<u128>, u128)>,
}

fn cw20_token(app: &mut App, code: u64, owner: &Addr, name: &str, holders: &[Addr]) -> Addr {
    app.instantiate_contract(
        code,
        owner.clone(),
        &cw20_base::msg::InstantiateMsg {
            name: name.to_string(),
            symbol: name.to_string(),
            decimals: 6,
            initial_balances: holders
                .iter()
                .map(|h| Cw20Coin {
                    address: h.to_string(),
                    amount: Uint128::new(START),
                })
                .collect(),
            mint: None,
            marketing: None,
        },
        &[],
        name,
        None,
    )
    .unwrap()
}

impl Bench {
    fn new() -> Self {
        let mut app = App::default();
        let api = *app.api();
        let stakers: Vec<Addr> = (0..STAKERS)
            .map(|i| api.addr_make(&format!("staker{i}")))
            .collect();
        let owner = api.addr_make("owner");
        let marketplace = api.addr_make("marketplace");
        let treasury = api.addr_make("treasury");
        let funder = api.addr_make("funder");
        let renter = api.addr_make("renter");
        app.init_modules(|router, _, storage| {
            router
                .bank
                .init_balance(storage, &funder, vec![coin(START, USDC)])
                .unwrap();
        });

        let cw20_code = app.store_code(Box::new(ContractWrapper::new(
            cw20_base::contract::execute,
            cw20_base::contract::instantiate,
            cw20_base::contract::query,
        )));
        let staking_code = app.store_code(Box::new(ContractWrapper::new(
            staking::contract::execute,
            staking::contract::instantiate,
            staking::contract::query,
        )));
        let mut holders = stakers.clone();
        holders.push(funder.clone());
        let grid = cw20_token(&mut app, cw20_code, &owner, "GRID", &holders);
        let rwd = cw20_token(
            &mut app,
            cw20_code,
            &owner,
            "RWD",
            std::slice::from_ref(&funder),
        );
        let staking = app
            .instantiate_contract(
                staking_code,
                owner.clone(),
                &InstantiateMsg {
                    owner: None,
                    marketplace: marketplace.to_string(),
                    treasury: treasury.to_string(),
                    stake_denom: UncheckedDenom::Cw20(grid.to_string()),
                    unbonding_period: UNBONDING,
                    min_stake_per_gpu: Uint128::new(10),
                    compensation_ratio: Decimal::percent(37),
                    reward_denoms: vec![
                        UncheckedDenom::Native(USDC.to_string()),
                        UncheckedDenom::Cw20(grid.to_string()),
                        UncheckedDenom::Cw20(rwd.to_string()),
                    ],
                    epoch_seconds: EPOCH,
                    emission_per_epoch: Uint128::new(700),
                },
                &[],
                "staking",
                None,
            )
            .unwrap();
        Bench {
            app,
            staking,
            grid,
            rwd,
            stakers,
            marketplace,
            funder,
            renter,
            deposited: BTreeMap::new(),
            received: BTreeMap::new(),
            history: vec![],
        }
    }

    fn send(
        &mut self,
        token: &Addr,
        from: &Addr,
        amount: u128,
        hook: &ReceiveMsg,
    ) -> anyhow::Result<AppResponse> {
        self.app.execute_contract(
            from.clone(),
            token.clone(),
            &Cw20ExecuteMsg::Send {
                contract: self.staking.to_string(),
                amount: Uint128::new(amount),
                msg: to_json_binary(hook)?,
            },
            &[],
        )
    }

    fn exec(&mut self, sender: &Addr, msg: &ExecuteMsg) -> anyhow::Result<AppResponse> {
        self.app
            .execute_contract(sender.clone(), self.staking.clone(), msg, &[])
    }

    fn balance(&self, denom: &Denom, who: &Addr) -> u128 {
        match denom {
            Denom::Native(d) => self.app.wrap().query_balance(who, d).unwrap().amount.u128(),
            Denom::Cw20(token) => self
                .app
                .wrap()
                .query_wasm_smart::<BalanceResponse>(
                    token,
                    &Cw20QueryMsg::Balance {
                        address: who.to_string(),
                    },
                )
                .unwrap()
                .balance
                .u128(),
        }
    }

    fn reward_denoms(&self) -> Vec<Denom> {
        vec![
            Denom::Native(USDC.to_string()),
            Denom::Cw20(self.grid.clone()),
            Denom::Cw20(self.rwd.clone()),
        ]
    }

    fn power(&self, who: &Addr, height: Option<u64>) -> u128 {
        self.app
            .wrap()
            .query_wasm_smart::<VotingPowerResponse>(
                &self.staking,
                &QueryMsg::VotingPowerAtHeight {
                    address: who.to_string(),
                    height,
                },
            )
            .unwrap()
            .power
            .u128()
    }

    fn total_power(&self, height: Option<u64>) -> u128 {
        self.app
            .wrap()
            .query_wasm_smart::<VotingPowerResponse>(
                &self.staking,
                &QueryMsg::TotalPowerAtHeight { height },
            )
            .unwrap()
            .power
            .u128()
    }

    /// Runs one operation in the current block. Errors are allowed (the app reverts them); what
    /// succeeded is booked.
    fn run(&mut self, op: &Op) -> Result<(), TestCaseError> {
        match *op {
            Op::Bond { who, amount } => {
                let (grid, staker) = (self.grid.clone(), self.stakers[who].clone());
                let _ = self.send(&grid, &staker, amount, &ReceiveMsg::Bond {});
            }
            Op::Unbond { who, amount } => {
                let staker = self.stakers[who].clone();
                let _ = self.exec(
                    &staker,
                    &ExecuteMsg::Unbond {
                        amount: Uint128::new(amount),
                    },
                );
            }
            Op::Claim { who } => {
                let staker = self.stakers[who].clone();
                let _ = self.exec(&staker, &ExecuteMsg::Claim {});
            }
            Op::Lock { who, amount } => {
                let marketplace = self.marketplace.clone();
                let _ = self.exec(
                    &marketplace,
                    &ExecuteMsg::SetLocked {
                        provider: self.stakers[who].to_string(),
                        amount: Uint128::new(amount),
                    },
                );
            }
            Op::Slash {
                who,
                amount,
                compensate,
            } => {
                let marketplace = self.marketplace.clone();
                let msg = ExecuteMsg::Slash {
                    provider: self.stakers[who].to_string(),
                    amount: Uint128::new(amount),
                    reason: "property".to_string(),
                    lease_id: Some(1),
                    compensation: compensate.then(|| self.renter.to_string()),
                };
                let res = self
                    .exec(&marketplace, &msg)
                    .map_err(|e| TestCaseError::fail(format!("slash failed: {e}")))?;
                let events: Vec<&Event> =
                    res.events.iter().filter(|e| e.ty == "wasm-slash").collect();
                prop_assert_eq!(events.len(), 1, "one wasm-slash event per slash");
                let value = |key: &str| -> u128 {
                    events[0]
                        .attributes
                        .iter()
                        .find(|a| a.key == key)
                        .and_then(|a| a.value.parse().ok())
                        .unwrap_or(u128::MAX)
                };
                prop_assert_eq!(value("requested"), amount);
                prop_assert!(value("slashed") <= amount);
                prop_assert_eq!(
                    value("slashed"),
                    value("from_bonded") + value("from_claims")
                );
            }
            Op::DepositNative { amount } => {
                let (funder, staking) = (self.funder.clone(), self.staking.clone());
                if self
                    .app
                    .execute_contract(
                        funder,
                        staking,
                        &ExecuteMsg::DepositRewards {},
                        &[coin(amount, USDC)],
                    )
                    .is_ok()
                {
                    *self
                        .deposited
                        .entry(Denom::Native(USDC.into()).key())
                        .or_default() += amount;
                }
            }
            Op::DepositCw20 { token, amount } => {
                let token = if token == 0 {
                    self.grid.clone()
                } else {
                    self.rwd.clone()
                };
                let funder = self.funder.clone();
                if self
                    .send(&token, &funder, amount, &ReceiveMsg::DepositRewards {})
                    .is_ok()
                {
                    *self.deposited.entry(Denom::Cw20(token).key()).or_default() += amount;
                }
            }
            Op::ClaimRewards { who } => {
                let staker = self.stakers[who].clone();
                let before: Vec<u128> = self
                    .reward_denoms()
                    .iter()
                    .map(|d| self.balance(d, &staker))
                    .collect();
                if self.exec(&staker, &ExecuteMsg::ClaimRewards {}).is_ok() {
                    for (denom, before) in self.reward_denoms().iter().zip(before) {
                        let after = self.balance(denom, &staker);
                        prop_assert!(after >= before);
                        *self.received.entry(denom.key()).or_default() += after - before;
                    }
                }
            }
            Op::Fund { amount } => {
                let (grid, funder) = (self.grid.clone(), self.funder.clone());
                let _ = self.send(&grid, &funder, amount, &ReceiveMsg::FundEmissions {});
            }
            Op::ReportWork { who, gpu_seconds } => {
                let marketplace = self.marketplace.clone();
                self.exec(
                    &marketplace,
                    &ExecuteMsg::ReportWork {
                        provider: self.stakers[who].to_string(),
                        gpu_seconds,
                    },
                )
                .map_err(|e| TestCaseError::fail(format!("report work failed: {e}")))?;
            }
            Op::ClaimEmissions { who, limit } => {
                let staker = self.stakers[who].clone();
                let _ = self.exec(&staker, &ExecuteMsg::ClaimEmissions { limit: Some(limit) });
            }
            Op::Advance { seconds } => {
                self.app
                    .update_block(|b| b.time = b.time.plus_seconds(seconds));
            }
        }
        Ok(())
    }

    fn check(&self) -> Result<(), TestCaseError> {
        // Conservation against real balances.
        let totals: TotalsResponse = self
            .app
            .wrap()
            .query_wasm_smart(&self.staking, &QueryMsg::Totals {})
            .unwrap();
        for t in &totals.totals {
            let parts = t.bonded
                + t.claims
                + t.rewards_unclaimed
                + t.rewards_undistributed
                + t.rewards_dust
                + t.emission_pool
                + t.emissions_allocated;
            prop_assert_eq!(t.total, parts, "parts of {} do not add up", t.denom);
            prop_assert_eq!(
                self.balance(&t.denom, &self.staking),
                t.total.u128(),
                "balance of {} differs from Totals {:?}",
                t.denom,
                t
            );
        }
        prop_assert_eq!(totals.totals.len(), 3);

        // Rewards: never more out than in, and the contract's count matches what stakers got.
        let pools: RewardPoolsResponse = self
            .app
            .wrap()
            .query_wasm_smart(&self.staking, &QueryMsg::RewardPools {})
            .unwrap();
        for pool in &pools.pools {
            let key = pool.denom.key();
            let deposited = self.deposited.get(&key).copied().unwrap_or_default();
            let received = self.received.get(&key).copied().unwrap_or_default();
            prop_assert_eq!(pool.deposited.u128(), deposited, "deposited {}", key);
            prop_assert_eq!(pool.claimed.u128(), received, "claimed {}", key);
            prop_assert!(
                received <= deposited,
                "{} paid {} of {}",
                key,
                received,
                deposited
            );
        }

        // Voting power history never changes.
        for (height, powers, total) in &self.history {
            for (staker, power) in self.stakers.iter().zip(powers) {
                prop_assert_eq!(
                    self.power(staker, Some(*height)),
                    *power,
                    "power of {} at {} changed",
                    staker,
                    height
                );
            }
            prop_assert_eq!(self.total_power(Some(*height)), *total);
            prop_assert_eq!(powers.iter().sum::<u128>(), *total);
        }
        Ok(())
    }

    /// Records the powers at the start of the current block (before anything runs in it).
    fn record_height(&mut self) {
        let height = self.app.block_info().height;
        let powers = self.stakers.iter().map(|s| self.power(s, None)).collect();
        let total = self.total_power(None);
        self.history.push((height, powers, total));
    }

    fn next_block(&mut self) {
        self.app.update_block(|b| {
            b.height += 1;
            b.time = b.time.plus_seconds(5);
        });
    }
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(),
        ..ProptestConfig::default()
    })]

    #[test]
    fn books_balance_and_history_is_immutable(ops in prop::collection::vec(op(), 1..40)) {
        let mut bench = Bench::new();
        bench.check()?;
        for op in &ops {
            bench.next_block();
            bench.record_height();
            bench.run(op)?;
            bench.check()?;
        }
    }
}

/// A fixed scenario through the same bench, so a regression shows up without proptest's search.
#[test]
fn a_fixed_story_balances() {
    let mut bench = Bench::new();
    let script = [
        Op::DepositNative { amount: 99 },
        Op::Bond {
            who: 0,
            amount: 1_000,
        },
        Op::Bond { who: 1, amount: 3 },
        Op::DepositNative { amount: 1_001 },
        Op::DepositCw20 {
            token: 0,
            amount: 77,
        },
        Op::DepositCw20 {
            token: 1,
            amount: 13,
        },
        Op::Unbond {
            who: 0,
            amount: 400,
        },
        Op::Fund { amount: 2_000 },
        Op::ReportWork {
            who: 0,
            gpu_seconds: 10,
        },
        Op::ReportWork {
            who: 1,
            gpu_seconds: 20,
        },
        Op::Lock {
            who: 0,
            amount: 500,
        },
        Op::Slash {
            who: 0,
            amount: 800,
            compensate: true,
        },
        Op::Advance { seconds: 200 },
        Op::Claim { who: 0 },
        Op::ClaimRewards { who: 0 },
        Op::ClaimRewards { who: 1 },
        Op::ClaimEmissions { who: 0, limit: 3 },
        Op::ClaimEmissions { who: 1, limit: 3 },
        Op::Slash {
            who: 1,
            amount: 5_000,
            compensate: false,
        },
    ];
    bench.check().unwrap();
    for op in &script {
        bench.next_block();
        bench.record_height();
        bench.run(op).unwrap();
        bench.check().unwrap();
    }
    assert!(bench.received.values().sum::<u128>() > 0);
}
