//! The marketplace's messages are defined once, in `gridshare-types`, because other contracts and
//! the keeper speak them.
pub use gridshare_types::marketplace::*;
