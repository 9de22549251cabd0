//! Addresses as the mock API makes and checks them.

use cosmwasm_std::testing::MockApi;
use cosmwasm_std::{Addr, Api, StdError};

/// A valid bech32 address for `name` (`cosmwasm1…`), the same one every call: contracts validate
/// the addresses they are given, so tests cannot use plain names.
pub fn addr(name: &str) -> Addr {
    MockApi::default().addr_make(name)
}

/// The error the mock API's `addr_validate` gives for `input`, for tests that expect a contract
/// to pass it on (wrapped in the contract's own error type).
pub fn invalid_address(input: &str) -> StdError {
    MockApi::default()
        .addr_validate(input)
        .expect_err("the address should be invalid")
}
