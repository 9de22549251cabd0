use cosmwasm_std::{
    CheckedMultiplyFractionError, CheckedMultiplyRatioError, ConversionOverflowError, Decimal,
    DivideByZeroError, OverflowError, StdError, Uint128,
};
use gridshare_plumbing::{DenomListError, FundsError, OwnerError};
use gridshare_types::DenomError;
use thiserror::Error;

#[derive(Error, Debug, PartialEq)]
pub enum ContractError {
    #[error(transparent)]
    Std(#[from] StdError),

    #[error(transparent)]
    Overflow(#[from] OverflowError),

    #[error(transparent)]
    DivideByZero(#[from] DivideByZeroError),

    #[error(transparent)]
    ConversionOverflow(#[from] ConversionOverflowError),

    #[error(transparent)]
    MultiplyRatio(#[from] CheckedMultiplyRatioError),

    #[error(transparent)]
    MultiplyFraction(#[from] CheckedMultiplyFractionError),

    #[error(transparent)]
    Denom(#[from] DenomError),

    /// What arrived with the message (nothing, several coins, the wrong denom, a zero amount…).
    #[error(transparent)]
    Funds(#[from] FundsError),

    /// Owner-only messages and the two-step hand-over.
    #[error(transparent)]
    Owner(#[from] OwnerError),

    /// The reward-denom list: its shape, and that it still covers every denom escrow accepts.
    #[error(transparent)]
    DenomList(#[from] DenomListError),

    #[error("unauthorized: {sender} is not the {role}")]
    Unauthorized { sender: String, role: &'static str },

    #[error("denom {denom} is not an accepted reward denom")]
    DenomNotAccepted { denom: String },

    #[error("cannot unbond {requested}: only {bonded} is bonded")]
    InsufficientBond { bonded: Uint128, requested: Uint128 },

    #[error("cannot unbond {requested}: {locked} of the {bonded} bonded is locked as collateral")]
    StakeLocked {
        bonded: Uint128,
        locked: Uint128,
        requested: Uint128,
    },

    #[error("cannot lock {requested}: only {bonded} is bonded")]
    LockExceedsBond { bonded: Uint128, requested: Uint128 },

    #[error("{address} already has the maximum of {max} pending claims; claim matured ones first")]
    TooManyClaims { address: String, max: u32 },

    #[error("{address} has no matured claim (next release at {next_release:?})")]
    NothingToClaim {
        address: String,
        next_release: Option<u64>,
    },

    #[error("{address} has no rewards to claim")]
    NoRewards { address: String },

    #[error("{address} has no work in a finished epoch (current epoch {current_epoch})")]
    NoEmissions { address: String, current_epoch: u64 },

    #[error("gpu_seconds must be greater than zero")]
    ZeroWork,

    #[error("claim limit must be between 1 and {max}, got {got}")]
    InvalidClaimLimit { got: u32, max: u32 },

    #[error("compensation ratio {ratio} exceeds 1")]
    InvalidCompensationRatio { ratio: Decimal },

    #[error("epoch_seconds must be greater than zero")]
    InvalidEpochSeconds,

    #[error("at most {max} reward denoms may ever exist; {existing} exist and {new} are new")]
    TooManyRewardPools {
        existing: usize,
        new: usize,
        max: usize,
    },

    #[error("at most {max} emission weights may be set, got {got}")]
    TooManyEmissionWeights { got: usize, max: usize },

    #[error("emission weight {weight} of {denom} exceeds the maximum {max}")]
    EmissionWeightTooLarge {
        denom: String,
        weight: Uint128,
        max: Uint128,
    },

    #[error("{denom} has more than one emission weight")]
    DuplicateEmissionWeight { denom: String },

    #[error(
        "the marketplace names escrow {escrow}, which does not answer its config query, so the \
         reward denoms cannot be checked against the denoms it accepts: {error}"
    )]
    EscrowUnreachable { escrow: String, error: String },

    #[error("slash reason must be 1 to {max} bytes, got {len}")]
    InvalidReason { len: usize, max: usize },

    #[error(transparent)]
    CannotMigrate(#[from] gridshare_types::migrate::CannotMigrate),
}
