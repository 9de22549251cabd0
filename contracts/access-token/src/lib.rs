//! GRID, GridShare's token: a cw20 fully compatible with cw20-base, plus premium access.
//!
//! # The cw20 part
//! Every cw20-base message and query is accepted with the same JSON and answered by cw20-base's
//! own code, called as a library (`cw20_base::contract`, `cw20_base::allowances`,
//! `cw20_base::enumerable`): transfer, send, burn, allowances (increase, decrease, transfer_from,
//! send_from, burn_from, with expiry), the minter and its cap, marketing info and logo, and every
//! standard query. The storage layout is cw20-base's, so wallets, explorers and indexers that know
//! cw20-base read this token unchanged. Three deliberate differences, all on inputs cw20-base would
//! mishandle:
//! - native coins attached to any message are refused with `UnexpectedFunds` (the shared
//!   `gridshare_plumbing::funds` check: a token contract has no way to ever move them; cw20-base
//!   silently keeps them forever);
//! - a `Mint`, an `IncreaseAllowance` or instantiate balances that would overflow `Uint128` get a
//!   typed `Overflow` error instead of aborting the contract (cw20-base adds without checking);
//! - cw2 records this contract's name (`access-token`), not `crates.io:cw20-base`.
//!
//! # Premium access
//! The admin (the deployer, then governance) defines tiers with `SetTier` and `RemoveTier`: an id,
//! a price in GRID per period, the period in seconds, and the benefits the marketplace reads
//! through the `Access { address }` query (fee discount in bps of the fee, at most 10000;
//! matching priority; maximum open orders). At most [`MAX_TIERS`] tiers exist.
//!
//! **The admin changes hands in two steps**, like the owner of every other GridShare contract
//! (`gridshare_plumbing::owner`): the admin sends
//! `{"update_ownership":{"transfer_ownership":{"new_owner":"<addr>","expiry":null}}}` (an expiry
//! is a block time in seconds after which the offer can no longer be accepted), and nothing
//! changes until that address sends `{"update_ownership":{"accept_ownership":{}}}`; until then
//! the admin may withdraw the offer with `{"update_ownership":{"cancel_transfer":{}}}`. A typo or
//! an address that cannot send messages therefore never loses the tiers. `Ownership {}` shows the
//! admin and any pending offer; `Admin {}` the admin alone. The refusals are
//! `gridshare_plumbing::OwnerError`s (`NotOwner`, `NotPendingOwner`, `NoPendingOwner`,
//! `TransferExpired`, `ExpiryInPast`). cw20-base's own roles are untouched: the minter
//! (`UpdateMinter`) and the marketing role (`UpdateMarketing`) still change hands in one step, with
//! cw20-base's semantics.
//!
//! `Subscribe { tier, periods }` buys `periods` periods of a tier for `price × periods` GRID taken
//! from the sender's balance. The same purchase can also be made with `Send` of exactly that
//! amount to this contract itself, with `{"subscribe":{…}}` as the hook (for wallets and
//! contracts that pay by `Send`); any other cw20 arriving through `Receive` is refused with
//! `WrongToken`.
//!
//! **Burn, not lock.** A subscription burns its price. Burning is a payment for a service, like a
//! fee, and needs no custody: the contract never holds anybody's tokens, there is nothing to
//! return at expiry (so no crank, no per-subscriber loop, no claim that can be forgotten or
//! fail), and no bug in the premium logic can lose user funds beyond the price they agreed to.
//! Locking would turn the contract into a vault of other people's GRID with an unlock path that
//! must be audited and cranked. The burned amount leaves `total_supply` (see `TokenInfo`), which
//! also frees room under the minter's cap.
//!
//! **Extending and switching.** Subscribing again to the tier one holds while it is active adds
//! the new periods to the current expiry (nothing is lost by renewing early); the benefits become
//! the tier's current definition for the whole term. Subscribing to a different tier while one is
//! active is refused with `TierSwitchWhileActive` (carrying the current tier and its expiry):
//! there is no proration, so a holder can never lose paid-for time by accident, and the price of
//! each tier is simply `price × periods`. After expiry any tier may be bought, starting now.
//!
//! **What a subscription grants.** The benefits are recorded in the subscription when it is paid
//! for: until it expires, the holder keeps exactly what was bought even if the admin later edits
//! or removes the tier. A removed tier can no longer be bought or extended.
//!
//! `Access { address }` answers with [`gridshare_types::access::AccessResponse`]: the benefits and
//! expiry of an active subscription, or `tier: None, expires_at: None` when there is none or it
//! has expired (a subscription is active while `block time < expires_at`).

pub mod contract;
pub mod error;
pub mod execute;
pub mod msg;
pub mod query;
pub mod state;

#[cfg(test)]
mod tests;

pub use crate::error::ContractError;

pub const CONTRACT_NAME: &str = env!("CARGO_PKG_NAME");
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Tiers that may exist at once.
pub const MAX_TIERS: usize = 32;
/// Longest tier id, in bytes.
pub const MAX_TIER_ID_LEN: usize = 32;
/// Fee discounts are basis points of the fee.
pub const MAX_FEE_DISCOUNT_BPS: u16 = 10_000;
