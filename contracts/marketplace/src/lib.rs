//! GridShare marketplace: the order state of the suite.
//!
//! # What it holds
//! Parameters, the GPU catalogue, providers (registration, liveness, reputation), offers (the ask
//! side), orders (the bid side, with job specs), leases (the matches) and market statistics. Money
//! never rests here: an order's funds go to escrow (one account per order) in the transaction that
//! posts it, and collateral lives in staking.
//!
//! # Matching
//! A continuous double auction. Offers are indexed by (model, denom, price, offer id), so the
//! cheapest offers of a market are the head of a prefix range bounded by the order's max price:
//! posting an order reads the heads of its eligible models' ranges, never the whole book.
//! Candidates (at most `replication` per model, skipping offers whose provider is silent, lacks the
//! region or reputation, is already on the order, or whose offer lacks free units or duration) are
//! ranked by effective price
//! `price × 10⁶ × (2000 − reputation) / (benchmark score × 1000)` (integer, `Uint256`; reputation
//! 1000 counts the price once, reputation 0 twice), ties by offer id (older first). An order that
//! does not fill rests in a book indexed by (denom, priority desc, max price desc, order id);
//! posting an offer walks that book, highest priority first. Every loop is capped per transaction
//! (`max_scan` entries examined, `max_matches` leases created).
//!
//! # Leases
//! `Active → Submitted → Accepted | Rejected`, or `Failed | Cancelled | Expired`, each final state
//! with a [`CloseReason`](gridshare_types::marketplace::CloseReason). Replication `k ≥ 2` is verified
//! by hash quorum (a result held by more than `k/2` leases); `k = 1` by a dispute window.
//! Liveness is one heartbeat per provider: the heartbeat writes one small record and nothing else;
//! the reaper finds silent providers through a queue keyed by the time each must next be checked.
//!
//! # Lease ids
//! `lease_id = order_id × 16 + replica` (see `gridshare_types::marketplace::lease_id`), so the
//! leases of an order need no index and the order id is the escrow account id.
//!
//! # Storage and gas
//! Every byte written costs 30 SDK gas and every access a flat 1000–2000, so the hot records are
//! small, keyed by numeric ids, and the ones written on the hot paths (orders, leases, market
//! statistics) are stored as JSON arrays rather than objects (see [`state`]). Fields that change
//! often have their own maps: an offer's free units, a provider's liveness and reputation. The
//! open leases are stored under (provider, lease), which is also the provider's open-lease index.
//! A renter's orders are listed through escrow's accounts-by-depositor index instead of a second
//! index written on every order. Posting an order that matches at once reads the configuration,
//! its models, the order sequence, the head of each eligible model's range, the candidate's free
//! units and liveness, and the market statistics, and writes the order, the lease, the free
//! units, the statistics and the sequence; nothing it touches grows with the book.

pub mod contract;
pub mod error;
pub mod execute;
pub mod external;
pub mod funds;
pub mod matching;
pub mod msg;
pub mod query;
pub mod reputation;
pub mod state;
pub mod stats;
pub mod wire;

#[cfg(test)]
mod tests;

pub use crate::error::ContractError;

pub const CONTRACT_NAME: &str = env!("CARGO_PKG_NAME");
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The accepted-denom list is read on every order; keep it short.
pub const MAX_ACCEPTED_DENOMS: usize = 16;
/// Models the catalogue may ever hold (retired ones included).
pub const MAX_CATALOGUE: u32 = 128;
pub const MAX_MODEL_ID_LEN: usize = 32;
/// Live offers per provider: bounds every loop over a provider's offers.
pub const MAX_OFFERS_PER_PROVIDER: u32 = 32;
pub const MAX_NAME_LEN: usize = 64;
pub const MAX_REGION_LEN: usize = 32;
pub const MAX_ENDPOINT_LEN: usize = 256;
pub const MAX_PUBLIC_KEY_LEN: usize = 512;
pub const MAX_URL_LEN: usize = 512;
pub const MAX_KERNEL_ENTRY_LEN: usize = 128;
pub const MAX_KERNEL_BUFFERS: usize = 16;

/// Hard ceilings of the per-transaction caps, whatever governance sets.
pub const MAX_MATCHES_CEILING: u32 = 32;
pub const MAX_SCAN_CEILING: u32 = 256;
pub const MAX_REAP_CEILING: u32 = 100;
pub const MAX_INLINE_BYTES_CEILING: u32 = 65_536;
pub const MAX_ELIGIBLE_MODELS_CEILING: u32 = 32;
