//! Runs GridShare's optimized contracts in the same VM (cosmwasm-vm) that chains embed.

pub mod bench;
pub mod budget;
pub mod validate;
