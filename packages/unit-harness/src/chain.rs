//! One contract on mock dependencies, with the block it runs in.
//!
//! Every entry point called through the chain is held to the rule the GridShare contracts keep:
//! a message the contract refuses changes nothing. On a real chain a failed transaction is
//! reverted anyway, but a contract that writes before it fails is one refactor away from writing
//! and then not failing; holding every error to "storage unchanged" catches that in unit tests.

use crate::contract::Contract;
use crate::diff::{storage_diff, StorageDiff};
use crate::snapshot::{Snapshot, SnapshotStorage};
use crate::time::env_at;
use cosmwasm_std::testing::{message_info, mock_dependencies, MockApi, MockQuerier, MockStorage};
use cosmwasm_std::{
    from_json, Addr, Coin, Env, OwnedDeps, Reply, Response, StdResult, SubMsg, SubMsgResult,
    Timestamp,
};
use serde::de::DeserializeOwned;
use std::fmt::Debug;
use std::marker::PhantomData;

/// Mock dependencies on storage `S`: the mock API and querier every contract's tests use.
pub type MockDeps<S = MockStorage> = OwnedDeps<S, MockApi, MockQuerier>;

/// Contract `C`'s dependencies (storage `S`, the mock API and querier) and the environment its
/// messages run in.
///
/// The fields are public: tests read and seed storage directly, and install queriers that play
/// other contracts.
pub struct Chain<C, S: SnapshotStorage = MockStorage> {
    pub deps: MockDeps<S>,
    pub env: Env,
    contract: PhantomData<C>,
}

impl<C: Contract> Chain<C> {
    /// Empty mock dependencies, with the block time at `seconds`.
    pub fn at(seconds: u64) -> Self {
        Chain::new(mock_dependencies(), env_at(seconds))
    }
}

impl<C: Contract, S: SnapshotStorage> Chain<C, S> {
    /// A chain on given dependencies: a storage of the test's own kind, or a prepared querier.
    pub fn new(deps: MockDeps<S>, env: Env) -> Self {
        Chain {
            deps,
            env,
            contract: PhantomData,
        }
    }

    // ---- the block ----

    /// The contract's own address.
    pub fn contract(&self) -> Addr {
        self.env.contract.address.clone()
    }

    /// The block time.
    pub fn now(&self) -> Timestamp {
        self.env.block.time
    }

    /// The block height.
    pub fn height(&self) -> u64 {
        self.env.block.height
    }

    /// Moves the chain forward by `seconds`, in one block.
    pub fn advance(&mut self, seconds: u64) {
        self.advance_blocks(seconds, 1);
    }

    /// Moves the chain forward by `seconds` over `blocks` blocks, for contracts that read the
    /// height as well as the time (voting power by height).
    pub fn advance_blocks(&mut self, seconds: u64, blocks: u64) {
        self.env.block.time = self.env.block.time.plus_seconds(seconds);
        self.env.block.height += blocks;
    }

    /// A valid address for `name` from this chain's API (the same as [`addr`](crate::addr)
    /// unless the test gave the API another bech32 prefix).
    pub fn addr(&self, name: &str) -> Addr {
        self.deps.api.addr_make(name)
    }

    // ---- storage ----

    /// Everything the contract has stored now.
    pub fn snapshot(&self) -> Snapshot {
        self.deps.storage.snapshot()
    }

    /// Puts the storage back to `snapshot`, as the chain reverts a failed sub-message.
    pub fn restore(&mut self, snapshot: &Snapshot) {
        self.deps.storage.restore(snapshot);
    }

    /// What changed in storage since `before`.
    pub fn storage_diff(&self, before: &Snapshot) -> StorageDiff {
        storage_diff(before, &self.snapshot())
    }

    /// Panics, naming each changed key, when the storage is not what it was at `before`.
    pub fn assert_unchanged(&self, before: &Snapshot, what: impl Debug) {
        let diff = self.storage_diff(before);
        assert!(diff.is_empty(), "{what:?} changed the storage:\n{diff}");
    }

    /// Runs `call`; when it fails, asserts that it left the storage as it found it. `what` names
    /// the call in the failure.
    fn unchanged_on_error<E: Debug>(
        &mut self,
        what: impl FnOnce() -> String,
        call: impl FnOnce(&mut Self) -> Result<Response, E>,
    ) -> Result<Response, E> {
        let before = self.snapshot();
        let result = call(self);
        if let Err(err) = &result {
            let diff = self.storage_diff(&before);
            assert!(
                diff.is_empty(),
                "{} failed with {err:?} but changed the storage:\n{diff}",
                what()
            );
        }
        result
    }

    // ---- entry points ----

    /// Instantiates the contract from `sender` with `funds`; a refusal must store nothing.
    pub fn instantiate(
        &mut self,
        sender: &Addr,
        msg: C::InstantiateMsg,
        funds: &[Coin],
    ) -> Result<Response, C::Error> {
        let what = format!("{msg:?}");
        let info = message_info(sender, funds);
        self.unchanged_on_error(
            || what,
            |chain| C::INSTANTIATE(chain.deps.as_mut(), chain.env.clone(), info, msg),
        )
    }

    /// Executes `msg` from `sender` with `funds`. When the contract refuses it, the storage must
    /// be exactly what it was (the failure lists the keys that changed).
    pub fn exec(
        &mut self,
        sender: &Addr,
        msg: C::ExecuteMsg,
        funds: &[Coin],
    ) -> Result<Response, C::Error> {
        let kept = msg.clone();
        self.unchanged_on_error(
            || format!("{kept:?}"),
            |chain| chain.exec_unchecked(sender, msg, funds),
        )
    }

    /// Executes `msg` with no check on failure: for messages whose writes the caller reverts
    /// itself, as the chain reverts a failed sub-message.
    pub fn exec_unchecked(
        &mut self,
        sender: &Addr,
        msg: C::ExecuteMsg,
        funds: &[Coin],
    ) -> Result<Response, C::Error> {
        C::EXECUTE(
            self.deps.as_mut(),
            self.env.clone(),
            message_info(sender, funds),
            msg,
        )
    }

    /// Executes `msg`, which must be refused, and returns the error: the "bad input changes
    /// nothing" rule as one call. Panics when the message succeeds or when it changed storage.
    pub fn assert_unchanged_on_error(
        &mut self,
        sender: &Addr,
        msg: C::ExecuteMsg,
        funds: &[Coin],
    ) -> C::Error {
        let what = format!("{msg:?}");
        match self.exec(sender, msg, funds) {
            Ok(res) => panic!("{what} should have failed, got {res:?}"),
            Err(err) => err,
        }
    }

    /// Calls the contract's `reply`; a failed reply must leave the storage unchanged.
    pub fn reply(&mut self, reply: Reply) -> Result<Response, C::Error> {
        let what = format!("reply {}", reply.id);
        self.unchanged_on_error(|| what, |chain| chain.reply_unchecked(reply))
    }

    /// Calls the contract's `reply` with no check on failure (see [`Chain::exec_unchecked`]).
    pub fn reply_unchecked(&mut self, reply: Reply) -> Result<Response, C::Error> {
        let entry = C::REPLY.expect("this contract has no reply entry point");
        entry(self.deps.as_mut(), self.env.clone(), reply)
    }

    /// Migrates the contract; a refused migration must leave the storage unchanged.
    pub fn migrate(&mut self, msg: C::MigrateMsg) -> Result<Response, C::Error> {
        let what = format!("migrate {msg:?}");
        self.unchanged_on_error(
            || what,
            |chain| C::MIGRATE(chain.deps.as_mut(), chain.env.clone(), msg),
        )
    }

    /// Queries the contract and decodes the answer.
    pub fn query<T: DeserializeOwned>(&self, msg: C::QueryMsg) -> StdResult<T> {
        C::QUERY(self.deps.as_ref(), self.env.clone(), msg).and_then(|bin| from_json(bin))
    }
}

/// The reply the chain gives when sub-message `sub` failed with `reason`: its id and payload, no
/// gas accounted.
pub fn error_reply(sub: &SubMsg, reason: impl Into<String>) -> Reply {
    Reply {
        id: sub.id,
        payload: sub.payload.clone(),
        gas_used: 0,
        result: SubMsgResult::Err(reason.into()),
    }
}
