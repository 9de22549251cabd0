//! What arrived with a message: the generic checks are `gridshare_plumbing::funds`; this module
//! adds the marketplace's own rule, the accepted denoms.

use crate::state::Config;
use crate::ContractError;
pub use gridshare_plumbing::funds::{ensure_positive, nonpayable, one_coin};
use gridshare_types::Denom;

/// The id of an accepted denom, or a typed error.
pub fn accepted_denom_id(config: &Config, denom: &Denom) -> Result<u32, ContractError> {
    config
        .denom_id(denom)
        .ok_or_else(|| ContractError::DenomNotAccepted {
            denom: denom.to_string(),
        })
}
