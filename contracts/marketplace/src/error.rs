use cosmwasm_std::{
    CheckedMultiplyRatioError, ConversionOverflowError, DivideByZeroError, OverflowError, StdError,
    Uint128,
};
use gridshare_plumbing::{DenomListError, FundsError, OwnerError};
use gridshare_types::marketplace::{LeaseState, OrderStatus};
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
    Denom(#[from] DenomError),

    #[error(transparent)]
    Funds(#[from] FundsError),

    #[error(transparent)]
    Owner(#[from] OwnerError),

    #[error(transparent)]
    DenomList(#[from] DenomListError),

    #[error("unauthorized: {sender} is not the {role}")]
    Unauthorized { sender: String, role: &'static str },

    #[error("denom {denom} is not accepted by this marketplace")]
    DenomNotAccepted { denom: String },

    // ---- parameters ----
    #[error("invalid parameter {param} = {value}: {reason}")]
    InvalidParam {
        param: &'static str,
        value: String,
        reason: &'static str,
    },

    #[error("give either access_token or remove_access_token, not both")]
    ConflictingAccessToken,

    // ---- catalogue ----
    #[error("invalid model id {id:?}: 1 to {max} characters of a-z 0-9 - _ .")]
    InvalidModelId { id: String, max: usize },

    #[error("invalid model {id}: {reason}")]
    InvalidModel { id: String, reason: &'static str },

    #[error("model {id} already exists")]
    ModelExists { id: String },

    #[error("unknown model {id}")]
    UnknownModel { id: String },

    #[error("model {id} is retired")]
    ModelRetired { id: String },

    #[error("the catalogue already holds the maximum of {max} models")]
    CatalogueFull { max: u32 },

    // ---- providers ----
    #[error("{address} is already a registered, active provider")]
    ProviderExists { address: String },

    #[error("{address} is not a registered provider")]
    NotProvider { address: String },

    #[error("provider {address} is deactivated")]
    ProviderInactive { address: String },

    #[error("provider field {field} must be 1 to {max} bytes, got {len}")]
    InvalidProviderField {
        field: &'static str,
        len: usize,
        max: usize,
    },

    #[error("insufficient collateral: {bonded} bonded, {required} required for {gpus} GPUs")]
    InsufficientCollateral {
        bonded: Uint128,
        required: Uint128,
        gpus: u32,
    },

    #[error("provider {address} still has open leases")]
    ProviderHasOpenLeases { address: String },

    #[error("utilization must be at most 100%, got {utilization_pct}")]
    InvalidTelemetry { utilization_pct: u8 },

    // ---- offers ----
    #[error("units must be greater than zero")]
    ZeroUnits,

    #[error("price must be greater than zero")]
    ZeroPrice,

    #[error("invalid durations: min {min_duration} s, max {max_duration} s (need 0 < min ≤ max)")]
    InvalidDurations {
        min_duration: u64,
        max_duration: u64,
    },

    #[error("offer {offer_id} does not exist")]
    OfferNotFound { offer_id: u64 },

    #[error("{sender} does not own offer {offer_id}")]
    NotOfferOwner { sender: String, offer_id: u64 },

    #[error("offer {offer_id} is withdrawn")]
    OfferWithdrawn { offer_id: u64 },

    #[error("offer {offer_id} has {leased} units leased out; cannot list {requested}")]
    UnitsBelowLeased {
        offer_id: u64,
        leased: u32,
        requested: u32,
    },

    #[error("a provider may have at most {max} live offers")]
    TooManyOffers { max: u32 },

    #[error("nothing to update")]
    NothingToUpdate,

    // ---- orders ----
    #[error("insufficient budget: {required} required, {attached} attached")]
    InsufficientBudget {
        required: Uint128,
        attached: Uint128,
    },

    #[error("replication must be between 1 and {max}, got {replication}")]
    InvalidReplication { replication: u8, max: u8 },

    #[error("replication {replication} needs a deterministic workload")]
    ReplicationNeedsDeterministic { replication: u8 },

    #[error("deadline {deadline} is not after the current block time {now}")]
    DeadlineInPast { deadline: u64, now: u64 },

    #[error("max duration must be greater than zero")]
    ZeroDuration,

    #[error(
        "{max_price} per GPU-hour × {gpu_count} GPUs × {max_duration} s pays less than one unit"
    )]
    LeaseCapZero {
        max_price: Uint128,
        gpu_count: u32,
        max_duration: u64,
    },

    #[error("inline input of {len} bytes exceeds the maximum of {max}")]
    InputTooLarge { len: usize, max: u32 },

    #[error("invalid {field}: {reason}")]
    InvalidJob {
        field: &'static str,
        reason: &'static str,
    },

    #[error("invalid sha256 {value:?}: 64 hex digits expected")]
    InvalidSha256 { value: String },

    #[error("max runtime {max_runtime_seconds} s must be between 1 and the max duration {max_duration} s")]
    InvalidRuntime {
        max_runtime_seconds: u64,
        max_duration: u64,
    },

    #[error("no active catalogue model meets the requirements")]
    NoEligibleModel,

    #[error("requirements name {got} models; at most {max} are allowed")]
    TooManyModels { got: usize, max: u32 },

    #[error("min reputation {min_reputation} exceeds 1000")]
    InvalidReputation { min_reputation: u16 },

    #[error("order {order_id} does not exist")]
    OrderNotFound { order_id: u64 },

    #[error("{sender} is not the renter of order {order_id}")]
    NotRenter { sender: String, order_id: u64 },

    #[error("order {order_id} is {status:?}, not open")]
    OrderNotOpen { order_id: u64, status: OrderStatus },

    #[error("limit must be between 1 and {max}, got {got}")]
    InvalidLimit { got: u32, max: u32 },

    // ---- leases ----
    #[error("lease {lease_id} does not exist")]
    LeaseNotFound { lease_id: u64 },

    #[error("{sender} is not the provider of lease {lease_id}")]
    NotLeaseProvider { sender: String, lease_id: u64 },

    #[error("{sender} is neither the renter nor the provider of lease {lease_id}")]
    NotLeaseParty { sender: String, lease_id: u64 },

    #[error("lease {lease_id}: only its provider may blame the renter, before any replica commits (sent by the renter: {by_renter})")]
    RenterFaultRefused { lease_id: u64, by_renter: bool },

    #[error("lease {lease_id} already has a result")]
    AlreadySubmitted { lease_id: u64 },

    #[error("lease {lease_id} is {state:?}, not {expected:?}")]
    WrongLeaseState {
        lease_id: u64,
        state: LeaseState,
        expected: LeaseState,
    },

    #[error("lease {lease_id}'s dispute window closed at {closed_at}")]
    DisputeWindowClosed { lease_id: u64, closed_at: u64 },

    #[error("lease {lease_id} is in its dispute window until {until}")]
    DisputeWindowOpen { lease_id: u64, until: u64 },

    #[error(
        "lease {lease_id} is verified by quorum (replication {replication}); it cannot be disputed"
    )]
    QuorumVerified { lease_id: u64, replication: u8 },

    #[error("lease {lease_id} is already disputed")]
    AlreadyDisputed { lease_id: u64 },

    #[error("lease {lease_id} is not disputed")]
    NotDisputed { lease_id: u64 },

    #[error("nothing of lease {lease_id}'s order is due before {until}")]
    LeaseNotOverdue { lease_id: u64, until: u64 },

    #[error("lease {lease_id}'s commit deadline passed at {deadline}")]
    CommitDeadlinePassed { lease_id: u64, deadline: u64 },

    #[error("lease {lease_id}'s reveal deadline passed at {deadline}")]
    RevealDeadlinePassed { lease_id: u64, deadline: u64 },

    #[error("lease {lease_id}'s order has not opened reveals: other replicas may still commit")]
    RevealsNotOpen { lease_id: u64 },

    #[error("the reveal does not open lease {lease_id}'s commitment {expected}")]
    CommitmentMismatch { lease_id: u64, expected: String },

    #[error("order {order_id} committed no dispute salt hash; it cannot be disputed")]
    NoDisputeSalt { order_id: u64 },

    #[error("the salt does not match order {order_id}'s dispute salt hash")]
    DisputeSaltMismatch { order_id: u64 },

    #[error("a dispute attaches exactly {expected}, got {got}")]
    WrongBond { expected: String, got: String },

    #[error("no eligible referee is listed for order {order_id}; the dispute changes nothing")]
    NoReferee { order_id: u64 },

    #[error("invalid result {field}: {reason}")]
    InvalidResult {
        field: &'static str,
        reason: &'static str,
    },

    #[error(transparent)]
    CannotMigrate(#[from] gridshare_types::migrate::CannotMigrate),
}
