//! Types that cross a contract boundary in GridShare.
//!
//! A message that one contract sends another is defined here once, so the sender and the
//! receiver can never disagree about its shape.

pub mod access;
pub mod denom;
pub mod escrow;
pub mod fee_collector;
pub mod marketplace;
pub mod migrate;
pub mod owner;
pub mod pagination;
pub mod staking;
pub mod verification;

pub use denom::{Denom, DenomError, UncheckedDenom};
