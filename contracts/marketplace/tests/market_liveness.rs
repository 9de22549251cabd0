//! Liveness and conservation under adversaries and parameter changes, against the real escrow
//! and staking contracts (cw-multi-test, replies wired as on chain).
//!
//! Random sequences mix the market's actions with disputes, governance resolving some of them,
//! owner parameter changes (staking's `min_stake_per_gpu` up and down, the slash rule,
//! `max_silence`, the accepted denoms, including a change that must be refused) and three
//! adversaries: provider 3 never submits a result, renter 1 disputes every result it gets, and
//! provider 0 also rents (self-dealing, possibly from its own offers). After every step:
//! - an escrow payment is closed exactly when its lease is final, and an order's escrow account
//!   is closed exactly when the order is;
//! - the work reported to staking equals, per provider, accepted units × billable seconds, and
//!   its emission weight equals the fees of those leases' payments unless renter and provider are
//!   the same account;
//! - no coin is created or lost, per denom: every party's balance is its initial balance less
//!   what it put into its orders' accounts (what they still hold, what was paid out of them and
//!   their fees) plus what its payments paid it; staking holds exactly the fees; escrow holds
//!   exactly its accounts' balances and the fees it could not deliver; GRID only moves between
//!   providers, staking, renters (slash compensation) and the treasury;
//! - `Reap` and `ExpireOrders` never fail, and no crank step is ever skipped.
//!
//! Then time runs past every deadline; governance resolves the disputes still open (the one
//! thing only governance ends) and only permissionless calls follow (`ExpireOrders`, `Reap`,
//! `Finalize`). Every lease and every escrow account must reach a final state, every closed
//! account must be empty, and escrow must end up holding nothing.
//!
//! Every provider starts with offers in both denoms. `PROPTEST_CASES` overrides the number of
//! cases (48 by default); `LIVENESS_STATS` prints what each case built.

use cosmwasm_std::{coin, to_json_binary, Addr, Decimal, Uint128, Uint256};
use cw20::{Cw20Coin, Cw20ExecuteMsg};
use cw_multi_test::{App, AppResponse, Executor};
use gridshare_testing::deploy::{
    Deployed, Deployment, EscrowSetup, GridSetup, MarketplaceSetup, Setup, StakingSetup,
};
use gridshare_types::escrow::{
    AccountResponse, PaymentResponse, QueryMsg as EscrowQuery, UncollectedFeesResponse,
};
use gridshare_types::marketplace::{
    ComputeCapability, ExecuteMsg, GpuModel, JobInputs, JobSpec, LeaseResponse, LeaseState,
    NewOrder, OfferResponse, OffersResponse, OrderResponse, Params, ParamsUpdate, QueryMsg,
    Requirements, SlashRule, Workload,
};
use gridshare_types::staking::{
    ExecuteMsg as StakingMsg, ProviderWorkResponse, QueryMsg as StakingQuery,
    ReceiveMsg as StakingReceive, TotalsResponse as StakingTotals,
};
use gridshare_types::{Denom, UncheckedDenom};
use proptest::prelude::*;
use std::collections::BTreeMap;

const USDC: &str = "uusdc";
const EUR: &str = "ueur";
const DENOMS: [&str; 2] = [USDC, EUR];
const MODELS: [&str; 2] = ["rtx-4090", "a100"];
const PROVIDERS: usize = 4;
/// Provider 3 never submits a result.
const LAZY: usize = 3;
/// Renter 1 disputes every result it gets.
const DISPUTER: usize = 1;
/// Renters: two plain ones, and provider 0 renting (self-dealing).
const RENTERS: usize = 3;
const INITIAL_CASH: u128 = 1_000_000_000;
const INITIAL_GRID: u128 = 100_000;
const MAX_SILENCE: u64 = 600;
const DISPUTE_WINDOW: u64 = 1_800;
const SHA: [&str; 2] = [
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
];

fn is_final(state: LeaseState) -> bool {
    !matches!(state, LeaseState::Active | LeaseState::Submitted)
}

struct World {
    app: App,
    market: Addr,
    escrow: Addr,
    staking: Addr,
    grid: Addr,
    owner: Addr,
    treasury: Addr,
    providers: Vec<Addr>,
    renters: Vec<Addr>,
    /// Orders posted, in id order.
    orders: Vec<u64>,
    /// Crank steps skipped: (step, id, reason).
    skipped: Vec<(String, String, String)>,
    /// Calls that must never fail but did.
    failures: Vec<String>,
}

impl World {
    fn new() -> Self {
        let mut app = App::default();
        let api = *app.api();
        let owner = api.addr_make("owner");
        let treasury = api.addr_make("treasury");
        let providers: Vec<Addr> = (0..PROVIDERS)
            .map(|i| api.addr_make(&format!("provider{i}")))
            .collect();
        let mut renters: Vec<Addr> = (0..RENTERS - 1)
            .map(|i| api.addr_make(&format!("renter{i}")))
            .collect();
        renters.push(providers[0].clone());
        for renter in &renters {
            app.init_modules(|router, _, storage| {
                router.bank.init_balance(
                    storage,
                    renter,
                    vec![coin(INITIAL_CASH, USDC), coin(INITIAL_CASH, EUR)],
                )
            })
            .unwrap();
        }
        let both = || {
            DENOMS
                .iter()
                .map(|d| UncheckedDenom::Native(d.to_string()))
                .collect::<Vec<_>>()
        };
        let Deployed {
            grid,
            staking,
            escrow,
            marketplace: market,
            ..
        } = Deployment {
            deployer: owner.clone(),
            admin: None,
            grid: GridSetup {
                initial_balances: providers
                    .iter()
                    .map(|p| Cw20Coin {
                        address: p.to_string(),
                        amount: Uint128::new(INITIAL_GRID),
                    })
                    .collect(),
                mint: None,
                tiers: vec![],
            },
        }
        .deploy(&mut app, |_grid| Setup {
            staking: StakingSetup {
                treasury: treasury.clone(),
                unbonding_period: 3_600,
                min_stake_per_gpu: Uint128::new(1_000),
                compensation_ratio: Decimal::percent(50),
                reward_denoms: both(),
                epoch_seconds: 86_400,
                emission_per_epoch: Uint128::zero(),
                emission_weights: None,
            },
            escrow: EscrowSetup {
                accepted_denoms: both(),
            },
            marketplace: MarketplaceSetup {
                premium_access: false,
                params: Params {
                    accepted_denoms: both(),
                    take_rate_bps: 250,
                    heartbeat_interval: 60,
                    max_silence: MAX_SILENCE,
                    dispute_window: DISPUTE_WINDOW,
                    slash: SlashRule::Fixed {
                        amount: Uint128::new(300),
                    },
                    max_matches: 8,
                    max_scan: 32,
                    max_reap: 16,
                    max_replication: 3,
                    max_inline_bytes: 256,
                    max_eligible_models: 2,
                },
                catalogue: [("rtx-4090", 24_576, 1_000), ("a100", 81_920, 2_000)]
                    .into_iter()
                    .enumerate()
                    .map(|(i, (id, vram, score))| GpuModel {
                        id: id.into(),
                        vram_mib: vram,
                        compute_capability: ComputeCapability {
                            major: 8,
                            minor: i as u8,
                        },
                        benchmark_score: score,
                    })
                    .collect(),
            },
            governance: None,
        });
        for (i, provider) in providers.iter().enumerate() {
            app.execute_contract(
                provider.clone(),
                grid.clone(),
                &Cw20ExecuteMsg::Send {
                    contract: staking.to_string(),
                    amount: Uint128::new(20_000),
                    msg: to_json_binary(&StakingReceive::Bond {}).unwrap(),
                },
                &[],
            )
            .unwrap();
            app.execute_contract(
                provider.clone(),
                market.clone(),
                &ExecuteMsg::RegisterProvider {
                    name: format!("provider{i}"),
                    region: "eu".into(),
                    endpoint: "https://p.example".into(),
                    public_key: "pk".into(),
                },
                &[],
            )
            .unwrap();
            // Seed offers, so that orders have something to match from the first step.
            for (model, denom) in [(MODELS[0], USDC), (MODELS[1], USDC), (MODELS[0], EUR)] {
                app.execute_contract(
                    provider.clone(),
                    market.clone(),
                    &ExecuteMsg::PostOffer {
                        model: model.into(),
                        units: 3,
                        price: Uint128::new(300 + 100 * i as u128),
                        denom: UncheckedDenom::Native(denom.into()),
                        min_duration: 60,
                        max_duration: 3 * 3_600,
                    },
                    &[],
                )
                .unwrap();
            }
        }
        World {
            app,
            market,
            escrow,
            staking,
            grid,
            owner,
            treasury,
            providers,
            renters,
            orders: vec![],
            skipped: vec![],
            failures: vec![],
        }
    }

    fn now(&self) -> u64 {
        self.app.block_info().time.seconds()
    }

    fn advance(&mut self, seconds: u64) {
        self.app.update_block(|b| {
            b.time = b.time.plus_seconds(seconds);
            b.height += 1;
        });
    }

    /// Executes on the marketplace; records the crank steps the transaction skipped.
    fn exec(
        &mut self,
        sender: &Addr,
        msg: &ExecuteMsg,
        funds: &[cosmwasm_std::Coin],
    ) -> Option<AppResponse> {
        self.try_exec(sender, msg, funds).ok()
    }

    fn try_exec(
        &mut self,
        sender: &Addr,
        msg: &ExecuteMsg,
        funds: &[cosmwasm_std::Coin],
    ) -> anyhow::Result<AppResponse> {
        let result = self
            .app
            .execute_contract(sender.clone(), self.market.clone(), msg, funds);
        if std::env::var("MARKET_TRACE").is_ok() {
            match &result {
                Ok(_) => eprintln!("ok   {msg:?}"),
                Err(e) => eprintln!("err  {msg:?}: {}", e.root_cause()),
            }
        }
        let res = result?;
        for event in res.events.iter().filter(|e| e.ty == "wasm-crank_skipped") {
            let get = |k: &str| {
                event
                    .attributes
                    .iter()
                    .find(|a| a.key == k)
                    .map(|a| a.value.clone())
                    .unwrap_or_default()
            };
            // The reason without the backtrace cw-multi-test appends when RUST_BACKTRACE is set.
            let reason = get("reason");
            let reason = reason
                .split("\n\nStack backtrace")
                .next()
                .unwrap_or_default();
            self.skipped
                .push((get("step"), get("id"), reason.to_string()));
        }
        Ok(res)
    }

    /// A permissionless crank that must never fail; returns the value of `attribute`.
    fn crank(&mut self, msg: ExecuteMsg, attribute: &str) -> u64 {
        let anyone = self.app.api().addr_make("cranker");
        match self.try_exec(&anyone, &msg, &[]) {
            Ok(res) => res
                .events
                .iter()
                .flat_map(|e| &e.attributes)
                .find(|a| a.key == attribute)
                .and_then(|a| a.value.parse().ok())
                .unwrap_or(0),
            Err(err) => {
                self.failures
                    .push(format!("{msg:?} failed: {}", err.root_cause()));
                0
            }
        }
    }

    fn query<T: serde::de::DeserializeOwned>(&self, msg: &QueryMsg) -> T {
        self.app
            .wrap()
            .query_wasm_smart(&self.market, msg)
            .unwrap_or_else(|e| panic!("{msg:?}: {e}"))
    }

    fn escrow_query<T: serde::de::DeserializeOwned>(&self, msg: &EscrowQuery) -> T {
        self.app
            .wrap()
            .query_wasm_smart(&self.escrow, msg)
            .unwrap_or_else(|e| panic!("{msg:?}: {e}"))
    }

    fn offers(&self, provider: &Addr) -> Vec<OfferResponse> {
        self.query::<OffersResponse>(&QueryMsg::OffersByProvider {
            provider: provider.to_string(),
            start_after: None,
            limit: Some(100),
        })
        .offers
    }

    fn order(&self, order_id: u64) -> OrderResponse {
        self.query(&QueryMsg::Order { order_id })
    }

    /// Every lease of every order, with its order.
    fn leases(&self) -> Vec<(OrderResponse, LeaseResponse)> {
        let mut out = vec![];
        for order_id in &self.orders {
            let order = self.order(*order_id);
            for lease_id in &order.lease_ids {
                let lease: LeaseResponse = self.query(&QueryMsg::Lease {
                    lease_id: *lease_id,
                });
                out.push((order.clone(), lease));
            }
        }
        out
    }

    fn open_leases(&self) -> Vec<(OrderResponse, LeaseResponse)> {
        self.leases()
            .into_iter()
            .filter(|(_, l)| !is_final(l.state))
            .collect()
    }

    fn account(&self, order_id: u64) -> AccountResponse {
        self.escrow_query(&EscrowQuery::Account {
            account_id: order_id,
        })
    }

    fn payment(&self, lease_id: u64) -> PaymentResponse {
        self.escrow_query(&EscrowQuery::Payment { lease_id })
    }

    fn bank(&self, who: &Addr, denom: &str) -> u128 {
        self.app
            .wrap()
            .query_balance(who, denom)
            .unwrap()
            .amount
            .u128()
    }

    fn grid_balance(&self, who: &Addr) -> u128 {
        self.app
            .wrap()
            .query_wasm_smart::<cw20::BalanceResponse>(
                &self.grid,
                &cw20::Cw20QueryMsg::Balance {
                    address: who.to_string(),
                },
            )
            .unwrap()
            .balance
            .u128()
    }

    fn uncollected(&self, denom: &str) -> u128 {
        let fees: UncollectedFeesResponse = self.escrow_query(&EscrowQuery::UncollectedFees {
            start_after: None,
            limit: None,
        });
        fees.fees
            .iter()
            .find(|f| f.denom == Denom::Native(denom.into()))
            .map_or(0, |f| f.amount.u128())
    }

    /// The properties that hold after every step (see the module documentation).
    fn check(&self) {
        let leases = self.leases();
        // Payment closed ⇔ lease final; the work behind each accepted lease.
        let mut work: BTreeMap<Addr, (u128, u128)> = BTreeMap::new();
        // Per party and denom: what it put into accounts, what payments paid it.
        let mut spent: BTreeMap<(Addr, String), u128> = BTreeMap::new();
        let mut earned: BTreeMap<(Addr, String), u128> = BTreeMap::new();
        let mut fees: BTreeMap<String, u128> = BTreeMap::new();
        let mut accounts_held: BTreeMap<String, u128> = BTreeMap::new();
        for (order, lease) in &leases {
            let payment = self.payment(lease.lease_id);
            assert_eq!(
                payment.closed,
                is_final(lease.state),
                "payment of lease {} vs its state {:?}",
                lease.lease_id,
                lease.state
            );
            let Denom::Native(denom) = &order.denom else {
                panic!("native orders only")
            };
            *earned
                .entry((lease.provider.clone(), denom.clone()))
                .or_default() += payment.withdrawn.u128();
            assert_eq!(
                payment.released - payment.fees_paid,
                payment.withdrawn + payment.withdrawable,
                "payment {}",
                lease.lease_id
            );
            if lease.state == LeaseState::Accepted {
                let billable = lease.paid_until.unwrap().seconds() - lease.start.seconds();
                let entry = work.entry(lease.provider.clone()).or_default();
                entry.0 += u128::from(lease.units) * u128::from(billable);
                if order.renter != lease.provider {
                    entry.1 += payment.fees_paid.u128();
                }
            }
        }
        for order_id in &self.orders {
            let order = self.order(*order_id);
            let account = self.account(*order_id);
            assert_eq!(account.closed, order.closed, "account {order_id}");
            if account.closed {
                assert!(account.balance.is_zero(), "closed account {order_id}");
            }
            let Denom::Native(denom) = &order.denom else {
                panic!("native orders only")
            };
            let payments: Vec<PaymentResponse> =
                order.lease_ids.iter().map(|l| self.payment(*l)).collect();
            let paid_out: u128 = payments
                .iter()
                .map(|p| p.withdrawn.u128() + p.fees_paid.u128())
                .sum();
            *spent
                .entry((order.renter.clone(), denom.clone()))
                .or_default() += account.balance.u128() + paid_out;
            *fees.entry(denom.clone()).or_default() +=
                payments.iter().map(|p| p.fees_paid.u128()).sum::<u128>();
            *accounts_held.entry(denom.clone()).or_default() += account.balance.u128();
            assert!(order.committed <= order.budget);
        }
        for provider in &self.providers {
            let reported: ProviderWorkResponse = self
                .app
                .wrap()
                .query_wasm_smart(
                    &self.staking,
                    &StakingQuery::ProviderWork {
                        address: provider.to_string(),
                        start_after: None,
                        limit: Some(100),
                    },
                )
                .unwrap();
            let gpu_seconds: u128 = reported.work.iter().map(|w| w.gpu_seconds.u128()).sum();
            let weight: Uint256 = reported.work.iter().map(|w| w.weight).sum();
            let (expected_work, expected_weight) = work.get(provider).copied().unwrap_or_default();
            assert_eq!(gpu_seconds, expected_work, "work reported for {provider}");
            assert_eq!(
                weight,
                Uint256::from(expected_weight),
                "emission weight of {provider}"
            );
        }
        // Money, per denom.
        for denom in DENOMS {
            let key = |a: &Addr| (a.clone(), denom.to_string());
            let mut parties: Vec<&Addr> = self.renters.iter().collect();
            parties.extend(self.providers.iter().filter(|p| !self.renters.contains(p)));
            for party in parties {
                let initial = if self.renters.contains(party) {
                    INITIAL_CASH
                } else {
                    0
                };
                let expected = initial - spent.get(&key(party)).copied().unwrap_or(0)
                    + earned.get(&key(party)).copied().unwrap_or(0);
                assert_eq!(self.bank(party, denom), expected, "{denom} of {party}");
            }
            assert_eq!(
                self.bank(&self.staking, denom),
                fees.get(denom).copied().unwrap_or(0),
                "staking holds exactly the {denom} fees"
            );
            assert_eq!(
                self.bank(&self.escrow, denom),
                accounts_held.get(denom).copied().unwrap_or(0) + self.uncollected(denom),
                "escrow holds exactly its accounts' {denom}"
            );
            assert_eq!(
                self.bank(&self.market, denom),
                0,
                "the marketplace holds no {denom}"
            );
        }
        // GRID moves only between providers, staking, renters and the treasury.
        let mut holders: Vec<&Addr> = self.providers.iter().collect();
        holders.extend(self.renters.iter().filter(|r| !self.providers.contains(r)));
        holders.push(&self.staking);
        holders.push(&self.treasury);
        let grid: u128 = holders.iter().map(|h| self.grid_balance(h)).sum();
        assert_eq!(grid, INITIAL_GRID * PROVIDERS as u128, "GRID conserved");
        let totals: StakingTotals = self
            .app
            .wrap()
            .query_wasm_smart(&self.staking, &StakingQuery::Totals {})
            .unwrap();
        for holding in totals.totals {
            let balance = match &holding.denom {
                Denom::Native(d) => self.bank(&self.staking, d),
                Denom::Cw20(_) => self.grid_balance(&self.staking),
            };
            assert_eq!(balance, holding.total.u128(), "staking {}", holding.denom);
        }
        assert_eq!(self.failures, Vec::<String>::new(), "cranks must not fail");
        assert_eq!(self.skipped, vec![], "no crank step may be skipped");
    }

    /// Time runs out; governance resolves what only it can; then only permissionless calls.
    fn drain(&mut self) -> usize {
        for round in 1..=12 {
            self.advance(4_000);
            for (_, lease) in self.open_leases() {
                if lease.disputed {
                    let owner = self.owner.clone();
                    let resolved = self.exec(
                        &owner,
                        &ExecuteMsg::ResolveDispute {
                            lease_id: lease.lease_id,
                            uphold_result: lease.lease_id % 2 == 0,
                        },
                        &[],
                    );
                    assert!(resolved.is_some(), "resolving lease {}", lease.lease_id);
                }
            }
            for _ in 0..10 {
                if self.crank(ExecuteMsg::ExpireOrders { limit: None }, "orders_due") == 0 {
                    break;
                }
            }
            for _ in 0..10 {
                if self.crank(ExecuteMsg::Reap { limit: None }, "providers_checked") == 0 {
                    break;
                }
            }
            for (_, lease) in self.open_leases() {
                let anyone = self.app.api().addr_make("cranker");
                self.exec(
                    &anyone,
                    &ExecuteMsg::Finalize {
                        lease_id: lease.lease_id,
                    },
                    &[],
                );
            }
            self.check();
            let orders_open = self
                .orders
                .iter()
                .any(|o| !self.order(*o).closed || !self.account(*o).closed);
            if self.open_leases().is_empty() && !orders_open {
                return round;
            }
        }
        let open: Vec<_> = self
            .open_leases()
            .into_iter()
            .map(|(o, l)| (l.lease_id, l.state, l.disputed, o.status, o.replication))
            .collect();
        let orders: Vec<_> = self
            .orders
            .iter()
            .map(|o| (o, self.order(*o).status, self.order(*o).closed))
            .filter(|(_, _, closed)| !closed)
            .collect();
        panic!("not live: open leases {open:?}, orders {orders:?}");
    }
}

/// Staking's `UpdateConfig` changing only `min_stake_per_gpu`.
fn set_min_stake_per_gpu(min_stake: u128) -> StakingMsg {
    StakingMsg::UpdateConfig {
        marketplace: None,
        treasury: None,
        unbonding_period: None,
        min_stake_per_gpu: Some(Uint128::new(min_stake)),
        compensation_ratio: None,
        reward_denoms: None,
        emission_per_epoch: None,
        emission_weights: None,
    }
}

#[derive(Clone, Debug)]
enum Action {
    PostOffer {
        provider: usize,
        model: usize,
        units: u32,
        price: u128,
        denom: usize,
    },
    UpdateOffer {
        provider: usize,
        pick: usize,
        price: Option<u128>,
        units: Option<u32>,
    },
    WithdrawOffer {
        provider: usize,
        pick: usize,
    },
    PostOrder {
        renter: usize,
        model: Option<usize>,
        gpus: u32,
        max_price: u128,
        hours: u64,
        replication: u8,
        denom: usize,
    },
    CancelOrder {
        pick: usize,
    },
    Submit {
        pick: usize,
        sha: usize,
    },
    Dispute {
        pick: usize,
    },
    Resolve {
        pick: usize,
        uphold: bool,
    },
    CloseLease {
        pick: usize,
        by_renter: bool,
    },
    Finalize {
        pick: usize,
    },
    Heartbeat {
        provider: usize,
    },
    Advance {
        seconds: u64,
    },
    Reap,
    ExpireOrders,
    MinStake {
        per_gpu: u128,
    },
    Slash {
        rule: SlashRule,
    },
    MaxSilence {
        seconds: u64,
    },
    AcceptDenoms {
        choice: usize,
    },
}

/// The accepted-denom lists the owner may switch between; the last one names a denom escrow does
/// not hold and must be refused.
fn denom_choice(choice: usize) -> Vec<UncheckedDenom> {
    let native = |d: &str| UncheckedDenom::Native(d.into());
    match choice {
        0 => vec![native(USDC)],
        1 => vec![native(USDC), native(EUR)],
        2 => vec![native(EUR)],
        _ => vec![native(USDC), native("uatom")],
    }
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        3 => (0..PROVIDERS, 0..MODELS.len(), 1u32..5, 1u128..20, 0..DENOMS.len()).prop_map(
            |(provider, model, units, price, denom)| Action::PostOffer {
                provider,
                model,
                units,
                price: price * 100,
                denom,
            }
        ),
        1 => (0..PROVIDERS, 0usize..8, proptest::option::of(1u128..20), proptest::option::of(1u32..6))
            .prop_map(|(provider, pick, price, units)| Action::UpdateOffer {
                provider,
                pick,
                price: price.map(|p| p * 100),
                units,
            }),
        1 => (0..PROVIDERS, 0usize..8).prop_map(|(provider, pick)| Action::WithdrawOffer { provider, pick }),
        6 => (
            0..RENTERS,
            proptest::option::of(0..MODELS.len()),
            1u32..4,
            1u128..25,
            1u64..4,
            1u8..4,
            0..DENOMS.len(),
        )
            .prop_map(|(renter, model, gpus, max_price, hours, replication, denom)| {
                Action::PostOrder {
                    renter,
                    model,
                    gpus,
                    max_price: max_price * 100,
                    hours,
                    replication,
                    denom,
                }
            }),
        1 => (0usize..16).prop_map(|pick| Action::CancelOrder { pick }),
        6 => (0usize..16, prop_oneof![4 => Just(0usize), 1 => Just(1usize)])
            .prop_map(|(pick, sha)| Action::Submit { pick, sha }),
        1 => (0usize..16).prop_map(|pick| Action::Dispute { pick }),
        1 => (0usize..16, any::<bool>()).prop_map(|(pick, uphold)| Action::Resolve { pick, uphold }),
        1 => (0usize..16, any::<bool>()).prop_map(|(pick, by_renter)| Action::CloseLease { pick, by_renter }),
        2 => (0usize..16).prop_map(|pick| Action::Finalize { pick }),
        5 => (0..PROVIDERS).prop_map(|provider| Action::Heartbeat { provider }),
        3 => prop_oneof![Just(30u64), Just(400), Just(1_000), Just(2_000), Just(4_000)]
            .prop_map(|seconds| Action::Advance { seconds }),
        1 => Just(Action::Reap),
        1 => Just(Action::ExpireOrders),
        1 => prop_oneof![Just(500u128), Just(1_000), Just(5_000), Just(50_000)]
            .prop_map(|per_gpu| Action::MinStake { per_gpu }),
        1 => prop_oneof![
            Just(SlashRule::Fixed { amount: Uint128::new(300) }),
            Just(SlashRule::BondBps { bps: 500 }),
            Just(SlashRule::Fixed { amount: Uint128::zero() }),
        ]
        .prop_map(|rule| Action::Slash { rule }),
        1 => prop_oneof![Just(300u64), Just(600), Just(1_200)]
            .prop_map(|seconds| Action::MaxSilence { seconds }),
        1 => (0usize..4).prop_map(|choice| Action::AcceptDenoms { choice }),
    ]
}

fn pick<T: Clone>(items: &[T], pick: usize) -> Option<T> {
    (!items.is_empty()).then(|| items[pick % items.len()].clone())
}

fn run(world: &mut World, action: &Action) {
    let owner = world.owner.clone();
    match action.clone() {
        Action::PostOffer {
            provider,
            model,
            units,
            price,
            denom,
        } => {
            let sender = world.providers[provider].clone();
            world.exec(
                &sender,
                &ExecuteMsg::PostOffer {
                    model: MODELS[model].into(),
                    units,
                    price: Uint128::new(price),
                    denom: UncheckedDenom::Native(DENOMS[denom].into()),
                    min_duration: 60,
                    max_duration: 3 * 3_600,
                },
                &[],
            );
        }
        Action::UpdateOffer {
            provider,
            pick: p,
            price,
            units,
        } => {
            let sender = world.providers[provider].clone();
            if let Some(offer) = pick(&world.offers(&sender), p) {
                world.exec(
                    &sender,
                    &ExecuteMsg::UpdateOffer {
                        offer_id: offer.offer_id,
                        price: price.map(Uint128::new),
                        units,
                    },
                    &[],
                );
            }
        }
        Action::WithdrawOffer { provider, pick: p } => {
            let sender = world.providers[provider].clone();
            if let Some(offer) = pick(&world.offers(&sender), p) {
                world.exec(
                    &sender,
                    &ExecuteMsg::WithdrawOffer {
                        offer_id: offer.offer_id,
                    },
                    &[],
                );
            }
        }
        Action::PostOrder {
            renter,
            model,
            gpus,
            max_price,
            hours,
            replication,
            denom,
        } => {
            let sender = world.renters[renter].clone();
            let required =
                u128::from(replication) * u128::from(gpus) * max_price * u128::from(hours);
            let order = NewOrder {
                spec: JobSpec {
                    workload: Workload::Sha256 {},
                    inputs: JobInputs::Url {
                        url: "https://in.example/x".into(),
                        sha256: SHA[0].into(),
                    },
                    deterministic: true,
                    max_runtime_seconds: 600,
                },
                requirements: Requirements {
                    models: model.map(|m| vec![MODELS[m].to_string()]),
                    ..Requirements::default()
                },
                gpu_count: gpus,
                max_price: Uint128::new(max_price),
                max_duration: hours * 3_600,
                replication,
                deadline: cosmwasm_std::Timestamp::from_seconds(world.now() + 3_000),
            };
            if let Some(res) = world.exec(
                &sender,
                &ExecuteMsg::PostOrder(order),
                &[coin(required, DENOMS[denom])],
            ) {
                let order_id = res
                    .events
                    .iter()
                    .flat_map(|e| &e.attributes)
                    .find(|a| a.key == "order_id")
                    .and_then(|a| a.value.parse().ok())
                    .expect("order_id");
                world.orders.push(order_id);
            }
        }
        Action::CancelOrder { pick: p } => {
            if let Some(order_id) = pick(&world.orders, p) {
                let renter = world.order(order_id).renter;
                world.exec(&renter, &ExecuteMsg::CancelOrder { order_id }, &[]);
            }
        }
        Action::Submit { pick: p, sha } => {
            let leases: Vec<_> = world
                .open_leases()
                .into_iter()
                .filter(|(_, l)| l.provider != world.providers[LAZY])
                .collect();
            if let Some((order, lease)) = pick(&leases, p) {
                let submitted = world.exec(
                    &lease.provider,
                    &ExecuteMsg::SubmitResult {
                        lease_id: lease.lease_id,
                        sha256: SHA[sha].into(),
                        output_uri: "https://out.example/y".into(),
                        runtime_seconds: 10,
                        energy_wh: 1,
                    },
                    &[],
                );
                // The disputing renter disputes every result it gets.
                if submitted.is_some() && order.renter == world.renters[DISPUTER] {
                    world.exec(
                        &order.renter,
                        &ExecuteMsg::Dispute {
                            lease_id: lease.lease_id,
                        },
                        &[],
                    );
                }
            }
        }
        Action::Dispute { pick: p } => {
            if let Some((order, lease)) = pick(&world.open_leases(), p) {
                world.exec(
                    &order.renter,
                    &ExecuteMsg::Dispute {
                        lease_id: lease.lease_id,
                    },
                    &[],
                );
            }
        }
        Action::Resolve { pick: p, uphold } => {
            let disputed: Vec<_> = world
                .open_leases()
                .into_iter()
                .filter(|(_, l)| l.disputed)
                .collect();
            if let Some((_, lease)) = pick(&disputed, p) {
                world.exec(
                    &owner,
                    &ExecuteMsg::ResolveDispute {
                        lease_id: lease.lease_id,
                        uphold_result: uphold,
                    },
                    &[],
                );
            }
        }
        Action::CloseLease { pick: p, by_renter } => {
            if let Some((order, lease)) = pick(&world.open_leases(), p) {
                let sender = if by_renter {
                    order.renter
                } else {
                    lease.provider
                };
                world.exec(
                    &sender,
                    &ExecuteMsg::CloseLease {
                        lease_id: lease.lease_id,
                    },
                    &[],
                );
            }
        }
        Action::Finalize { pick: p } => {
            if let Some((_, lease)) = pick(&world.open_leases(), p) {
                let anyone = world.app.api().addr_make("cranker");
                world.exec(
                    &anyone,
                    &ExecuteMsg::Finalize {
                        lease_id: lease.lease_id,
                    },
                    &[],
                );
            }
        }
        Action::Heartbeat { provider } => {
            let sender = world.providers[provider].clone();
            world.exec(&sender, &ExecuteMsg::Heartbeat { telemetry: None }, &[]);
        }
        Action::Advance { seconds } => world.advance(seconds),
        Action::Reap => {
            world.crank(ExecuteMsg::Reap { limit: None }, "providers_checked");
        }
        Action::ExpireOrders => {
            world.crank(ExecuteMsg::ExpireOrders { limit: None }, "orders_due");
        }
        Action::MinStake { per_gpu } => {
            let staking = world.staking.clone();
            world
                .app
                .execute_contract(owner, staking, &set_min_stake_per_gpu(per_gpu), &[])
                .unwrap();
        }
        Action::Slash { rule } => {
            let done = world.exec(
                &owner,
                &ExecuteMsg::UpdateParams(ParamsUpdate {
                    slash: Some(rule),
                    ..ParamsUpdate::default()
                }),
                &[],
            );
            assert!(done.is_some());
        }
        Action::MaxSilence { seconds } => {
            let done = world.exec(
                &owner,
                &ExecuteMsg::UpdateParams(ParamsUpdate {
                    max_silence: Some(seconds),
                    ..ParamsUpdate::default()
                }),
                &[],
            );
            assert!(done.is_some());
        }
        Action::AcceptDenoms { choice } => {
            let done = world.exec(
                &owner,
                &ExecuteMsg::UpdateParams(ParamsUpdate {
                    accepted_denoms: Some(denom_choice(choice)),
                    ..ParamsUpdate::default()
                }),
                &[],
            );
            // Denoms escrow holds are accepted; one it does not hold is refused.
            assert_eq!(done.is_some(), choice < 3, "accepted denoms {choice}");
        }
    }
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(48)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(),
        max_shrink_iters: 200,
        ..ProptestConfig::default()
    })]

    #[test]
    fn every_lease_and_account_reaches_a_final_state(
        actions in proptest::collection::vec(action(), 1..100)
    ) {
        let mut world = World::new();
        for action in &actions {
            run(&mut world, action);
            world.check();
        }
        let rounds = world.drain();
        if std::env::var("LIVENESS_STATS").is_ok() {
            let mut states: BTreeMap<String, usize> = BTreeMap::new();
            for (_, lease) in world.leases() {
                *states.entry(format!("{:?}", lease.state)).or_default() += 1;
            }
            eprintln!(
                "{} actions, {} orders, leases {states:?}, drained in {rounds} rounds",
                actions.len(),
                world.orders.len()
            );
        }
        // Final: every lease, order and account; escrow empty (all fees delivered).
        for (_, lease) in world.leases() {
            prop_assert!(is_final(lease.state), "lease {} is {:?}", lease.lease_id, lease.state);
        }
        for order_id in world.orders.clone() {
            let account = world.account(order_id);
            prop_assert!(account.closed && account.balance.is_zero(), "account {order_id}");
        }
        for denom in DENOMS {
            prop_assert_eq!(world.bank(&world.escrow, denom), 0);
            prop_assert_eq!(world.uncollected(denom), 0);
        }
    }
}
