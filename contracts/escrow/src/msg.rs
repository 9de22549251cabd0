//! The escrow's messages are defined once, in `gridshare-types`, because the marketplace sends them.
pub use gridshare_types::escrow::*;
