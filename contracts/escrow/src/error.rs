use cosmwasm_std::{OverflowError, StdError, Uint128};
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
    Denom(#[from] DenomError),

    /// What arrived with a message: none where some was due, some where none was, several coins…
    #[error(transparent)]
    Funds(#[from] FundsError),

    /// Owner-only messages and the two-step hand-over.
    #[error(transparent)]
    Owner(#[from] OwnerError),

    /// The accepted-denom list: its size, its denoms, and the chain
    /// `marketplace's accepted ⊆ escrow's accepted ⊆ fee collector's reward denoms`.
    #[error(transparent)]
    DenomList(#[from] DenomListError),

    #[error("unauthorized: {sender} is not the {role}")]
    Unauthorized { sender: String, role: &'static str },

    #[error("denom {denom} is not accepted by this escrow")]
    DenomNotAccepted { denom: String },

    #[error("account {account_id} holds {expected}, not {got}")]
    WrongDenom {
        account_id: u64,
        expected: String,
        got: String,
    },

    #[error("account {account_id} does not exist")]
    AccountNotFound { account_id: u64 },

    #[error("account {account_id} already exists")]
    AccountExists { account_id: u64 },

    #[error("account {account_id} is closed")]
    AccountClosed { account_id: u64 },

    #[error("payment for lease {lease_id} does not exist")]
    PaymentNotFound { lease_id: u64 },

    #[error("payment for lease {lease_id} already exists")]
    PaymentExists { lease_id: u64 },

    #[error("payment for lease {lease_id} is closed")]
    PaymentClosed { lease_id: u64 },

    #[error("account {account_id} has {available} available, {requested} requested")]
    InsufficientFunds {
        account_id: u64,
        available: Uint128,
        requested: Uint128,
    },

    #[error("account {account_id} already has the maximum of {max} payments")]
    TooManyPayments { account_id: u64, max: u32 },

    #[error("invalid rate: {amount} every {per_seconds} s (both must be positive)")]
    InvalidRate { amount: Uint128, per_seconds: u64 },

    #[error("fee of {fee_bps} bps exceeds 10000 bps")]
    FeeTooHigh { fee_bps: u16 },

    #[error("payment start {start} is before the current block time {now}")]
    StartInPast { start: u64, now: u64 },

    #[error("{sender} is not the payee of lease {lease_id}")]
    NotPayee { sender: String, lease_id: u64 },

    #[error("nothing to withdraw from leases {lease_ids:?}")]
    NothingToWithdraw { lease_ids: Vec<u64> },

    #[error("withdraw takes between 1 and {max} lease ids, got {got}")]
    InvalidWithdrawBatch { got: usize, max: usize },

    /// Whoever is the marketplace may move every escrowed coin, so it changes only while
    /// escrow holds none for an account.
    #[error("the marketplace cannot change while {open_accounts} accounts are open")]
    MarketplaceHasOpenAccounts { open_accounts: u64 },

    #[error("no uncollected fees in {denom}")]
    NoUncollectedFees { denom: String },

    #[error("reply {id} is not one escrow asked for")]
    UnknownReply { id: u64 },

    #[error(transparent)]
    CannotMigrate(#[from] gridshare_types::migrate::CannotMigrate),
}
