//! Unit tests of the access token on `cosmwasm_std::testing` mocks, one file per concern.
//!
//! Every execute message goes through `helpers::Suite::try_exec`, which audits the token's books
//! after each success (total supply = sum of balances = initial + minted − burned) and checks that
//! each error left the storage byte for byte unchanged; the shared harness's `Chain`
//! (`gridshare-unit-harness`) makes that check, for migrate too, and instantiate tests on bare
//! mocks check the same on their own. The cw20-base conformance tests on a multi-test chain are in
//! `tests/`.

mod helpers;

mod admin;
mod cw20;
mod instantiate;
mod migrate;
mod query;
mod subscribe;
