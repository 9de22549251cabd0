//! Unit tests of governance on `cosmwasm_std::testing` mocks, one file per concern.
//!
//! The mock querier plays the staking contract (`VotingPowerAtHeight` / `TotalPowerAtHeight` with
//! staking's snapshot rule) and a GRID cw20. Every execute message goes through
//! `helpers::Suite::try_exec`, which audits the books after each success (held deposits and
//! tallies) and checks that each error left the storage byte for byte unchanged. The
//! cw-multi-test scenarios with the real staking contract are in `tests/`.

mod helpers;

mod close;
mod config;
mod execute;
mod instantiate;
mod migrate;
mod propose;
mod query;
mod tally;
mod vote;
