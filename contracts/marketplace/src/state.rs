//! Storage layout.
//!
//! Every byte written costs 30 SDK gas and every access a flat 1000–2000, so the structs read and
//! written on the hot paths (order post, matching, heartbeat) are small, carry short field names,
//! and are keyed by numeric ids (`u32` models, denoms and providers; `u64` offers, orders,
//! leases) instead of strings and addresses. Fields that change often live in their own maps
//! (offer free units, provider liveness) so they are rewritten without the rest.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Binary, Uint128};
use cw_storage_plus::{Item, Map};
use gridshare_types::marketplace::{
    CloseReason, ComputeCapability, JobInputs, JobSpec, LeaseState, OrderStatus, SlashRule,
    Workload,
};
use gridshare_types::Denom;
use serde::{Deserialize, Serialize};

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_zero_u8(v: &u8) -> bool {
    *v == 0
}

fn is_zero_u32(v: &u32) -> bool {
    *v == 0
}

fn is_zero_u64(v: &u64) -> bool {
    *v == 0
}

/// An accepted denom and its permanent numeric id.
#[cw_serde]
pub struct AcceptedDenom {
    #[serde(rename = "d")]
    pub denom: Denom,
    #[serde(rename = "i")]
    pub id: u32,
}

/// Parameters and addresses. Read by every order post, so stored with short names.
#[cw_serde]
pub struct Config {
    #[serde(rename = "o")]
    pub owner: Addr,
    #[serde(rename = "e")]
    pub escrow: Addr,
    #[serde(rename = "s")]
    pub staking: Addr,
    #[serde(rename = "a", default, skip_serializing_if = "Option::is_none")]
    pub access_token: Option<Addr>,
    #[serde(rename = "d")]
    pub denoms: Vec<AcceptedDenom>,
    #[serde(rename = "tr")]
    pub take_rate_bps: u16,
    #[serde(rename = "hi")]
    pub heartbeat_interval: u64,
    #[serde(rename = "ms")]
    pub max_silence: u64,
    #[serde(rename = "dw")]
    pub dispute_window: u64,
    #[serde(rename = "rw")]
    pub reveal_window: u64,
    #[serde(rename = "sl")]
    pub slash: SlashRule,
    #[serde(rename = "ls")]
    pub liveness_slash: SlashRule,
    #[serde(rename = "mm")]
    pub max_matches: u32,
    #[serde(rename = "sc")]
    pub max_scan: u32,
    #[serde(rename = "mr")]
    pub max_reap: u32,
    #[serde(rename = "rp")]
    pub max_replication: u8,
    #[serde(rename = "ib")]
    pub max_inline_bytes: u32,
    #[serde(rename = "em")]
    pub max_eligible_models: u32,
}

impl Config {
    /// The id of `denom` when it is accepted.
    pub fn denom_id(&self, denom: &Denom) -> Option<u32> {
        self.denoms.iter().find(|d| d.denom == *denom).map(|d| d.id)
    }
}

pub const CONFIG: Item<Config> = Item::new("cf");

/// Every denom ever accepted keeps its id: denom key → id, and back.
pub const DENOM_IDS: Map<&str, u32> = Map::new("denom_ids");
pub const DENOMS: Map<u32, Denom> = Map::new("denoms");

/// Sequences: the last id handed out.
pub const DENOM_SEQ: Item<u32> = Item::new("ds");
pub const MODEL_SEQ: Item<u32> = Item::new("ms");
pub const PROVIDER_SEQ: Item<u32> = Item::new("ps");
pub const OFFER_SEQ: Item<u64> = Item::new("fs");
pub const ORDER_SEQ: Item<u64> = Item::new("os");

// ---- catalogue -------------------------------------------------------------------------------

#[cw_serde]
pub struct Model {
    /// The model's numeric id, used in every key.
    #[serde(rename = "i")]
    pub idx: u32,
    #[serde(rename = "v")]
    pub vram_mib: u32,
    #[serde(rename = "c")]
    pub cc: ComputeCapability,
    #[serde(rename = "s")]
    pub score: u64,
    #[serde(rename = "r", default, skip_serializing_if = "is_false")]
    pub retired: bool,
}

/// Model id → model.
pub const MODELS: Map<&str, Model> = Map::new("m");
/// Model idx → model id.
pub const MODEL_IDS: Map<u32, String> = Map::new("model_ids");
/// Active models by (VRAM, idx), so minimum-VRAM requirements read only the eligible ones.
pub const MODELS_BY_VRAM: Map<(u32, u32), VramEntry> = Map::new("mv");

/// Stored as an array: (compute capability major, minor, benchmark score).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(from = "(u8, u8, u64)", into = "(u8, u8, u64)")]
pub struct VramEntry {
    pub cc: ComputeCapability,
    pub score: u64,
}

impl From<VramEntry> for (u8, u8, u64) {
    fn from(e: VramEntry) -> Self {
        (e.cc.major, e.cc.minor, e.score)
    }
}

impl From<(u8, u8, u64)> for VramEntry {
    fn from((major, minor, score): (u8, u8, u64)) -> Self {
        VramEntry {
            cc: ComputeCapability { major, minor },
            score,
        }
    }
}

// ---- providers -------------------------------------------------------------------------------

/// What a provider registered: read on its own actions, rarely on the hot paths.
#[cw_serde]
pub struct Provider {
    pub address: Addr,
    pub name: String,
    pub region: String,
    pub endpoint: String,
    pub public_key: String,
    pub active: bool,
    pub registered_at: u64,
    /// Units of all its offers (free and leased): what the collateral lock backs.
    pub listed_units: u64,
    /// Live offers (listed, or withdrawn with units still leased).
    pub offers: u32,
}

/// The part of a provider that changes all the time: liveness, telemetry and reputation. The
/// heartbeat reads and writes only this.
#[cw_serde]
#[derive(Default)]
pub struct ProviderHot {
    /// Last heartbeat (seconds).
    #[serde(rename = "t")]
    pub last_heartbeat: u64,
    #[serde(rename = "u", default, skip_serializing_if = "is_zero_u8")]
    pub utilization_pct: u8,
    #[serde(rename = "w", default, skip_serializing_if = "is_zero_u32")]
    pub power_watts: u32,
    #[serde(rename = "a", default, skip_serializing_if = "is_zero_u32")]
    pub accepted: u32,
    #[serde(rename = "r", default, skip_serializing_if = "is_zero_u32")]
    pub rejected: u32,
    #[serde(rename = "m", default, skip_serializing_if = "is_zero_u32")]
    pub missed: u32,
    #[serde(rename = "h", default, skip_serializing_if = "is_zero_u32")]
    pub handed_back: u32,
    /// Energy of accepted results that carried a measurement (mWh), and how many did.
    #[serde(rename = "e", default, skip_serializing_if = "is_zero_u64")]
    pub energy_mwh: u64,
    #[serde(rename = "em", default, skip_serializing_if = "is_zero_u32")]
    pub energy_measured: u32,
    /// Has sent telemetry at least once.
    #[serde(rename = "y", default, skip_serializing_if = "is_false")]
    pub has_telemetry: bool,
    /// Has an entry in the reap queue. A provider without one is dormant: silent, with no open
    /// lease and no offer in the book.
    #[serde(rename = "q", default, skip_serializing_if = "is_false")]
    pub queued: bool,
    #[serde(rename = "on", default, skip_serializing_if = "is_false")]
    pub active: bool,
}

pub const PROVIDER_IDS: Map<&Addr, u32> = Map::new("pi");
pub const PROVIDERS: Map<u32, Provider> = Map::new("providers");
pub const PROVIDER_HOT: Map<u32, ProviderHot> = Map::new("ph");
/// (time to check, provider id): providers that may have open leases, checked by the reaper once
/// the time has come. The heartbeat never touches it: the reaper re-keys live providers to
/// `last_heartbeat + max_silence + 1`, the earliest moment they could be silent.
pub const REAP_QUEUE: Map<(u64, u32), ()> = Map::new("rq");

// ---- offers ----------------------------------------------------------------------------------

#[cw_serde]
pub struct Offer {
    pub provider: u32,
    pub model: u32,
    pub denom: u32,
    pub price: Uint128,
    /// Free plus leased units; after withdrawal only the leased ones.
    pub units: u32,
    pub min_duration: u64,
    pub max_duration: u64,
    pub withdrawn: bool,
    pub created_at: u64,
}

pub const OFFERS: Map<u64, Offer> = Map::new("offers");
/// Free units of each offer: the hot field of an offer, rewritten on every match.
pub const OFFER_FREE: Map<u64, u32> = Map::new("ff");
/// Live offers of each provider.
pub const OFFERS_BY_PROVIDER: Map<(u32, u64), ()> = Map::new("op");

/// The ask side: (model, denom, price, offer id) → what matching needs without loading the offer.
/// Holds the offers that are not withdrawn, have free units, and whose provider is not dormant,
/// so the cheapest offers of a market are the head of a prefix range.
pub const OFFER_BOOK: Map<(u32, u32, (u128, u64)), BookEntry> = Map::new("ob");

#[cw_serde]
pub struct BookEntry {
    #[serde(rename = "p")]
    pub provider: u32,
    #[serde(rename = "a")]
    pub address: Addr,
    #[serde(rename = "n")]
    pub min_duration: u64,
    #[serde(rename = "x")]
    pub max_duration: u64,
    #[serde(rename = "g")]
    pub region: String,
}

// ---- orders ----------------------------------------------------------------------------------

/// An order: its terms, its job and its progress, in one record written when it is posted and
/// rewritten when its state changes. Stored as a JSON array ([`OrderWire`]): no field names, so
/// each write costs only the values.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(try_from = "OrderWire", into = "OrderWire")]
pub struct Order {
    pub renter: Addr,
    pub denom: u32,
    pub budget: Uint128,
    pub gpu_count: u32,
    pub max_price: Uint128,
    /// Sum of the caps of every lease opened for the order.
    pub committed: Uint128,
    pub max_duration: u64,
    pub replication: u8,
    pub deadline: u64,
    pub created_at: u64,
    pub priority: u8,
    pub fee_bps: u16,
    pub status: OrderStatus,
    /// Eligible model idxs.
    pub models: Vec<u32>,
    pub requirements: StoredRequirements,
    pub spec: StoredSpec,
    /// Provider id of each matched replica, in replica order: lease `i` is `lease_id(order, i)`.
    pub providers: Vec<u32>,
    pub open_leases: u8,
    pub canonical: Option<String>,
    pub closed: bool,
    pub verification: Verification,
}

impl Order {
    pub fn unmatched(&self) -> u8 {
        self.replication
            .saturating_sub(u8::try_from(self.providers.len()).unwrap_or(u8::MAX))
    }

    /// The provider id of lease index `replica`: a matched replica, or the referee (index
    /// `replication`).
    pub fn provider_of(&self, replica: u8) -> Option<u32> {
        if replica == self.replication {
            return self.verification.referee;
        }
        self.providers.get(usize::from(replica)).copied()
    }
}

/// An order's verification round: when reveals opened, its referee, and a renter's dispute.
#[cw_serde]
#[derive(Default)]
pub struct Verification {
    #[serde(rename = "o", default, skip_serializing_if = "Option::is_none")]
    pub reveals_open_at: Option<u64>,
    /// The referee's provider id (its lease is index `replication`).
    #[serde(rename = "r", default, skip_serializing_if = "Option::is_none")]
    pub referee: Option<u32>,
    #[serde(rename = "d", default, skip_serializing_if = "is_false")]
    pub disputed: bool,
    /// A renter paid no more than this bond (it tops up the escrow account).
    #[serde(rename = "b", default, skip_serializing_if = "Uint128::is_zero")]
    pub bond: Uint128,
    /// The first 16 bytes of `sha256(renter's dispute salt)`, raw (base64 in storage).
    #[serde(rename = "s", default, skip_serializing_if = "Option::is_none")]
    pub dispute_salt_hash: Option<Binary>,
    /// The renter cut the order short (cancelled a lease, or the order, while replicas were
    /// running): replicas that commit and reveal but cannot be judged for lack of replicas are
    /// paid for their billable time, so the renter never holds an output and a full refund.
    #[serde(rename = "c", default, skip_serializing_if = "is_false")]
    pub cut_short: bool,
}

/// [`Order`] as stored: the same fields, in order, as two arrays (terms, then progress).
/// (Plain tuples: serde-json-wasm writes tuples, not tuple structs.)
pub type OrderWire = (
    (
        Addr,
        u32,
        Uint128,
        u32,
        Uint128,
        Uint128,
        u64,
        u8,
        u64,
        u64,
        u8,
        u16,
    ),
    (
        u8,
        Vec<u32>,
        StoredRequirements,
        StoredSpec,
        Vec<u32>,
        u8,
        Option<String>,
        bool,
        Verification,
    ),
);

impl From<Order> for OrderWire {
    fn from(o: Order) -> Self {
        (
            (
                o.renter,
                o.denom,
                o.budget,
                o.gpu_count,
                o.max_price,
                o.committed,
                o.max_duration,
                o.replication,
                o.deadline,
                o.created_at,
                o.priority,
                o.fee_bps,
            ),
            (
                status_code(o.status),
                o.models,
                o.requirements,
                o.spec,
                o.providers,
                o.open_leases,
                o.canonical,
                o.closed,
                o.verification,
            ),
        )
    }
}

impl TryFrom<OrderWire> for Order {
    type Error = &'static str;

    fn try_from((t, p): OrderWire) -> Result<Self, &'static str> {
        Ok(Order {
            renter: t.0,
            denom: t.1,
            budget: t.2,
            gpu_count: t.3,
            max_price: t.4,
            committed: t.5,
            max_duration: t.6,
            replication: t.7,
            deadline: t.8,
            created_at: t.9,
            priority: t.10,
            fee_bps: t.11,
            status: status_from(p.0)?,
            models: p.1,
            requirements: p.2,
            spec: p.3,
            providers: p.4,
            open_leases: p.5,
            canonical: p.6,
            closed: p.7,
            verification: p.8,
        })
    }
}

fn status_code(status: OrderStatus) -> u8 {
    match status {
        OrderStatus::Open => 0,
        OrderStatus::Filled => 1,
        OrderStatus::Cancelled => 2,
        OrderStatus::Expired => 3,
    }
}

fn status_from(code: u8) -> Result<OrderStatus, &'static str> {
    Ok(match code {
        0 => OrderStatus::Open,
        1 => OrderStatus::Filled,
        2 => OrderStatus::Cancelled,
        3 => OrderStatus::Expired,
        _ => return Err("unknown order status"),
    })
}

/// The requirements as posted, less the model list (resolved into `Order::models`).
#[cw_serde]
#[derive(Default)]
pub struct StoredRequirements {
    /// The models were resolved from the VRAM / compute-capability floors, not listed.
    #[serde(rename = "f", default, skip_serializing_if = "is_false")]
    pub from_floors: bool,
    #[serde(rename = "v", default, skip_serializing_if = "Option::is_none")]
    pub min_vram_mib: Option<u32>,
    #[serde(rename = "cc", default, skip_serializing_if = "Option::is_none")]
    pub min_compute_capability: Option<ComputeCapability>,
    #[serde(rename = "rg", default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(rename = "mr", default, skip_serializing_if = "Option::is_none")]
    pub min_reputation: Option<u16>,
}

/// A [`JobSpec`], stored as an array: (workload, inputs, deterministic, max runtime, output key).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(from = "SpecWire", into = "SpecWire")]
pub struct StoredSpec(pub JobSpec);

pub type SpecWire = (Workload, JobInputs, bool, u64, Option<String>);

impl From<StoredSpec> for SpecWire {
    fn from(StoredSpec(s): StoredSpec) -> Self {
        (
            s.workload,
            s.inputs,
            s.deterministic,
            s.max_runtime_seconds,
            s.output_key,
        )
    }
}

impl From<SpecWire> for StoredSpec {
    fn from(w: SpecWire) -> Self {
        StoredSpec(JobSpec {
            workload: w.0,
            inputs: w.1,
            deterministic: w.2,
            max_runtime_seconds: w.3,
            output_key: w.4,
        })
    }
}

impl From<JobSpec> for StoredSpec {
    fn from(s: JobSpec) -> Self {
        StoredSpec(s)
    }
}

impl From<StoredSpec> for JobSpec {
    fn from(s: StoredSpec) -> Self {
        s.0
    }
}

pub const ORDERS: Map<u64, Order> = Map::new("or");
/// Resting orders: (denom, 255 − priority, u128::MAX − max price, order id), so an ascending range
/// serves the highest priority first and, within it, the highest bid first.
pub const ORDER_BOOK: Map<(u32, u8, (u128, u64)), ()> = Map::new("rb");
/// Resting orders by (deadline, order id), for expiry.
pub const ORDER_DEADLINES: Map<(u64, u64), ()> = Map::new("dq");

// ---- leases ----------------------------------------------------------------------------------

/// A lease's result. The hex digests and the salt are stored as raw bytes in an array
/// ([`ResultWire`]): a lease is rewritten at every step of the verification game.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(from = "ResultWire", into = "ResultWire")]
pub struct StoredResult {
    /// 64 lowercase hex digits.
    pub commitment: String,
    pub output_uri: String,
    pub runtime_seconds: u64,
    pub energy_mwh: Option<u64>,
    pub committed_at: u64,
    /// 64 lowercase hex digits, once revealed.
    pub sha256: Option<String>,
    pub revealed_at: Option<u64>,
    /// Lowercase hex; kept while the lease is open (it seeds a referee's draw), dropped once final.
    pub salt: Option<String>,
}

/// [`StoredResult`] as stored.
pub type ResultWire = (
    Binary,
    String,
    u64,
    Option<u64>,
    u64,
    Option<Binary>,
    Option<u64>,
    Option<Binary>,
);

fn raw(hex: &str) -> Binary {
    Binary::from(gridshare_types::verification::decode_hex(hex).unwrap_or_default())
}

fn hex(raw: &Binary) -> String {
    gridshare_types::verification::encode_hex(raw.as_slice())
}

impl From<StoredResult> for ResultWire {
    fn from(r: StoredResult) -> Self {
        (
            raw(&r.commitment),
            r.output_uri,
            r.runtime_seconds,
            r.energy_mwh,
            r.committed_at,
            r.sha256.as_deref().map(raw),
            r.revealed_at,
            r.salt.as_deref().map(raw),
        )
    }
}

impl From<ResultWire> for StoredResult {
    fn from(w: ResultWire) -> Self {
        StoredResult {
            commitment: hex(&w.0),
            output_uri: w.1,
            runtime_seconds: w.2,
            energy_mwh: w.3,
            committed_at: w.4,
            sha256: w.5.as_ref().map(hex),
            revealed_at: w.6,
            salt: w.7.as_ref().map(hex),
        }
    }
}

#[cw_serde]
pub struct Closure {
    pub reason: CloseReason,
    pub at: u64,
    /// The payment was settled up to this time.
    pub paid_until: u64,
}

/// A lease, stored as an array ([`LeaseWire`]).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(try_from = "LeaseWire", into = "LeaseWire")]
pub struct Lease {
    pub offer: u64,
    pub units: u32,
    pub price: Uint128,
    pub start: u64,
    pub state: LeaseState,
    pub result: Option<StoredResult>,
    pub disputed: bool,
    pub closure: Option<Closure>,
}

/// [`Lease`] as stored, as an array; the state as a number.
pub type LeaseWire = (
    u64,
    u32,
    Uint128,
    u64,
    u8,
    Option<StoredResult>,
    bool,
    Option<Closure>,
);

impl From<Lease> for LeaseWire {
    fn from(l: Lease) -> Self {
        let state = match l.state {
            LeaseState::Active => 0,
            LeaseState::Committed => 1,
            LeaseState::Revealed => 7,
            LeaseState::Accepted => 2,
            LeaseState::Rejected => 3,
            LeaseState::Failed => 4,
            LeaseState::Cancelled => 5,
            LeaseState::Expired => 6,
        };
        (
            l.offer, l.units, l.price, l.start, state, l.result, l.disputed, l.closure,
        )
    }
}

impl TryFrom<LeaseWire> for Lease {
    type Error = &'static str;

    fn try_from(w: LeaseWire) -> Result<Self, &'static str> {
        let state = match w.4 {
            0 => LeaseState::Active,
            1 => LeaseState::Committed,
            7 => LeaseState::Revealed,
            2 => LeaseState::Accepted,
            3 => LeaseState::Rejected,
            4 => LeaseState::Failed,
            5 => LeaseState::Cancelled,
            6 => LeaseState::Expired,
            _ => return Err("unknown lease state"),
        };
        Ok(Lease {
            offer: w.0,
            units: w.1,
            price: w.2,
            start: w.3,
            state,
            result: w.5,
            disputed: w.6,
            closure: w.7,
        })
    }
}

/// Open leases (Active, Committed or Revealed) by (provider id, lease id): the primary store of an open
/// lease is also the index of a provider's open leases, which the reaper and deactivation read.
/// The provider of lease `i` of an order is `order.providers[i]`.
pub const OPEN_LEASES: Map<(u32, u64), Lease> = Map::new("lo");
/// Final leases by lease id (moved here when they close).
pub const CLOSED_LEASES: Map<u64, Lease> = Map::new("lc");

// ---- market statistics -----------------------------------------------------------------------

/// Market statistics, stored as an array: (listed, leased, demand, ewma, last price, matches).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(from = "StatsWire", into = "StatsWire")]
pub struct Stats {
    pub listed: u64,
    pub leased: u64,
    pub demand: u64,
    pub ewma: Option<Uint128>,
    pub last_price: Option<Uint128>,
    pub matches: u64,
}

pub type StatsWire = (u64, u64, u64, Option<Uint128>, Option<Uint128>, u64);

impl From<Stats> for StatsWire {
    fn from(s: Stats) -> Self {
        (
            s.listed,
            s.leased,
            s.demand,
            s.ewma,
            s.last_price,
            s.matches,
        )
    }
}

impl From<StatsWire> for Stats {
    fn from(w: StatsWire) -> Self {
        Stats {
            listed: w.0,
            leased: w.1,
            demand: w.2,
            ewma: w.3,
            last_price: w.4,
            matches: w.5,
        }
    }
}

/// (model idx, denom id) → statistics.
pub const STATS: Map<(u32, u32), Stats> = Map::new("st");
