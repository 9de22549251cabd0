//! The two-step ownership messages every owned GridShare contract takes (see
//! `gridshare_plumbing::owner` for the rules).

use cosmwasm_schema::cw_serde;
use cosmwasm_std::Addr;

#[cw_serde]
pub enum OwnerAction {
    /// Owner only. Offers the contract to `new_owner`, who must accept before `expiry` (block
    /// time in seconds), if one is given. A new offer replaces the previous one.
    TransferOwnership {
        /// The address offered the contract (bech32); it must send `AcceptOwnership`.
        new_owner: String,
        /// Block time in seconds since the Unix epoch from which the offer can no longer be
        /// accepted; must be in the future. Unset: the offer never expires.
        expiry: Option<u64>,
    },
    /// The pending owner takes the contract.
    AcceptOwnership {},
    /// Owner only. Withdraws the pending offer.
    CancelTransfer {},
}

#[cw_serde]
pub struct OwnershipResponse {
    /// The current owner (for the access token: the tier admin), the only address that may
    /// send owner-only messages.
    pub owner: Addr,
    /// The address offered the contract and not yet accepted (shown even once the offer has
    /// expired); `None` when no offer is pending.
    pub pending_owner: Option<Addr>,
    /// Block time (seconds) from which the offer can no longer be accepted.
    pub pending_expiry: Option<u64>,
}
