//! Offers: the ask side. Every change of a provider's listed units re-sets its collateral lock in
//! staking, and an offer with free units is matched against the resting orders at once.

use super::catalogue::load_active_model;
use super::provider::{book_entry, load_active};
use crate::external::{lowered_lock, required_collateral, set_locked_msg};
use crate::funds::accepted_denom_id;
use crate::matching::{offer_key, Matcher};
use crate::state::{
    Offer, Provider, CONFIG, OFFERS, OFFERS_BY_PROVIDER, OFFER_BOOK, OFFER_FREE, OFFER_SEQ,
    PROVIDERS, PROVIDER_HOT,
};
use crate::stats::StatsCache;
use crate::{ContractError, MAX_OFFERS_PER_PROVIDER};
use cosmwasm_std::{Addr, DepsMut, Env, Response, Storage, Uint128};
use gridshare_types::UncheckedDenom;

pub struct NewOffer {
    pub model: String,
    pub units: u32,
    pub price: Uint128,
    pub denom: UncheckedDenom,
    pub min_duration: u64,
    pub max_duration: u64,
}

pub fn post_offer(
    deps: DepsMut,
    env: &Env,
    sender: &Addr,
    msg: NewOffer,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    if msg.units == 0 {
        return Err(ContractError::ZeroUnits);
    }
    if msg.price.is_zero() {
        return Err(ContractError::ZeroPrice);
    }
    if msg.min_duration == 0 || msg.min_duration > msg.max_duration {
        return Err(ContractError::InvalidDurations {
            min_duration: msg.min_duration,
            max_duration: msg.max_duration,
        });
    }
    let denom = msg.denom.validate(deps.api)?;
    let denom_id = accepted_denom_id(&config, &denom)?;
    let model = load_active_model(deps.storage, &msg.model)?;
    let (provider_id, mut provider) = load_active(deps.as_ref(), sender)?;
    if provider.offers >= MAX_OFFERS_PER_PROVIDER {
        return Err(ContractError::TooManyOffers {
            max: MAX_OFFERS_PER_PROVIDER,
        });
    }
    let listed = provider
        .listed_units
        .checked_add(u64::from(msg.units))
        .ok_or(ContractError::ZeroUnits)?;
    let lock = required_collateral(&deps.querier, &config, sender, listed)?;

    let now = env.block.time.seconds();
    let offer_id = OFFER_SEQ.may_load(deps.storage)?.unwrap_or_default() + 1;
    OFFER_SEQ.save(deps.storage, &offer_id)?;
    let offer = Offer {
        provider: provider_id,
        model: model.idx,
        denom: denom_id,
        price: msg.price,
        units: msg.units,
        min_duration: msg.min_duration,
        max_duration: msg.max_duration,
        withdrawn: false,
        created_at: now,
    };
    OFFERS.save(deps.storage, offer_id, &offer)?;
    OFFER_FREE.save(deps.storage, offer_id, &msg.units)?;
    OFFERS_BY_PROVIDER.save(deps.storage, (provider_id, offer_id), &())?;
    provider.listed_units = listed;
    provider.offers += 1;
    PROVIDERS.save(deps.storage, provider_id, &provider)?;

    let mut tx = Matcher::new(&config, now);
    tx.stats
        .add_listed(deps.storage, (model.idx, denom_id), msg.units)?;
    list_and_match(deps.storage, &mut tx, offer_id, &offer, &provider)?;
    Ok(tx
        .finish(deps.storage, &env.contract.address)?
        .add_message(set_locked_msg(&config, sender, lock)?)
        .add_attribute("action", "post_offer")
        .add_attribute("offer_id", offer_id.to_string())
        .add_attribute("provider", sender.as_str())
        .add_attribute("model", msg.model)
        .add_attribute("units", msg.units.to_string())
        .add_attribute("price", msg.price)
        .add_attribute("denom", denom.to_string()))
}

/// Puts an offer with free units in the book (unless its provider is dormant) and matches it
/// against the resting orders, expiring the overdue ones met on the way.
fn list_and_match(
    storage: &mut dyn Storage,
    tx: &mut Matcher,
    offer_id: u64,
    offer: &Offer,
    provider: &Provider,
) -> Result<(), ContractError> {
    let free = OFFER_FREE.may_load(storage, offer_id)?.unwrap_or_default();
    let hot = PROVIDER_HOT.load(storage, offer.provider)?;
    if offer.withdrawn || free == 0 || !hot.queued {
        return Ok(());
    }
    let entry = book_entry(
        offer.provider,
        provider,
        offer.min_duration,
        offer.max_duration,
    );
    OFFER_BOOK.save(storage, offer_key(offer_id, offer), &entry)?;
    tx.match_offer(storage, offer_id, offer, &entry, &hot)?;
    Ok(())
}

/// An offer of `sender`'s that is not withdrawn.
fn load_own_offer(
    storage: &dyn Storage,
    sender: &Addr,
    provider_id: u32,
    offer_id: u64,
) -> Result<Offer, ContractError> {
    let offer = OFFERS
        .may_load(storage, offer_id)?
        .ok_or(ContractError::OfferNotFound { offer_id })?;
    if offer.provider != provider_id {
        return Err(ContractError::NotOfferOwner {
            sender: sender.to_string(),
            offer_id,
        });
    }
    if offer.withdrawn {
        return Err(ContractError::OfferWithdrawn { offer_id });
    }
    Ok(offer)
}

pub fn update_offer(
    deps: DepsMut,
    env: &Env,
    sender: &Addr,
    offer_id: u64,
    price: Option<Uint128>,
    units: Option<u32>,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    if price.is_none() && units.is_none() {
        return Err(ContractError::NothingToUpdate);
    }
    if price.is_some_and(|p| p.is_zero()) {
        return Err(ContractError::ZeroPrice);
    }
    if units == Some(0) {
        return Err(ContractError::ZeroUnits);
    }
    let (provider_id, mut provider) = load_active(deps.as_ref(), sender)?;
    let mut offer = load_own_offer(deps.storage, sender, provider_id, offer_id)?;
    let free = OFFER_FREE
        .may_load(deps.storage, offer_id)?
        .unwrap_or_default();
    let leased = offer.units.saturating_sub(free);
    let new_units = units.unwrap_or(offer.units);
    if new_units < leased {
        return Err(ContractError::UnitsBelowLeased {
            offer_id,
            leased,
            requested: new_units,
        });
    }
    let listed = provider
        .listed_units
        .saturating_sub(u64::from(offer.units))
        .saturating_add(u64::from(new_units));
    let lock = if new_units == offer.units {
        None
    } else if new_units > offer.units {
        Some(required_collateral(&deps.querier, &config, sender, listed)?)
    } else {
        Some(lowered_lock(&deps.querier, &config, sender, listed)?)
    };

    let now = env.block.time.seconds();
    let mut tx = Matcher::new(&config, now);
    let market = (offer.model, offer.denom);
    OFFER_BOOK.remove(deps.storage, offer_key(offer_id, &offer));
    if new_units > offer.units {
        tx.stats
            .add_listed(deps.storage, market, new_units - offer.units)?;
    } else {
        tx.stats
            .sub_listed(deps.storage, market, offer.units - new_units)?;
    }
    offer.price = price.unwrap_or(offer.price);
    offer.units = new_units;
    OFFERS.save(deps.storage, offer_id, &offer)?;
    OFFER_FREE.save(deps.storage, offer_id, &(new_units - leased))?;
    provider.listed_units = listed;
    PROVIDERS.save(deps.storage, provider_id, &provider)?;
    list_and_match(deps.storage, &mut tx, offer_id, &offer, &provider)?;

    let mut response = tx.finish(deps.storage, &env.contract.address)?;
    if let Some(lock) = lock {
        response = response.add_message(set_locked_msg(&config, sender, lock)?);
    }
    Ok(response
        .add_attribute("action", "update_offer")
        .add_attribute("offer_id", offer_id.to_string())
        .add_attribute("price", offer.price)
        .add_attribute("units", offer.units.to_string()))
}

pub fn withdraw_offer(
    deps: DepsMut,
    sender: &Addr,
    offer_id: u64,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let (provider_id, mut provider) = load_active(deps.as_ref(), sender)?;
    let mut offer = load_own_offer(deps.storage, sender, provider_id, offer_id)?;
    let free = OFFER_FREE
        .may_load(deps.storage, offer_id)?
        .unwrap_or_default();
    let leased = offer.units.saturating_sub(free);
    let listed = provider.listed_units.saturating_sub(u64::from(free));
    let lock = lowered_lock(&deps.querier, &config, sender, listed)?;

    OFFER_BOOK.remove(deps.storage, offer_key(offer_id, &offer));
    let mut stats = StatsCache::default();
    stats.sub_listed(deps.storage, (offer.model, offer.denom), free)?;
    stats.flush(deps.storage)?;
    offer.units = leased;
    offer.withdrawn = true;
    OFFERS.save(deps.storage, offer_id, &offer)?;
    OFFER_FREE.save(deps.storage, offer_id, &0)?;
    provider.listed_units = listed;
    if leased == 0 {
        OFFERS_BY_PROVIDER.remove(deps.storage, (provider_id, offer_id));
        provider.offers = provider.offers.saturating_sub(1);
    }
    PROVIDERS.save(deps.storage, provider_id, &provider)?;

    Ok(Response::new()
        .add_message(set_locked_msg(&config, sender, lock)?)
        .add_attribute("action", "withdraw_offer")
        .add_attribute("offer_id", offer_id.to_string())
        .add_attribute("withdrawn_units", free.to_string())
        .add_attribute("leased_units", leased.to_string()))
}
