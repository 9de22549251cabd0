//! The staking contract's messages are defined once, in `gridshare-types`, because the marketplace,
//! escrow and governance send or query them.
pub use gridshare_types::staking::*;
