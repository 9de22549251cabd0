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
//! # Time
//! Every point in time in this API (deadlines, `*_at`, `start`, `paid_until`) is whole seconds
//! since the Unix epoch, as a JSON number, and every duration is seconds: the contracts keep block
//! time in whole seconds, so what a response says is exactly what pay and deadlines use. The same
//! holds for escrow, staking, governance and the access token (cw20-base's own `Expiration`
//! keeps its standard form).
//!
//! # Verification and pay
//! Every replica commits, then reveals (see [`crate::verification`]); an order accepts a result
//! only when `⌊k/2⌋ + 1` revealed results agree, or a referee decides. A lease is paid only with
//! an accepted result, for `min(commit time − start, max_runtime_seconds)` seconds.

use crate::denom::{Denom, UncheckedDenom};
use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, Binary, Uint128, Uint256};
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
    /// Highest replication factor an order may ask for: 1 to [`MAX_REPLICATION`] (15).
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
    /// Replaces the whole list: 1 to 16 denoms (duplicates dropped), each also accepted by
    /// escrow.
    pub accepted_denoms: Option<Vec<UncheckedDenom>>,
    /// New take rate, in basis points (at most 10000); applies to orders posted from now on
    /// (each order fixes its `fee_bps` at posting).
    pub take_rate_bps: Option<u16>,
    /// New heartbeat interval keepers follow, in seconds: positive, at most `max_silence`
    /// (the contract itself enforces only `max_silence`).
    pub heartbeat_interval: Option<u64>,
    /// New silence limit, in seconds: at least `heartbeat_interval`. A provider without a
    /// heartbeat for longer is skipped by matching and reaped.
    pub max_silence: Option<u64>,
    /// New dispute window of single-replica results, in seconds (positive).
    pub dispute_window: Option<u64>,
    /// New reveal window, in seconds (positive).
    pub reveal_window: Option<u64>,
    /// New dishonesty slash (a `bond_bps` rule at most 10000 bps).
    pub slash: Option<SlashRule>,
    /// New liveness slash (a `bond_bps` rule at most 10000 bps).
    pub liveness_slash: Option<SlashRule>,
    /// New cap on leases one transaction creates: 1 to 32.
    pub max_matches: Option<u32>,
    /// New cap on book entries one transaction examines: 1 to 256.
    pub max_scan: Option<u32>,
    /// New cap on the steps of one `Reap` or `ExpireOrders` (and their default limit): 1 to 100.
    pub max_reap: Option<u32>,
    /// New highest replication an order may ask for: 1 to 15 (`MAX_REPLICATION`); orders
    /// already posted keep theirs.
    pub max_replication: Option<u8>,
    /// New largest inline job input and custom kernel source, in bytes: at most 65536.
    pub max_inline_bytes: Option<u32>,
    /// New cap on the catalogue models one order's requirements may resolve to: 1 to 32.
    pub max_eligible_models: Option<u32>,
    /// Address of a new escrow contract, used for every later escrow call (open orders' too);
    /// the accepted denoms are checked against escrow's own when it answers.
    pub escrow: Option<String>,
    /// Address of a new staking contract, asked from now on for collateral, locks, slashes and
    /// work reports.
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
    /// Address of the escrow contract that holds each order's budget (account id = order id)
    /// and streams each lease's payment (payment id = lease id).
    pub escrow: String,
    /// Address of the staking contract holding providers' bonds: the marketplace checks
    /// collateral there, sets locks, slashes and reports accepted work.
    pub staking: String,
    /// The GRID token contract answering premium-tier queries; `None`: everyone is standard.
    pub access_token: Option<String>,
    /// The initial parameters, held to the same bounds as `UpdateParams`.
    pub params: Params,
}

// ---------------------------------------------------------------------------------------------
// Catalogue, providers, offers

#[cw_serde]
#[derive(Copy, Eq, PartialOrd, Ord)]
pub struct ComputeCapability {
    /// CUDA compute capability major version (8 in 8.9); compared first.
    pub major: u8,
    /// Minor version (9 in 8.9); compared when the majors are equal.
    pub minor: u8,
}

/// A GPU model of the catalogue.
#[cw_serde]
pub struct GpuModel {
    /// e.g. `"rtx-4090"`: 1 to 32 characters of `a-z 0-9 - _ .`.
    pub id: String,
    /// Memory per GPU, in MiB (positive); what orders' `min_vram_mib` is compared with.
    pub vram_mib: u32,
    /// The model's CUDA compute capability; what orders' `min_compute_capability` is compared
    /// with.
    pub compute_capability: ComputeCapability,
    /// Reference benchmark score (higher is faster; positive).
    pub benchmark_score: u64,
}

#[cw_serde]
#[derive(Copy, Default)]
pub struct Telemetry {
    /// 0..=100.
    pub utilization_pct: u8,
    /// Power draw the keeper reports, in watts; informational, never checked.
    pub power_watts: u32,
}

// ---------------------------------------------------------------------------------------------
// Jobs and orders

/// A buffer of a custom kernel, in launch-argument order.
#[cw_serde]
pub struct KernelBuffer {
    /// Size of the buffer, in bytes (positive). The keeper splits the job input across the
    /// `input` and `in_out` buffers in order: their sizes must add up to its length.
    pub bytes: u64,
    /// How the buffer is filled, and whether it is part of the output.
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
    MatMulInt {
        /// Rows of the left matrix and of the product (positive).
        m: u32,
        /// Columns of the right matrix and of the product (positive).
        n: u32,
        /// Columns of the left matrix, rows of the right one (positive).
        k: u32,
    },
    /// `m × k` by `k × n` matrix product of f32, inputs row-major in the job input.
    MatMulF32 {
        /// Rows of the left matrix and of the product (positive).
        m: u32,
        /// Columns of the right matrix and of the product (positive).
        n: u32,
        /// Columns of the left matrix, rows of the right one (positive).
        k: u32,
    },
    /// SHA-256 of the job input.
    Sha256 {},
    /// A CUDA kernel compiled with NVRTC and launched once.
    CustomKernel {
        /// CUDA C source: non-empty, at most `max_inline_bytes` bytes.
        source: String,
        /// Name of the `extern "C" __global__` function to launch: 1 to 128 bytes.
        entry: String,
        /// Grid size in blocks, `[x, y, z]`; each positive.
        grid: [u32; 3],
        /// Block size in threads, `[x, y, z]`; each positive.
        block: [u32; 3],
        /// The kernel's pointer arguments, in launch order: 1 to 16 buffers.
        buffers: Vec<KernelBuffer>,
    },
}

#[cw_serde]
pub enum JobInputs {
    /// At most `max_inline_bytes`.
    Inline {
        /// The input bytes (base64 in JSON): at most `max_inline_bytes`.
        data: Binary,
    },
    /// Fetched by the keeper and checked against `sha256` (64 hex digits, either case).
    Url {
        /// Where the keeper fetches the input: 1 to 512 bytes, no whitespace or control
        /// characters.
        url: String,
        /// SHA-256 of the input: 64 hex digits, stored lowercase.
        sha256: String,
    },
}

#[cw_serde]
pub struct JobSpec {
    /// What the keeper runs.
    pub workload: Workload,
    /// The job input: inline bytes, or a URL with its hash.
    pub inputs: JobInputs,
    /// Identical output bytes on every correct executor; required for replication ≥ 2.
    pub deterministic: bool,
    /// Longest run the renter pays for, in seconds: 1 to the order's `max_duration`. A lease
    /// with an accepted result is billed `min(commit time − start, max_runtime_seconds)`.
    pub max_runtime_seconds: u64,
    /// Marks a private job: the renter's HPKE public key (`x25519:` and 64 lowercase hex
    /// digits). Its input is ciphertext that only a matched provider can open (README, "Private
    /// jobs"), and keepers serve its output only sealed to this key. Absent: a plain job, whose
    /// input and output anyone may read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_key: Option<String>,
}

/// The text form of an X25519 public key in a job spec or a provider's registration.
pub const X25519_KEY_PREFIX: &str = "x25519:";

/// Whether `key` is `x25519:` and 64 lowercase hex digits.
pub fn is_x25519_key(key: &str) -> bool {
    key.strip_prefix(X25519_KEY_PREFIX).is_some_and(|hex| {
        hex.len() == 64
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// Which GPUs may run the job. `models`, when given, lists catalogue ids explicitly (the other
/// filters still apply); otherwise every active model with at least `min_vram_mib` and
/// `min_compute_capability` is eligible (lowest VRAM first, at most `max_eligible_models`).
#[cw_serde]
#[derive(Default)]
pub struct Requirements {
    /// Catalogue ids the job may run on: at most `max_eligible_models`, each existing and not
    /// retired; those below the floors are dropped. Omitted: resolved from the floors.
    pub models: Option<Vec<String>>,
    /// Only models with at least this much memory per GPU, in MiB. Omitted: no floor.
    pub min_vram_mib: Option<u32>,
    /// Only models with at least this compute capability (major, then minor). Omitted: no
    /// floor.
    pub min_compute_capability: Option<ComputeCapability>,
    /// Only providers registered in this region.
    pub region: Option<String>,
    /// Only providers whose reputation (0..=1000) is at least this.
    pub min_reputation: Option<u16>,
}

/// An order, as posted (`PostOrder` with native funds, or the cw20 hook).
#[cw_serde]
pub struct NewOrder {
    /// The job every replica runs.
    pub spec: JobSpec,
    /// Which GPU models, regions and providers may run it.
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
    pub deadline: u64,
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
    AddModel {
        /// The model: a new id, positive VRAM and score. The catalogue holds at most 128 models,
        /// retired ones included.
        model: GpuModel,
    },
    /// Owner only. Fields left out keep their value.
    UpdateModel {
        /// Catalogue id of an active (not retired) model.
        id: String,
        /// New memory per GPU, in MiB (positive). Omitted: unchanged.
        vram_mib: Option<u32>,
        /// New compute capability. Omitted: unchanged.
        compute_capability: Option<ComputeCapability>,
        /// New reference benchmark score (positive). Omitted: unchanged.
        benchmark_score: Option<u64>,
    },
    /// Owner only. No new offers for the model and no new orders naming it; existing leases run
    /// on. Known gap: orders that rested before the retirement can still match its remaining
    /// offers when those are updated or freed.
    RetireModel {
        /// Catalogue id of an active (not yet retired) model.
        id: String,
    },

    /// Registers the sender as a provider; its bond must cover one GPU.
    RegisterProvider {
        /// Display name: 1 to 64 bytes.
        name: String,
        /// Region label, matched exactly against orders' `requirements.region`: 1 to 32 bytes.
        region: String,
        /// Where the provider's keeper is reached (its public URL): 1 to 256 bytes.
        endpoint: String,
        /// A public key renters may encrypt inputs to: 1 to 512 bytes, opaque to the contract.
        public_key: String,
    },
    /// Fields left out keep their value.
    UpdateProvider {
        /// New display name: 1 to 64 bytes. Omitted: unchanged.
        name: Option<String>,
        /// New region label (1 to 32 bytes), applied to the provider's listed offers too.
        /// Omitted: unchanged.
        region: Option<String>,
        /// New keeper URL: 1 to 256 bytes. Omitted: unchanged.
        endpoint: Option<String>,
        /// New public key: 1 to 512 bytes. Omitted: unchanged.
        public_key: Option<String>,
    },
    /// Only with no open lease; withdraws every offer and releases the collateral lock.
    DeactivateProvider {},
    /// Proves the provider's keeper alive, for all its leases at once.
    Heartbeat {
        /// The GPUs' current utilization and power, shown by the `Provider` query. Omitted: the
        /// last reported telemetry is kept.
        telemetry: Option<Telemetry>,
    },

    /// Lists `units` GPUs of `model` at `price` per GPU-hour; matches resting orders at once.
    PostOffer {
        /// Catalogue id of an active (not retired) model.
        model: String,
        /// GPUs listed (positive). The provider's bond must cover all its listed units, which
        /// staking locks; a provider has at most 32 live offers.
        units: u32,
        /// Asking price per GPU-hour, in base units of `denom` (positive).
        price: Uint128,
        /// The denom the provider is paid in: one of `accepted_denoms`.
        denom: UncheckedDenom,
        /// Shortest order `max_duration` the offer matches, in seconds: positive, at most
        /// `max_duration`.
        min_duration: u64,
        /// Longest order `max_duration` the offer matches, in seconds.
        max_duration: u64,
    },
    /// Changes the price and/or the listed units (never below the units leased out).
    UpdateOffer {
        /// One of the sender's offers, not withdrawn.
        offer_id: u64,
        /// New asking price per GPU-hour, in base units of the offer's denom (positive); running
        /// leases keep the price they matched at. Omitted: unchanged.
        price: Option<Uint128>,
        /// New total units, free plus leased (positive, at least the leased units). Omitted:
        /// unchanged.
        units: Option<u32>,
    },
    /// Takes the offer's free units off the market; leased units stay until their leases close.
    WithdrawOffer {
        /// One of the sender's offers, not withdrawn.
        offer_id: u64,
    },

    /// Posts an order paid with exactly one attached native coin.
    PostOrder(NewOrder),
    /// cw20 entry: `PostOrder` with tokens sent by an accepted cw20.
    Receive(Cw20ReceiveMsg),
    /// Renter only. Stops matching and refunds the unmatched budget.
    CancelOrder {
        /// The sender's order; it must still be `Open`.
        order_id: u64,
    },
    /// Anyone. Expires up to `limit` orders whose deadline has passed.
    ExpireOrders {
        /// Most orders to look at, 0 refused. Omitted or higher: `max_reap`.
        limit: Option<u32>,
    },

    /// The lease's provider only, once, before `commit_deadline` (`start + max_duration`): the
    /// commitment to its result, `sha256(output_sha256 ‖ lease_id ‖ provider ‖ salt)` (see
    /// `gridshare_types::verification`), with where the output will be served. The lease is billed
    /// for `min(commit time − start, max_runtime_seconds)` seconds if its result is accepted.
    CommitResult {
        /// The sender's lease (`order_id × 16 + replica`), still `Active`.
        lease_id: u64,
        /// 64 hex digits (stored lowercase).
        commitment: String,
        /// Where the output is served once reveals are over (1 to 512 bytes).
        output_uri: String,
        /// Informational: the executor's own measure of the run, in seconds. Pay does not use it.
        runtime_seconds: u64,
        /// Informational: energy the run used as the provider's keeper measured it (NVML on a
        /// GPU, RAPL on a CPU), in milliwatt-hours; `null` when it could not measure, never 0
        /// for "unknown". Pay does not use it.
        energy_mwh: Option<u64>,
    },
    /// The lease's provider only, once its order's reveals are open and before `reveal_deadline`:
    /// the output's SHA-256 (64 hex digits) and the salt (hex of 16 to 32 bytes) that open the
    /// commitment. Once every replica revealed (or the deadline passed) the order is judged.
    RevealResult {
        /// The sender's `Committed` lease.
        lease_id: u64,
        /// The output's SHA-256: 64 hex digits, stored lowercase.
        sha256: String,
        /// The salt the commitment was made with: hex of 16 to 32 bytes.
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
    Finalize {
        /// Any lease of the order (open or closed, referee included): the whole order is moved
        /// on.
        lease_id: u64,
    },
    /// Renter only, inside the dispute window of a single-replica result, with the order's
    /// `dispute_bond` attached (one coin of the order's denom; it funds the referee) and the salt
    /// whose hash the order committed. A referee replica is matched at once; it is refused with
    /// `NoReferee` (and changes nothing) when no eligible provider is listed.
    Dispute {
        /// The `Revealed` lease of the sender's single-replica (`replication = 1`) order.
        lease_id: u64,
        /// The secret salt, hex of 16 to 32 bytes, whose `sha256` the order committed as
        /// `dispute_salt_hash`.
        salt: String,
    },
    /// Owner only, an override that is never needed: `uphold_result: true` accepts the disputed
    /// result; `false` rejects it and slashes. The referee's lease is closed as cancelled.
    ResolveDispute {
        /// The disputed lease, still `Revealed`.
        lease_id: u64,
        /// `true`: the result is accepted and paid. `false`: rejected (`DisputeWon`), unpaid,
        /// with the dishonesty slash.
        uphold_result: bool,
    },
    /// Anyone. Fails the open leases of providers silent for longer than `max_silence`.
    Reap {
        /// Most steps (each provider looked at and each lease closed counts one), 0 refused.
        /// Omitted or higher: `max_reap`.
        limit: Option<u32>,
    },
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
    ReapLease {
        /// An open lease of the silent provider.
        lease_id: u64,
    },
    /// After a silent provider's leases: the provider goes dormant when nothing is left open,
    /// or is looked at again later; `exhausted` leaves its queue entry for the next `Reap`.
    ReapDone {
        /// The provider's numeric id (`ProviderResponse.id`).
        provider: u32,
        /// The time key of its reap-queue entry, in seconds since the epoch.
        queued_at: u64,
        /// `true` when the `Reap`'s limit ran out before every open lease got a step: the queue
        /// entry is left for the next `Reap`.
        exhausted: bool,
    },
    /// Expires one order found in the deadline index under `due_at`.
    ExpireOrder {
        /// The order; expired only if it is still `Open` and past its deadline.
        order_id: u64,
        /// The entry's time key, in seconds since the epoch: the order's deadline, or a retry
        /// time after a skipped step.
        due_at: u64,
    },
    /// Matches resting orders against offers whose units a settlement freed.
    Rematch {
        /// Ids of the offers with freed units.
        offers: Vec<u64>,
    },
}

/// The hook message inside a cw20 `Send` to the marketplace.
#[cw_serde]
#[allow(clippy::large_enum_variant)]
pub enum ReceiveMsg {
    /// `PostOrder` paid with the tokens sent: the cw20 must be an accepted denom, and the
    /// sender of the `Send` is the renter.
    PostOrder(NewOrder),
    /// `Dispute` with its bond paid in the order's cw20.
    Dispute {
        /// The `Revealed` lease of the sender's single-replica (`replication = 1`) order.
        lease_id: u64,
        /// The secret salt, hex of 16 to 32 bytes, whose `sha256` the order committed as
        /// `dispute_salt_hash`.
        salt: String,
    },
}

#[cw_serde]
#[derive(QueryResponses)]
pub enum QueryMsg {
    /// The owner, the escrow, staking and access-token addresses, and the parameters.
    #[returns(ConfigResponse)]
    Config {},
    /// The owner and any pending ownership offer.
    #[returns(crate::owner::OwnershipResponse)]
    Ownership {},
    /// One catalogue model, retired or not; an error when the id is unknown.
    #[returns(ModelResponse)]
    Model {
        /// The model's catalogue id.
        id: String,
    },
    /// Catalogue models (retired ones included), by ascending id.
    #[returns(ModelsResponse)]
    Models {
        /// Exclusive cursor: the last id of the previous page. Omitted: from the first.
        start_after: Option<String>,
        /// Items to return: default 10, at most 100.
        limit: Option<u32>,
    },
    /// One provider, active or not; an error when the address never registered.
    #[returns(ProviderResponse)]
    Provider {
        /// The provider's account address.
        address: String,
    },
    /// Providers by ascending provider id.
    #[returns(ProvidersResponse)]
    Providers {
        /// Exclusive cursor: the last provider `id` of the previous page. Omitted: from the
        /// first.
        start_after: Option<u32>,
        /// Items to return: default 10, at most 100.
        limit: Option<u32>,
    },
    /// One offer, withdrawn or not.
    #[returns(OfferResponse)]
    Offer {
        /// The offer's id.
        offer_id: u64,
    },
    /// Live offers of one provider (listed, or withdrawn with units still leased), by ascending id.
    #[returns(OffersResponse)]
    OffersByProvider {
        /// The provider's account address.
        provider: String,
        /// Exclusive cursor: the last offer id of the previous page. Omitted: from the first.
        start_after: Option<u64>,
        /// Items to return: default 10, at most 100.
        limit: Option<u32>,
    },
    /// The ask side of one market: offers with free units, cheapest first.
    #[returns(OffersResponse)]
    OffersByModel {
        /// The market's catalogue model id.
        model: String,
        /// The market's denom (one ever accepted).
        denom: UncheckedDenom,
        /// Exclusive cursor: the price and id of the last offer of the previous page. Omitted:
        /// from the cheapest.
        start_after: Option<PriceCursor>,
        /// Items to return: default 10, at most 100.
        limit: Option<u32>,
    },
    /// One order, in any status.
    #[returns(OrderResponse)]
    Order {
        /// The order's id.
        order_id: u64,
    },
    /// Orders of one renter, by ascending id (paged through escrow's accounts-by-depositor index:
    /// each order's escrow account has the order's id and the renter as depositor).
    #[returns(OrdersResponse)]
    OrdersByRenter {
        /// The renter's account address.
        renter: String,
        /// Exclusive cursor: the last order id of the previous page. Omitted: from the first.
        start_after: Option<u64>,
        /// Items to return: default 10, at most 100.
        limit: Option<u32>,
    },
    /// One lease, open or closed.
    #[returns(LeaseResponse)]
    Lease {
        /// The lease's id: `order_id × 16 + replica`.
        lease_id: u64,
    },
    /// Leases of one order, by ascending id.
    #[returns(LeasesResponse)]
    LeasesByOrder {
        /// The order's id.
        order_id: u64,
        /// Exclusive cursor: the last lease id of the previous page. Omitted: from the first.
        start_after: Option<u64>,
        /// Items to return: default 10, at most 100.
        limit: Option<u32>,
    },
    /// Open (active, committed or revealed: not yet final) leases of one provider, by ascending id.
    #[returns(LeasesResponse)]
    LeasesByProvider {
        /// The provider's account address.
        provider: String,
        /// Exclusive cursor: the last lease id of the previous page. Omitted: from the first.
        start_after: Option<u64>,
        /// Items to return: default 10, at most 100.
        limit: Option<u32>,
    },
    /// Statistics of one market, a (model, denom) pair; zero counters when it saw no activity.
    #[returns(MarketStatsResponse)]
    MarketStats {
        /// The market's catalogue model id.
        model: String,
        /// The market's denom (one ever accepted).
        denom: UncheckedDenom,
    },
    /// Every market with activity, by (model, denom) in the order they were added to the catalogue
    /// and accepted.
    #[returns(MarketStatsListResponse)]
    AllMarketStats {
        /// Exclusive cursor: the last market of the previous page. Omitted: from the first.
        start_after: Option<MarketCursor>,
        /// Items to return: default 10, at most 100.
        limit: Option<u32>,
    },
}

#[cw_serde]
pub struct MigrateMsg {}

// ---------------------------------------------------------------------------------------------
// Responses

#[cw_serde]
pub struct ParamsResponse {
    /// Denoms offers may ask and orders may pay in (validated, sorted, without duplicates).
    pub accepted_denoms: Vec<Denom>,
    /// The take rate, in basis points of every payment; an order's `fee_bps` is fixed from it
    /// at posting, less the renter's tier discount.
    pub take_rate_bps: u16,
    /// Seconds between two heartbeats of a provider's keeper (advice to keepers; the contract
    /// enforces only `max_silence`).
    pub heartbeat_interval: u64,
    /// A provider silent for longer than this (seconds) is skipped by matching and reaped.
    pub max_silence: u64,
    /// Seconds after a single-replica result is revealed during which the renter may dispute it.
    pub dispute_window: u64,
    /// Seconds replicas have to reveal once reveals open (a referee: after its own commitment).
    pub reveal_window: u64,
    /// The dishonesty slash: a revealed result the quorum or a referee rejected.
    pub slash: SlashRule,
    /// The liveness slash: silent before committing, a missed commit or reveal deadline, or
    /// leaving a lease after another replica committed.
    pub liveness_slash: SlashRule,
    /// Leases one transaction creates at most (1 to 32).
    pub max_matches: u32,
    /// Book entries (offers, or resting orders) one transaction examines at most (1 to 256).
    pub max_scan: u32,
    /// Steps one `Reap` or `ExpireOrders` takes at most, and their default limit (1 to 100).
    pub max_reap: u32,
    /// Highest replication factor an order may ask for (1 to 15).
    pub max_replication: u8,
    /// Largest inline job input and custom kernel source, in bytes (at most 65536).
    pub max_inline_bytes: u32,
    /// Most catalogue models an order's requirements may resolve to (1 to 32).
    pub max_eligible_models: u32,
}

#[cw_serde]
pub struct ConfigResponse {
    /// May change parameters and the catalogue and override disputes (governance, once the
    /// ownership was handed over).
    pub owner: Addr,
    /// The escrow contract: each order's account (id = order id) and each lease's payment
    /// (id = lease id).
    pub escrow: Addr,
    /// The staking contract: providers' bonds, collateral locks, slashes and work reports.
    pub staking: Addr,
    /// The access-token contract asked for renters' premium tiers; `null`: everyone is
    /// standard.
    pub access_token: Option<Addr>,
    /// The current parameters.
    pub params: ParamsResponse,
}

#[cw_serde]
pub struct ModelResponse {
    /// The catalogue id (1 to 32 characters of `a-z 0-9 - _ .`).
    pub id: String,
    /// Memory per GPU, in MiB.
    pub vram_mib: u32,
    /// The model's CUDA compute capability.
    pub compute_capability: ComputeCapability,
    /// Reference benchmark score (higher is faster): ranks offers of different models by
    /// price per unit of performance.
    pub benchmark_score: u64,
    /// Retired by the owner: new offers and new orders can no longer name it, and it cannot be
    /// updated.
    pub retired: bool,
}

#[cw_serde]
pub struct ModelsResponse {
    /// One page of catalogue models, by ascending id.
    pub models: Vec<ModelResponse>,
}

#[cw_serde]
pub struct ReputationCounters {
    /// Leases of the provider whose result was accepted (and paid).
    pub accepted: u32,
    /// Rejected by quorum or referee, expired without a commitment, or a lease the provider
    /// withdrew from (`CloseLease` without `renter_fault`).
    pub rejected: u32,
    /// Reaped for silence, or a missed reveal.
    pub missed_liveness: u32,
    /// Leases this provider handed back as the renter's fault (`CloseLease { renter_fault }`).
    /// Not part of the reputation: shown so renters can judge a provider that blames often.
    pub handed_back: u32,
}

#[cw_serde]
pub struct ProviderResponse {
    /// Numeric provider id, numbered from 1 at first registration and kept when the address
    /// registers again; the `Providers` cursor.
    pub id: u32,
    /// The provider's account: it sends the provider's messages and is paid for its leases.
    pub address: Addr,
    /// Display name (1 to 64 bytes).
    pub name: String,
    /// Region label that orders' `requirements.region` must equal (1 to 32 bytes).
    pub region: String,
    /// Where its keeper is reached (1 to 256 bytes).
    pub endpoint: String,
    /// A public key renters may encrypt inputs to (1 to 512 bytes), opaque to the contract.
    pub public_key: String,
    /// Registered and not deactivated: only an active provider posts offers and heartbeats.
    pub active: bool,
    /// When it last registered (whole seconds).
    pub registered_at: u64,
    /// Its last heartbeat or registration (whole seconds); matching skips it once more than
    /// `max_silence` seconds have passed since.
    pub last_heartbeat: u64,
    /// The latest telemetry a heartbeat carried; `null` if it never sent any.
    pub telemetry: Option<Telemetry>,
    /// Lease outcomes that make up `reputation`.
    pub counters: ReputationCounters,
    /// 0..=1000: `1000 × (accepted + 1) / (accepted + 2 + 2 × (rejected + missed_liveness))`:
    /// 500 for a fresh address, rising toward 1000 only with accepted results.
    pub reputation: u16,
    /// Units of all the provider's offers (free and leased), backed by the collateral lock.
    pub listed_units: u64,
    /// Live offers: listed, or withdrawn with units still leased (at most 32).
    pub offers: u32,
    /// Energy of its accepted results that carried a measurement, in milliwatt-hours, as its
    /// keeper reported it.
    pub energy_mwh: u64,
    /// How many of its accepted results carried an energy measurement (the other
    /// `counters.accepted − energy_measured` were unmeasured).
    pub energy_measured: u32,
}

#[cw_serde]
pub struct ProvidersResponse {
    /// One page of providers, by ascending id.
    pub providers: Vec<ProviderResponse>,
}

#[cw_serde]
pub struct OfferResponse {
    /// The offer's id, numbered from 1.
    pub offer_id: u64,
    /// The provider's account address.
    pub provider: Addr,
    /// Catalogue id of the GPU model.
    pub model: String,
    /// The denom it is paid in.
    pub denom: Denom,
    /// Asking price per GPU-hour, in base units of `denom`; leases keep the price they matched
    /// at.
    pub price: Uint128,
    /// Listed units, free plus leased; once withdrawn, only those still leased.
    pub units: u32,
    /// Units available to new leases (0 once withdrawn).
    pub free_units: u32,
    /// Shortest order `max_duration` it matches, in seconds.
    pub min_duration: u64,
    /// Longest order `max_duration` it matches, in seconds.
    pub max_duration: u64,
    /// Taken off the market by its provider (or by deactivation): no new leases.
    pub withdrawn: bool,
    /// When it was posted (whole seconds); only offers posted before an order may referee it.
    pub created_at: u64,
}

#[cw_serde]
pub struct OffersResponse {
    /// One page of offers.
    pub offers: Vec<OfferResponse>,
}

/// A position in a market's ask side.
#[cw_serde]
pub struct PriceCursor {
    /// The price of the last offer returned.
    pub price: Uint128,
    /// The id of the last offer returned.
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
    /// The order's id, numbered from 1; also its escrow account's id. Its leases are
    /// `order_id × 16 + replica`.
    pub order_id: u64,
    /// Who posted and paid for it (for a cw20 order, the sender of the `Send`).
    pub renter: Addr,
    /// The denom of its budget, its leases' prices and its dispute bond.
    pub denom: Denom,
    /// What the renter attached.
    pub budget: Uint128,
    /// Sum of the caps of every lease ever opened for the order.
    pub committed: Uint128,
    /// The job, as posted (an input hash lowercased).
    pub spec: JobSpec,
    /// As posted; `models` is the resolved list when the renter named models, `null` when they
    /// were resolved from the floors.
    pub requirements: Requirements,
    /// The catalogue models the requirements resolved to at posting.
    pub eligible_models: Vec<String>,
    /// GPUs per replica (the units of each lease).
    pub gpu_count: u32,
    /// Highest price per GPU-hour it pays, in base units of `denom`.
    pub max_price: Uint128,
    /// Longest a lease may run and be paid for, in seconds; each lease's commit deadline is
    /// its start plus this.
    pub max_duration: u64,
    /// Distinct providers that run the job (1 to `max_replication`); a referee comes on top.
    pub replication: u8,
    /// Unmatched replicas expire at this time (whole seconds).
    pub deadline: u64,
    /// When it was posted (whole seconds).
    pub created_at: u64,
    /// From the renter's premium tier at posting (0: standard).
    pub priority: u8,
    /// Fee of every lease's payment: the take rate less the tier's discount.
    pub fee_bps: u16,
    /// The matching state; leases may run on after `Filled`, `Cancelled` or `Expired`.
    pub status: OrderStatus,
    /// Every lease matched for it: the replicas in order, then the referee.
    pub lease_ids: Vec<u64>,
    /// Leases not yet final (active, committed or revealed).
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
    pub reveals_open_at: Option<u64>,
    /// The escrow account is closed: every lease is final and the rest was refunded.
    pub closed: bool,
}

#[cw_serde]
pub struct OrdersResponse {
    /// One page of the renter's orders, by ascending id.
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
    /// The reason as a slash names it to staking (the variant's name).
    pub fn name(&self) -> &'static str {
        match self {
            CloseReason::RenterCancelled => "RenterCancelled",
            CloseReason::DisputeWon => "DisputeWon",
            CloseReason::ProviderWithdrew => "ProviderWithdrew",
            CloseReason::Completed => "Completed",
            CloseReason::Silent => "Silent",
            CloseReason::Expired => "Expired",
            CloseReason::RejectedByQuorum => "RejectedByQuorum",
            CloseReason::NoQuorum => "NoQuorum",
            CloseReason::MissedReveal => "MissedReveal",
            CloseReason::RejectedByReferee => "RejectedByReferee",
            CloseReason::RenterFault => "RenterFault",
        }
    }

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
    /// Where the provider serves the output once reveals are over.
    pub output_uri: String,
    /// The provider's own measure of the run, in seconds; informational, pay does not use it.
    pub runtime_seconds: u64,
    /// The provider's own measure of the energy used, in milliwatt-hours; `null`: unmeasured.
    /// Informational: pay does not use it.
    pub energy_mwh: Option<u64>,
    /// When the commitment was made (whole seconds); an accepted lease is billed from its
    /// `start` to here, for at most `max_runtime_seconds`.
    pub committed_at: u64,
    /// The output's SHA-256, once revealed.
    pub sha256: Option<String>,
    /// When the result was revealed; `null` until then. A single-replica result's dispute
    /// window runs from here.
    pub revealed_at: Option<u64>,
}

#[cw_serde]
pub struct LeaseResponse {
    /// `order_id × 16 + replica`; the replica index `replication` is the order's referee.
    pub lease_id: u64,
    /// The order it runs for (`lease_id / 16`).
    pub order_id: u64,
    /// The offer it was matched on.
    pub offer_id: u64,
    /// The provider running it, and the payee of its escrow payment.
    pub provider: Addr,
    /// GPUs leased (the order's `gpu_count`).
    pub units: u32,
    /// Agreed price per GPU-hour (the offer's price at matching).
    pub price: Uint128,
    /// When it was matched (whole seconds): billing and the commit deadline count from here.
    pub start: u64,
    /// Where it is in its life: `active`, `committed` and `revealed` are open, the others final.
    pub state: LeaseState,
    /// The commitment and, once revealed, the output hash; `null` before `CommitResult`.
    pub result: Option<LeaseResult>,
    /// The renter disputed this (single-replica) result.
    pub disputed: bool,
    /// This lease is its order's referee.
    pub referee: bool,
    /// A commitment after this time is refused; an uncommitted lease can be expired by anyone.
    pub commit_deadline: u64,
    /// When the order's reveals open(ed); `None` while replicas may still commit or match.
    pub reveals_open_at: Option<u64>,
    /// A reveal after this time is refused and the lease fails.
    pub reveal_deadline: Option<u64>,
    /// The earliest time `Finalize` moves this lease on (`None`: final, or waiting on others).
    pub finalizable_at: Option<u64>,
    /// The end of the dispute window of a revealed single-replica result; once disputed, the time
    /// by which the referee must have revealed, after which the provider's result stands.
    pub dispute_deadline: Option<u64>,
    /// Why it closed; `null` while it is open.
    pub close_reason: Option<CloseReason>,
    /// When it closed; `null` while it is open.
    pub closed_at: Option<u64>,
    /// The payment was settled up to this time (start + billable seconds).
    pub paid_until: Option<u64>,
}

#[cw_serde]
pub struct LeasesResponse {
    /// One page of leases, by ascending id.
    pub leases: Vec<LeaseResponse>,
}

#[cw_serde]
pub struct MarketStatsResponse {
    /// Catalogue id of the market's model.
    pub model: String,
    /// The market's denom; prices below are per GPU-hour in its base units.
    pub denom: Denom,
    /// The cheapest offer with free units whose provider is alive (the head of the index).
    pub best_ask: Option<Uint128>,
    /// Units of live offers (free and leased).
    pub listed_units: u64,
    /// `listed_units − leased_units`.
    pub free_units: u64,
    /// Units held by open leases.
    pub leased_units: u64,
    /// GPU units of open orders that could run on this model.
    pub resting_demand_units: u64,
    /// `leased × 10000 / listed` (0 when nothing is listed).
    pub utilization_bps: u16,
    /// EWMA of matched prices, alpha = 1/8: `ewma ← (7 × ewma + price) / 8`, the first match seeds it.
    pub ewma_price: Option<Uint128>,
    /// The price of the latest match; `null` before any.
    pub last_price: Option<Uint128>,
    /// Leases matched in this market so far, referees included.
    pub matches: u64,
    /// `ewma × 9/8` (rounded up) when utilization ≥ 80% or resting demand exceeds free units;
    /// `ewma × 15/16` (rounded down) when utilization < 50% and no demand rests; else the EWMA.
    /// Without any match yet: the best ask.
    pub suggested_price: Option<Uint128>,
}

#[cw_serde]
pub struct MarketStatsListResponse {
    /// One page of markets, by (model, denom) in the order they were added and accepted.
    pub stats: Vec<MarketStatsResponse>,
}

/// A position in the list of markets.
#[cw_serde]
pub struct MarketCursor {
    /// The model id of the last market returned.
    pub model: String,
    /// The denom of the last market returned.
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
    fn close_reasons_are_named_as_their_variants() {
        for r in [
            CloseReason::RenterCancelled,
            CloseReason::DisputeWon,
            CloseReason::ProviderWithdrew,
            CloseReason::Completed,
            CloseReason::Silent,
            CloseReason::Expired,
            CloseReason::RejectedByQuorum,
            CloseReason::NoQuorum,
            CloseReason::MissedReveal,
            CloseReason::RejectedByReferee,
            CloseReason::RenterFault,
        ] {
            assert_eq!(r.name(), format!("{r:?}"));
        }
    }

    #[test]
    fn close_reasons_fall_in_bands() {
        assert_eq!(CloseReason::DisputeWon.band(), CloseBand::Renter);
        assert_eq!(CloseReason::ProviderWithdrew.band(), CloseBand::Provider);
        assert_eq!(CloseReason::NoQuorum.band(), CloseBand::Network);
        assert_eq!(CloseReason::Silent.code() / 10_000, 3);
    }
}
