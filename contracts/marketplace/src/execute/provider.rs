//! Providers: registration (backed by collateral), details, deactivation, and the heartbeat.

use super::{check_text, provider_id};
use crate::external::{required_collateral, set_locked_msg};
use crate::matching::offer_key;
use crate::state::{
    BookEntry, Config, Provider, ProviderHot, CONFIG, OFFERS, OFFERS_BY_PROVIDER, OFFER_BOOK,
    OFFER_FREE, OPEN_LEASES, PROVIDERS, PROVIDER_HOT, PROVIDER_IDS, PROVIDER_SEQ, REAP_QUEUE,
};
use crate::stats::StatsCache;
use crate::{
    ContractError, MAX_ENDPOINT_LEN, MAX_NAME_LEN, MAX_OFFERS_PER_PROVIDER, MAX_PUBLIC_KEY_LEN,
    MAX_REGION_LEN,
};
use cosmwasm_std::{Addr, Deps, DepsMut, Env, Order, Response, StdResult, Storage, Uint128};
use gridshare_types::marketplace::Telemetry;

pub struct Details {
    pub name: String,
    pub region: String,
    pub endpoint: String,
    pub public_key: String,
}

fn check_details(d: &Details) -> Result<(), ContractError> {
    check_text("name", &d.name, MAX_NAME_LEN)?;
    check_text("region", &d.region, MAX_REGION_LEN)?;
    check_text("endpoint", &d.endpoint, MAX_ENDPOINT_LEN)?;
    check_text("public_key", &d.public_key, MAX_PUBLIC_KEY_LEN)
}

/// The reaper checks a provider first when it could first be silent.
pub fn reap_check_time(config: &Config, last_heartbeat: u64) -> u64 {
    last_heartbeat
        .saturating_add(config.max_silence)
        .saturating_add(1)
}

pub fn register(
    deps: DepsMut,
    env: &Env,
    sender: &Addr,
    details: Details,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    check_details(&details)?;
    let now = env.block.time.seconds();
    let existing = PROVIDER_IDS.may_load(deps.storage, sender)?;
    let (listed_units, offers, hot) = match existing {
        Some(id) => {
            let old = PROVIDERS.load(deps.storage, id)?;
            if old.active {
                return Err(ContractError::ProviderExists {
                    address: sender.to_string(),
                });
            }
            (
                old.listed_units,
                old.offers,
                PROVIDER_HOT.load(deps.storage, id)?,
            )
        }
        None => (0, 0, ProviderHot::default()),
    };
    // The bond must back at least one GPU.
    required_collateral(&deps.querier, &config, sender, listed_units.max(1))?;
    let mut hot = hot;
    let id = match existing {
        Some(id) => id,
        None => {
            let id = PROVIDER_SEQ.may_load(deps.storage)?.unwrap_or_default() + 1;
            PROVIDER_SEQ.save(deps.storage, &id)?;
            PROVIDER_IDS.save(deps.storage, sender, &id)?;
            id
        }
    };

    let provider = Provider {
        address: sender.clone(),
        name: details.name,
        region: details.region,
        endpoint: details.endpoint,
        public_key: details.public_key,
        active: true,
        registered_at: now,
        listed_units,
        offers,
    };
    PROVIDERS.save(deps.storage, id, &provider)?;
    hot.last_heartbeat = now;
    hot.active = true;
    if !hot.queued {
        hot.queued = true;
        REAP_QUEUE.save(deps.storage, (reap_check_time(&config, now), id), &())?;
    }
    PROVIDER_HOT.save(deps.storage, id, &hot)?;

    Ok(Response::new()
        .add_attribute("action", "register_provider")
        .add_attribute("provider", sender.as_str())
        .add_attribute("provider_id", id.to_string())
        .add_attribute("region", provider.region))
}

pub fn update(
    deps: DepsMut,
    sender: &Addr,
    name: Option<String>,
    region: Option<String>,
    endpoint: Option<String>,
    public_key: Option<String>,
) -> Result<Response, ContractError> {
    if name.is_none() && region.is_none() && endpoint.is_none() && public_key.is_none() {
        return Err(ContractError::NothingToUpdate);
    }
    let id = provider_id(deps.storage, sender)?;
    let mut provider = PROVIDERS.load(deps.storage, id)?;
    if !provider.active {
        return Err(ContractError::ProviderInactive {
            address: sender.to_string(),
        });
    }
    let region_changed = region.as_ref().is_some_and(|r| *r != provider.region);
    let details = Details {
        name: name.unwrap_or(provider.name),
        region: region.unwrap_or(provider.region),
        endpoint: endpoint.unwrap_or(provider.endpoint),
        public_key: public_key.unwrap_or(provider.public_key),
    };
    check_details(&details)?;
    provider.name = details.name;
    provider.region = details.region;
    provider.endpoint = details.endpoint;
    provider.public_key = details.public_key;
    PROVIDERS.save(deps.storage, id, &provider)?;
    if region_changed {
        // The region rides in the book entries matching reads: rewrite the listed ones.
        for offer_id in provider_offers(deps.storage, id)? {
            let offer = OFFERS.load(deps.storage, offer_id)?;
            let key = offer_key(offer_id, &offer);
            if let Some(mut entry) = OFFER_BOOK.may_load(deps.storage, key)? {
                entry.region = provider.region.clone();
                OFFER_BOOK.save(deps.storage, key, &entry)?;
            }
        }
    }

    Ok(Response::new()
        .add_attribute("action", "update_provider")
        .add_attribute("provider", sender.as_str())
        .add_attribute("region", provider.region))
}

/// The live offers of a provider (at most [`MAX_OFFERS_PER_PROVIDER`]).
pub fn provider_offers(storage: &dyn Storage, provider: u32) -> StdResult<Vec<u64>> {
    OFFERS_BY_PROVIDER
        .prefix(provider)
        .keys(storage, None, None, Order::Ascending)
        .take(MAX_OFFERS_PER_PROVIDER as usize)
        .collect()
}

pub fn has_open_leases(storage: &dyn Storage, provider: u32) -> bool {
    OPEN_LEASES
        .prefix(provider)
        .keys_raw(storage, None, None, Order::Ascending)
        .next()
        .is_some()
}

pub fn deactivate(deps: DepsMut, sender: &Addr) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let id = provider_id(deps.storage, sender)?;
    let mut provider = PROVIDERS.load(deps.storage, id)?;
    if !provider.active {
        return Err(ContractError::ProviderInactive {
            address: sender.to_string(),
        });
    }
    if has_open_leases(deps.storage, id) {
        return Err(ContractError::ProviderHasOpenLeases {
            address: sender.to_string(),
        });
    }
    // No open lease: every unit of every offer is free. Withdraw them all.
    let mut stats = StatsCache::default();
    let offers = provider_offers(deps.storage, id)?;
    for offer_id in &offers {
        let mut offer = OFFERS.load(deps.storage, *offer_id)?;
        OFFER_BOOK.remove(deps.storage, offer_key(*offer_id, &offer));
        stats.sub_listed(deps.storage, (offer.model, offer.denom), offer.units)?;
        offer.units = 0;
        offer.withdrawn = true;
        OFFERS.save(deps.storage, *offer_id, &offer)?;
        OFFER_FREE.save(deps.storage, *offer_id, &0)?;
        OFFERS_BY_PROVIDER.remove(deps.storage, (id, *offer_id));
    }
    stats.flush(deps.storage)?;
    provider.active = false;
    provider.listed_units = 0;
    provider.offers = 0;
    PROVIDERS.save(deps.storage, id, &provider)?;
    let mut hot = PROVIDER_HOT.load(deps.storage, id)?;
    hot.active = false;
    PROVIDER_HOT.save(deps.storage, id, &hot)?;

    Ok(Response::new()
        .add_message(set_locked_msg(&config, sender, Uint128::zero())?)
        .add_attribute("action", "deactivate_provider")
        .add_attribute("provider", sender.as_str())
        .add_attribute("offers_withdrawn", offers.len().to_string()))
}

/// One record read, one written: the provider's liveness (and telemetry) for all its leases.
pub fn heartbeat(
    deps: DepsMut,
    env: &Env,
    sender: &Addr,
    telemetry: Option<Telemetry>,
) -> Result<Response, ContractError> {
    let id = provider_id(deps.storage, sender)?;
    let mut hot = PROVIDER_HOT.load(deps.storage, id)?;
    if !hot.active {
        return Err(ContractError::ProviderInactive {
            address: sender.to_string(),
        });
    }
    if let Some(t) = telemetry {
        if t.utilization_pct > 100 {
            return Err(ContractError::InvalidTelemetry {
                utilization_pct: t.utilization_pct,
            });
        }
        hot.utilization_pct = t.utilization_pct;
        hot.power_watts = t.power_watts;
        hot.has_telemetry = true;
    }
    let now = env.block.time.seconds();
    hot.last_heartbeat = now;
    if !hot.queued {
        // Waking from dormancy (rare): back in the reaper's queue, offers back in the book.
        let config = CONFIG.load(deps.storage)?;
        hot.queued = true;
        REAP_QUEUE.save(deps.storage, (reap_check_time(&config, now), id), &())?;
        relist(deps.storage, id)?;
    }
    PROVIDER_HOT.save(deps.storage, id, &hot)?;
    Ok(Response::new().add_attribute("action", "heartbeat"))
}

/// The book entry of one of `provider`'s offers.
pub fn book_entry(provider_id: u32, provider: &Provider, min: u64, max: u64) -> BookEntry {
    BookEntry {
        provider: provider_id,
        address: provider.address.clone(),
        min_duration: min,
        max_duration: max,
        region: provider.region.clone(),
    }
}

/// Puts a provider's offers with free units back in the book.
fn relist(storage: &mut dyn Storage, id: u32) -> Result<(), ContractError> {
    let provider = PROVIDERS.load(storage, id)?;
    for offer_id in provider_offers(storage, id)? {
        let offer = OFFERS.load(storage, offer_id)?;
        let free = OFFER_FREE.may_load(storage, offer_id)?.unwrap_or_default();
        if !offer.withdrawn && free > 0 {
            OFFER_BOOK.save(
                storage,
                offer_key(offer_id, &offer),
                &book_entry(id, &provider, offer.min_duration, offer.max_duration),
            )?;
        }
    }
    Ok(())
}

/// Takes a dormant provider's offers out of the book (the reaper, once it is silent with no open
/// lease): dead offers must not fill the head of the book.
pub fn delist(storage: &mut dyn Storage, id: u32) -> Result<(), ContractError> {
    for offer_id in provider_offers(storage, id)? {
        let offer = OFFERS.load(storage, offer_id)?;
        OFFER_BOOK.remove(storage, offer_key(offer_id, &offer));
    }
    Ok(())
}

/// A provider as its own actions need it: registered and active.
pub fn load_active(deps: Deps, sender: &Addr) -> Result<(u32, Provider), ContractError> {
    let id = provider_id(deps.storage, sender)?;
    let provider = PROVIDERS.load(deps.storage, id)?;
    if !provider.active {
        return Err(ContractError::ProviderInactive {
            address: sender.to_string(),
        });
    }
    Ok((id, provider))
}
