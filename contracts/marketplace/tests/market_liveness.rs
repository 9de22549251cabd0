//! Liveness, conservation and verification under adversaries and parameter changes, against the
//! real escrow and staking contracts (cw-multi-test, replies wired as on chain).
//!
//! Random sequences mix the market's actions (offers, orders with replication 1 to 3, commitments,
//! reveals, disputes, early closes, `Finalize`, heartbeats, keeper rounds in which every running
//! keeper beats, commits and reveals, time passing, `Reap`, `ExpireOrders`) with owner parameter
//! changes (staking's `min_stake_per_gpu` up and down, the dishonesty and liveness slash rules,
//! `max_silence`, `reveal_window` — zero must be refused —, the accepted denoms, one of which
//! escrow does not hold and must be refused, and now and then the owner's dispute override) and
//! these actors:
//! - honest providers 2 and 5 commit the job's output (now and then a wrong one) and reveal it;
//!   they list the cheapest seed offers, so replicated orders often meet three revealing
//!   providers;
//! - provider 0 is also a SYBIL renter: its orders may be matched to its own offers, and on its
//!   own orders its replicas commit junk (on other orders it behaves like an honest provider);
//! - provider 1 is a COPIER: it commits another lease's commitment string, read from the lease
//!   query, and later tries to reveal it with the other lease's output and either salt, which
//!   must always be refused;
//! - provider 3 is LAZY: it never commits;
//! - provider 4 goes SILENT AFTER COMMITTING: it commits the honest output, then never reveals
//!   and sends nothing (no heartbeat, commitment or close) while it holds a commitment;
//! - renter 1 DISPUTES every single-replica result it gets, right after its reveal, paying the
//!   bond with the salt its orders committed to (`dispute_salt_hash`); such a dispute may be
//!   refused only for want of an eligible referee. The other renters attach a salt hash to some
//!   orders and dispute at random.
//!
//! After every step:
//! - an escrow payment is closed exactly when its lease is final, and an order's escrow account
//!   is closed exactly when the order is;
//! - every payment released exactly the accrual of its lease's billable seconds
//!   (`paid_until − start`), and those are: for an accepted lease, `min(committed_at − start,
//!   max_runtime_seconds, max_duration)`; for a renter-cancelled one, that (a replica left
//!   without a verdict on an order the renter cut short) or the time to its close; for every
//!   other lease, zero (silent, expired, rejected, missed reveals, no quorum, withdrawn: unpaid);
//!   nothing is released before a close;
//! - (a) no lease is Accepted unless its order's `canonical_sha256` is its revealed output and
//!   either `⌊k/2⌋ + 1` of the order's replicas revealed that output or its referee did (a
//!   `k ≥ 2` referee is accepted only with a replica that revealed the same output); a
//!   single replica is accepted only after its dispute window passed undisputed, or when the
//!   referee revealed the same output, or when the referee closed without revealing (missed its
//!   commit or reveal deadline, or was reaped for silence) — an order whose dispute the owner
//!   overrode is exempt;
//! - (b) nothing is paid for a lease that is not Accepted unless it was renter-cancelled;
//! - (c) the copier's and the silent provider's committed leases never end Accepted, and no
//!   copied commitment is ever revealed;
//! - `Finalize` succeeds on any open lease whose `finalizable_at` has come;
//! - the work reported to staking equals, per provider, accepted units × billable seconds, and
//!   its emission weight equals the fees of those leases' payments unless renter and provider are
//!   the same account;
//! - no coin is created or lost, per denom: every party's balance is its initial balance less
//!   what it put into its orders' accounts (budgets and dispute bonds, less refunds) plus what its
//!   payments paid it; staking holds exactly the fees; escrow holds exactly its accounts'
//!   balances and the fees it could not deliver; the marketplace holds nothing; GRID only moves
//!   between providers, staking, renters (slash compensation) and the treasury;
//! - `Reap` and `ExpireOrders` never fail, and no crank step is ever skipped.
//!
//! Then time runs past every deadline and only permissionless calls follow (`ExpireOrders`,
//! `Reap`, `Finalize` on every open lease): no heartbeat, reveal, dispute or governance call.
//! Every lease and every escrow account must reach a final state, every closed account must be
//! empty, and escrow must end up holding nothing.
//!
//! Every provider starts with offers in both denoms. `PROPTEST_CASES` overrides the number of
//! cases (48 by default); `LIVENESS_STATS` prints what each case built; `MARKET_TRACE` prints
//! every call.

use cosmwasm_std::{coin, to_json_binary, Addr, Coin, Decimal, Uint128, Uint256};
use cw20::{Cw20Coin, Cw20ExecuteMsg};
use cw_multi_test::{App, AppResponse, Executor};
use gridshare_testing::deploy::{
    Deployed, Deployment, EscrowSetup, GridSetup, MarketplaceSetup, Setup, StakingSetup,
};
use gridshare_testing::marketplace::{salt_for, RENTER_SALT};
use gridshare_types::escrow::{
    AccountResponse, PaymentResponse, QueryMsg as EscrowQuery, UncollectedFeesResponse,
};
use gridshare_types::marketplace::{
    required_budget, CloseReason, ComputeCapability, ExecuteMsg, GpuModel, JobInputs, JobSpec,
    LeaseResponse, LeaseState, NewOrder, OfferResponse, OffersResponse, OrderResponse, Params,
    ParamsUpdate, QueryMsg, RenterFault, Requirements, SlashRule, Workload,
};
use gridshare_types::staking::{
    ExecuteMsg as StakingMsg, ProviderWorkResponse, QueryMsg as StakingQuery,
    ReceiveMsg as StakingReceive, TotalsResponse as StakingTotals,
};
use gridshare_types::verification::{result_commitment, salt_hash};
use gridshare_types::{Denom, UncheckedDenom};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

const USDC: &str = "uusdc";
const EUR: &str = "ueur";
const DENOMS: [&str; 2] = [USDC, EUR];
const MODELS: [&str; 2] = ["rtx-4090", "a100"];
const PROVIDERS: usize = 6;
/// Provider 0 also rents (renter 2), and commits junk on its own orders.
const SYBIL: usize = 0;
/// Provider 1 commits other leases' commitments.
const COPIER: usize = 1;
/// Provider 3 never commits.
const LAZY: usize = 3;
/// Provider 4 commits, then never reveals and falls silent while it holds a commitment.
const SILENT: usize = 4;
/// Renter 1 disputes every single-replica result it gets.
const DISPUTER: usize = 1;
/// Renters: renter 0, the disputer, and provider 0 renting (the sybil).
const RENTERS: usize = 3;
const SYBIL_RENTER: usize = 2;
const INITIAL_CASH: u128 = 1_000_000_000;
const INITIAL_GRID: u128 = 100_000;
const MAX_SILENCE: u64 = 600;
const DISPUTE_WINDOW: u64 = 1_800;
const REVEAL_WINDOW: u64 = 1_200;
const MAX_RUNTIME: u64 = 600;
/// The seed offers' prices: the honest providers cheapest, then the sybil, so that replicated
/// orders often meet three revealing providers (and quorums reject dissent); the adversaries
/// get leases from the orders the cheaper offers cannot take, and from their random offers.
const SEED_PRICES: [u128; PROVIDERS] = [400, 450, 300, 550, 500, 350];
/// The job's output (what an honest provider commits), a wrong one (a faulty provider), and the
/// sybil's junk.
const SHA: [&str; 3] = [
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
    "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc",
];
const JUNK: usize = 2;

fn is_final(state: LeaseState) -> bool {
    !matches!(
        state,
        LeaseState::Active | LeaseState::Committed | LeaseState::Revealed
    )
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
    /// What each lease committed to (the output, an index into `SHA`), for the leases whose
    /// provider can open its commitment.
    outputs: BTreeMap<u64, usize>,
    /// The copier's leases, with the lease whose commitment each copied.
    copied: BTreeMap<u64, u64>,
    /// Orders whose dispute the owner resolved by override.
    overridden: BTreeSet<u64>,
    /// Dispute bonds forfeited to providers, per order: (to, amount), from escrow's events.
    forfeits: BTreeMap<u64, (Addr, u128)>,
    /// What happened, for `LIVENESS_STATS`.
    counts: BTreeMap<&'static str, usize>,
    /// Crank steps skipped: (step, id, reason).
    skipped: Vec<(String, String, String)>,
    /// Calls that must never fail (or must always fail) but did not.
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
        renters.push(providers[SYBIL].clone());
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
                    reveal_window: REVEAL_WINDOW,
                    slash: SlashRule::Fixed {
                        amount: Uint128::new(300),
                    },
                    liveness_slash: SlashRule::Fixed {
                        amount: Uint128::new(200),
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
            // Seed offers, so that orders (and referees) have something to match from the first
            // step.
            for (model, denom) in [(MODELS[0], USDC), (MODELS[1], USDC), (MODELS[0], EUR)] {
                app.execute_contract(
                    provider.clone(),
                    market.clone(),
                    &ExecuteMsg::PostOffer {
                        model: model.into(),
                        units: 3,
                        price: Uint128::new(SEED_PRICES[i]),
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
            outputs: BTreeMap::new(),
            copied: BTreeMap::new(),
            forfeits: BTreeMap::new(),
            overridden: BTreeSet::new(),
            counts: BTreeMap::new(),
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

    fn count(&mut self, what: &'static str) {
        *self.counts.entry(what).or_default() += 1;
    }

    /// Executes on the marketplace; `None` when it was refused.
    fn exec(&mut self, sender: &Addr, msg: &ExecuteMsg, funds: &[Coin]) -> Option<AppResponse> {
        self.try_exec(sender, msg, funds).ok()
    }

    /// Executes on the marketplace; records the crank steps the transaction skipped.
    fn try_exec(
        &mut self,
        sender: &Addr,
        msg: &ExecuteMsg,
        funds: &[Coin],
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
        for event in res.events.iter().filter(|e| e.ty == "wasm") {
            let get = |k: &str| {
                event
                    .attributes
                    .iter()
                    .find(|a| a.key == k)
                    .map(|a| a.value.clone())
                    .unwrap_or_default()
            };
            if get("action") == "forfeit" {
                let order: u64 = get("account_id").parse().unwrap();
                let amount: u128 = get("amount").parse().unwrap();
                let previous = self
                    .forfeits
                    .insert(order, (Addr::unchecked(get("to")), amount));
                assert!(previous.is_none(), "order {order} forfeited twice");
            }
        }
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

    /// The owner changes marketplace parameters; `Some` when accepted.
    fn update_params(&mut self, update: ParamsUpdate) -> Option<AppResponse> {
        let owner = self.owner.clone();
        self.exec(&owner, &ExecuteMsg::UpdateParams(update), &[])
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

    fn lease(&self, lease_id: u64) -> LeaseResponse {
        self.query(&QueryMsg::Lease { lease_id })
    }

    /// Every order with its leases (replicas, then its referee).
    fn orders_with_leases(&self) -> Vec<(OrderResponse, Vec<LeaseResponse>)> {
        self.orders
            .iter()
            .map(|order_id| {
                let order = self.order(*order_id);
                let leases = order.lease_ids.iter().map(|l| self.lease(*l)).collect();
                (order, leases)
            })
            .collect()
    }

    /// Every lease of every order, with its order.
    fn leases(&self) -> Vec<(OrderResponse, LeaseResponse)> {
        self.orders_with_leases()
            .into_iter()
            .flat_map(|(order, leases)| leases.into_iter().map(move |l| (order.clone(), l)))
            .collect()
    }

    fn open_leases(&self) -> Vec<(OrderResponse, LeaseResponse)> {
        self.leases()
            .into_iter()
            .filter(|(_, l)| !is_final(l.state))
            .collect()
    }

    fn provider_index(&self, address: &Addr) -> usize {
        self.providers
            .iter()
            .position(|p| p == address)
            .expect("a provider of the world")
    }

    /// The silent provider sends nothing while it holds a commitment.
    fn silent_now(&self) -> bool {
        self.open_leases()
            .iter()
            .any(|(_, l)| l.provider == self.providers[SILENT] && l.state == LeaseState::Committed)
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

    /// The order's renter disputes the lease with the order's bond and its salt.
    fn dispute(&mut self, order: &OrderResponse, lease_id: u64) -> anyhow::Result<AppResponse> {
        let Denom::Native(denom) = &order.denom else {
            panic!("native orders only")
        };
        let funds = if order.dispute_bond.is_zero() {
            vec![]
        } else {
            vec![coin(order.dispute_bond.u128(), denom)]
        };
        self.try_exec(
            &order.renter,
            &ExecuteMsg::Dispute {
                lease_id,
                salt: RENTER_SALT.into(),
            },
            &funds,
        )
    }

    /// The disputing renter disputes every single-replica result of its orders as soon as it is
    /// revealed. Refused only when no referee can be matched.
    fn disputer_reacts(&mut self) {
        let disputer = self.renters[DISPUTER].clone();
        let now = self.now();
        for (order, lease) in self.open_leases() {
            let due = order.renter == disputer
                && order.replication == 1
                && !lease.referee
                && lease.state == LeaseState::Revealed
                && !lease.disputed
                && lease.dispute_deadline.is_some_and(|d| now < d);
            if !due {
                continue;
            }
            match self.dispute(&order, lease.lease_id) {
                Ok(_) => self.count("disputer disputed"),
                Err(e) if e.root_cause().to_string().contains("no eligible referee") => {
                    self.count("disputer found no referee")
                }
                Err(e) => self.failures.push(format!(
                    "the disputer's dispute of lease {} was refused: {}",
                    lease.lease_id,
                    e.root_cause()
                )),
            }
        }
    }

    /// The properties that hold after every step (see the module documentation).
    fn check(&self) {
        let orders = self.orders_with_leases();
        // The work behind each accepted lease.
        let mut work: BTreeMap<Addr, (u128, u128)> = BTreeMap::new();
        // Per party and denom: what it put into accounts, what payments paid it.
        let mut spent: BTreeMap<(Addr, String), u128> = BTreeMap::new();
        let mut earned: BTreeMap<(Addr, String), u128> = BTreeMap::new();
        let mut fees: BTreeMap<String, u128> = BTreeMap::new();
        let mut accounts_held: BTreeMap<String, u128> = BTreeMap::new();
        for (order, leases) in &orders {
            let order_id = order.order_id;
            let Denom::Native(denom) = &order.denom else {
                panic!("native orders only")
            };
            let mut paid_out = 0u128;
            for lease in leases {
                let id = lease.lease_id;
                let payment = self.payment(id);
                assert_eq!(
                    payment.closed,
                    is_final(lease.state),
                    "payment of lease {id} vs its state {:?}",
                    lease.state
                );
                assert_eq!(
                    payment.released - payment.fees_paid,
                    payment.withdrawn + payment.withdrawable,
                    "payment {id}"
                );
                *earned
                    .entry((lease.provider.clone(), denom.clone()))
                    .or_default() += payment.withdrawn.u128();
                paid_out += payment.withdrawn.u128() + payment.fees_paid.u128();
                *fees.entry(denom.clone()).or_default() += payment.fees_paid.u128();
                self.check_pay(order, lease, &payment);
                if lease.state == LeaseState::Accepted {
                    self.check_accepted(order, leases, lease);
                    let billable = lease.paid_until.unwrap() - lease.start;
                    let entry = work.entry(lease.provider.clone()).or_default();
                    entry.0 += u128::from(lease.units) * u128::from(billable);
                    if order.renter != lease.provider {
                        entry.1 += payment.fees_paid.u128();
                    }
                }
                // (c) A copied commitment, or one never revealed, is never accepted.
                let provider = self.provider_index(&lease.provider);
                if let (COPIER, Some(result)) = (provider, lease.result.as_ref()) {
                    assert!(
                        self.copied.contains_key(&id),
                        "the copier committed lease {id} without copying"
                    );
                    assert_ne!(lease.state, LeaseState::Accepted, "copier's lease {id}");
                    assert!(result.sha256.is_none(), "copier's lease {id} revealed");
                }
                if provider == SILENT && lease.result.is_some() {
                    assert_ne!(lease.state, LeaseState::Accepted, "silent lease {id}");
                }
            }
            // A lost dispute bond, forfeited to the disputed provider.
            if let Some((to, amount)) = self.forfeits.get(&order_id) {
                *earned.entry((to.clone(), denom.clone())).or_default() += amount;
                paid_out += amount;
            }
            let account = self.account(order_id);
            assert_eq!(account.closed, order.closed, "account {order_id}");
            if account.closed {
                assert!(account.balance.is_zero(), "closed account {order_id}");
            }
            *spent
                .entry((order.renter.clone(), denom.clone()))
                .or_default() += account.balance.u128() + paid_out;
            *accounts_held.entry(denom.clone()).or_default() += account.balance.u128();
            // A dispute tops the account up with the bond that funds its referee.
            let funds = if order.disputed {
                order.budget + order.dispute_bond
            } else {
                order.budget
            };
            assert!(order.committed <= funds, "order {order_id} overcommitted");
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
        assert_eq!(
            self.failures,
            Vec::<String>::new(),
            "calls that must not fail"
        );
        assert_eq!(self.skipped, vec![], "no crank step may be skipped");
    }

    /// Billable seconds and (b): a lease is paid only with an accepted result or a renter's
    /// cancel, and escrow released exactly the accrual of its billable seconds.
    fn check_pay(&self, order: &OrderResponse, lease: &LeaseResponse, payment: &PaymentResponse) {
        let id = lease.lease_id;
        let start = lease.start;
        let Some(paid_until) = lease.paid_until else {
            assert!(payment.released.is_zero(), "open lease {id} released");
            return;
        };
        let billed = paid_until - start;
        let proven = lease.result.as_ref().map(|r| {
            (r.committed_at - start)
                .min(order.spec.max_runtime_seconds)
                .min(order.max_duration)
        });
        match (lease.state, lease.close_reason) {
            (LeaseState::Accepted, reason) => {
                assert_eq!(reason, Some(CloseReason::Completed), "lease {id}");
                assert_eq!(Some(billed), proven, "accepted lease {id} billed");
            }
            (_, Some(CloseReason::RenterCancelled)) => {
                let to_close =
                    (lease.closed_at.unwrap().max(start) - start).min(order.max_duration);
                assert!(
                    Some(billed) == proven || billed == to_close,
                    "cancelled lease {id} billed {billed}: proven {proven:?}, to close {to_close}"
                );
            }
            (state, reason) => assert_eq!(
                billed, 0,
                "lease {id} ({state:?}, {reason:?}) is paid without an accepted result"
            ),
        }
        let accrued = payment.rate.accrued(payment.cap, billed);
        assert_eq!(payment.released, accrued, "lease {id} released");
    }

    /// (a): an accepted lease's output is its order's canonical one and was accepted by the rules.
    fn check_accepted(
        &self,
        order: &OrderResponse,
        leases: &[LeaseResponse],
        lease: &LeaseResponse,
    ) {
        let id = lease.lease_id;
        if self.overridden.contains(&order.order_id) {
            return;
        }
        let revealed = |l: &LeaseResponse| l.result.as_ref().and_then(|r| r.sha256.clone());
        let sha = revealed(lease).unwrap_or_else(|| panic!("accepted lease {id} never revealed"));
        assert_eq!(
            order.canonical_sha256.as_ref(),
            Some(&sha),
            "accepted lease {id}: its order's canonical result"
        );
        let referee = leases.iter().find(|l| l.referee);
        let by_referee = referee.is_some_and(|r| revealed(r).as_ref() == Some(&sha));
        let k = order.replication;
        if k >= 2 {
            let agreeing = leases
                .iter()
                .filter(|l| !l.referee && revealed(l).as_ref() == Some(&sha))
                .count();
            assert!(
                agreeing > usize::from(k) / 2 || by_referee,
                "lease {id} accepted with {agreeing} of {k} replicas and no referee agreeing"
            );
            // A referee's output counts only with a replica that revealed the same.
            assert!(
                !lease.referee || agreeing >= 1,
                "referee {id} accepted with no replica agreeing"
            );
        } else if !lease.referee {
            let undisputed_window_over = !lease.disputed
                && lease.closed_at.unwrap()
                    >= lease.result.as_ref().unwrap().revealed_at.unwrap() + DISPUTE_WINDOW;
            // Missed its commit or reveal deadline, or closed without revealing.
            let referee_failed =
                referee.is_some_and(|r| is_final(r.state) && revealed(r).is_none());
            assert!(
                undisputed_window_over || by_referee || referee_failed,
                "single result {id} accepted: disputed {}, referee {:?}",
                lease.disputed,
                referee.map(|r| (r.state, r.close_reason))
            );
        }
    }

    /// Time runs out, then only permissionless calls: `ExpireOrders`, `Reap`, `Finalize` on every
    /// open lease — until every lease and account is final.
    fn drain(&mut self) -> usize {
        for round in 1..=12 {
            self.advance(4_000);
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
        salted: bool,
    },
    CancelOrder {
        pick: usize,
    },
    /// A provider commits on one of its active leases (`sha`: the honest output, or a wrong one).
    Commit {
        pick: usize,
        sha: usize,
    },
    /// A provider's keeper reveals every commitment it holds (refused where reveals are not open).
    Reveal {
        provider: usize,
    },
    /// A renter disputes one of its leases.
    Dispute {
        pick: usize,
    },
    /// The owner's override of a dispute.
    Resolve {
        pick: usize,
        uphold: bool,
    },
    /// By the renter or the provider; `blame`: with a renter fault (the provider's unverifiable
    /// word, refused from the renter and once a replica committed).
    CloseLease {
        pick: usize,
        by_renter: bool,
        blame: bool,
    },
    Finalize {
        pick: usize,
    },
    Heartbeat {
        provider: usize,
    },
    /// Every keeper that is running does a round, as its kind of actor does: beats, commits on
    /// its active leases (an honest one commits a wrong output where `faults` has the lease's bit
    /// set), and reveals its commitments.
    Keepers {
        faults: u64,
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
    LivenessSlash {
        rule: SlashRule,
    },
    MaxSilence {
        seconds: u64,
    },
    RevealWindow {
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

fn slash_rule() -> impl Strategy<Value = SlashRule> {
    prop_oneof![
        Just(SlashRule::Fixed {
            amount: Uint128::new(300)
        }),
        Just(SlashRule::BondBps { bps: 500 }),
        Just(SlashRule::Fixed {
            amount: Uint128::zero()
        }),
    ]
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
            any::<bool>(),
        )
            .prop_map(|(renter, model, gpus, max_price, hours, replication, denom, salted)| {
                Action::PostOrder {
                    renter,
                    model,
                    gpus,
                    max_price: max_price * 100,
                    hours,
                    replication,
                    denom,
                    salted,
                }
            }),
        1 => (0usize..16).prop_map(|pick| Action::CancelOrder { pick }),
        6 => (0usize..16, prop_oneof![4 => Just(0usize), 1 => Just(1usize)])
            .prop_map(|(pick, sha)| Action::Commit { pick, sha }),
        6 => (0..PROVIDERS).prop_map(|provider| Action::Reveal { provider }),
        1 => (0usize..16).prop_map(|pick| Action::Dispute { pick }),
        1 => (0usize..16, any::<bool>()).prop_map(|(pick, uphold)| Action::Resolve { pick, uphold }),
        1 => (0usize..16, any::<bool>(), any::<bool>()).prop_map(|(pick, by_renter, blame)| Action::CloseLease { pick, by_renter, blame }),
        2 => (0usize..16).prop_map(|pick| Action::Finalize { pick }),
        3 => (0..PROVIDERS).prop_map(|provider| Action::Heartbeat { provider }),
        4 => (any::<u64>(), 0u64..8).prop_map(|(bits, sparse)| Action::Keepers {
            // Mostly honest: a lease's output is wrong for about one lease in eight.
            faults: if sparse == 0 { bits } else { bits & (bits >> 1) & (bits >> 2) },
        }),
        3 => prop_oneof![
            3 => Just(30u64),
            3 => Just(400),
            2 => Just(1_000),
            1 => Just(2_000),
            1 => Just(4_000)
        ]
        .prop_map(|seconds| Action::Advance { seconds }),
        1 => Just(Action::Reap),
        1 => Just(Action::ExpireOrders),
        1 => prop_oneof![Just(500u128), Just(1_000), Just(5_000), Just(50_000)]
            .prop_map(|per_gpu| Action::MinStake { per_gpu }),
        1 => slash_rule().prop_map(|rule| Action::Slash { rule }),
        1 => slash_rule().prop_map(|rule| Action::LivenessSlash { rule }),
        1 => prop_oneof![Just(300u64), Just(600), Just(1_200)]
            .prop_map(|seconds| Action::MaxSilence { seconds }),
        1 => prop_oneof![Just(0u64), Just(60), Just(600), Just(3_600)]
            .prop_map(|seconds| Action::RevealWindow { seconds }),
        1 => (0usize..4).prop_map(|choice| Action::AcceptDenoms { choice }),
    ]
}

fn pick<T: Clone>(items: &[T], pick: usize) -> Option<T> {
    (!items.is_empty()).then(|| items[pick % items.len()].clone())
}

/// The provider of `lease` commits as its kind of actor does.
fn commit(world: &mut World, order: &OrderResponse, lease: &LeaseResponse, sha: usize) {
    let provider = world.provider_index(&lease.provider);
    let lease_id = lease.lease_id;
    let (commitment, output, copy_of) = if provider == COPIER {
        // Another lease of the order that committed: its commitment, read from the chain.
        let victim = order
            .lease_ids
            .iter()
            .filter(|l| **l != lease_id)
            .map(|l| world.lease(*l))
            .find(|l| l.result.is_some());
        let Some(victim) = victim else {
            return;
        };
        (
            victim.result.unwrap().commitment,
            None,
            Some(victim.lease_id),
        )
    } else {
        let sha = if provider == SYBIL && order.renter == world.providers[SYBIL] {
            JUNK
        } else {
            sha
        };
        let commitment = result_commitment(
            SHA[sha],
            lease_id,
            lease.provider.as_str(),
            &salt_for(lease_id),
        )
        .unwrap();
        (commitment, Some(sha), None)
    };
    let committed = world.exec(
        &lease.provider,
        &ExecuteMsg::CommitResult {
            lease_id,
            commitment,
            output_uri: "https://out.example/y".into(),
            runtime_seconds: 10,
            energy_mwh: Some(1),
        },
        &[],
    );
    if committed.is_some() {
        world.count("commitments");
        if let Some(sha) = output {
            world.outputs.insert(lease_id, sha);
        }
        if let Some(victim) = copy_of {
            world.copied.insert(lease_id, victim);
            world.count("copied commitments");
        }
    }
}

/// The provider of a committed lease reveals; the copier tries to open the commitment it copied
/// with the output and either salt, which must always be refused.
fn reveal(world: &mut World, lease: &LeaseResponse) {
    let lease_id = lease.lease_id;
    if let Some(victim) = world.copied.get(&lease_id).copied() {
        let sha = world.outputs.get(&victim).copied().unwrap_or(0);
        for salt in [salt_for(lease_id), salt_for(victim)] {
            let forged = ExecuteMsg::RevealResult {
                lease_id,
                sha256: SHA[sha].into(),
                salt,
            };
            if world.exec(&lease.provider, &forged, &[]).is_some() {
                world
                    .failures
                    .push(format!("the copier revealed lease {lease_id}"));
            }
        }
        world.count("copier reveals refused");
        return;
    }
    let sha = world.outputs[&lease_id];
    let revealed = world.exec(
        &lease.provider,
        &ExecuteMsg::RevealResult {
            lease_id,
            sha256: SHA[sha].into(),
            salt: salt_for(lease_id),
        },
        &[],
    );
    if revealed.is_some() {
        world.count("reveals");
    }
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
            if provider == SILENT && world.silent_now() {
                return;
            }
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
            salted,
        } => {
            let sender = world.renters[renter].clone();
            let max_duration = hours * 3_600;
            let required =
                required_budget(replication, gpus, Uint128::new(max_price), max_duration)
                    .unwrap()
                    .u128();
            // The disputer always commits to a dispute salt.
            let salted = salted || renter == DISPUTER;
            let order = NewOrder {
                spec: JobSpec {
                    workload: Workload::Sha256 {},
                    inputs: JobInputs::Url {
                        url: "https://in.example/x".into(),
                        sha256: SHA[0].into(),
                    },
                    deterministic: true,
                    max_runtime_seconds: MAX_RUNTIME,
                    output_key: None,
                },
                requirements: Requirements {
                    models: model.map(|m| vec![MODELS[m].to_string()]),
                    ..Requirements::default()
                },
                gpu_count: gpus,
                max_price: Uint128::new(max_price),
                max_duration,
                replication,
                deadline: world.now() + 3_000,
                dispute_salt_hash: salted.then(|| salt_hash(RENTER_SALT).unwrap()),
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
                world.count("orders");
                if renter == SYBIL_RENTER {
                    world.count("sybil orders");
                }
            }
        }
        Action::CancelOrder { pick: p } => {
            if let Some(order_id) = pick(&world.orders, p) {
                let renter = world.order(order_id).renter;
                world.exec(&renter, &ExecuteMsg::CancelOrder { order_id }, &[]);
            }
        }
        Action::Commit { pick: p, sha } => {
            let silent = world.silent_now();
            let leases: Vec<_> = world
                .open_leases()
                .into_iter()
                .filter(|(_, l)| l.state == LeaseState::Active)
                .filter(|(_, l)| l.provider != world.providers[LAZY])
                .filter(|(_, l)| !(silent && l.provider == world.providers[SILENT]))
                .collect();
            if let Some((order, lease)) = pick(&leases, p) {
                commit(world, &order, &lease, sha);
            }
        }
        Action::Reveal { provider } => {
            if provider == SILENT {
                return;
            }
            let leases: Vec<_> = world
                .open_leases()
                .into_iter()
                .filter(|(_, l)| l.state == LeaseState::Committed)
                .filter(|(_, l)| l.provider == world.providers[provider])
                .collect();
            for (_, lease) in leases {
                reveal(world, &lease);
            }
        }
        Action::Dispute { pick: p } => {
            if let Some((order, lease)) = pick(&world.open_leases(), p) {
                if world.dispute(&order, lease.lease_id).is_ok() {
                    world.count("random disputes");
                }
            }
        }
        Action::Resolve { pick: p, uphold } => {
            let disputed: Vec<_> = world
                .open_leases()
                .into_iter()
                .filter(|(_, l)| l.disputed)
                .collect();
            if let Some((order, lease)) = pick(&disputed, p) {
                let resolved = world.exec(
                    &owner,
                    &ExecuteMsg::ResolveDispute {
                        lease_id: lease.lease_id,
                        uphold_result: uphold,
                    },
                    &[],
                );
                if resolved.is_some() {
                    world.overridden.insert(order.order_id);
                    world.count("overrides");
                }
            }
        }
        Action::CloseLease {
            pick: p,
            by_renter,
            blame,
        } => {
            let silent = world.silent_now();
            if let Some((order, lease)) = pick(&world.open_leases(), p) {
                let sender = if by_renter {
                    order.renter
                } else if silent && lease.provider == world.providers[SILENT] {
                    return;
                } else {
                    lease.provider
                };
                world.exec(
                    &sender,
                    &ExecuteMsg::CloseLease {
                        lease_id: lease.lease_id,
                        renter_fault: blame.then_some(RenterFault::InputUnavailable),
                    },
                    &[],
                );
            }
        }
        Action::Finalize { pick: p } => {
            if let Some((_, lease)) = pick(&world.open_leases(), p) {
                let anyone = world.app.api().addr_make("cranker");
                let due = lease.finalizable_at.is_some_and(|at| at <= world.now());
                let msg = ExecuteMsg::Finalize {
                    lease_id: lease.lease_id,
                };
                match world.try_exec(&anyone, &msg, &[]) {
                    Ok(_) => world.count("finalized"),
                    Err(e) if due => world.failures.push(format!(
                        "Finalize of lease {} refused though finalizable at {:?} (now {}): {}",
                        lease.lease_id,
                        lease.finalizable_at,
                        world.now(),
                        e.root_cause()
                    )),
                    Err(_) => {}
                }
            }
        }
        Action::Heartbeat { provider } => {
            if provider == SILENT && world.silent_now() {
                return;
            }
            let sender = world.providers[provider].clone();
            world.exec(&sender, &ExecuteMsg::Heartbeat { telemetry: None }, &[]);
        }
        Action::Keepers { faults } => {
            for provider in 0..PROVIDERS {
                if provider == SILENT && world.silent_now() {
                    continue;
                }
                let sender = world.providers[provider].clone();
                world.exec(&sender, &ExecuteMsg::Heartbeat { telemetry: None }, &[]);
                let mine: Vec<_> = world
                    .open_leases()
                    .into_iter()
                    .filter(|(_, l)| l.provider == sender)
                    .collect();
                for (order, lease) in &mine {
                    if lease.state == LeaseState::Active && provider != LAZY {
                        let sha = usize::from((faults >> (lease.lease_id % 64)) & 1 == 1);
                        commit(world, order, lease, sha);
                        if provider == SILENT {
                            // Falls silent with its first commitment.
                            break;
                        }
                    }
                }
                if provider == SILENT {
                    continue;
                }
                for (_, lease) in &mine {
                    let lease = world.lease(lease.lease_id);
                    if lease.state == LeaseState::Committed {
                        reveal(world, &lease);
                    }
                }
            }
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
            let done = world.update_params(ParamsUpdate {
                slash: Some(rule),
                ..ParamsUpdate::default()
            });
            assert!(done.is_some());
        }
        Action::LivenessSlash { rule } => {
            let done = world.update_params(ParamsUpdate {
                liveness_slash: Some(rule),
                ..ParamsUpdate::default()
            });
            assert!(done.is_some());
        }
        Action::MaxSilence { seconds } => {
            let done = world.update_params(ParamsUpdate {
                max_silence: Some(seconds),
                ..ParamsUpdate::default()
            });
            assert!(done.is_some());
        }
        Action::RevealWindow { seconds } => {
            let done = world.update_params(ParamsUpdate {
                reveal_window: Some(seconds),
                ..ParamsUpdate::default()
            });
            // A reveal window of zero is refused.
            assert_eq!(done.is_some(), seconds > 0, "reveal window {seconds}");
        }
        Action::AcceptDenoms { choice } => {
            let done = world.update_params(ParamsUpdate {
                accepted_denoms: Some(denom_choice(choice)),
                ..ParamsUpdate::default()
            });
            // Denoms escrow holds are accepted; one it does not hold is refused.
            assert_eq!(done.is_some(), choice < 3, "accepted denoms {choice}");
        }
    }
    world.disputer_reacts();
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
                let key = match lease.close_reason {
                    Some(reason) => format!("{:?}/{reason:?}", lease.state),
                    None => format!("{:?}", lease.state),
                };
                *states.entry(key).or_default() += 1;
                if lease.referee {
                    *states.entry("(referees)".into()).or_default() += 1;
                }
            }
            eprintln!(
                "{} actions, {} orders, leases {states:?}, {:?}, drained in {rounds} rounds",
                actions.len(),
                world.orders.len(),
                world.counts,
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
