//! GridShare escrow: custody of renters' payments.
//!
//! One account per order holds the renter's budget. Inside it, one payment per lease streams
//! to the provider at a fixed rate; accrual is computed lazily from timestamps whenever the
//! marketplace touches the payment, never in a per-block loop. Every coin in the contract belongs
//! to exactly one open account until it leaves for a payee, the fee collector or the depositor.

pub mod accrual;
pub mod contract;
pub mod error;
pub mod execute;
pub mod funds;
pub mod msg;
pub mod query;
pub mod state;

#[cfg(test)]
mod tests;

pub use crate::error::ContractError;

pub const CONTRACT_NAME: &str = env!("CARGO_PKG_NAME");
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");

/// A payment loop runs over at most this many payments of one account (close, queries).
pub const MAX_PAYMENTS_PER_ACCOUNT: u32 = 64;
/// `Withdraw` takes at most this many lease ids at once.
pub const MAX_WITHDRAW_BATCH: usize = 30;
/// The accepted-denom list is read on every deposit; keep it short.
pub const MAX_ACCEPTED_DENOMS: usize = 32;
