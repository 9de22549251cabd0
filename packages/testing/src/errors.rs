//! Reading a contract's typed error back out of cw-multi-test's anyhow chain.

use std::error::Error;
use std::fmt::Debug;

/// Fails the test unless `result` failed with exactly `expected`, wherever it sits in the chain.
#[track_caller]
pub fn assert_contract_error<T, E>(result: anyhow::Result<T>, expected: E)
where
    T: Debug,
    E: Error + PartialEq + Send + Sync + 'static,
{
    match result {
        Ok(value) => panic!("expected {expected:?}, got success: {value:?}"),
        Err(err) => {
            // cw-multi-test keeps the contract's error value inside its context layers.
            match err.downcast_ref::<E>() {
                Some(actual) => assert_eq!(actual, &expected, "full error: {err:?}"),
                None => panic!("expected {expected:?}, got: {err:?}"),
            }
        }
    }
}
