//! Premium access: what the marketplace asks the access-token contract about a renter.
//!
//! The access-token contract answers `{"access":{"address":"…"}}` (a variant of its `QueryMsg`,
//! serialized exactly like [`AccessQueryMsg::Access`]) with an [`AccessResponse`]. A renter without
//! an active subscription has `tier: None` and gets the standard treatment.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::Addr;

#[cw_serde]
#[derive(QueryResponses)]
pub enum AccessQueryMsg {
    /// The tier `address` holds now, if any.
    #[returns(AccessResponse)]
    Access { address: String },
}

/// What an active tier grants.
#[cw_serde]
pub struct TierBenefits {
    /// The tier's id, e.g. `"pro"`.
    pub tier: String,
    /// Taken off the marketplace's take rate, in basis points of the fee (10000 = no fee).
    pub fee_discount_bps: u16,
    /// Higher is served first among resting orders; 0 is the standard level.
    pub priority: u8,
    /// How many orders the holder may have open at once.
    pub max_open_orders: u32,
}

#[cw_serde]
pub struct AccessResponse {
    /// The address asked about.
    pub address: Addr,
    /// `None` when the address has no active subscription.
    pub tier: Option<TierBenefits>,
    /// When the active subscription ends.
    pub expires_at: Option<u64>,
}
