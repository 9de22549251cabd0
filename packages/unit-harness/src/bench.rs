//! A contract's test bench: the one way its tests execute a message, with whatever bookkeeping
//! and audits that contract adds, and the panicking forms every test file uses, derived from it.

use cosmwasm_std::{Addr, Coin, Response};
use std::fmt::Debug;

/// Implemented by each contract's `Suite` on its own `try_exec` (typically
/// [`Chain::exec`](crate::Chain::exec) plus an audit of the contract's books after a success);
/// [`Bench::exec`] and [`Bench::exec_err`] then read the same in every contract's tests.
pub trait Bench {
    type ExecuteMsg: Clone + Debug;
    type Error: Debug;

    /// Executes `msg` from `sender` with `funds`, as the bench does every message.
    fn try_exec(
        &mut self,
        sender: &Addr,
        funds: &[Coin],
        msg: Self::ExecuteMsg,
    ) -> Result<Response, Self::Error>;

    /// Executes `msg`, which must succeed; panics naming the message and the error.
    fn exec(&mut self, sender: &Addr, funds: &[Coin], msg: Self::ExecuteMsg) -> Response {
        let what = msg.clone();
        self.try_exec(sender, funds, msg)
            .unwrap_or_else(|err| panic!("{what:?} failed: {err:?}"))
    }

    /// Executes `msg`, which must be refused, and returns the error; panics with the response
    /// when it went through.
    fn exec_err(&mut self, sender: &Addr, funds: &[Coin], msg: Self::ExecuteMsg) -> Self::Error {
        let what = msg.clone();
        match self.try_exec(sender, funds, msg) {
            Ok(res) => panic!("{what:?} should have failed, got {res:?}"),
            Err(err) => err,
        }
    }
}
