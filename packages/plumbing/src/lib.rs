//! Plumbing shared by the GridShare contracts, written once: what arrived with a message
//! ([`funds`]), who owns a contract and how that changes hands ([`owner`]), and the shape of a
//! configured denom list ([`denoms`]).
//!
//! Each module has its own error type; a contract wraps it with `#[error(transparent)]`, so the
//! message a user reads is the module's own and carries the values that were wrong.

pub mod denoms;
pub mod funds;
pub mod owner;

pub use denoms::{validate_denom_list, DenomListError};
pub use funds::FundsError;
pub use owner::{OwnerAction, OwnerError, OwnershipResponse};
