//! The unit-test harness the GridShare contracts share: one contract's entry points driven on
//! `cosmwasm_std::testing` mocks, with the rule every contract's tests hold it to — a refused
//! message changes nothing — checked on every call.
//!
//! What lives here is what does not depend on any one contract: the [`Chain`] that owns the mock
//! dependencies and the block, storage [`Snapshot`]s and their [`StorageDiff`], the [`Bench`]
//! forms of executing a message, lookups in a [`Response`](cosmwasm_std::Response) that say what
//! was there when they fail, bank and cw20 messages, a [`Ledger`] of coins in and out, addresses
//! and timestamps. What a contract's tests add on top (mock queriers playing the other contracts,
//! message builders, audits of the contract's books) stays in that contract's `tests/helpers.rs`.

mod addresses;
mod bench;
mod chain;
mod contract;
mod diff;
mod ledger;
mod messages;
mod response;
mod snapshot;
mod time;

pub use addresses::{addr, invalid_address};
pub use bench::Bench;
pub use chain::{error_reply, Chain, MockDeps};
pub use contract::{Contract, ExecuteFn, InstantiateFn, MigrateFn, QueryFn, ReplyFn};
pub use diff::{storage_diff, Change, StorageDiff};
pub use ledger::{Ledger, Transfer};
pub use messages::{bank_send, cw20_receive, cw20_transfer};
pub use response::{attr, attrs, event, event_attr, events};
pub use snapshot::{readable, snapshot, Snapshot, SnapshotStorage};
pub use time::{env_at, ts};
