//! Block times.

use cosmwasm_std::testing::mock_env;
use cosmwasm_std::{Env, Timestamp};

/// A timestamp of whole `seconds`, so that times in assertions read cleanly.
pub fn ts(seconds: u64) -> Timestamp {
    Timestamp::from_seconds(seconds)
}

/// The mock environment with the block time set to `seconds` (height and contract address as
/// `mock_env` gives them).
pub fn env_at(seconds: u64) -> Env {
    let mut env = mock_env();
    env.block.time = ts(seconds);
    env
}
