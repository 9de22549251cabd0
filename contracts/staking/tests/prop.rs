//! Property test on cw-multi-test with a real cw20-base token as the stake denom.
//!
//! Random sequences of bond / unbond / claim / lock / slash (fixed or bond-bps, alone or two in
//! one transaction) / deposit-reward / claim-reward / fund / report-work (with a real fee, or by a
//! self-dealing provider with `fee: None`) / claim-emissions / change-emission-rate /
//! advance-time run against the contract, one block each. After every step:
//! - for every denom, the contract's real balance (cw20-base balance, or bank balance) equals the
//!   `Totals` query (bonds + claims + unclaimed rewards + undistributed + dust + emission pool and
//!   allocation), and the parts of each total add up;
//! - per reward denom, what stakers received is what the contract counts as claimed, and never more
//!   than was deposited;
//! - voting power and total power at every past height are what they were when that height was
//!   current, and the stakers' powers add up to the total at every height;
//! - every slash reports a `wasm-slash` event whose requested amount is the rule applied to the
//!   bond at execution (so two slashes in one transaction compound), and that took no more;
//! - emissions: the contract's funded and paid figures are what the test saw go in and out, what
//!   was paid never exceeds what was funded, the self-dealing provider never receives anything,
//!   every epoch's reservation stays within its target, and a rate change never alters the current
//!   epoch's emission or target.
//!
//! `PROPTEST_CASES` overrides the default of 64 cases.

use cosmwasm_std::{coin, to_json_binary, Addr, CosmosMsg, Decimal, Event, Uint128, WasmMsg};
use cw20::{BalanceResponse, Cw20Coin, Cw20ExecuteMsg, Cw20QueryMsg};
use cw_multi_test::{App, AppResponse, ContractWrapper, Executor};
use gridshare_types::staking::{
    DenomAmount, EmissionsResponse, EpochResponse, ExecuteMsg, InstantiateMsg, QueryMsg,
    ReceiveMsg, RewardPoolsResponse, SlashRule, StakerResponse, TotalsResponse,
    VotingPowerResponse,
};
use gridshare_types::{Denom, UncheckedDenom};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

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
        rule: SlashRule,
        compensate: bool,
    },
    /// Two slashes of one provider in one transaction.
    DoubleSlash {
        who: usize,
        first: SlashRule,
        second: SlashRule,
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
    /// An accepted lease with a real fee (in uusdc, weight 1).
    ReportWork {
        who: usize,
        gpu_seconds: u64,
        fee: u128,
    },
    /// The wash trader: provider and renter are one address, so the marketplace reports no fee.
    SelfDeal {
        gpu_seconds: u64,
    },
    SetEmission {
        amount: u128,
    },
    ClaimEmissions {
        who: usize,
        limit: u32,
    },
    Advance {
        seconds: u64,
    },
}

fn rule() -> impl Strategy<Value = SlashRule> {
    prop_oneof![
        (0u128..6_000).prop_map(|amount| SlashRule::Fixed {
            amount: Uint128::new(amount)
        }),
        prop_oneof![0u16..=10_000, Just(5_000u16), 10_000u16..=u16::MAX]
            .prop_map(|bps| SlashRule::BondBps { bps }),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    let who = 0..STAKERS;
    prop_oneof![
        4 => (who.clone(), 1u128..5_000).prop_map(|(who, amount)| Op::Bond { who, amount }),
        3 => (who.clone(), 1u128..4_000).prop_map(|(who, amount)| Op::Unbond { who, amount }),
        2 => who.clone().prop_map(|who| Op::Claim { who }),
        1 => (who.clone(), 0u128..3_000).prop_map(|(who, amount)| Op::Lock { who, amount }),
        2 => (who.clone(), rule(), any::<bool>())
            .prop_map(|(who, rule, compensate)| Op::Slash { who, rule, compensate }),
        1 => (who.clone(), rule(), rule())
            .prop_map(|(who, first, second)| Op::DoubleSlash { who, first, second }),
        3 => (1u128..10_000).prop_map(|amount| Op::DepositNative { amount }),
        3 => (0..2usize, 1u128..10_000).prop_map(|(token, amount)| Op::DepositCw20 { token, amount }),
        3 => who.clone().prop_map(|who| Op::ClaimRewards { who }),
        1 => (1u128..5_000).prop_map(|amount| Op::Fund { amount }),
        2 => (who.clone(), 1u64..1_000, 1u128..10_000)
            .prop_map(|(who, gpu_seconds, fee)| Op::ReportWork { who, gpu_seconds, fee }),
        2 => (1u64..u64::MAX).prop_map(|gpu_seconds| Op::SelfDeal { gpu_seconds }),
        1 => (0u128..2_000).prop_map(|amount| Op::SetEmission { amount }),
        2 => (who, 1u32..4).prop_map(|(who, limit)| Op::ClaimEmissions { who, limit }),
        1 => Just(Op::ClaimEmissions { who: STAKERS, limit: 3 }),
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
    /// The self-dealing provider (index `STAKERS` in `ClaimEmissions`).
    mallory: Addr,
    owner: Addr,
    marketplace: Addr,
    funder: Addr,
    renter: Addr,
    /// Per reward denom key: deposited by the test, and received by stakers through ClaimRewards.
    deposited: BTreeMap<String, u128>,
    received: BTreeMap<String, u128>,
    /// Emission pool funding that succeeded, and emissions received through `ClaimEmissions`.
    funded: u128,
    emitted: u128,
    /// Epochs in which work was reported.
    worked_epochs: BTreeSet<u64>,
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
        let mallory = api.addr_make("mallory");
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
                    emission_weights: None,
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
            mallory,
            owner,
            marketplace,
            funder,
            renter,
            deposited: BTreeMap::new(),
            received: BTreeMap::new(),
            funded: 0,
            emitted: 0,
            worked_epochs: BTreeSet::new(),
            history: vec![],
        }
    }

    fn bonded(&self, who: &Addr) -> u128 {
        self.app
            .wrap()
            .query_wasm_smart::<StakerResponse>(
                &self.staking,
                &QueryMsg::Staker {
                    address: who.to_string(),
                },
            )
            .unwrap()
            .bonded
            .u128()
    }

    fn emissions(&self) -> EmissionsResponse {
        self.app
            .wrap()
            .query_wasm_smart(&self.staking, &QueryMsg::Emissions {})
            .unwrap()
    }

    fn epoch(&self, epoch: Option<u64>) -> EpochResponse {
        self.app
            .wrap()
            .query_wasm_smart(&self.staking, &QueryMsg::Epoch { epoch })
            .unwrap()
    }

    fn slash_msg(&self, who: usize, rule: SlashRule, compensate: bool) -> ExecuteMsg {
        ExecuteMsg::Slash {
            provider: self.stakers[who].to_string(),
            rule,
            reason: "property".to_string(),
            lease_id: Some(1),
            compensation: compensate.then(|| self.renter.to_string()),
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
                rule,
                compensate,
            } => {
                let bonded = self.bonded(&self.stakers[who]);
                let marketplace = self.marketplace.clone();
                let msg = self.slash_msg(who, rule, compensate);
                let res = self
                    .exec(&marketplace, &msg)
                    .map_err(|e| TestCaseError::fail(format!("slash failed: {e}")))?;
                check_slash_events(&res.events, &[(rule, bonded)])?;
            }
            Op::DoubleSlash { who, first, second } => {
                let staker = self.stakers[who].clone();
                let bonded = self.bonded(&staker);
                let after_first = bonded - expected_slash(first, bonded).min(bonded);
                let msgs: Vec<CosmosMsg> = [first, second]
                    .into_iter()
                    .map(|rule| {
                        CosmosMsg::Wasm(WasmMsg::Execute {
                            contract_addr: self.staking.to_string(),
                            msg: to_json_binary(&self.slash_msg(who, rule, false)).unwrap(),
                            funds: vec![],
                        })
                    })
                    .collect();
                let marketplace = self.marketplace.clone();
                let res = self
                    .app
                    .execute_multi(marketplace, msgs)
                    .map_err(|e| TestCaseError::fail(format!("double slash failed: {e}")))?;
                let events: Vec<Event> = res.into_iter().flat_map(|r| r.events).collect();
                check_slash_events(&events, &[(first, bonded), (second, after_first)])?;
                let left = after_first - expected_slash(second, after_first).min(after_first);
                prop_assert_eq!(self.bonded(&staker), left, "slashes did not compound");
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
                if self
                    .send(&grid, &funder, amount, &ReceiveMsg::FundEmissions {})
                    .is_ok()
                {
                    self.funded += amount;
                }
            }
            Op::ReportWork {
                who,
                gpu_seconds,
                fee,
            } => {
                let marketplace = self.marketplace.clone();
                self.exec(
                    &marketplace,
                    &ExecuteMsg::ReportWork {
                        provider: self.stakers[who].to_string(),
                        gpu_seconds,
                        fee_paid: Some(DenomAmount {
                            denom: Denom::Native(USDC.into()),
                            amount: Uint128::new(fee),
                        }),
                    },
                )
                .map_err(|e| TestCaseError::fail(format!("report work failed: {e}")))?;
                let epoch = self.emissions().current_epoch;
                self.worked_epochs.insert(epoch);
            }
            Op::SelfDeal { gpu_seconds } => {
                let marketplace = self.marketplace.clone();
                self.exec(
                    &marketplace,
                    &ExecuteMsg::ReportWork {
                        provider: self.mallory.to_string(),
                        gpu_seconds,
                        fee_paid: None,
                    },
                )
                .map_err(|e| TestCaseError::fail(format!("self-dealt work failed: {e}")))?;
                let epoch = self.emissions().current_epoch;
                self.worked_epochs.insert(epoch);
            }
            Op::SetEmission { amount } => {
                let before = self.epoch(None);
                let owner = self.owner.clone();
                self.exec(
                    &owner,
                    &ExecuteMsg::UpdateConfig {
                        marketplace: None,
                        treasury: None,
                        unbonding_period: None,
                        min_stake_per_gpu: None,
                        compensation_ratio: None,
                        reward_denoms: None,
                        emission_per_epoch: Some(Uint128::new(amount)),
                        emission_weights: None,
                    },
                )
                .map_err(|e| TestCaseError::fail(format!("set emission failed: {e}")))?;
                let after = self.epoch(None);
                prop_assert_eq!(after.emission, before.emission);
                prop_assert_eq!(after.emission_target, before.emission_target);
            }
            Op::ClaimEmissions { who, limit } => {
                let provider = if who == STAKERS {
                    self.mallory.clone()
                } else {
                    self.stakers[who].clone()
                };
                let grid = Denom::Cw20(self.grid.clone());
                let before = self.balance(&grid, &provider);
                if self
                    .exec(
                        &provider,
                        &ExecuteMsg::ClaimEmissions { limit: Some(limit) },
                    )
                    .is_ok()
                {
                    let after = self.balance(&grid, &provider);
                    prop_assert!(after >= before);
                    self.emitted += after - before;
                    if provider == self.mallory {
                        prop_assert_eq!(after, before, "the self-dealing provider was paid");
                    }
                }
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

        // Emissions: what went in and out, never more out than in, nothing for the wash trader.
        let emissions = self.emissions();
        prop_assert_eq!(emissions.funded.u128(), self.funded);
        prop_assert_eq!(emissions.paid.u128(), self.emitted);
        prop_assert!(self.emitted <= self.funded, "emitted more than funded");
        prop_assert_eq!(
            self.balance(&Denom::Cw20(self.grid.clone()), &self.mallory),
            0,
            "the self-dealing provider holds GRID"
        );
        for epoch in &self.worked_epochs {
            let epoch = *epoch;
            let info = self.epoch(Some(epoch));
            prop_assert_eq!(info.emission.is_some(), !info.total_weight.is_zero());
            if let (Some(emission), Some(target)) = (info.emission, info.emission_target) {
                prop_assert!(emission <= target, "epoch {} over its target", epoch);
                prop_assert!(
                    info.paid <= emission,
                    "epoch {} paid over its emission",
                    epoch
                );
            }
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
        // Epoch 0 (50 s of 5 s blocks): funded, then two honest providers and a wash trader.
        Op::Fund { amount: 2_000 },
        Op::ReportWork {
            who: 0,
            gpu_seconds: 10,
            fee: 30,
        },
        Op::SelfDeal {
            gpu_seconds: 1 << 40,
        },
        Op::ReportWork {
            who: 1,
            gpu_seconds: 20,
            fee: 10,
        },
        Op::SetEmission { amount: 5 },
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
        Op::Lock {
            who: 0,
            amount: 500,
        },
        Op::Slash {
            who: 0,
            rule: SlashRule::Fixed {
                amount: Uint128::new(800),
            },
            compensate: true,
        },
        Op::Advance { seconds: 200 },
        Op::Claim { who: 0 },
        Op::ClaimRewards { who: 0 },
        Op::ClaimRewards { who: 1 },
        Op::ClaimEmissions { who: 0, limit: 3 },
        Op::ClaimEmissions { who: 1, limit: 3 },
        Op::ClaimEmissions {
            who: STAKERS,
            limit: 3,
        },
        Op::Slash {
            who: 1,
            rule: SlashRule::Fixed {
                amount: Uint128::new(5_000),
            },
            compensate: false,
        },
        Op::Bond {
            who: 2,
            amount: 1_000,
        },
        Op::DoubleSlash {
            who: 2,
            first: SlashRule::BondBps { bps: 5_000 },
            second: SlashRule::BondBps { bps: 5_000 },
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
    // Staker 0 paid three times staker 1's fees: 3:1 of epoch 0's 700, whatever mallory reported.
    assert_eq!(bench.emitted, 525 + 175);
    assert_eq!(bench.bonded(&bench.stakers[2]), 250);
}

/// What `rule` takes from a bond of `bonded` (the contract's rule, restated).
fn expected_slash(rule: SlashRule, bonded: u128) -> u128 {
    match rule {
        SlashRule::Fixed { amount } => amount.u128(),
        SlashRule::BondBps { bps } => bonded * u128::from(bps.min(10_000)) / 10_000,
    }
}

/// One `wasm-slash` event per slash, in order, each requesting what its rule gives against the
/// bond it found and taking no more.
fn check_slash_events(
    events: &[Event],
    slashes: &[(SlashRule, u128)],
) -> Result<(), TestCaseError> {
    let found: Vec<&Event> = events.iter().filter(|e| e.ty == "wasm-slash").collect();
    prop_assert_eq!(found.len(), slashes.len(), "one wasm-slash event per slash");
    for (event, (rule, bonded)) in found.into_iter().zip(slashes) {
        let value = |key: &str| -> u128 {
            event
                .attributes
                .iter()
                .find(|a| a.key == key)
                .and_then(|a| a.value.parse().ok())
                .unwrap_or(u128::MAX)
        };
        let requested = expected_slash(*rule, *bonded);
        prop_assert_eq!(value("bonded"), *bonded);
        prop_assert_eq!(value("requested"), requested);
        prop_assert!(value("slashed") <= requested);
        prop_assert_eq!(
            value("slashed"),
            value("from_bonded") + value("from_claims")
        );
        let outcome = event
            .attributes
            .iter()
            .find(|a| a.key == "outcome")
            .map(|a| a.value.as_str());
        if requested == 0 {
            prop_assert_eq!(outcome, Some("zero_amount"));
        }
    }
    Ok(())
}
