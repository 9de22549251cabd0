//! The marketplace contract's interface: what providers, renters, cranks and governance send it,
//! and what anyone may ask it.
//!
//! # Identifiers
//! Offers and orders are numbered from 1. A lease's id is derived from its order:
//! `lease_id = order_id × LEASES_PER_ORDER + replica` (replica `0..replication`), see
//! [`lease_id`] and [`order_of_lease`]. The same id names the lease's payment in escrow, and the
//! order id names the order's escrow account.
//!
//! # Money
//! Prices are base units of the offer's denom per GPU-hour. An order's attached funds must cover
//! [`required_budget`]: `funded_replicas(k) × gpu_count × max_price × max_duration / 3600`,
//! rounded up (a `k ≥ 2` order funds one referee beyond its replicas); each lease reserves
//! `price × units × max_duration / 3600`, rounded down, in escrow.
//!
//! # Verification and pay
//! Every replica commits, then reveals (see [`crate::verification`]); an order accepts a result
//! only when `⌊k/2⌋ + 1` revealed results agree, or a referee decides. A lease is paid only with
//! an accepted result, for `min(commit time − start, max_runtime_seconds)` seconds.

use crate::denom::{Denom, UncheckedDenom};
use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, Binary, Timestamp, Uint128, Uint256};
use cw20::Cw20ReceiveMsg;

/// Lease ids per order: replicas take `0..replication`, and the referee of a disputed or
/// undecided order takes index `replication`.
pub const LEASES_PER_ORDER: u64 = 16;

/// The hard upper bound of `max_replication`: one lease index stays free for the referee.
pub const MAX_REPLICATION: u8 = 15;

/// The id of replica `replica` (0-based) of order `order_id`.
pub fn lease_id(order_id: u64, replica: u8) -> Option<u64> {
    if u64::from(replica) >= LEASES_PER_ORDER {
        return None;
    }
    order_id
        .checked_mul(LEASES_PER_ORDER)?
        .checked_add(u64::from(replica))
}

/// The order a lease belongs to.
pub fn order_of_lease(lease_id: u64) -> u64 {
    lease_id / LEASES_PER_ORDER
}

/// The replica index of a lease inside its order.
pub fn replica_of_lease(lease_id: u64) -> u8 {
    // Always below LEASES_PER_ORDER (16), so the cast is lossless.
    (lease_id % LEASES_PER_ORDER) as u8
}

/// Replica budgets an order of replication `k` attaches: `k`, plus one for a referee when
/// `k ≥ 2` (replicas that disagree are settled by a referee paid from it; unused, it is refunded).
/// A `k = 1` dispute brings its referee's budget as the dispute bond.
pub fn funded_replicas(replication: u8) -> u8 {
    if replication >= 2 {
        replication.saturating_add(1)
    } else {
        replication
    }
}

/// The budget an order must attach: `funded_replicas(k) × gpu_count × max_price × max_duration /
/// 3600`, rounded up. `None` when it does not fit a `Uint128` (no one can attach that much).
pub fn required_budget(
    replication: u8,
    gpu_count: u32,
    max_price: Uint128,
    max_duration: u64,
) -> Option<Uint128> {
    let numerator = Uint256::from(funded_replicas(replication))
        * Uint256::from(gpu_count)
        * Uint256::from(max_price)
        * Uint256::from(max_duration);
    let hour = Uint256::from(3_600u64);
    let required = numerator.checked_add(hour - Uint256::one()).ok()? / hour;
    Uint128::try_from(required).ok()
}

/// The bond a `k = 1` dispute attaches: one replica's budget (`required_budget` of `k = 1`).
pub fn dispute_bond(gpu_count: u32, max_price: Uint128, max_duration: u64) -> Option<Uint128> {
    required_budget(1, gpu_count, max_price, max_duration)
}

// ---------------------------------------------------------------------------------------------
// Parameters

pub use crate::staking::SlashRule;

/// The marketplace's parameters, as given at instantiation.
#[cw_serde]
pub struct Params {
    /// Denoms offers may ask and orders may pay in (each must also be accepted by escrow).
    pub accepted_denoms: Vec<UncheckedDenom>,
    /// The marketplace's take rate, in basis points of every payment (the one place it is set).
    pub take_rate_bps: u16,
    /// Seconds between two heartbeats of a provider's keeper.
    pub heartbeat_interval: u64,
    /// A provider silent for longer than this (seconds) is skipped by matching and reaped.
    pub max_silence: u64,
    /// Seconds after a single-replica result is revealed during which the renter may dispute it.
    pub dispute_window: u64,
    /// Seconds replicas have to reveal once reveals open (every replica committed, or every
    /// replica's commit deadline passed).
    pub reveal_window: u64,
    /// The dishonesty slash: a revealed result the quorum or a referee rejected.
    pub slash: SlashRule,
    /// The liveness slash: silent before committing, a missed commit or reveal deadline, or
    /// leaving a lease after another replica committed.
    pub liveness_slash: SlashRule,
    /// Leases one transaction creates at most.
    pub max_matches: u32,
    /// Book entries (offers, or resting orders) one transaction examines at most.
    pub max_scan: u32,
    /// Providers and leases one `Reap` or `ExpireOrders` handles at most.
    pub max_reap: u32,
    /// Highest replication factor an order may ask for (at most [`LEASES_PER_ORDER`]).
    pub max_replication: u8,
    /// Largest inline job input (and custom kernel source), in bytes.
    pub max_inline_bytes: u32,
    /// Most catalogue models an order's requirements may resolve to.
    pub max_eligible_models: u32,
}

/// `UpdateParams`: fields left out keep their value.
#[cw_serde]
#[derive(Default)]
pub struct ParamsUpdate {
    pub accepted_denoms: Option<Vec<UncheckedDenom>>,
    pub take_rate_bps: Option<u16>,
    pub heartbeat_interval: Option<u64>,
    pub max_silence: Option<u64>,
    pub dispute_window: Option<u64>,
    pub reveal_window: Option<u64>,
    pub slash: Option<SlashRule>,
    pub liveness_slash: Option<SlashRule>,
    pub max_matches: Option<u32>,
    pub max_scan: Option<u32>,
    pub max_reap: Option<u32>,
    pub max_replication: Option<u8>,
    pub max_inline_bytes: Option<u32>,
    pub max_eligible_models: Option<u32>,
    pub escrow: Option<String>,
    pub staking: Option<String>,
    /// Sets the access-token contract asked for premium tiers.
    pub access_token: Option<String>,
    /// `true` stops asking any access-token contract (everyone gets the standard tier).
    pub remove_access_token: Option<bool>,
}

#[cw_serde]
pub struct InstantiateMsg {
    /// May change parameters and the catalogue until governance takes over; defaults to the
    /// instantiator.
    pub owner: Option<String>,
    pub escrow: String,
    pub staking: String,
    /// The GRID token contract answering premium-tier queries; `None`: everyone is standard.
    pub access_token: Option<String>,
    pub params: Params,
}

// ---------------------------------------------------------------------------------------------
// Catalogue, providers, offers

#[cw_serde]
#[derive(Copy, Eq, PartialOrd, Ord)]
pub struct ComputeCapability {
    pub major: u8,
    pub minor: u8,
}

/// A GPU model of the catalogue.
#[cw_serde]
pub struct GpuModel {
    /// e.g. `"rtx-4090"`: 1 to 32 characters of `a-z 0-9 - _ .`.
    pub id: String,
    pub vram_mib: u32,
    pub compute_capability: ComputeCapability,
    /// Reference benchmark score (higher is faster; positive).
    pub benchmark_score: u64,
}

#[cw_serde]
#[derive(Copy, Default)]
pub struct Telemetry {
    /// 0..=100.
    pub utilization_pct: u8,
    pub power_watts: u32,
}

// ---------------------------------------------------------------------------------------------
// Jobs and orders

/// A buffer of a custom kernel, in launch-argument order.
#[cw_serde]
pub struct KernelBuffer {
    pub bytes: u64,
    pub kind: BufferKind,
}

#[cw_serde]
#[derive(Copy, Eq)]
pub enum BufferKind {
    /// Filled from the job's input.
    Input,
    /// Zeroed; part of the output.
    Output,
    /// Filled from the input, part of the output.
    InOut,
}

/// What the keeper runs.
#[cw_serde]
pub enum Workload {
    /// The reference GPU benchmark (attests a provider's performance).
    Benchmark {},
    /// `m × k` by `k × n` matrix product of i32 (wrapping), inputs row-major in the job input.
    MatMulInt { m: u32, n: u32, k: u32 },
    /// `m × k` by `k × n` matrix product of f32, inputs row-major in the job input.
    MatMulF32 { m: u32, n: u32, k: u32 },
    /// SHA-256 of the job input.
    Sha256 {},
    /// A CUDA kernel compiled with NVRTC and launched once.
    CustomKernel {
        source: String,
        entry: String,
        grid: [u32; 3],
        block: [u32; 3],
        buffers: Vec<KernelBuffer>,
    },
}

#[cw_serde]
pub enum JobInputs {
    /// At most `max_inline_bytes`.
    Inline { data: Binary },
    /// Fetched by the keeper and checked against `sha256` (64 lowercase hex digits).
    Url { url: String, sha256: String },
}

#[cw_serde]
pub struct JobSpec {
    pub workload: Workload,
    pub inputs: JobInputs,
    /// Identical output bytes on every correct executor; required for replication ≥ 2.
    pub deterministic: bool,
    pub max_runtime_seconds: u64,
}

/// Which GPUs may run the job. `models`, when given, lists catalogue ids explicitly (the other
/// filters still apply); otherwise every active model with at least `min_vram_mib` and
/// `min_compute_capability` is eligible (lowest VRAM first, at most `max_eligible_models`).
#[cw_serde]
#[derive(Default)]
pub struct Requirements {
    pub models: Option<Vec<String>>,
    pub min_vram_mib: Option<u32>,
    pub min_compute_capability: Option<ComputeCapability>,
    /// Only providers registered in this region.
    pub region: Option<String>,
    /// Only providers whose reputation (0..=1000) is at least this.
    pub min_reputation: Option<u16>,
}

/// An order, as posted (`PostOrder` with native funds, or the cw20 hook).
#[cw_serde]
pub struct NewOrder {
    pub spec: JobSpec,
    pub requirements: Requirements,
    /// GPUs per replica (the units of each lease).
    pub gpu_count: u32,
    /// Highest price per GPU-hour the renter accepts.
    pub max_price: Uint128,
    /// Longest a lease may run and be paid for, in seconds.
    pub max_duration: u64,
    /// Distinct providers that run the job (1 ..= `max_replication`); ≥ 2 needs a deterministic
    /// workload and is verified by hash quorum.
    pub replication: u8,
    /// Unmatched replicas expire at this time.
    pub deadline: Timestamp,
    /// `sha256(salt)` (64 hex digits) of a secret 16–32 byte salt the renter reveals if it
    /// disputes: mixed into the referee's selection so that the provider, which chose its own salt
    /// before seeing this one, cannot steer it. Without one, the order cannot be disputed.
    pub dispute_salt_hash: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Messages

#[cw_serde]
pub enum ExecuteMsg {
    /// Owner only.
    UpdateParams(ParamsUpdate),
    /// Two-step hand-over: the owner offers the contract (to governance, after launch), the
    /// new owner accepts.
    UpdateOwnership(crate::owner::OwnerAction),

    /// Owner only. Adds a model to the catalogue.
    AddModel { model: GpuModel },
    /// Owner only. Fields left out keep their value.
    UpdateModel {
        id: String,
        vram_mib: Option<u32>,
        compute_capability: Option<ComputeCapability>,
        benchmark_score: Option<u64>,
    },
    /// Owner only. No new offers or matches for the model; existing leases run on.
    RetireModel { id: String },

    /// Registers the sender as a provider; its bond must cover one GPU.
    RegisterProvider {
        name: String,
        region: String,
        endpoint: String,
        public_key: String,
    },
    /// Fields left out keep their value.
    UpdateProvider {
        name: Option<String>,
        region: Option<String>,
        endpoint: Option<String>,
        public_key: Option<String>,
    },
    /// Only with no open lease; withdraws every offer and releases the collateral lock.
    DeactivateProvider {},
    /// Proves the provider's keeper alive, for all its leases at once.
    Heartbeat { telemetry: Option<Telemetry> },

    /// Lists `units` GPUs of `model` at `price` per GPU-hour; matches resting orders at once.
    PostOffer {
        model: String,
        units: u32,
        price: Uint128,
        denom: UncheckedDenom,
        min_duration: u64,
        max_duration: u64,
    },
    /// Changes the price and/or the listed units (never below the units leased out).
    UpdateOffer {
        offer_id: u64,
        price: Option<Uint128>,
        units: Option<u32>,
    },
    /// Takes the offer's free units off the market; leased units stay until their leases close.
    WithdrawOffer { offer_id: u64 },

    /// Posts an order paid with exactly one attached native coin.
    PostOrder(NewOrder),
    /// cw20 entry: `PostOrder` with tokens sent by an accepted cw20.
    Receive(Cw20ReceiveMsg),
    /// Renter only. Stops matching and refunds the unmatched budget.
    CancelOrder { order_id: u64 },
    /// Anyone. Expires up to `limit` orders whose deadline has passed.
    ExpireOrders { limit: Option<u32> },

    /// The lease's provider only, once, before `commit_deadline` (`start + max_duration`): the
    /// commitment to its result, `sha256(output_sha256 ‖ lease_id ‖ provider ‖ salt)` (see
    /// `gridshare_types::verification`), with where the output will be served. The lease is billed
    /// for `min(commit time − start, max_runtime_seconds)` seconds if its result is accepted.
    CommitResult {
        lease_id: u64,
        /// 64 hex digits (stored lowercase).
        commitment: String,
        /// Where the output is served once reveals are over (1 to 512 bytes).
        output_uri: String,
        /// Informational: the executor's own measure of the run, in seconds. Pay does not use it.
        runtime_seconds: u64,
        /// Informational: energy the run used, in watt-hours. Pay does not use it.
        energy_wh: u64,
    },
    /// The lease's provider only, once its order's reveals are open and before `reveal_deadline`:
    /// the output's SHA-256 (64 hex digits) and the salt (hex of 16 to 32 bytes) that open the
    /// commitment. Once every replica revealed (or the deadline passed) the order is judged.
    RevealResult {
        lease_id: u64,
        sha256: String,
        salt: String,
    },
    /// The renter (cancels: the provider is paid for the time so far) or the provider (withdraws:
    /// paid nothing; a liveness fault once another replica of the order committed) closes an
    /// active lease. Once any replica committed, cancelling also pays every committed replica for
    /// its billable time.
    CloseLease {
        /// The lease to close (`order_id × 16 + replica`).
        lease_id: u64,
        /// Provider only, before any replica of the order committed: the lease is handed back
        /// because the renter's job cannot run anywhere (see [`RenterFault`]). The lease closes
        /// unpaid (`CloseReason::RenterFault`), the provider's reputation is untouched, the
        /// replica is not matched again, and the hand-back is counted in the provider's public
        /// `handed_back`. Omitted: an ordinary cancel or withdrawal.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        renter_fault: Option<RenterFault>,
    },
    /// Anyone. Moves the lease's order on by the contract's deadlines (see the lease's
    /// `finalizable_at`): expires leases with no commitment past `commit_deadline`, fails those
    /// with no reveal past `reveal_deadline`, judges the order, and accepts a single-replica
    /// result whose dispute window is over. Refused (`LeaseNotOverdue`) when nothing is due.
    Finalize { lease_id: u64 },
    /// Renter only, inside the dispute window of a single-replica result, with the order's
    /// `dispute_bond` attached (one coin of the order's denom; it funds the referee) and the salt
    /// whose hash the order committed. A referee replica is matched at once; it is refused with
    /// `NoReferee` (and changes nothing) when no eligible provider is listed.
    Dispute { lease_id: u64, salt: String },
    /// Owner only, an override that is never needed: `uphold_result: true` accepts the disputed
    /// result; `false` rejects it and slashes. The referee's lease is closed as cancelled.
    ResolveDispute { lease_id: u64, uphold_result: bool },
    /// Anyone. Fails the open leases of providers silent for longer than `max_silence`.
    Reap { limit: Option<u32> },
    /// The marketplace itself only: one entry of a crank (`Reap`, `ExpireOrders`) or the
    /// re-matching of freed capacity, run as its own sub-message so that an entry that cannot be
    /// processed is rolled back and skipped (a `wasm-crank_skipped` event names it and the
    /// reason) while the rest go through.
    Crank(CrankStep),
}

#[cw_serde]
pub enum CrankStep {
    /// Closes one open lease of a silent provider that has not committed (a committed lease is
    /// judged by its order instead).
    ReapLease { lease_id: u64 },
    /// After a silent provider's leases: the provider goes dormant when nothing is left open,
    /// or is looked at again later; `exhausted` leaves its queue entry for the next `Reap`.
    ReapDone {
        provider: u32,
        queued_at: u64,
        exhausted: bool,
    },
    /// Expires one order found in the deadline index under `due_at`.
    ExpireOrder { order_id: u64, due_at: u64 },
    /// Matches resting orders against offers whose units a settlement freed.
    Rematch { offers: Vec<u64> },
}

/// The hook message inside a cw20 `Send` to the marketplace.
#[cw_serde]
#[allow(clippy::large_enum_variant)]
pub enum ReceiveMsg {
    PostOrder(NewOrder),
    /// `Dispute` with its bond paid in the order's cw20.
    Dispute {
        lease_id: u64,
        salt: String,
    },
}

#[cw_serde]
#[derive(QueryResponses)]
pub enum QueryMsg {
    #[returns(ConfigResponse)]
    Config {},
    /// The owner and any pending ownership offer.
    #[returns(crate::owner::OwnershipResponse)]
    Ownership {},
    #[returns(ModelResponse)]
    Model { id: String },
    /// Catalogue models (retired ones included), by ascending id.
    #[returns(ModelsResponse)]
    Models {
        start_after: Option<String>,
        limit: Option<u32>,
    },
    #[returns(ProviderResponse)]
    Provider { address: String },
    /// Providers by ascending provider id.
    #[returns(ProvidersResponse)]
    Providers {
        start_after: Option<u32>,
        limit: Option<u32>,
    },
    #[returns(OfferResponse)]
    Offer { offer_id: u64 },
    /// Live offers of one provider (listed, or withdrawn with units still leased), by ascending id.
    #[returns(OffersResponse)]
    OffersByProvider {
        provider: String,
        start_after: Option<u64>,
        limit: Option<u32>,
    },
    /// The ask side of one market: offers with free units, cheapest first.
    #[returns(OffersResponse)]
    OffersByModel {
        model: String,
        denom: UncheckedDenom,
        start_after: Option<PriceCursor>,
        limit: Option<u32>,
    },
    #[returns(OrderResponse)]
    Order { order_id: u64 },
    /// Orders of one renter, by ascending id (paged through escrow's accounts-by-depositor index:
    /// each order's escrow account has the order's id and the renter as depositor).
    #[returns(OrdersResponse)]
    OrdersByRenter {
        renter: String,
        start_after: Option<u64>,
        limit: Option<u32>,
    },
    #[returns(LeaseResponse)]
    Lease { lease_id: u64 },
    /// Leases of one order, by ascending id.
    #[returns(LeasesResponse)]
    LeasesByOrder {
        order_id: u64,
        start_after: Option<u64>,
        limit: Option<u32>,
    },
    /// Open (active, committed or revealed: not yet final) leases of one provider, by ascending id.
    #[returns(LeasesResponse)]
    LeasesByProvider {
        provider: String,
        start_after: Option<u64>,
        limit: Option<u32>,
    },
    #[returns(MarketStatsResponse)]
    MarketStats {
        model: String,
        denom: UncheckedDenom,
    },
    /// Every market with activity, by (model, denom) in the order they were added to the catalogue
    /// and accepted.
    #[returns(MarketStatsListResponse)]
    AllMarketStats {
        start_after: Option<MarketCursor>,
        limit: Option<u32>,
    },
}

#[cw_serde]
pub struct MigrateMsg {}

// ---------------------------------------------------------------------------------------------
// Responses

#[cw_serde]
pub struct ParamsResponse {
    pub accepted_denoms: Vec<Denom>,
    pub take_rate_bps: u16,
    pub heartbeat_interval: u64,
    pub max_silence: u64,
    pub dispute_window: u64,
    pub reveal_window: u64,
    pub slash: SlashRule,
    pub liveness_slash: SlashRule,
    pub max_matches: u32,
    pub max_scan: u32,
    pub max_reap: u32,
    pub max_replication: u8,
    pub max_inline_bytes: u32,
    pub max_eligible_models: u32,
}

#[cw_serde]
pub struct ConfigResponse {
    pub owner: Addr,
    pub escrow: Addr,
    pub staking: Addr,
    pub access_token: Option<Addr>,
    pub params: ParamsResponse,
}

#[cw_serde]
pub struct ModelResponse {
    pub id: String,
    pub vram_mib: u32,
    pub compute_capability: ComputeCapability,
    pub benchmark_score: u64,
    pub retired: bool,
}

#[cw_serde]
pub struct ModelsResponse {
    pub models: Vec<ModelResponse>,
}

#[cw_serde]
pub struct ReputationCounters {
    pub accepted: u32,
    /// Rejected by quorum or referee, expired without a commitment, or left after another
    /// replica committed.
    pub rejected: u32,
    /// Reaped for silence, or a missed reveal.
    pub missed_liveness: u32,
    /// Leases this provider handed back as the renter's fault (`CloseLease { renter_fault }`).
    /// Not part of the reputation: shown so renters can judge a provider that blames often.
    pub handed_back: u32,
}

#[cw_serde]
pub struct ProviderResponse {
    pub id: u32,
    pub address: Addr,
    pub name: String,
    pub region: String,
    pub endpoint: String,
    pub public_key: String,
    pub active: bool,
    pub registered_at: Timestamp,
    pub last_heartbeat: Timestamp,
    pub telemetry: Option<Telemetry>,
    pub counters: ReputationCounters,
    /// 0..=1000: `1000 × (accepted + 1) / (accepted + 2 + 2 × (rejected + missed_liveness))`:
    /// 500 for a fresh address, rising toward 1000 only with accepted results.
    pub reputation: u16,
    /// Units of all the provider's offers (free and leased), backed by the collateral lock.
    pub listed_units: u64,
    pub offers: u32,
}

#[cw_serde]
pub struct ProvidersResponse {
    pub providers: Vec<ProviderResponse>,
}

#[cw_serde]
pub struct OfferResponse {
    pub offer_id: u64,
    pub provider: Addr,
    pub model: String,
    pub denom: Denom,
    pub price: Uint128,
    pub units: u32,
    pub free_units: u32,
    pub min_duration: u64,
    pub max_duration: u64,
    pub withdrawn: bool,
    pub created_at: Timestamp,
}

#[cw_serde]
pub struct OffersResponse {
    pub offers: Vec<OfferResponse>,
}

/// A position in a market's ask side.
#[cw_serde]
pub struct PriceCursor {
    pub price: Uint128,
    pub offer_id: u64,
}

#[cw_serde]
#[derive(Copy, Eq)]
pub enum OrderStatus {
    /// Some replicas are unmatched; the order rests in the book until its deadline.
    Open,
    /// Every replica is matched.
    Filled,
    /// The renter cancelled it.
    Cancelled,
    /// The deadline passed with replicas unmatched.
    Expired,
}

#[cw_serde]
pub struct OrderResponse {
    pub order_id: u64,
    pub renter: Addr,
    pub denom: Denom,
    /// What the renter attached.
    pub budget: Uint128,
    /// Sum of the caps of every lease ever opened for the order.
    pub committed: Uint128,
    pub spec: JobSpec,
    pub requirements: Requirements,
    /// The catalogue models the requirements resolved to at posting.
    pub eligible_models: Vec<String>,
    pub gpu_count: u32,
    pub max_price: Uint128,
    pub max_duration: u64,
    pub replication: u8,
    pub deadline: Timestamp,
    pub created_at: Timestamp,
    /// From the renter's premium tier at posting (0: standard).
    pub priority: u8,
    /// Fee of every lease's payment: the take rate less the tier's discount.
    pub fee_bps: u16,
    pub status: OrderStatus,
    pub lease_ids: Vec<u64>,
    pub open_leases: u8,
    /// The result accepted by quorum or referee, once there is one.
    pub canonical_sha256: Option<String>,
    /// What a `Dispute` must attach: one replica's budget, which funds the referee.
    pub dispute_bond: Uint128,
    /// The renter disputed the (single-replica) result.
    pub disputed: bool,
    /// The referee's lease, once one was matched (a k = 1 dispute, or replicas that revealed
    /// without a majority).
    pub referee_lease: Option<u64>,
    /// Reveals opened at this time (every replica committed, or every commit deadline passed).
    pub reveals_open_at: Option<Timestamp>,
    /// The escrow account is closed: every lease is final and the rest was refunded.
    pub closed: bool,
}

#[cw_serde]
pub struct OrdersResponse {
    pub orders: Vec<OrderResponse>,
}

#[cw_serde]
#[derive(Copy, Eq)]
pub enum LeaseState {
    /// Running; the provider owes a commitment before `commit_deadline`.
    Active,
    /// Committed; the provider reveals once the order's reveals open.
    Committed,
    /// Revealed; awaiting the other replicas, the referee, or the end of the dispute window.
    Revealed,
    /// Result accepted and paid.
    Accepted,
    /// Result rejected (by quorum or referee): unpaid, dishonesty slash.
    Rejected,
    /// Reaped for silence or a missed reveal (unpaid, liveness slash), or no majority (unpaid).
    Failed,
    /// Closed early by the renter or the provider.
    Cancelled,
    /// No commitment before `commit_deadline`: unpaid, liveness slash.
    Expired,
}

/// Why a provider hands a lease back as the renter's fault (`CloseLease { renter_fault }`): the
/// job would fail the same way on any provider. The contract cannot check the claim, so it pays
/// nothing for it either way: a provider gains no coin by blaming a renter, and a renter gains
/// nothing by posting jobs that fail.
#[cw_serde]
#[derive(Copy, Eq)]
pub enum RenterFault {
    /// The input could not be fetched: unreachable, refused, or it stalled past the keeper's
    /// fetch limits.
    InputUnavailable,
    /// The input's sha256 is not the one the order names.
    InputMismatch,
    /// The input is larger than the order says or the keeper accepts.
    InputTooLarge,
    /// The workload is refused before it runs: unsupported, an invalid shape, or a kernel source
    /// that does not compile or reaches for files.
    JobRefused,
    /// The job ran and failed on its own: it crashed, ran past its `max_runtime_seconds`, or its
    /// output exceeded its limit.
    JobFailed,
}

impl RenterFault {
    /// The name the schema uses, for events.
    pub fn as_str(&self) -> &'static str {
        match self {
            RenterFault::InputUnavailable => "input_unavailable",
            RenterFault::InputMismatch => "input_mismatch",
            RenterFault::InputTooLarge => "input_too_large",
            RenterFault::JobRefused => "job_refused",
            RenterFault::JobFailed => "job_failed",
        }
    }
}

/// Who closed a lease: `band()` groups reasons like Akash's lease-close codes.
#[cw_serde]
#[derive(Copy, Eq)]
pub enum CloseReason {
    /// Renter band: the renter cancelled an active lease.
    RenterCancelled,
    /// Renter band: the renter disputed the result and the referee (or governance) agreed.
    DisputeWon,
    /// Provider band: the provider withdrew from an active lease.
    ProviderWithdrew,
    /// Network band: the result was accepted (quorum, dispute window or dispute upheld).
    Completed,
    /// Network band: the provider was silent for longer than `max_silence`.
    Silent,
    /// Network band: no result within the order's max duration.
    Expired,
    /// Network band: the result disagreed with the quorum.
    RejectedByQuorum,
    /// Network band: the revealed results had no majority, even with a referee.
    NoQuorum,
    /// Network band: committed but did not reveal before the reveal deadline.
    MissedReveal,
    /// Network band: the referee's result disagreed with the disputed one.
    RejectedByReferee,
    /// Renter band: the provider handed the lease back because the renter's job cannot run
    /// (`CloseLease { renter_fault }`): unpaid, no reputation change for either side.
    RenterFault,
}

#[cw_serde]
#[derive(Copy, Eq)]
pub enum CloseBand {
    Renter,
    Provider,
    Network,
}

impl CloseReason {
    pub fn band(&self) -> CloseBand {
        match self {
            CloseReason::RenterCancelled | CloseReason::DisputeWon | CloseReason::RenterFault => {
                CloseBand::Renter
            }
            CloseReason::ProviderWithdrew => CloseBand::Provider,
            _ => CloseBand::Network,
        }
    }

    /// A numeric code: 1xxxx renter, 2xxxx provider, 3xxxx network.
    pub fn code(&self) -> u32 {
        match self {
            CloseReason::RenterCancelled => 10_001,
            CloseReason::DisputeWon => 10_002,
            CloseReason::RenterFault => 10_003,
            CloseReason::ProviderWithdrew => 20_001,
            CloseReason::Completed => 30_000,
            CloseReason::Silent => 30_001,
            CloseReason::Expired => 30_002,
            CloseReason::RejectedByQuorum => 30_003,
            CloseReason::NoQuorum => 30_004,
            CloseReason::MissedReveal => 30_005,
            CloseReason::RejectedByReferee => 30_006,
        }
    }
}

#[cw_serde]
pub struct LeaseResult {
    /// The commitment (64 hex digits).
    pub commitment: String,
    pub output_uri: String,
    pub runtime_seconds: u64,
    pub energy_wh: u64,
    pub committed_at: Timestamp,
    /// The output's SHA-256, once revealed.
    pub sha256: Option<String>,
    pub revealed_at: Option<Timestamp>,
}

#[cw_serde]
pub struct LeaseResponse {
    pub lease_id: u64,
    pub order_id: u64,
    pub offer_id: u64,
    pub provider: Addr,
    pub units: u32,
    /// Agreed price per GPU-hour (the offer's price at matching).
    pub price: Uint128,
    pub start: Timestamp,
    pub state: LeaseState,
    pub result: Option<LeaseResult>,
    /// The renter disputed this (single-replica) result.
    pub disputed: bool,
    /// This lease is its order's referee.
    pub referee: bool,
    /// A commitment after this time is refused; an uncommitted lease can be expired by anyone.
    pub commit_deadline: Timestamp,
    /// When the order's reveals open(ed); `None` while replicas may still commit or match.
    pub reveals_open_at: Option<Timestamp>,
    /// A reveal after this time is refused and the lease fails.
    pub reveal_deadline: Option<Timestamp>,
    /// The earliest time `Finalize` moves this lease on (`None`: final, or waiting on others).
    pub finalizable_at: Option<Timestamp>,
    /// The end of the dispute window of a revealed single-replica result; once disputed, the time
    /// by which the referee must have revealed, after which the provider's result stands.
    pub dispute_deadline: Option<Timestamp>,
    pub close_reason: Option<CloseReason>,
    pub closed_at: Option<Timestamp>,
    /// The payment was settled up to this time (start + billable seconds).
    pub paid_until: Option<Timestamp>,
}

#[cw_serde]
pub struct LeasesResponse {
    pub leases: Vec<LeaseResponse>,
}

#[cw_serde]
pub struct MarketStatsResponse {
    pub model: String,
    pub denom: Denom,
    /// The cheapest offer with free units whose provider is alive (the head of the index).
    pub best_ask: Option<Uint128>,
    /// Units of live offers (free and leased).
    pub listed_units: u64,
    pub free_units: u64,
    pub leased_units: u64,
    /// GPU units of open orders that could run on this model.
    pub resting_demand_units: u64,
    /// `leased × 10000 / listed` (0 when nothing is listed).
    pub utilization_bps: u16,
    /// EWMA of matched prices, alpha = 1/8: `ewma ← (7 × ewma + price) / 8`, the first match seeds it.
    pub ewma_price: Option<Uint128>,
    pub last_price: Option<Uint128>,
    pub matches: u64,
    /// `ewma × 9/8` (rounded up) when utilization ≥ 80% or resting demand exceeds free units;
    /// `ewma × 15/16` (rounded down) when utilization < 50% and no demand rests; else the EWMA.
    /// Without any match yet: the best ask.
    pub suggested_price: Option<Uint128>,
}

#[cw_serde]
pub struct MarketStatsListResponse {
    pub stats: Vec<MarketStatsResponse>,
}

/// A position in the list of markets.
#[cw_serde]
pub struct MarketCursor {
    pub model: String,
    pub denom: UncheckedDenom,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lease_ids_round_trip() {
        assert_eq!(lease_id(1, 0), Some(16));
        assert_eq!(lease_id(3, 15), Some(63));
        assert_eq!(lease_id(3, 16), None);
        assert_eq!(lease_id(u64::MAX, 0), None);
        assert_eq!(order_of_lease(63), 3);
        assert_eq!(replica_of_lease(63), 15);
    }

    #[test]
    fn close_reasons_fall_in_bands() {
        assert_eq!(CloseReason::DisputeWon.band(), CloseBand::Renter);
        assert_eq!(CloseReason::ProviderWithdrew.band(), CloseBand::Provider);
        assert_eq!(CloseReason::NoQuorum.band(), CloseBand::Network);
        assert_eq!(CloseReason::Silent.code() / 10_000, 3);
    }
}
