//! Unit tests of the staking contract on `cosmwasm_std::testing` mocks, one file per concern.
//!
//! Every execute message goes through `helpers::Suite::try_exec`, which audits the contract's books
//! after each success (conservation per denom, totals, reward entitlements, emission accounting)
//! and checks that each error left the storage byte for byte unchanged; the shared harness's
//! `Chain` (`gridshare-unit-harness`) makes that check, for migrate too, and instantiate tests on
//! bare mocks check the same on their own.

mod helpers;

mod bond;
mod collateral;
mod config;
mod emissions;
mod funds;
mod instantiate;
mod migrate;
mod query;
mod rewards;
mod slash;
mod unbond;
mod voting;
