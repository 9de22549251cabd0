//! The GridShare keeper: the daemon a GPU provider runs next to its GPUs, and the CLI that deploys
//! the suite and lets a renter submit and follow jobs.

pub mod app;
pub mod chain;
pub mod cli;
pub mod config;
pub mod deploy;
pub mod energy;
pub mod executor;
pub mod gpu_stats;
pub mod health;
pub mod http;
pub mod inputs;
pub mod metrics;
pub mod msgs;
pub mod privacy;
pub mod provider;
pub mod renter;
pub mod runner;
pub mod salt;
pub mod sandbox;
pub mod slots;
pub mod store;
