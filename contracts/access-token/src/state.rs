//! Premium state, beside cw20-base's own (`token_info`, `balance`, `allowance`, …), which this
//! contract reads and writes only through cw20-base.

use crate::msg::{Tier, TierBenefits};
use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Timestamp, Uint128};
use cw_storage_plus::{Item, Map};

#[cw_serde]
pub struct Subscription {
    pub tier: String,
    /// What was bought, recorded when it was paid for.
    pub benefits: TierBenefits,
    /// Start of the current unbroken term.
    pub since: Timestamp,
    pub expires_at: Timestamp,
    /// GRID burned for the current unbroken term.
    pub paid: Uint128,
}

impl Subscription {
    pub fn is_active(&self, now: Timestamp) -> bool {
        now < self.expires_at
    }
}

/// Manages the tiers.
pub const ADMIN: Item<Addr> = Item::new("premium_admin");
/// Tier id → tier.
pub const TIERS: Map<&str, Tier> = Map::new("premium_tiers");
/// Subscriber → its latest subscription (kept after expiry; replaced by the next one).
pub const SUBSCRIPTIONS: Map<&Addr, Subscription> = Map::new("premium_subscriptions");
