//! Unit tests of the escrow contract on `cosmwasm_std::testing` mocks, one file per concern.
//!
//! Every execute message goes through `helpers::Suite::try_exec`, which audits the contract's books
//! after each success (conservation per denom, reservations, caps) and checks that each error left
//! the storage byte for byte unchanged; instantiate and migrate tests check the same on their own.

mod helpers;

mod account;
mod close_account;
mod config;
mod instantiate;
mod migrate;
mod payment;
mod query;
mod receive;
mod release;
mod withdraw;
