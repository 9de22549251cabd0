use cosmwasm_std::{OverflowError, StdError, Uint128};
use gridshare_plumbing::{FundsError, OwnerError};
use thiserror::Error;

#[derive(Error, Debug, PartialEq)]
pub enum ContractError {
    #[error(transparent)]
    Std(#[from] StdError),

    #[error(transparent)]
    Overflow(#[from] OverflowError),

    /// Whatever cw20-base answers to a standard cw20 message, unchanged.
    #[error(transparent)]
    Cw20(#[from] cw20_base::ContractError),

    /// Native coins attached to any message (`UnexpectedFunds`): a token contract could never
    /// move them again.
    #[error(transparent)]
    Funds(#[from] FundsError),

    /// `UpdateOwnership` refused: not the admin, not the pending admin, no offer, or it expired.
    #[error(transparent)]
    Owner(#[from] OwnerError),

    #[error("unauthorized: {sender} is not the {role}")]
    Unauthorized { sender: String, role: &'static str },

    #[error("tier {tier:?} does not exist")]
    UnknownTier { tier: String },

    #[error("a subscription must be for at least one period")]
    ZeroPeriods,

    #[error("{address} holds {balance} GRID, {required} required")]
    InsufficientBalance {
        address: String,
        balance: Uint128,
        required: Uint128,
    },

    #[error("only GRID itself ({expected}) is accepted through Receive, not {token}")]
    WrongToken { token: String, expected: String },

    #[error("{periods} period(s) of tier {tier:?} cost {expected}, but {got} was sent")]
    WrongAmount {
        tier: String,
        periods: u32,
        expected: Uint128,
        got: Uint128,
    },

    #[error(
        "{address} holds tier {current:?} until {expires_at}; switching to {requested:?} is only \
         possible after it expires"
    )]
    TierSwitchWhileActive {
        address: String,
        current: String,
        requested: String,
        expires_at: u64,
    },

    #[error("invalid tier id {id:?}: {reason}")]
    InvalidTierId { id: String, reason: &'static str },

    #[error("tier {tier:?} must have a positive price per period")]
    ZeroTierPrice { tier: String },

    #[error("tier {tier:?} must have a positive period length")]
    ZeroTierPeriod { tier: String },

    #[error("tier {tier:?}: a fee discount of {fee_discount_bps} bps exceeds {max} bps")]
    DiscountTooHigh {
        tier: String,
        fee_discount_bps: u16,
        max: u16,
    },

    #[error("tier {tier:?} is listed more than once")]
    DuplicateTier { tier: String },

    #[error("at most {max} tiers may exist")]
    TooManyTiers { max: usize },

    #[error(transparent)]
    CannotMigrate(#[from] gridshare_types::migrate::CannotMigrate),
}
