//! The cw-multi-test suite every GridShare scenario is written against.
//!
//! ```ignore
//! let mut suite = SuiteBuilder::new().with_native("renter", 10_000, USDC).build();
//! suite.open_account(1, "renter", Asset::native(1_000, USDC)).unwrap();
//! suite.open_payment(PaymentSpec::lease(7).in_account(1).to("provider").per_hour(3_600).cap(900)).unwrap();
//! suite.advance_seconds(60);
//! suite.release(7).unwrap();
//! ```

pub mod asset;
pub mod contracts;
pub mod deploy;
pub mod errors;
pub mod escrow;
pub mod events;
pub mod governance;
pub mod marketplace;
pub mod staking;
pub mod suite;

pub use asset::Asset;
pub use deploy::{Deployed, Deployment, HandOver};
pub use errors::assert_contract_error;
pub use escrow::PaymentSpec;
pub use suite::{
    Suite, SuiteBuilder, EMISSION_PER_EPOCH, EPOCH_SECONDS, GRID_INITIAL_SUPPLY, MIN_STAKE_PER_GPU,
    PREMIUM_PRICE, PREMIUM_TIER, TIMELOCK, UNBONDING_PERIOD, USDC, VOTING_PERIOD,
};
