//! Property test: random sequences of market actions against the real escrow and staking
//! contracts (cw-multi-test), checking after every step that
//! - no offer is over-allocated: free units + units of its open leases = its units;
//! - no order spends beyond its funds: its leases' caps (replicas and referee), and what escrow
//!   released for them, stay within what the renter attached plus the dispute bond it paid;
//! - escrow is conserved: its bank balance per denom equals its `Totals`; so is staking (fees
//!   arrive as rewards, slashes leave);
//! - market statistics agree with the offers and leases: listed units = the offers' units,
//!   leased units = the open leases' units, per model.
//!
//! Providers follow the commit–reveal protocol (`CommitResult`, then `RevealResult` with the
//! output and salt that open the commitment), sometimes with a wrong output; renters dispute
//! single-replica results with their bond and the salt their orders committed to.
//!
//! `PROPTEST_CASES` overrides the number of cases (64 by default).

use cosmwasm_std::{coins, to_json_binary, Addr, Decimal, Timestamp, Uint128};
use cw20::{Cw20Coin, Cw20ExecuteMsg};
use cw_multi_test::{App, Executor};
use gridshare_testing::deploy::{
    Deployed, Deployment, EscrowSetup, GridSetup, MarketplaceSetup, Setup, StakingSetup,
};
use gridshare_testing::marketplace::{salt_for, RENTER_SALT};
use gridshare_types::escrow::{PaymentsResponse, QueryMsg as EscrowQuery, TotalsResponse};
use gridshare_types::marketplace::{
    order_of_lease, required_budget, ComputeCapability, ExecuteMsg, GpuModel, JobInputs, JobSpec,
    LeaseState, LeasesResponse, MarketStatsResponse, NewOrder, OfferResponse, OffersResponse,
    OrderResponse, Params, QueryMsg, RenterFault, Requirements, SlashRule, Workload,
};
use gridshare_types::staking::{
    QueryMsg as StakingQuery, ReceiveMsg as StakingReceive, TotalsResponse as StakingTotals,
};
use gridshare_types::verification::{result_commitment, salt_hash};
use gridshare_types::{Denom, UncheckedDenom};
use proptest::prelude::*;
use std::collections::BTreeMap;

const USDC: &str = "uusdc";
const MODELS: [&str; 3] = ["rtx-4090", "a100", "t4"];
const PROVIDERS: usize = 4;
const RENTERS: usize = 2;
const SHA: [&str; 2] = [
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
];

struct World {
    app: App,
    market: Addr,
    escrow: Addr,
    staking: Addr,
    grid: Addr,
    owner: Addr,
    providers: Vec<Addr>,
    renters: Vec<Addr>,
    /// Budget attached to every order posted.
    budgets: BTreeMap<u64, Uint128>,
    /// The output each committed lease committed to (an index into `SHA`).
    outputs: BTreeMap<u64, usize>,
}

impl World {
    fn new() -> Self {
        let mut app = App::default();
        let api = *app.api();
        let owner = api.addr_make("owner");
        let providers: Vec<Addr> = (0..PROVIDERS)
            .map(|i| api.addr_make(&format!("provider{i}")))
            .collect();
        let renters: Vec<Addr> = (0..RENTERS)
            .map(|i| api.addr_make(&format!("renter{i}")))
            .collect();
        for renter in &renters {
            app.init_modules(|router, _, storage| {
                router
                    .bank
                    .init_balance(storage, renter, coins(1_000_000_000, USDC))
            })
            .unwrap();
        }
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
                        amount: Uint128::new(100_000),
                    })
                    .collect(),
                mint: None,
                tiers: vec![],
            },
        }
        .deploy(&mut app, |_grid| Setup {
            staking: StakingSetup {
                treasury: api.addr_make("treasury"),
                unbonding_period: 3_600,
                min_stake_per_gpu: Uint128::new(1_000),
                compensation_ratio: Decimal::percent(50),
                reward_denoms: vec![UncheckedDenom::Native(USDC.into())],
                epoch_seconds: 86_400,
                emission_per_epoch: Uint128::zero(),
                emission_weights: None,
            },
            escrow: EscrowSetup {
                accepted_denoms: vec![UncheckedDenom::Native(USDC.into())],
            },
            marketplace: MarketplaceSetup {
                premium_access: false,
                params: Params {
                    accepted_denoms: vec![UncheckedDenom::Native(USDC.into())],
                    take_rate_bps: 250,
                    heartbeat_interval: 60,
                    max_silence: 600,
                    dispute_window: 1_800,
                    reveal_window: 900,
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
                    max_eligible_models: 3,
                },
                catalogue: [
                    ("rtx-4090", 24_576, 1_000),
                    ("a100", 81_920, 2_000),
                    ("t4", 16_384, 300),
                ]
                .into_iter()
                .map(|(id, vram, score)| GpuModel {
                    id: id.into(),
                    vram_mib: vram,
                    compute_capability: ComputeCapability { major: 8, minor: 0 },
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
                    region: if i % 2 == 0 { "eu" } else { "us" }.into(),
                    endpoint: "https://p.example".into(),
                    public_key: "pk".into(),
                },
                &[],
            )
            .unwrap();
        }
        World {
            app,
            market,
            escrow,
            staking,
            grid,
            owner,
            providers,
            renters,
            budgets: BTreeMap::new(),
            outputs: BTreeMap::new(),
        }
    }

    fn now(&self) -> Timestamp {
        self.app.block_info().time
    }

    fn exec(&mut self, sender: &Addr, msg: &ExecuteMsg, funds: &[cosmwasm_std::Coin]) -> bool {
        let result = self
            .app
            .execute_contract(sender.clone(), self.market.clone(), msg, funds);
        if std::env::var("MARKET_TRACE").is_ok() {
            let name = format!("{msg:?}");
            let name = name
                .split([' ', '(', '{'])
                .next()
                .unwrap_or_default()
                .to_string();
            match &result {
                Ok(_) => eprintln!("ok   {name}"),
                Err(e) => eprintln!("err  {name}: {}", e.root_cause()),
            }
        }
        result.is_ok()
    }

    fn query<T: serde::de::DeserializeOwned>(&self, msg: &QueryMsg) -> T {
        self.app
            .wrap()
            .query_wasm_smart(&self.market, msg)
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

    fn open_leases(&self, provider: &Addr) -> LeasesResponse {
        self.query(&QueryMsg::LeasesByProvider {
            provider: provider.to_string(),
            start_after: None,
            limit: Some(100),
        })
    }

    /// Every open lease (id, provider index).
    fn all_open_leases(&self) -> Vec<(u64, usize, LeaseState)> {
        let mut out = vec![];
        for (i, p) in self.providers.iter().enumerate() {
            for lease in self.open_leases(p).leases {
                out.push((lease.lease_id, i, lease.state));
            }
        }
        out
    }

    fn check_invariants(&self) {
        // Statistics per model: listed = offers' units, leased = open leases' units.
        let mut listed: BTreeMap<String, u64> = BTreeMap::new();
        let mut leased_by_model: BTreeMap<String, u64> = BTreeMap::new();
        for provider in &self.providers {
            let offers = self.offers(provider);
            for offer in &offers {
                *listed.entry(offer.model.clone()).or_default() += u64::from(offer.units);
            }
            for lease in self.open_leases(provider).leases {
                let offer: OfferResponse = self.query(&QueryMsg::Offer {
                    offer_id: lease.offer_id,
                });
                *leased_by_model.entry(offer.model).or_default() += u64::from(lease.units);
            }
        }
        for model in MODELS {
            let stats: MarketStatsResponse = self.query(&QueryMsg::MarketStats {
                model: model.into(),
                denom: UncheckedDenom::Native(USDC.into()),
            });
            assert_eq!(
                stats.listed_units,
                listed.get(model).copied().unwrap_or(0),
                "listed units of {model}"
            );
            assert_eq!(
                stats.leased_units,
                leased_by_model.get(model).copied().unwrap_or(0),
                "leased units of {model}"
            );
        }
        // Offers: free + open leased units == units.
        for provider in &self.providers {
            let mut leased: BTreeMap<u64, u32> = BTreeMap::new();
            for lease in self.open_leases(provider).leases {
                *leased.entry(lease.offer_id).or_default() += lease.units;
            }
            for offer in self.offers(provider) {
                let used = leased.remove(&offer.offer_id).unwrap_or(0);
                assert_eq!(
                    offer.free_units + used,
                    offer.units,
                    "offer {} over- or under-allocated: {offer:?}, {used} leased",
                    offer.offer_id
                );
            }
            for (offer_id, used) in leased {
                let offer: OfferResponse = self.query(&QueryMsg::Offer { offer_id });
                assert_eq!(offer.free_units + used, offer.units, "offer {offer:?}");
            }
        }
        // Orders: caps and releases within the budget.
        for (order_id, budget) in &self.budgets {
            let order: OrderResponse = self.query(&QueryMsg::Order {
                order_id: *order_id,
            });
            assert_eq!(order.budget, *budget);
            // A dispute tops the account up with its bond, which funds the referee.
            let funds = if order.disputed {
                order.budget + order.dispute_bond
            } else {
                order.budget
            };
            assert!(
                order.committed <= funds,
                "order {order_id} committed {} of {funds}",
                order.committed,
            );
            let payments: PaymentsResponse = self
                .app
                .wrap()
                .query_wasm_smart(
                    &self.escrow,
                    &EscrowQuery::PaymentsByAccount {
                        account_id: *order_id,
                        start_after: None,
                        limit: Some(100),
                    },
                )
                .unwrap();
            let caps: Uint128 = payments.payments.iter().map(|p| p.cap).sum();
            let released: Uint128 = payments.payments.iter().map(|p| p.released).sum();
            assert_eq!(caps, order.committed, "order {order_id} caps");
            assert!(released <= funds, "order {order_id} released {released}");
            assert_eq!(payments.payments.len(), order.lease_ids.len());
        }
        // Escrow conservation.
        let totals: TotalsResponse = self
            .app
            .wrap()
            .query_wasm_smart(
                &self.escrow,
                &EscrowQuery::Totals {
                    start_after: None,
                    limit: Some(100),
                },
            )
            .unwrap();
        let held = self.app.wrap().query_balance(&self.escrow, USDC).unwrap();
        let recorded = totals
            .totals
            .iter()
            .find(|t| t.denom == Denom::Native(USDC.into()))
            .map_or(Uint128::zero(), |t| t.amount);
        assert_eq!(held.amount, recorded, "escrow balance vs totals");
        // Staking conservation, in both denoms.
        let totals: StakingTotals = self
            .app
            .wrap()
            .query_wasm_smart(&self.staking, &StakingQuery::Totals {})
            .unwrap();
        for holding in totals.totals {
            let balance = match &holding.denom {
                Denom::Native(d) => {
                    self.app
                        .wrap()
                        .query_balance(&self.staking, d)
                        .unwrap()
                        .amount
                }
                Denom::Cw20(token) => {
                    assert_eq!(*token, self.grid);
                    self.app
                        .wrap()
                        .query_wasm_smart::<cw20::BalanceResponse>(
                            token,
                            &cw20::Cw20QueryMsg::Balance {
                                address: self.staking.to_string(),
                            },
                        )
                        .unwrap()
                        .balance
                }
            };
            assert_eq!(
                balance, holding.total,
                "staking holdings of {}",
                holding.denom
            );
        }
    }
}

#[derive(Clone, Debug)]
enum Action {
    PostOffer {
        provider: usize,
        model: usize,
        units: u32,
        price: u128,
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
        region: bool,
    },
    CancelOrder {
        pick: usize,
    },
    Commit {
        pick: usize,
        sha: usize,
    },
    Reveal {
        pick: usize,
    },
    Dispute {
        pick: usize,
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
    Advance {
        seconds: u64,
    },
    Reap,
    ExpireOrders,
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        3 => (0..PROVIDERS, 0..MODELS.len(), 1u32..5, 1u128..20).prop_map(
            |(provider, model, units, price)| Action::PostOffer {
                provider,
                model,
                units,
                price: price * 100,
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
        4 => (
            0..RENTERS,
            proptest::option::of(0..MODELS.len()),
            1u32..4,
            1u128..25,
            1u64..4,
            1u8..4,
            proptest::bool::weighted(0.2),
        )
            .prop_map(|(renter, model, gpus, max_price, hours, replication, region)| {
                Action::PostOrder {
                    renter,
                    model,
                    gpus,
                    max_price: max_price * 100,
                    hours,
                    replication,
                    region,
                }
            }),
        1 => (0usize..16).prop_map(|pick| Action::CancelOrder { pick }),
        4 => (0usize..16, prop_oneof![4 => Just(0usize), 1 => Just(1usize)])
            .prop_map(|(pick, sha)| Action::Commit { pick, sha }),
        4 => (0usize..16).prop_map(|pick| Action::Reveal { pick }),
        1 => (0usize..16).prop_map(|pick| Action::Dispute { pick }),
        1 => (0usize..16, any::<bool>(), any::<bool>()).prop_map(|(pick, by_renter, blame)| Action::CloseLease { pick, by_renter, blame }),
        2 => (0usize..16).prop_map(|pick| Action::Finalize { pick }),
        3 => (0..PROVIDERS).prop_map(|provider| Action::Heartbeat { provider }),
        3 => prop_oneof![Just(30u64), Just(400), Just(1_000), Just(2_000), Just(4_000)]
            .prop_map(|seconds| Action::Advance { seconds }),
        1 => Just(Action::Reap),
        1 => Just(Action::ExpireOrders),
    ]
}

fn run(world: &mut World, action: &Action) {
    match action.clone() {
        Action::PostOffer {
            provider,
            model,
            units,
            price,
        } => {
            let sender = world.providers[provider].clone();
            world.exec(
                &sender,
                &ExecuteMsg::PostOffer {
                    model: MODELS[model].into(),
                    units,
                    price: Uint128::new(price),
                    denom: UncheckedDenom::Native(USDC.into()),
                    min_duration: 60,
                    max_duration: 3 * 3_600,
                },
                &[],
            );
        }
        Action::UpdateOffer {
            provider,
            pick,
            price,
            units,
        } => {
            let sender = world.providers[provider].clone();
            let offers = world.offers(&sender);
            if let Some(offer) = offers.get(pick % offers.len().max(1)) {
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
        Action::WithdrawOffer { provider, pick } => {
            let sender = world.providers[provider].clone();
            let offers = world.offers(&sender);
            if let Some(offer) = offers.get(pick % offers.len().max(1)) {
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
            region,
        } => {
            let sender = world.renters[renter].clone();
            let max_duration = hours * 3_600;
            let required =
                required_budget(replication, gpus, Uint128::new(max_price), max_duration)
                    .unwrap()
                    .u128();
            let order = NewOrder {
                spec: JobSpec {
                    workload: Workload::Sha256 {},
                    inputs: JobInputs::Url {
                        url: "https://in.example/x".into(),
                        sha256: SHA[0].into(),
                    },
                    deterministic: true,
                    max_runtime_seconds: 600,
                    output_key: None,
                },
                requirements: Requirements {
                    models: model.map(|m| vec![MODELS[m].to_string()]),
                    min_vram_mib: if model.is_none() { Some(20_000) } else { None },
                    region: region.then(|| "eu".to_string()),
                    ..Requirements::default()
                },
                gpu_count: gpus,
                max_price: Uint128::new(max_price),
                max_duration,
                replication,
                deadline: world.now().seconds() + 3_000,
                dispute_salt_hash: salt_hash(RENTER_SALT),
            };
            let next_id = world.budgets.keys().last().copied().unwrap_or(0) + 1;
            if world.exec(
                &sender,
                &ExecuteMsg::PostOrder(order),
                &coins(required, USDC),
            ) {
                world.budgets.insert(next_id, Uint128::new(required));
            }
        }
        Action::CancelOrder { pick } => {
            if world.budgets.is_empty() {
                return;
            }
            let order_id = *world
                .budgets
                .keys()
                .nth(pick % world.budgets.len())
                .unwrap();
            let order: OrderResponse = world.query(&QueryMsg::Order { order_id });
            let renter = order.renter.clone();
            world.exec(&renter, &ExecuteMsg::CancelOrder { order_id }, &[]);
        }
        Action::Commit { pick, sha } => {
            let leases: Vec<_> = world
                .all_open_leases()
                .into_iter()
                .filter(|(_, _, state)| *state == LeaseState::Active)
                .collect();
            if let Some((lease_id, provider, _)) = leases.get(pick % leases.len().max(1)) {
                let sender = world.providers[*provider].clone();
                let commitment =
                    result_commitment(SHA[sha], *lease_id, sender.as_str(), &salt_for(*lease_id))
                        .unwrap();
                let committed = world.exec(
                    &sender,
                    &ExecuteMsg::CommitResult {
                        lease_id: *lease_id,
                        commitment,
                        output_uri: "https://out.example/y".into(),
                        runtime_seconds: 10,
                        energy_mwh: Some(1),
                    },
                    &[],
                );
                if committed {
                    world.outputs.insert(*lease_id, sha);
                }
            }
        }
        Action::Reveal { pick } => {
            let leases: Vec<_> = world
                .all_open_leases()
                .into_iter()
                .filter(|(_, _, state)| *state == LeaseState::Committed)
                .collect();
            if let Some((lease_id, provider, _)) = leases.get(pick % leases.len().max(1)) {
                let sender = world.providers[*provider].clone();
                let sha = world.outputs[lease_id];
                world.exec(
                    &sender,
                    &ExecuteMsg::RevealResult {
                        lease_id: *lease_id,
                        sha256: SHA[sha].into(),
                        salt: salt_for(*lease_id),
                    },
                    &[],
                );
            }
        }
        Action::Dispute { pick } => {
            let leases = world.all_open_leases();
            if let Some((lease_id, _, _)) = leases.get(pick % leases.len().max(1)) {
                let order: OrderResponse = world.query(&QueryMsg::Order {
                    order_id: order_of_lease(*lease_id),
                });
                world.exec(
                    &order.renter,
                    &ExecuteMsg::Dispute {
                        lease_id: *lease_id,
                        salt: RENTER_SALT.into(),
                    },
                    &coins(order.dispute_bond.u128(), USDC),
                );
            }
        }
        Action::CloseLease {
            pick,
            by_renter,
            blame,
        } => {
            let leases = world.all_open_leases();
            if let Some((lease_id, provider, _)) = leases.get(pick % leases.len().max(1)) {
                let sender = if by_renter {
                    let order: OrderResponse = world.query(&QueryMsg::Order {
                        order_id: order_of_lease(*lease_id),
                    });
                    order.renter
                } else {
                    world.providers[*provider].clone()
                };
                world.exec(
                    &sender,
                    &ExecuteMsg::CloseLease {
                        lease_id: *lease_id,
                        renter_fault: blame.then_some(RenterFault::InputUnavailable),
                    },
                    &[],
                );
            }
        }
        Action::Finalize { pick } => {
            let leases = world.all_open_leases();
            if let Some((lease_id, _, _)) = leases.get(pick % leases.len().max(1)) {
                let owner = world.owner.clone();
                world.exec(
                    &owner,
                    &ExecuteMsg::Finalize {
                        lease_id: *lease_id,
                    },
                    &[],
                );
            }
        }
        Action::Heartbeat { provider } => {
            let sender = world.providers[provider].clone();
            world.exec(&sender, &ExecuteMsg::Heartbeat { telemetry: None }, &[]);
        }
        Action::Advance { seconds } => world.app.update_block(|b| {
            b.time = b.time.plus_seconds(seconds);
            b.height += 1;
        }),
        Action::Reap => {
            let owner = world.owner.clone();
            world.exec(&owner, &ExecuteMsg::Reap { limit: None }, &[]);
        }
        Action::ExpireOrders => {
            let owner = world.owner.clone();
            world.exec(&owner, &ExecuteMsg::ExpireOrders { limit: None }, &[]);
        }
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
        max_shrink_iters: 200,
        ..ProptestConfig::default()
    })]

    #[test]
    fn market_invariants_hold(actions in proptest::collection::vec(action(), 1..60)) {
        let mut world = World::new();
        for action in &actions {
            run(&mut world, action);
            world.check_invariants();
        }
    }
}
