//! Premium views; the cw20 ones are cw20-base's. Every list is paginated and clamped.

use crate::msg::{AdminResponse, SubscriptionInfo, SubscriptionResponse, Tier, TiersResponse};
use crate::state::{ADMIN, SUBSCRIPTIONS, TIERS};
use cosmwasm_std::{Deps, Env, Order, StdError, StdResult};
use cw_storage_plus::Bound;
use gridshare_plumbing::OwnershipResponse;
use gridshare_types::access::AccessResponse;
use gridshare_types::pagination::clamp_limit;

/// What the marketplace asks: the benefits and expiry of `address`'s active subscription.
pub fn access(deps: Deps, env: &Env, address: String) -> StdResult<AccessResponse> {
    let address = deps.api.addr_validate(&address)?;
    let active = SUBSCRIPTIONS
        .may_load(deps.storage, &address)?
        .filter(|s| s.is_active(env.block.time));
    Ok(AccessResponse {
        address,
        tier: active.as_ref().map(|s| s.benefits.clone()),
        expires_at: active.map(|s| s.expires_at.seconds()),
    })
}

pub fn subscription(deps: Deps, env: &Env, address: String) -> StdResult<SubscriptionResponse> {
    let address = deps.api.addr_validate(&address)?;
    let subscription = SUBSCRIPTIONS
        .may_load(deps.storage, &address)?
        .map(|s| SubscriptionInfo {
            active: s.is_active(env.block.time),
            tier: s.tier,
            benefits: s.benefits,
            since: s.since.seconds(),
            expires_at: s.expires_at.seconds(),
            paid: s.paid,
        });
    Ok(SubscriptionResponse {
        address,
        subscription,
    })
}

pub fn tier(deps: Deps, id: String) -> StdResult<Tier> {
    TIERS
        .may_load(deps.storage, &id)?
        .ok_or_else(|| StdError::not_found(format!("tier {id}")))
}

pub fn tiers(
    deps: Deps,
    start_after: Option<String>,
    limit: Option<u32>,
) -> StdResult<TiersResponse> {
    let tiers = TIERS
        .range(
            deps.storage,
            start_after.as_deref().map(Bound::exclusive),
            None,
            Order::Ascending,
        )
        .take(clamp_limit(limit))
        .map(|item| item.map(|(_, tier)| tier))
        .collect::<StdResult<_>>()?;
    Ok(TiersResponse { tiers })
}

pub fn admin(deps: Deps) -> StdResult<AdminResponse> {
    Ok(AdminResponse {
        admin: ADMIN.load(deps.storage)?,
    })
}

pub fn ownership(deps: Deps) -> StdResult<OwnershipResponse> {
    gridshare_plumbing::owner::ownership(deps.storage, ADMIN.load(deps.storage)?)
}
