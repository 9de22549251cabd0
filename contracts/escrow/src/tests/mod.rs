//! Unit tests of the escrow contract on `cosmwasm_std::testing` mocks, one file per concern.
//!
//! Every execute message goes through `helpers::Suite::try_exec`, which audits the contract's books
//! after each success (conservation per denom, reservations, caps) and checks that each error left
//! the storage byte for byte unchanged; the shared harness's `Chain` (`gridshare-unit-harness`)
//! makes that check, for migrate too, and instantiate tests on bare mocks check the same on their
//! own. A fee collector that refuses fees is simulated by `Suite::refusing`: escrow's `reply` is
//! then called for every fee sent on release, as the chain would. Flows that need a real chain (a
//! plain message refused, coins moving between contracts) are tested on cw-multi-test in
//! `contracts/escrow/tests/`.

mod helpers;

mod account;
mod close_account;
mod config;
mod denom_chain;
mod fees;
mod instantiate;
mod migrate;
mod ownership;
mod payment;
mod query;
mod receive;
mod release;
mod withdraw;
