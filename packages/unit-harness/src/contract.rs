//! A contract as the harness sees it: its message and error types and its entry points.
//!
//! The entry points are function pointers rather than methods so that a contract's tests name
//! them in one line each (`const EXECUTE: ExecuteFn<Self> = contract::execute;`) instead of
//! writing a forwarding method per entry point.

use cosmwasm_std::{Binary, Deps, DepsMut, Env, MessageInfo, Reply, Response, StdResult};
use std::fmt::Debug;

/// `instantiate` of contract `C`.
pub type InstantiateFn<C> = fn(
    DepsMut,
    Env,
    MessageInfo,
    <C as Contract>::InstantiateMsg,
) -> Result<Response, <C as Contract>::Error>;

/// `execute` of contract `C`.
pub type ExecuteFn<C> = fn(
    DepsMut,
    Env,
    MessageInfo,
    <C as Contract>::ExecuteMsg,
) -> Result<Response, <C as Contract>::Error>;

/// `query` of contract `C`.
pub type QueryFn<C> = fn(Deps, Env, <C as Contract>::QueryMsg) -> StdResult<Binary>;

/// `migrate` of contract `C`.
pub type MigrateFn<C> =
    fn(DepsMut, Env, <C as Contract>::MigrateMsg) -> Result<Response, <C as Contract>::Error>;

/// `reply` of contract `C`.
pub type ReplyFn<C> = fn(DepsMut, Env, Reply) -> Result<Response, <C as Contract>::Error>;

/// One contract's entry points and the types they take, implemented once in each contract's test
/// helpers on a unit struct (`struct Escrow; impl Contract for Escrow { … }`).
pub trait Contract {
    type InstantiateMsg: Debug;
    /// `Clone` so that a message can be named in a failure after it was executed.
    type ExecuteMsg: Clone + Debug;
    type QueryMsg;
    type MigrateMsg: Debug;
    type Error: Debug;

    const INSTANTIATE: InstantiateFn<Self>;
    const EXECUTE: ExecuteFn<Self>;
    const QUERY: QueryFn<Self>;
    /// Every GridShare contract can be migrated, so this one is not optional.
    const MIGRATE: MigrateFn<Self>;
    /// `None` for a contract that never asks for replies: calling
    /// [`Chain::reply`](crate::Chain::reply) on it is a bug in the test.
    const REPLY: Option<ReplyFn<Self>> = None;
}
