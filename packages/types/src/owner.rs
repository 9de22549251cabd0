//! The two-step ownership messages every owned GridShare contract takes (see
//! `gridshare_plumbing::owner` for the rules).

use cosmwasm_schema::cw_serde;
use cosmwasm_std::Addr;

#[cw_serde]
pub enum OwnerAction {
    /// Owner only. Offers the contract to `new_owner`, who must accept before `expiry` (block
    /// time in seconds), if one is given. A new offer replaces the previous one.
    TransferOwnership {
        new_owner: String,
        expiry: Option<u64>,
    },
    /// The pending owner takes the contract.
    AcceptOwnership {},
    /// Owner only. Withdraws the pending offer.
    CancelTransfer {},
}

#[cw_serde]
pub struct OwnershipResponse {
    pub owner: Addr,
    pub pending_owner: Option<Addr>,
    /// Block time (seconds) from which the offer can no longer be accepted.
    pub pending_expiry: Option<u64>,
}
