//! The continuous double auction: an order against the ask side, and an offer against the resting
//! orders. Both create leases through [`open_lease`], the only code that takes units from an
//! offer.

use crate::external::{open_payment_msg, NewPayment};
use crate::reputation::{effective_price, reputation_of};
use crate::state::{
    BookEntry, Config, Lease, Offer, Order, ProviderHot, OFFER_BOOK, OFFER_FREE, OPEN_LEASES,
    ORDERS, ORDER_BOOK, ORDER_DEADLINES, PROVIDER_HOT,
};
use crate::stats::StatsCache;
use crate::ContractError;
use cosmwasm_std::{Addr, CosmosMsg, Order as Direction, StdResult, Storage, Uint128, Uint256};
use cw_storage_plus::Bound;
use gridshare_types::marketplace::{lease_id, CrankStep, LeaseState, OrderStatus};

/// A catalogue model an order may run on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Eligible {
    pub idx: u32,
    pub score: u64,
}

/// The budget a lease reserves: `price × units × max_duration / 3600`, rounded down.
pub fn lease_cap(price: Uint128, units: u32, max_duration: u64) -> Uint128 {
    let cap = Uint256::from(price) * Uint256::from(units) * Uint256::from(max_duration)
        / Uint256::from(3_600u64);
    Uint128::try_from(cap).unwrap_or(Uint128::MAX)
}

pub use gridshare_types::marketplace::required_budget;

/// Whether a provider may be matched now: alive within `max_silence`.
pub fn is_live(hot: &ProviderHot, now: u64, max_silence: u64) -> bool {
    hot.active && hot.last_heartbeat.saturating_add(max_silence) >= now
}

/// What one transaction did to the market: the messages for escrow and the stats to write.
pub struct Matcher<'a> {
    pub config: &'a Config,
    pub now: u64,
    pub stats: StatsCache,
    pub msgs: Vec<CosmosMsg>,
    /// Leases opened by this transaction.
    pub leases: Vec<u64>,
    /// Offers whose units a settlement freed: matched against resting orders at the end.
    pub freed: Vec<u64>,
    /// Work handed to crank steps of its own (see `execute::crank`).
    pub steps: Vec<CrankStep>,
}

impl<'a> Matcher<'a> {
    pub fn new(config: &'a Config, now: u64) -> Self {
        Matcher {
            config,
            now,
            stats: StatsCache::default(),
            msgs: vec![],
            leases: vec![],
            freed: vec![],
            steps: vec![],
        }
    }

    /// The messages and attributes gathered, with the statistics written. Freed capacity is
    /// re-matched, and overdue orders met on the way expired, in crank steps after the messages.
    pub fn finish(
        mut self,
        storage: &mut dyn Storage,
        contract: &Addr,
    ) -> StdResult<cosmwasm_std::Response> {
        self.stats.flush(storage)?;
        if !self.freed.is_empty() {
            self.steps.push(CrankStep::Rematch {
                offers: std::mem::take(&mut self.freed),
            });
        }
        let mut response = cosmwasm_std::Response::new().add_messages(self.msgs);
        for step in &self.steps {
            response = response.add_submessage(crate::execute::crank::dispatch(contract, step)?);
        }
        if !self.leases.is_empty() {
            response =
                response.add_attribute("lease_ids", gridshare_plumbing::comma_list(&self.leases));
        }
        Ok(response)
    }

    fn matches_left(&self) -> bool {
        (self.leases.len() as u64) < u64::from(self.config.max_matches)
    }

    /// Takes `order.gpu_count` units of `offer_id` for lease index `replica` of `order_id` (the
    /// next replica, or the referee at index `replication`): the lease, the offer's free units
    /// (and its book entry once none are left), the statistics, and the escrow payment.
    #[allow(clippy::too_many_arguments)]
    pub fn open_lease(
        &mut self,
        storage: &mut dyn Storage,
        order_id: u64,
        order: &mut Order,
        offer_id: u64,
        book_key: OfferKey,
        provider: u32,
        payee: &Addr,
        free: u32,
        replica: u8,
    ) -> Result<u64, ContractError> {
        let (model, denom, (price, _)) = book_key;
        let price = Uint128::new(price);
        let lease_id = lease_id(order_id, replica).ok_or(ContractError::InvalidReplication {
            replication: order.replication,
            max: self.config.max_replication,
        })?;
        let cap = lease_cap(price, order.gpu_count, order.max_duration);
        let left = free.checked_sub(order.gpu_count).ok_or_else(|| {
            ContractError::Std(cosmwasm_std::StdError::generic_err("offer over-allocated"))
        })?;

        OPEN_LEASES.save(
            storage,
            (provider, lease_id),
            &Lease {
                offer: offer_id,
                units: order.gpu_count,
                price,
                start: self.now,
                state: LeaseState::Active,
                result: None,
                disputed: false,
                closure: None,
            },
        )?;
        OFFER_FREE.save(storage, offer_id, &left)?;
        if left == 0 {
            OFFER_BOOK.remove(storage, book_key);
        }
        if replica < order.replication {
            order.providers.push(provider);
        }
        order.open_leases = order.open_leases.saturating_add(1);
        order.committed = order.committed.checked_add(cap)?;
        self.stats
            .record_match(storage, (model, denom), price, order.gpu_count)?;
        self.msgs.push(open_payment_msg(
            self.config,
            NewPayment {
                order_id,
                lease_id,
                payee,
                rate_per_hour: price.checked_mul(Uint128::from(order.gpu_count))?,
                cap,
                fee_bps: order.fee_bps,
            },
        )?);
        self.leases.push(lease_id);
        Ok(lease_id)
    }

    /// Matches a new order against the ask side: at most `replication` candidates from the head
    /// of each eligible model's range (bounded by the max price), the best by effective price,
    /// one per provider.
    pub fn match_order(
        &mut self,
        storage: &mut dyn Storage,
        order_id: u64,
        order: &mut Order,
        eligible: &[Eligible],
    ) -> Result<(), ContractError> {
        let needed = usize::from(order.unmatched());
        if needed == 0 || !self.matches_left() {
            return Ok(());
        }
        let mut candidates = self.candidates(storage, order, eligible, needed)?;
        candidates.sort_by_key(|c| (c.rank, c.key.2 .1));
        for candidate in candidates {
            if order.unmatched() == 0 || !self.matches_left() {
                break;
            }
            if order.providers.contains(&candidate.entry.provider) {
                continue;
            }
            let replica = next_replica(order);
            self.open_lease(
                storage,
                order_id,
                order,
                candidate.key.2 .1,
                candidate.key,
                candidate.entry.provider,
                &candidate.entry.address,
                candidate.free,
                replica,
            )?;
        }
        Ok(())
    }

    fn candidates(
        &self,
        storage: &dyn Storage,
        order: &Order,
        eligible: &[Eligible],
        needed: usize,
    ) -> Result<Vec<Candidate>, ContractError> {
        let mut examined = 0u32;
        let mut providers: Vec<(u32, Option<u16>)> = vec![];
        let mut candidates = vec![];
        let max_price = order.max_price.u128();
        'models: for model in eligible {
            let mut found = 0usize;
            let range = OFFER_BOOK.prefix((model.idx, order.denom)).range(
                storage,
                None,
                Some(Bound::inclusive((max_price, u64::MAX))),
                Direction::Ascending,
            );
            for item in range {
                if examined >= self.config.max_scan {
                    break 'models;
                }
                examined += 1;
                let ((price, offer_id), entry) = item?;
                if !fits_order(&entry, order) || order.providers.contains(&entry.provider) {
                    continue;
                }
                let price = Uint128::new(price);
                if lease_cap(price, order.gpu_count, order.max_duration).is_zero() {
                    continue;
                }
                let free = OFFER_FREE.may_load(storage, offer_id)?.unwrap_or_default();
                if free < order.gpu_count {
                    continue;
                }
                let reputation = match providers.iter().find(|(p, _)| *p == entry.provider) {
                    Some((_, rep)) => *rep,
                    None => {
                        let hot = PROVIDER_HOT.may_load(storage, entry.provider)?;
                        let rep = hot
                            .filter(|h| is_live(h, self.now, self.config.max_silence))
                            .map(|h| reputation_of(&h));
                        providers.push((entry.provider, rep));
                        rep
                    }
                };
                let Some(reputation) = reputation else {
                    continue;
                };
                if order
                    .requirements
                    .min_reputation
                    .is_some_and(|min| reputation < min)
                {
                    continue;
                }
                candidates.push(Candidate {
                    rank: effective_price(price, model.score, reputation),
                    key: (model.idx, order.denom, (price.u128(), offer_id)),
                    entry,
                    free,
                });
                found += 1;
                if found >= needed {
                    break;
                }
            }
        }
        Ok(candidates)
    }

    /// Matches an offer with free units against the resting orders of its denom: highest priority
    /// first, then highest bid, while the bid is at least the ask. Orders past their deadline met
    /// on the way are expired.
    #[allow(clippy::too_many_arguments)]
    pub fn match_offer(
        &mut self,
        storage: &mut dyn Storage,
        offer_id: u64,
        offer: &Offer,
        entry: &BookEntry,
        hot: &ProviderHot,
    ) -> Result<(), ContractError> {
        if !is_live(hot, self.now, self.config.max_silence) {
            return Ok(());
        }
        let reputation = reputation_of(hot);
        let mut free = OFFER_FREE.may_load(storage, offer_id)?.unwrap_or_default();
        let mut examined = 0u32;
        let mut level = 0u8;
        let ask = offer.price.u128();
        let book_key = (offer.model, offer.denom, (ask, offer_id));
        loop {
            if free == 0 || examined >= self.config.max_scan || !self.matches_left() {
                break;
            }
            // The next priority level present in this denom's book.
            examined += 1;
            let next = ORDER_BOOK
                .sub_prefix(offer.denom)
                .keys(
                    storage,
                    Some(Bound::inclusive((level, (0u128, 0u64)))),
                    None,
                    Direction::Ascending,
                )
                .next()
                .transpose()?;
            let Some((found_level, _)) = next else {
                break;
            };
            // Within the level, bids from the highest down to the ask.
            let room = (self.config.max_scan - examined) as usize;
            let orders: Vec<(u128, u64)> = ORDER_BOOK
                .prefix((offer.denom, found_level))
                .keys(
                    storage,
                    None,
                    Some(Bound::inclusive((u128::MAX - ask, u64::MAX))),
                    Direction::Ascending,
                )
                .take(room)
                .collect::<StdResult<_>>()?;
            for (_, order_id) in orders {
                if free == 0 || examined >= self.config.max_scan || !self.matches_left() {
                    break;
                }
                examined += 1;
                let mut order = ORDERS.load(storage, order_id)?;
                if self.now >= order.deadline {
                    // Expired in its own step, so an order that cannot be wound down never
                    // reverts the match.
                    self.steps.push(CrankStep::ExpireOrder {
                        order_id,
                        due_at: order.deadline,
                    });
                    continue;
                }
                if free < order.gpu_count
                    || !order.models.contains(&offer.model)
                    || !fits_order(entry, &order)
                    || order.providers.contains(&offer.provider)
                    || order
                        .requirements
                        .min_reputation
                        .is_some_and(|min| reputation < min)
                    || lease_cap(offer.price, order.gpu_count, order.max_duration).is_zero()
                {
                    continue;
                }
                let replica = next_replica(&order);
                self.open_lease(
                    storage,
                    order_id,
                    &mut order,
                    offer_id,
                    book_key,
                    offer.provider,
                    &entry.address,
                    free,
                    replica,
                )?;
                free -= order.gpu_count;
                self.stats.sub_demand(
                    storage,
                    &order.models,
                    order.denom,
                    u64::from(order.gpu_count),
                )?;
                if order.unmatched() == 0 {
                    unrest(storage, order_id, &order);
                    order.status = OrderStatus::Filled;
                }
                ORDERS.save(storage, order_id, &order)?;
            }
            match found_level.checked_add(1) {
                Some(next_level) => level = next_level,
                None => break,
            }
        }
        Ok(())
    }
}

struct Candidate {
    rank: Uint256,
    key: OfferKey,
    entry: BookEntry,
    free: u32,
}

/// The lease index of an order's next replica.
fn next_replica(order: &Order) -> u8 {
    u8::try_from(order.providers.len()).unwrap_or(u8::MAX)
}

/// The offer's durations and its provider's region suit the order.
pub fn fits_order(entry: &BookEntry, order: &Order) -> bool {
    entry.min_duration <= order.max_duration
        && order.max_duration <= entry.max_duration
        && order
            .requirements
            .region
            .as_ref()
            .is_none_or(|region| *region == entry.region)
}

/// The resting-book key of an order.
pub fn book_key(order_id: u64, order: &Order) -> (u32, u8, (u128, u64)) {
    (
        order.denom,
        u8::MAX - order.priority,
        (u128::MAX - order.max_price.u128(), order_id),
    )
}

/// The ask-side key of an offer: (model, denom, (price, offer id)).
pub type OfferKey = (u32, u32, (u128, u64));

pub fn offer_key(offer_id: u64, offer: &Offer) -> OfferKey {
    (offer.model, offer.denom, (offer.price.u128(), offer_id))
}

/// Puts an order with unmatched replicas in the resting book.
pub fn rest(storage: &mut dyn Storage, order_id: u64, order: &Order) -> StdResult<()> {
    ORDER_BOOK.save(storage, book_key(order_id, order), &())?;
    ORDER_DEADLINES.save(storage, (order.deadline, order_id), &())
}

/// Takes an order out of the resting book.
pub fn unrest(storage: &mut dyn Storage, order_id: u64, order: &Order) {
    ORDER_BOOK.remove(storage, book_key(order_id, order));
    ORDER_DEADLINES.remove(storage, (order.deadline, order_id));
}
