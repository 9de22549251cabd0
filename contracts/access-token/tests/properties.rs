//! Property tests of GRID on a cw-multi-test chain: random sequences of transfers, burns, mints,
//! subscriptions (paid from the balance or by a `Send` to GRID itself), tier edits and the passing
//! of time, checked step by step against a plain model of the token.
//!
//! After every step, whatever happened:
//! - the total supply equals the sum of every balance (walked through `AllAccounts`), and both
//!   equal the model's supply: it moves only by what was minted or burned, never above the cap;
//! - each actor's balance, subscription record and `Access` answer are the model's.
//!
//! And every message succeeds exactly when the model says so; the tier rules are the model's
//! rules: a subscription burns `price × periods` of the tier as it is when paid, runs
//! `period × periods` from now (or from the current expiry when extending the same tier), records
//! the benefits bought, is refused for zero periods, an unknown (or removed) tier, a short balance,
//! the wrong amount sent, or another tier while one is active.

use access_token::msg::{
    ExecuteMsg, InstantiateMsg, QueryMsg, ReceiveMsg, SubscriptionResponse, Tier, TierBenefits,
};
use access_token::ContractError;
use cosmwasm_std::{to_json_binary, Addr, Empty, Timestamp, Uint128};
use cw20::{AllAccountsResponse, BalanceResponse, Cw20Coin, MinterResponse, TokenInfoResponse};
use cw_multi_test::{App, Contract, ContractWrapper, Executor};
use gridshare_types::access::AccessResponse;
use proptest::prelude::*;
use std::collections::BTreeMap;

const ACTORS: [&str; 4] = ["alice", "bob", "carol", "dave"];
/// Tier ids the sequences use; `gold` never exists unless the admin creates it.
const TIER_IDS: [&str; 3] = ["basic", "pro", "gold"];
const DAY: u64 = 86_400;

fn grid_contract() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(
        access_token::contract::execute,
        access_token::contract::instantiate,
        access_token::contract::query,
    ))
}

fn u(n: u128) -> Uint128 {
    Uint128::new(n)
}

fn tier(id: &str, price: u128, period_days: u64, discount: u16, orders: u32) -> Tier {
    Tier {
        id: id.into(),
        price_per_period: u(price),
        period_seconds: period_days * DAY,
        fee_discount_bps: discount,
        priority: (orders % 7) as u8,
        max_open_orders: orders,
    }
}

#[derive(Clone, Debug)]
enum Op {
    Transfer {
        from: usize,
        to: usize,
        amount: u128,
    },
    Burn {
        who: usize,
        amount: u128,
    },
    /// `by_minter: false` is somebody else trying.
    Mint {
        by_minter: bool,
        to: usize,
        amount: u128,
    },
    Subscribe {
        who: usize,
        tier: usize,
        periods: u32,
    },
    /// A `Send` to GRID itself with a `subscribe` hook, of the price plus `delta` (-1, 0 or 1).
    SubscribeBySend {
        who: usize,
        tier: usize,
        periods: u32,
        delta: i8,
    },
    /// The admin creates or replaces a tier (possibly an invalid one).
    SetTier {
        tier: usize,
        price: u128,
        period_days: u64,
        discount: u16,
        orders: u32,
    },
    RemoveTier {
        tier: usize,
    },
    Advance {
        seconds: u64,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let who = 0..ACTORS.len();
    let tier = 0..TIER_IDS.len();
    prop_oneof![
        3 => (who.clone(), 0..ACTORS.len(), 0u128..60_000)
            .prop_map(|(from, to, amount)| Op::Transfer { from, to, amount }),
        2 => (who.clone(), 0u128..60_000).prop_map(|(who, amount)| Op::Burn { who, amount }),
        2 => (any::<bool>(), who.clone(), 0u128..200_000)
            .prop_map(|(by_minter, to, amount)| Op::Mint { by_minter, to, amount }),
        5 => (who.clone(), tier.clone(), 0u32..5)
            .prop_map(|(who, tier, periods)| Op::Subscribe { who, tier, periods }),
        3 => (who, tier.clone(), 0u32..4, -1i8..=1)
            .prop_map(|(who, tier, periods, delta)| Op::SubscribeBySend { who, tier, periods, delta }),
        1 => (tier.clone(), 0u128..8_000, 0u64..40, 0u16..10_500, 0u32..50).prop_map(
            |(tier, price, period_days, discount, orders)| Op::SetTier {
                tier,
                price,
                period_days,
                discount,
                orders,
            }
        ),
        1 => tier.prop_map(|tier| Op::RemoveTier { tier }),
        3 => prop_oneof![0u64..DAY, DAY..90 * DAY].prop_map(|seconds| Op::Advance { seconds }),
    ]
}

#[derive(Clone, Debug, PartialEq)]
struct ModelSub {
    tier: String,
    benefits: TierBenefits,
    since: Timestamp,
    expires_at: Timestamp,
    paid: u128,
}

/// What GRID should be, by plain arithmetic.
#[derive(Debug)]
struct Model {
    balances: BTreeMap<Addr, u128>,
    supply: u128,
    cap: u128,
    tiers: BTreeMap<String, Tier>,
    subs: BTreeMap<Addr, ModelSub>,
}

/// Why the model expects a subscription to be refused.
#[derive(Debug, PartialEq)]
enum Refusal {
    ZeroPeriods,
    UnknownTier,
    Switch,
    Insufficient,
    WrongAmount,
}

impl Model {
    fn balance(&self, who: &Addr) -> u128 {
        self.balances.get(who).copied().unwrap_or_default()
    }

    fn active(&self, who: &Addr, now: Timestamp) -> Option<&ModelSub> {
        self.subs.get(who).filter(|s| now < s.expires_at)
    }

    /// The checks of a subscription, in the contract's order; `paid` is `None` for a payment
    /// from the balance, `Some(amount)` for a `Send`. Returns the price and the new record.
    fn subscribe(
        &self,
        who: &Addr,
        tier_id: &str,
        periods: u32,
        paid: Option<u128>,
        now: Timestamp,
    ) -> Result<(u128, ModelSub), Refusal> {
        if periods == 0 {
            return Err(Refusal::ZeroPeriods);
        }
        let tier = self.tiers.get(tier_id).ok_or(Refusal::UnknownTier)?;
        let price = tier.price_per_period.u128() * u128::from(periods);
        let current = self.active(who, now);
        if current.is_some_and(|s| s.tier != tier_id) {
            return Err(Refusal::Switch);
        }
        match paid {
            None if self.balance(who) < price => return Err(Refusal::Insufficient),
            Some(amount) if amount != price => return Err(Refusal::WrongAmount),
            _ => {}
        }
        let (since, start, paid_before) = match current {
            Some(s) => (s.since, s.expires_at, s.paid),
            None => (now, now, 0),
        };
        Ok((
            price,
            ModelSub {
                tier: tier_id.into(),
                benefits: tier.benefits(),
                since,
                expires_at: start.plus_seconds(tier.period_seconds * u64::from(periods)),
                paid: paid_before + price,
            },
        ))
    }

    fn tier_is_valid(tier: &Tier) -> bool {
        !tier.price_per_period.is_zero()
            && tier.period_seconds > 0
            && tier.fee_discount_bps <= 10_000
    }
}

struct Chain {
    app: App,
    grid: Addr,
    admin: Addr,
    minter: Addr,
    actors: Vec<Addr>,
    model: Model,
}

impl Chain {
    fn new(initial: [u128; 4], cap_room: u128, pro_price: u128, pro_days: u64) -> Self {
        let mut app = App::default();
        let api = *app.api();
        let admin = api.addr_make("admin");
        let minter = api.addr_make("minter");
        let actors: Vec<Addr> = ACTORS.iter().map(|a| api.addr_make(a)).collect();
        let supply: u128 = initial.iter().sum();
        let cap = supply + cap_room;
        let tiers = vec![
            tier("basic", 100, 7, 0, 3),
            tier("pro", pro_price, pro_days, 2_500, 20),
        ];
        let code = app.store_code(grid_contract());
        let grid = app
            .instantiate_contract(
                code,
                admin.clone(),
                &InstantiateMsg {
                    name: "GridShare".into(),
                    symbol: "GRID".into(),
                    decimals: 6,
                    initial_balances: actors
                        .iter()
                        .zip(initial)
                        .filter(|(_, amount)| *amount > 0)
                        .map(|(a, amount)| Cw20Coin {
                            address: a.to_string(),
                            amount: u(amount),
                        })
                        .collect(),
                    mint: Some(MinterResponse {
                        minter: minter.to_string(),
                        cap: Some(u(cap)),
                    }),
                    marketing: None,
                    admin: None,
                    tiers: tiers.clone(),
                },
                &[],
                "grid",
                None,
            )
            .unwrap();
        let model = Model {
            balances: actors.iter().cloned().zip(initial).collect(),
            supply,
            cap,
            tiers: tiers.into_iter().map(|t| (t.id.clone(), t)).collect(),
            subs: BTreeMap::new(),
        };
        Chain {
            app,
            grid,
            admin,
            minter,
            actors,
            model,
        }
    }

    fn now(&self) -> Timestamp {
        self.app.block_info().time
    }

    fn exec(&mut self, sender: &Addr, msg: &ExecuteMsg) -> anyhow::Result<()> {
        self.app
            .execute_contract(sender.clone(), self.grid.clone(), msg, &[])
            .map(|_| ())
    }

    fn refusal(err: &anyhow::Error) -> Option<Refusal> {
        match err.downcast_ref::<ContractError>()? {
            ContractError::ZeroPeriods => Some(Refusal::ZeroPeriods),
            ContractError::UnknownTier { .. } => Some(Refusal::UnknownTier),
            ContractError::TierSwitchWhileActive { .. } => Some(Refusal::Switch),
            ContractError::InsufficientBalance { .. } => Some(Refusal::Insufficient),
            ContractError::WrongAmount { .. } => Some(Refusal::WrongAmount),
            _ => None,
        }
    }

    /// Applies `op` on chain and to the model, and checks that they agree on whether it succeeds.
    fn step(&mut self, op: &Op) -> Result<(), TestCaseError> {
        let now = self.now();
        match *op {
            Op::Transfer { from, to, amount } => {
                let (from, to) = (self.actors[from].clone(), self.actors[to].clone());
                let result = self.exec(
                    &from,
                    &ExecuteMsg::Transfer {
                        recipient: to.to_string(),
                        amount: u(amount),
                    },
                );
                let ok = self.model.balance(&from) >= amount;
                prop_assert_eq!(result.is_ok(), ok, "{:?}: {:?}", op, result);
                if ok {
                    *self.model.balances.entry(from).or_default() -= amount;
                    *self.model.balances.entry(to).or_default() += amount;
                }
            }
            Op::Burn { who, amount } => {
                let who = self.actors[who].clone();
                let result = self.exec(&who, &ExecuteMsg::Burn { amount: u(amount) });
                let ok = self.model.balance(&who) >= amount;
                prop_assert_eq!(result.is_ok(), ok, "{:?}: {:?}", op, result);
                if ok {
                    *self.model.balances.entry(who).or_default() -= amount;
                    self.model.supply -= amount;
                }
            }
            Op::Mint {
                by_minter,
                to,
                amount,
            } => {
                let sender = if by_minter {
                    self.minter.clone()
                } else {
                    self.actors[to].clone()
                };
                let to = self.actors[to].clone();
                let result = self.exec(
                    &sender,
                    &ExecuteMsg::Mint {
                        recipient: to.to_string(),
                        amount: u(amount),
                    },
                );
                let ok = by_minter && self.model.supply + amount <= self.model.cap;
                prop_assert_eq!(result.is_ok(), ok, "{:?}: {:?}", op, result);
                if ok {
                    *self.model.balances.entry(to).or_default() += amount;
                    self.model.supply += amount;
                }
            }
            Op::Subscribe { who, tier, periods } => {
                let who = self.actors[who].clone();
                let tier = TIER_IDS[tier];
                let result = self.exec(
                    &who,
                    &ExecuteMsg::Subscribe {
                        tier: tier.into(),
                        periods,
                    },
                );
                match self.model.subscribe(&who, tier, periods, None, now) {
                    Ok((price, record)) => {
                        prop_assert!(result.is_ok(), "{:?}: {:?}", op, result);
                        *self.model.balances.entry(who.clone()).or_default() -= price;
                        self.model.supply -= price;
                        self.model.subs.insert(who, record);
                    }
                    Err(refusal) => {
                        let err = result.expect_err("the model refuses this subscription");
                        prop_assert_eq!(Self::refusal(&err), Some(refusal), "{:?}: {:?}", op, err);
                    }
                }
            }
            Op::SubscribeBySend {
                who,
                tier,
                periods,
                delta,
            } => {
                let who = self.actors[who].clone();
                let tier = TIER_IDS[tier];
                let price = self
                    .model
                    .tiers
                    .get(tier)
                    .map_or(1, |t| t.price_per_period.u128() * u128::from(periods));
                let amount = price.saturating_add_signed(i128::from(delta));
                let result = self.exec(
                    &who,
                    &ExecuteMsg::Send {
                        contract: self.grid.to_string(),
                        amount: u(amount),
                        msg: to_json_binary(&ReceiveMsg::Subscribe {
                            tier: tier.into(),
                            periods,
                        })
                        .unwrap(),
                    },
                );
                if self.model.balance(&who) < amount {
                    // cw20-base's `Send` fails before the hook runs.
                    prop_assert!(result.is_err(), "{:?}: {:?}", op, result);
                } else {
                    match self.model.subscribe(&who, tier, periods, Some(amount), now) {
                        Ok((price, record)) => {
                            prop_assert!(result.is_ok(), "{:?}: {:?}", op, result);
                            *self.model.balances.entry(who.clone()).or_default() -= price;
                            self.model.supply -= price;
                            self.model.subs.insert(who, record);
                        }
                        Err(refusal) => {
                            let err = result.expect_err("the model refuses this subscription");
                            prop_assert_eq!(
                                Self::refusal(&err),
                                Some(refusal),
                                "{:?}: {:?}",
                                op,
                                err
                            );
                        }
                    }
                }
            }
            Op::SetTier {
                tier: index,
                price,
                period_days,
                discount,
                orders,
            } => {
                let new = Tier {
                    // Periods of less than a day too.
                    period_seconds: period_days * DAY / 2,
                    ..tier(TIER_IDS[index], price, 0, discount, orders)
                };
                let admin = self.admin.clone();
                let result = self.exec(&admin, &ExecuteMsg::SetTier { tier: new.clone() });
                let ok = Model::tier_is_valid(&new);
                prop_assert_eq!(result.is_ok(), ok, "{:?}: {:?}", op, result);
                if ok {
                    self.model.tiers.insert(new.id.clone(), new);
                }
            }
            Op::RemoveTier { tier } => {
                let admin = self.admin.clone();
                let result = self.exec(
                    &admin,
                    &ExecuteMsg::RemoveTier {
                        tier: TIER_IDS[tier].into(),
                    },
                );
                let ok = self.model.tiers.remove(TIER_IDS[tier]).is_some();
                prop_assert_eq!(result.is_ok(), ok, "{:?}: {:?}", op, result);
            }
            Op::Advance { seconds } => self.app.update_block(|block| {
                block.time = block.time.plus_seconds(seconds);
                block.height += 1;
            }),
        }
        Ok(())
    }

    /// Supply = sum of all balances = the model's supply; balances, subscriptions and access are
    /// the model's.
    fn check(&self) -> Result<(), TestCaseError> {
        let wrap = self.app.wrap();
        let info: TokenInfoResponse = wrap
            .query_wasm_smart(&self.grid, &QueryMsg::TokenInfo {})
            .unwrap();
        let mut sum = 0u128;
        let mut start_after = None;
        loop {
            let page: AllAccountsResponse = wrap
                .query_wasm_smart(
                    &self.grid,
                    &QueryMsg::AllAccounts {
                        start_after: start_after.clone(),
                        limit: Some(3),
                    },
                )
                .unwrap();
            for account in &page.accounts {
                let balance: BalanceResponse = wrap
                    .query_wasm_smart(
                        &self.grid,
                        &QueryMsg::Balance {
                            address: account.clone(),
                        },
                    )
                    .unwrap();
                sum += balance.balance.u128();
            }
            match page.accounts.last() {
                Some(last) => start_after = Some(last.clone()),
                None => break,
            }
        }
        prop_assert_eq!(
            info.total_supply.u128(),
            sum,
            "supply is not the sum of balances"
        );
        prop_assert_eq!(
            info.total_supply.u128(),
            self.model.supply,
            "supply drifted"
        );
        prop_assert!(self.model.supply <= self.model.cap);

        let now = self.now();
        for who in &self.actors {
            let balance: BalanceResponse = wrap
                .query_wasm_smart(
                    &self.grid,
                    &QueryMsg::Balance {
                        address: who.to_string(),
                    },
                )
                .unwrap();
            prop_assert_eq!(balance.balance.u128(), self.model.balance(who));

            let access: AccessResponse = wrap
                .query_wasm_smart(
                    &self.grid,
                    &QueryMsg::Access {
                        address: who.to_string(),
                    },
                )
                .unwrap();
            let active = self.model.active(who, now);
            prop_assert_eq!(&access.tier, &active.map(|s| s.benefits.clone()));
            prop_assert_eq!(access.expires_at, active.map(|s| s.expires_at.seconds()));

            let record: SubscriptionResponse = wrap
                .query_wasm_smart(
                    &self.grid,
                    &QueryMsg::Subscription {
                        address: who.to_string(),
                    },
                )
                .unwrap();
            let record = record.subscription.map(|s| {
                prop_assert_eq!(s.active, now.seconds() < s.expires_at);
                Ok(ModelSub {
                    tier: s.tier,
                    benefits: s.benefits,
                    since: Timestamp::from_seconds(s.since),
                    expires_at: Timestamp::from_seconds(s.expires_at),
                    paid: s.paid.u128(),
                })
            });
            let record = record.transpose()?;
            // The query speaks whole seconds, as the contract bills.
            let expected = self.model.subs.get(who).map(|m| ModelSub {
                since: Timestamp::from_seconds(m.since.seconds()),
                expires_at: Timestamp::from_seconds(m.expires_at.seconds()),
                ..m.clone()
            });
            prop_assert_eq!(record, expected);
        }
        Ok(())
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 48,
        max_shrink_iters: 2_000,
        ..ProptestConfig::default()
    })]

    #[test]
    fn supply_is_the_sum_of_balances_and_tiers_hold(
        initial in proptest::array::uniform4(0u128..100_000),
        cap_room in 0u128..300_000,
        pro_price in 1u128..5_000,
        pro_days in 1u64..60,
        ops in proptest::collection::vec(op(), 1..50),
    ) {
        let mut chain = Chain::new(initial, cap_room, pro_price, pro_days);
        chain.check()?;
        for op in &ops {
            chain.step(op)?;
            chain.check()?;
        }
    }
}
