use crate::msg::VoteOption;
use cosmwasm_std::{CheckedMultiplyFractionError, Decimal, OverflowError, StdError, Uint128};
use gridshare_plumbing::FundsError;
use gridshare_types::DenomError;
use thiserror::Error;

#[derive(Error, Debug, PartialEq)]
pub enum ContractError {
    #[error(transparent)]
    Std(#[from] StdError),

    #[error(transparent)]
    Overflow(#[from] OverflowError),

    #[error(transparent)]
    Fraction(#[from] CheckedMultiplyFractionError),

    #[error(transparent)]
    Denom(#[from] DenomError),

    /// Funds attached to a message that takes none (`UnexpectedFunds`), or several coins
    /// attached to `Propose` (`MultipleDenoms`).
    #[error(transparent)]
    Funds(#[from] FundsError),

    #[error("unauthorized: {sender} is not {role}")]
    Unauthorized { sender: String, role: &'static str },

    // ---- configuration ----
    #[error("quorum {quorum} must be above 0 and at most 1")]
    InvalidQuorum { quorum: Decimal },

    #[error("threshold {threshold} must be at least 0.5 and below 1")]
    InvalidThreshold { threshold: Decimal },

    #[error("veto threshold {veto_threshold} must be above 0 and at most 1")]
    InvalidVetoThreshold { veto_threshold: Decimal },

    #[error("voting period of {seconds} s must be between 1 and {max} s")]
    InvalidVotingPeriod { seconds: u64, max: u64 },

    #[error("timelock of {seconds} s exceeds {max} s")]
    TimelockTooLong { seconds: u64, max: u64 },

    #[error("min_timelock of {seconds} s must be between 1 and {max} s")]
    InvalidMinTimelock { seconds: u64, max: u64 },

    #[error(
        "timelock of {timelock} s is below the minimum of {min_timelock} s fixed at instantiation"
    )]
    TimelockBelowMinimum { timelock: u64, min_timelock: u64 },

    #[error("a proposal deposit must be positive")]
    ZeroDeposit,

    #[error("proposing must cost something: require a deposit or a positive min_proposer_power")]
    NoProposalGate,

    // ---- proposing ----
    #[error("a proposal needs a title")]
    EmptyTitle,

    #[error("title of {len} bytes exceeds {max}")]
    TitleTooLong { len: usize, max: usize },

    #[error("description of {len} bytes exceeds {max}")]
    DescriptionTooLong { len: usize, max: usize },

    #[error("{got} messages exceed the maximum of {max} per proposal")]
    TooManyMessages { got: usize, max: usize },

    #[error("message {index}: {reason}")]
    InvalidMessage { index: usize, reason: String },

    #[error(
        "message {index}: a msg of {size} bytes exceeds the {max} bytes one message may carry"
    )]
    MessageTooLarge {
        index: usize,
        size: usize,
        max: usize,
    },

    #[error(
        "the proposal takes {size} bytes as stored, above the {max} allowed (each msg counts \
         base64-encoded, 4/3 of its bytes)"
    )]
    ProposalTooLarge { size: usize, max: usize },

    #[error("a deposit of {required} is required")]
    DepositRequired { required: String },

    #[error("the deposit must be exactly {expected}, got {got}")]
    WrongDeposit { expected: String, got: String },

    #[error("no deposit is required, but {got} was sent")]
    UnexpectedDeposit { got: String },

    #[error(
        "{proposer} has {power} voting power at height {height}, {required} required to propose"
    )]
    InsufficientProposerPower {
        proposer: String,
        power: Uint128,
        required: Uint128,
        height: u64,
    },

    #[error("nothing is staked at height {height}: no vote could reach quorum")]
    NoStakedPower { height: u64 },

    // ---- voting and closing ----
    #[error("proposal {proposal_id} does not exist")]
    ProposalNotFound { proposal_id: u64 },

    #[error("voting on proposal {proposal_id} ended at {ended_at}")]
    VotingClosed { proposal_id: u64, ended_at: u64 },

    #[error("{voter} already voted {vote:?} on proposal {proposal_id}; votes are final")]
    AlreadyVoted {
        proposal_id: u64,
        voter: String,
        vote: VoteOption,
    },

    #[error("{voter} had no staked power at height {height}, the start of proposal {proposal_id}")]
    NoVotingPower {
        proposal_id: u64,
        voter: String,
        height: u64,
    },

    #[error("voting on proposal {proposal_id} is open until {ends_at}")]
    VotingOpen { proposal_id: u64, ends_at: u64 },

    #[error("proposal {proposal_id} is already closed ({status})")]
    AlreadyClosed { proposal_id: u64, status: String },

    // ---- execution ----
    #[error("proposal {proposal_id} did not pass ({status})")]
    NotPassed { proposal_id: u64, status: String },

    #[error("proposal {proposal_id} is timelocked until {executable_at} (now {now})")]
    TimelockActive {
        proposal_id: u64,
        executable_at: u64,
        now: u64,
    },

    #[error("proposal {proposal_id} was already executed")]
    AlreadyExecuted { proposal_id: u64 },

    #[error("proposal {proposal_id} already failed to execute ({reason}); make a new proposal")]
    ExecutionAlreadyFailed { proposal_id: u64, reason: String },

    #[error("proposal {proposal_id} is not being executed")]
    NotDispatching { proposal_id: u64 },

    #[error("unexpected reply {id}: only failures of proposal execution are replied to")]
    UnexpectedReply { id: u64 },

    #[error("the treasury holds {balance} {denom}, below the {held} held as proposal deposits")]
    DepositsNotCovered {
        denom: String,
        balance: Uint128,
        held: Uint128,
    },

    #[error(transparent)]
    CannotMigrate(#[from] gridshare_types::migrate::CannotMigrate),
}
