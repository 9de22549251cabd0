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

/// `a,b,c`: the lists in error messages and event attributes. One small loop per item type,
/// instead of collecting strings and `join`ing them (a copy routine per element type).
pub fn comma_list<T: core::fmt::Display>(items: impl IntoIterator<Item = T>) -> String {
    use core::fmt::Write;
    let mut out = String::new();
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        // Writing to a String cannot fail.
        let _ = write!(out, "{item}");
    }
    out
}
