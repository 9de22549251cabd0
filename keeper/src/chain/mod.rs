//! Everything that talks to the chain: keys, queries, signing and broadcasting, event wake-ups.
//!
//! Queries and simulation go through CometBFT's `abci_query` on the RPC endpoint (the same path
//! CosmJS takes), so one HTTP endpoint is all the keeper needs; the websocket on the same port
//! carries the event subscription.

pub mod authz;
mod client;
mod error;
pub mod events;
mod signer;
mod wallet;

pub use client::{ChainClient, ChainConfig, GasPrice, TxOutcome};
pub use error::ChainError;
pub use signer::{Signer, SignerHandle};
pub use wallet::{Wallet, WalletError, HD_PATH};

pub use cosmrs::proto::Any;
