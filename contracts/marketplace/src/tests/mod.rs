//! Unit tests of the marketplace on `cosmwasm_std::testing` mocks, one file per concern. Crank
//! steps (self-addressed sub-messages) run as the chain runs them: see `helpers`.
//!
//! Every execute message goes through `helpers::Suite::try_exec`, which checks that each error left
//! the storage byte for byte unchanged. The querier plays staking (`Collateral`), the access token
//! (`Access`) and escrow (`AccountsByDepositor`); the storage prices every access at Cosmos SDK gas,
//! which `gas.rs` compares with a cw20-base transfer.

mod helpers;

mod catalogue;
mod config;
mod crank;
mod gas;
mod lease;
mod matching;
mod offer;
mod order;
mod provider;
mod reap;
mod stats;
