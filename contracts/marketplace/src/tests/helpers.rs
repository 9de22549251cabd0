//! The test bench: a freshly instantiated marketplace on mock dependencies whose querier plays
//! staking (collateral), the access token (tiers) and escrow (accounts by depositor, config), whose
//! storage prices every access at Cosmos SDK gas, and an `execute` that proves every error left the
//! storage exactly as it was.
//!
//! Messages run the way the chain runs them. The marketplace's crank steps (`ExecuteMsg::Crank`
//! sub-messages to itself, `reply_on_error`) are executed as the contract itself against a
//! snapshot of storage and of the mock world: kept on success, rolled back on failure, with
//! `reply` then called with the error. Messages to staking take effect in the mock world
//! (`SetLocked` moves the lock and is refused above the bond as staking refuses it, `Slash` takes
//! its rule's amount from the bond as it is when it runs, `ReportWork` is recorded); a refused
//! message fails the step (or the transaction) that sent it. What `exec` returns is the
//! transaction as the chain would report it: the messages to escrow and staking of the
//! transaction and of every step that went through, in execution order, the transaction's
//! attributes, and as events the transaction's own, each executed step's (a `crank` event with
//! its attributes) and those of the replies (`crank_skipped`).
//!
//! The harness's `Chain` runs the entry points, holds every error of the transaction's own message
//! to "storage unchanged", and takes and restores the snapshots the rollbacks need.

use crate::contract::{execute, instantiate, migrate, query, reply};
use crate::execute::crank::CRANK_REPLY;
use crate::msg::*;
use crate::ContractError;
use cosmwasm_std::testing::{MockApi, MockQuerier};
use cosmwasm_std::{
    from_json, to_json_binary, Addr, Coin, ContractResult, CosmosMsg, Empty, Event, Order,
    OwnedDeps, Record, ReplyOn, Response, StdError, StdResult, Storage, SubMsg, SystemError,
    SystemResult, Uint128, WasmMsg, WasmQuery,
};
use gridshare_types::access::{AccessQueryMsg, AccessResponse, TierBenefits};
use gridshare_types::escrow::{
    AccountResponse, AccountsResponse, ConfigResponse as EscrowConfig, ExecuteMsg as EscrowMsg,
    QueryMsg as EscrowQuery, Rate,
};
use gridshare_types::staking::{
    CollateralResponse, DenomAmount, ExecuteMsg as StakingMsg, QueryMsg as StakingQuery,
};
use gridshare_types::verification::result_commitment;
use gridshare_types::{Denom, UncheckedDenom};
use serde::de::DeserializeOwned;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::rc::Rc;

pub use gridshare_unit_harness::{
    addr, attr, env_at, event_attr, events, snapshot, Bench, Snapshot,
};
use gridshare_unit_harness::{
    cw20_receive, error_reply, Chain, Contract, ExecuteFn, InstantiateFn, MigrateFn, QueryFn,
    ReplyFn, SnapshotStorage,
};

/// The marketplace's entry points, as the harness drives them.
pub struct Marketplace;

impl Contract for Marketplace {
    type InstantiateMsg = InstantiateMsg;
    type ExecuteMsg = ExecuteMsg;
    type QueryMsg = QueryMsg;
    type MigrateMsg = MigrateMsg;
    type Error = ContractError;
    const INSTANTIATE: InstantiateFn<Self> = instantiate;
    const EXECUTE: ExecuteFn<Self> = execute;
    const QUERY: QueryFn<Self> = query;
    const MIGRATE: MigrateFn<Self> = migrate;
    const REPLY: Option<ReplyFn<Self>> = Some(reply);
}

pub const USDC: &str = "uusdc";
pub const GRID: &str = "ugrid";
pub const GENESIS: u64 = 1_700_000_000;
pub const HOUR: u64 = 3_600;
pub const MIN_STAKE_PER_GPU: u128 = 1_000;
pub const HEARTBEAT_INTERVAL: u64 = 60;
pub const MAX_SILENCE: u64 = 300;
pub const DISPUTE_WINDOW: u64 = 3_600;
pub const REVEAL_WINDOW: u64 = 600;
pub const SLASH: u128 = 500;
pub const TAKE_RATE_BPS: u16 = 250;
pub const SHA_A: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
pub const SHA_B: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

pub fn usdc(amount: u128) -> Coin {
    Coin::new(amount, USDC)
}

pub fn native(denom: &str) -> UncheckedDenom {
    UncheckedDenom::Native(denom.to_string())
}

/// The error `addr_validate` gives for `input`, as the contract wraps it.
pub fn invalid_address(input: &str) -> ContractError {
    ContractError::Std(gridshare_unit_harness::invalid_address(input))
}

// ---------------------------------------------------------------------------------------------
// Storage that prices every access like the Cosmos SDK's KVGasConfig.

pub const READ_FLAT: u64 = 1_000;
pub const READ_PER_BYTE: u64 = 3;
pub const WRITE_FLAT: u64 = 2_000;
pub const WRITE_PER_BYTE: u64 = 30;
pub const DELETE_FLAT: u64 = 1_000;
pub const ITER_SEEK: u64 = 1_000;
pub const ITER_NEXT_FLAT: u64 = 30;

/// Priced accesses: (operation, key, gas).
pub type Trace = Rc<RefCell<Vec<(&'static str, String, u64)>>>;

#[derive(Default)]
pub struct GasStorage {
    data: BTreeMap<Vec<u8>, Vec<u8>>,
    pub gas: Rc<Cell<u64>>,
    /// When on, every priced access: (operation, key, gas).
    pub trace: Option<Trace>,
}

impl GasStorage {
    fn charge(&self, gas: u64) {
        self.gas.set(self.gas.get() + gas);
    }

    fn log(&self, op: &'static str, key: &[u8], gas: u64) {
        if let Some(trace) = &self.trace {
            trace
                .borrow_mut()
                .push((op, String::from_utf8_lossy(key).into_owned(), gas));
        }
    }
}

impl Storage for GasStorage {
    fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
        let value = self.data.get(key).cloned();
        let gas =
            READ_FLAT + READ_PER_BYTE * (key.len() + value.as_ref().map_or(0, Vec::len)) as u64;
        self.charge(gas);
        self.log("get", key, gas);
        value
    }

    fn range<'a>(
        &'a self,
        start: Option<&[u8]>,
        end: Option<&[u8]>,
        order: Order,
    ) -> Box<dyn Iterator<Item = Record> + 'a> {
        use std::ops::Bound;
        self.charge(ITER_SEEK);
        self.log("seek", start.unwrap_or_default(), ITER_SEEK);
        let lower = start.map_or(Bound::Unbounded, |s| Bound::Included(s.to_vec()));
        let upper = end.map_or(Bound::Unbounded, |e| Bound::Excluded(e.to_vec()));
        if let (Bound::Included(s), Bound::Excluded(e)) = (&lower, &upper) {
            if s >= e {
                return Box::new(std::iter::empty());
            }
        }
        let iter = self.data.range((lower, upper));
        let gas = self.gas.clone();
        let trace = self.trace.clone();
        let charge = move |(k, v): (&Vec<u8>, &Vec<u8>)| {
            let cost = ITER_NEXT_FLAT + READ_PER_BYTE * (k.len() + v.len()) as u64;
            gas.set(gas.get() + cost);
            if let Some(trace) = &trace {
                trace
                    .borrow_mut()
                    .push(("next", String::from_utf8_lossy(k).into_owned(), cost));
            }
            (k.clone(), v.clone())
        };
        match order {
            Order::Ascending => Box::new(iter.map(charge)),
            Order::Descending => Box::new(iter.rev().map(charge)),
        }
    }

    fn set(&mut self, key: &[u8], value: &[u8]) {
        let gas = WRITE_FLAT + WRITE_PER_BYTE * (key.len() + value.len()) as u64;
        self.charge(gas);
        self.log("set", key, gas);
        if self.trace.is_some() {
            self.log("  value", value, 0);
        }
        self.data.insert(key.to_vec(), value.to_vec());
    }

    fn remove(&mut self, key: &[u8]) {
        self.charge(DELETE_FLAT);
        self.log("remove", key, DELETE_FLAT);
        self.data.remove(key);
    }
}

/// The raw contents, unpriced: the harness's own reads (the "storage unchanged" check, a
/// sub-message's rollback) must not count as the contract's gas.
impl SnapshotStorage for GasStorage {
    fn snapshot(&self) -> Snapshot {
        self.data.clone().into()
    }

    fn restore(&mut self, snapshot: &Snapshot) {
        self.data = snapshot
            .iter()
            .map(|(k, v)| (k.to_vec(), v.to_vec()))
            .collect();
    }
}

// ---------------------------------------------------------------------------------------------
// The other contracts, as the querier sees them.

#[derive(Default, Clone)]
pub struct World {
    pub bonds: HashMap<String, u128>,
    /// Staking's collateral locks, as the marketplace's `SetLocked` messages set them.
    pub locks: HashMap<String, u128>,
    /// Staking's `min_stake_per_gpu` (default [`MIN_STAKE_PER_GPU`]).
    pub min_stake_per_gpu: Option<u128>,
    /// Providers whose `Collateral` query fails (a poisoned entry).
    pub staking_broken: HashSet<String>,
    /// Staking refuses every message naming one of these providers.
    pub staking_refuses: HashSet<String>,
    /// Slashes executed: (provider, amount taken, lease id).
    pub slashed: Vec<(String, u128, Option<u64>)>,
    /// Work reported: (provider, GPU-seconds, fee).
    pub work: Vec<(String, u64, Option<DenomAmount>)>,
    pub tiers: HashMap<String, TierBenefits>,
    pub access_broken: bool,
    /// Escrow accounts opened so far: (account id, depositor).
    pub accounts: Vec<(u64, String)>,
    /// Escrow's accepted denoms; `None`: escrow does not answer its `Config` query.
    pub escrow_denoms: Option<Vec<Denom>>,
}

impl World {
    pub fn min_stake(&self) -> u128 {
        self.min_stake_per_gpu.unwrap_or(MIN_STAKE_PER_GPU)
    }

    pub fn bond_of(&self, who: &Addr) -> u128 {
        self.bonds.get(who.as_str()).copied().unwrap_or(0)
    }

    pub fn lock_of(&self, who: &Addr) -> u128 {
        self.locks.get(who.as_str()).copied().unwrap_or(0)
    }

    /// A message to staking takes effect here, or is refused as staking refuses it.
    fn apply_staking(&mut self, msg: StakingMsg) -> Result<(), String> {
        match msg {
            StakingMsg::SetLocked { provider, amount } => {
                if self.staking_refuses.contains(&provider) {
                    return Err(format!("staking refuses SetLocked for {provider}"));
                }
                let (amount, bonded) = (
                    amount.u128(),
                    self.bonds.get(&provider).copied().unwrap_or(0),
                );
                let previous = self.locks.get(&provider).copied().unwrap_or(0);
                if amount > bonded && amount > previous {
                    return Err(format!(
                        "lock {amount} exceeds the bond {bonded} of {provider}"
                    ));
                }
                self.locks.insert(provider, amount);
            }
            StakingMsg::Slash {
                provider,
                rule,
                lease_id,
                ..
            } => {
                if self.staking_refuses.contains(&provider) {
                    return Err(format!("staking refuses Slash for {provider}"));
                }
                let bonded = self.bonds.get(&provider).copied().unwrap_or(0);
                let amount = match rule {
                    SlashRule::Fixed { amount } => amount.u128(),
                    SlashRule::BondBps { bps } => bonded * u128::from(bps.min(10_000)) / 10_000,
                }
                .min(bonded);
                self.bonds.insert(provider.clone(), bonded - amount);
                self.slashed.push((provider, amount, lease_id));
            }
            StakingMsg::ReportWork {
                provider,
                gpu_seconds,
                fee_paid,
            } => {
                if self.staking_refuses.contains(&provider) {
                    return Err(format!("staking refuses ReportWork for {provider}"));
                }
                if gpu_seconds == 0 {
                    return Err("no work to report".into());
                }
                self.work.push((provider, gpu_seconds, fee_paid));
            }
            other => panic!("the marketplace never sends staking {other:?}"),
        }
        Ok(())
    }
}

pub type MockDeps = gridshare_unit_harness::MockDeps<GasStorage>;

fn answer<T: serde::Serialize>(value: &T) -> cosmwasm_std::QuerierResult {
    SystemResult::Ok(ContractResult::Ok(to_json_binary(value).unwrap()))
}

fn install_querier(querier: &mut MockQuerier, world: Rc<RefCell<World>>) {
    let (staking, access, escrow) = (addr("staking"), addr("access"), addr("escrow"));
    querier.update_wasm(move |query| {
        let WasmQuery::Smart { contract_addr, msg } = query else {
            return SystemResult::Err(SystemError::Unknown {});
        };
        let world = world.borrow();
        if *contract_addr == staking.as_str() {
            match from_json(msg).unwrap() {
                StakingQuery::Collateral { address, gpus } => {
                    if world.staking_broken.contains(&address) {
                        return SystemResult::Ok(ContractResult::Err(format!(
                            "staking cannot answer for {address}"
                        )));
                    }
                    let bonded = Uint128::new(world.bonds.get(&address).copied().unwrap_or(0));
                    let locked = Uint128::new(world.locks.get(&address).copied().unwrap_or(0));
                    let required = Uint128::new(world.min_stake() * u128::from(gpus));
                    answer(&CollateralResponse {
                        bonded,
                        locked,
                        required,
                        sufficient: bonded >= required,
                    })
                }
                other => panic!("unexpected staking query {other:?}"),
            }
        } else if *contract_addr == access.as_str() {
            if world.access_broken {
                return SystemResult::Ok(ContractResult::Err("access token is broken".into()));
            }
            let AccessQueryMsg::Access { address } = from_json(msg).unwrap();
            answer(&AccessResponse {
                address: Addr::unchecked(&address),
                tier: world.tiers.get(&address).cloned(),
                expires_at: None,
            })
        } else if *contract_addr == escrow.as_str() {
            match from_json(msg).unwrap() {
                EscrowQuery::AccountsByDepositor {
                    depositor,
                    start_after,
                    limit,
                } => answer(&AccountsResponse {
                    accounts: world
                        .accounts
                        .iter()
                        .filter(|(id, d)| *d == depositor && start_after.is_none_or(|s| *id > s))
                        .take(limit.unwrap_or(10).min(100) as usize)
                        .map(|(id, d)| AccountResponse {
                            account_id: *id,
                            depositor: Addr::unchecked(d),
                            denom: Denom::Native(USDC.into()),
                            balance: Uint128::zero(),
                            reserved: Uint128::zero(),
                            available: Uint128::zero(),
                            open_payments: 0,
                            closed: false,
                        })
                        .collect(),
                }),
                EscrowQuery::Config {} => match &world.escrow_denoms {
                    Some(denoms) => answer(&EscrowConfig {
                        owner: addr("owner"),
                        marketplace: MockApi::default().addr_make("cosmos2contract"),
                        fee_collector: staking.clone(),
                        accepted_denoms: denoms.clone(),
                    }),
                    None => SystemResult::Err(SystemError::NoSuchContract {
                        addr: contract_addr.clone(),
                    }),
                },
                other => panic!("unexpected escrow query {other:?}"),
            }
        } else {
            SystemResult::Err(SystemError::NoSuchContract {
                addr: contract_addr.clone(),
            })
        }
    });
}

/// Empty storage and a querier playing the other contracts of `world`.
pub fn fresh_deps(world: Rc<RefCell<World>>) -> MockDeps {
    let mut querier = MockQuerier::new(&[]);
    install_querier(&mut querier, world);
    OwnedDeps {
        storage: GasStorage::default(),
        api: MockApi::default(),
        querier,
        custom_query_type: std::marker::PhantomData::<Empty>,
    }
}

// ---------------------------------------------------------------------------------------------

pub fn default_params() -> Params {
    Params {
        accepted_denoms: vec![
            native(USDC),
            native(GRID),
            UncheckedDenom::Cw20(addr("token").to_string()),
        ],
        take_rate_bps: TAKE_RATE_BPS,
        heartbeat_interval: HEARTBEAT_INTERVAL,
        max_silence: MAX_SILENCE,
        dispute_window: DISPUTE_WINDOW,
        reveal_window: REVEAL_WINDOW,
        slash: SlashRule::Fixed {
            amount: Uint128::new(SLASH),
        },
        liveness_slash: SlashRule::Fixed {
            amount: Uint128::new(SLASH),
        },
        max_matches: 8,
        max_scan: 50,
        max_reap: 20,
        max_replication: 5,
        max_inline_bytes: 1_024,
        max_eligible_models: 4,
    }
}

pub fn instantiate_msg() -> InstantiateMsg {
    InstantiateMsg {
        owner: None,
        escrow: addr("escrow").to_string(),
        staking: addr("staking").to_string(),
        access_token: Some(addr("access").to_string()),
        params: default_params(),
    }
}

/// The catalogue every suite starts with.
pub fn catalogue() -> Vec<GpuModel> {
    let model = |id: &str, vram_mib, major, minor, score| GpuModel {
        id: id.into(),
        vram_mib,
        compute_capability: ComputeCapability { major, minor },
        benchmark_score: score,
    };
    vec![
        model("rtx-4090", 24_576, 8, 9, 1_000),
        model("a100", 81_920, 8, 0, 2_000),
        model("t4", 16_384, 7, 5, 300),
    ]
}

pub fn job() -> JobSpec {
    JobSpec {
        workload: Workload::Sha256 {},
        inputs: JobInputs::Url {
            url: "https://data.example/in.bin".into(),
            sha256: SHA_A.into(),
        },
        deterministic: true,
        max_runtime_seconds: 600,
        output_key: None,
    }
}

/// One GPU of an rtx-4090 for up to an hour at up to 1000 per GPU-hour, single replica.
pub fn new_order() -> NewOrder {
    NewOrder {
        spec: job(),
        requirements: Requirements {
            models: Some(vec!["rtx-4090".into()]),
            ..Requirements::default()
        },
        gpu_count: 1,
        max_price: Uint128::new(1_000),
        max_duration: HOUR,
        replication: 1,
        deadline: GENESIS + 10 * HOUR,
        dispute_salt_hash: gridshare_types::verification::salt_hash(RENTER_SALT),
    }
}

/// The renter's dispute salt (its hash is committed with every order of [`new_order`]).
pub const RENTER_SALT: &str = "0123456789abcdef0123456789abcdef";

/// An ordinary close (the renter's cancel, the provider's withdrawal).
pub fn close(lease_id: u64) -> ExecuteMsg {
    ExecuteMsg::CloseLease {
        lease_id,
        renter_fault: None,
    }
}

pub fn offer_msg(model: &str, units: u32, price: u128) -> ExecuteMsg {
    ExecuteMsg::PostOffer {
        model: model.into(),
        units,
        price: Uint128::new(price),
        denom: native(USDC),
        min_duration: 60,
        max_duration: 24 * HOUR,
    }
}

pub struct Suite {
    pub chain: Chain<Marketplace, GasStorage>,
    pub owner: Addr,
    pub renter: Addr,
    pub stranger: Addr,
    pub world: Rc<RefCell<World>>,
    /// The last successful transaction's own response, before its messages ran.
    pub raw: Option<Response>,
    /// The crank steps the last transaction started, in order.
    pub steps: Vec<CrankStep>,
    /// The crank steps of the last transaction that failed and were rolled back, with why.
    pub skipped: Vec<(CrankStep, String)>,
    /// Commitments not yet revealed: (provider, lease, output hash).
    pub pending: Vec<(Addr, u64, String)>,
}

/// What ran after a transaction's own message: the messages to other contracts that went
/// through, the events, every crank step that was started, and the ones rolled back (with
/// their reasons).
#[derive(Default)]
pub struct Ran {
    pub messages: Vec<SubMsg>,
    pub events: Vec<Event>,
    pub steps: Vec<CrankStep>,
    pub skipped: Vec<(CrankStep, String)>,
}

impl Suite {
    /// A marketplace instantiated by `owner` with [`default_params`] and the [`catalogue`].
    pub fn new() -> Self {
        Self::with_params(instantiate_msg())
    }

    pub fn with_params(msg: InstantiateMsg) -> Self {
        let world = Rc::new(RefCell::new(World::default()));
        let mut chain = Chain::new(fresh_deps(world.clone()), env_at(GENESIS));
        let owner = addr("owner");
        chain.instantiate(&owner, msg, &[]).unwrap();
        let mut suite = Suite {
            chain,
            owner,
            renter: addr("renter"),
            stranger: addr("stranger"),
            world,
            raw: None,
            steps: vec![],
            skipped: vec![],
            pending: vec![],
        };
        for model in catalogue() {
            let owner = suite.owner.clone();
            suite.exec(&owner, &[], ExecuteMsg::AddModel { model });
        }
        suite
    }

    pub fn now(&self) -> u64 {
        self.chain.now().seconds()
    }

    pub fn advance(&mut self, seconds: u64) {
        self.chain.advance(seconds);
    }

    pub fn gas(&self) -> u64 {
        self.chain.deps.storage.gas.get()
    }

    pub fn snapshot(&self) -> Snapshot {
        self.chain.snapshot()
    }

    /// The crank step a message is, if it is one: an `ExecuteMsg::Crank` to this contract.
    fn crank_step(&self, msg: &CosmosMsg) -> Option<CrankStep> {
        let CosmosMsg::Wasm(WasmMsg::Execute {
            contract_addr,
            msg,
            funds,
        }) = msg
        else {
            return None;
        };
        if *contract_addr != self.chain.env.contract.address.as_str() {
            return None;
        }
        assert!(funds.is_empty(), "a crank step carries no funds");
        match from_json::<ExecuteMsg>(msg) {
            Ok(ExecuteMsg::Crank(step)) => Some(step),
            other => panic!("the marketplace sent itself {other:?}"),
        }
    }

    /// Runs `messages` in order, as the chain does after the message that sent them.
    fn run_messages(&mut self, messages: Vec<SubMsg>, ran: &mut Ran) -> Result<(), String> {
        for sub in messages {
            let Some(step) = self.crank_step(&sub.msg) else {
                assert_eq!(
                    sub.reply_on,
                    ReplyOn::Never,
                    "only crank steps ask for replies"
                );
                assert_eq!(sub.id, 0, "only crank steps ask for replies");
                self.deliver(&sub.msg)?;
                ran.messages.push(sub);
                continue;
            };
            assert_eq!(
                sub.reply_on,
                ReplyOn::Error,
                "a crank step replies on error only"
            );
            assert_eq!(sub.id, CRANK_REPLY);
            assert_eq!(
                sub.payload,
                to_json_binary(&step).unwrap(),
                "the step is the payload"
            );
            ran.steps.push(step.clone());
            let (storage, world) = (self.chain.snapshot(), self.world.borrow().clone());
            let (messages, events, skipped) =
                (ran.messages.len(), ran.events.len(), ran.skipped.len());
            let contract = self.chain.contract();
            // Unchecked: a failed step's writes are rolled back below, as the chain reverts them.
            let outcome = self
                .chain
                .exec_unchecked(&contract, ExecuteMsg::Crank(step.clone()), &[])
                .map_err(|err| err.to_string())
                .and_then(|res| {
                    ran.events
                        .push(Event::new("crank").add_attributes(res.attributes));
                    ran.events.extend(res.events);
                    self.run_messages(res.messages, ran)
                });
            if let Err(reason) = outcome {
                // Rolled back: its storage writes, its messages' effects, what it reported.
                self.chain.restore(&storage);
                *self.world.borrow_mut() = world;
                ran.messages.truncate(messages);
                ran.events.truncate(events);
                ran.skipped.truncate(skipped);
                ran.skipped.push((step, reason.clone()));
                // Unchecked: a failed reply fails the transaction, which is rolled back whole.
                let res = self
                    .chain
                    .reply_unchecked(error_reply(&sub, reason))
                    .map_err(|err| format!("reply failed: {err}"))?;
                ran.events.extend(res.events);
                self.run_messages(res.messages, ran)?;
            }
        }
        Ok(())
    }

    /// A message to another contract takes effect in the mock world (or is refused).
    fn deliver(&mut self, msg: &CosmosMsg) -> Result<(), String> {
        if let Some((account_id, depositor)) = opened_account(msg) {
            self.world
                .borrow_mut()
                .accounts
                .push((account_id, depositor));
            return Ok(());
        }
        let CosmosMsg::Wasm(WasmMsg::Execute {
            contract_addr, msg, ..
        }) = msg
        else {
            panic!("the marketplace sends only wasm messages, got {msg:?}");
        };
        if *contract_addr == addr("staking").as_str() {
            let msg: StakingMsg = from_json(msg).unwrap();
            return self.world.borrow_mut().apply_staking(msg);
        }
        Ok(())
    }

    /// A cw20 `Send` of `amount` from `from` through the token contract `token`.
    pub fn try_receive(
        &mut self,
        token: &Addr,
        from: &Addr,
        amount: u128,
        hook: &ReceiveMsg,
    ) -> Result<Response, ContractError> {
        self.try_exec(
            token,
            &[],
            ExecuteMsg::Receive(cw20_receive(from, amount, hook)),
        )
    }

    // ---- the story's verbs ----

    pub fn bond(&mut self, who: &Addr, amount: u128) {
        self.world
            .borrow_mut()
            .bonds
            .insert(who.to_string(), amount);
    }

    /// Bonds enough for `gpus` GPUs and registers `name` as a provider in region `eu`.
    pub fn provider(&mut self, name: &str, gpus: u32) -> Addr {
        self.provider_in(name, gpus, "eu")
    }

    pub fn provider_in(&mut self, name: &str, gpus: u32, region: &str) -> Addr {
        let who = addr(name);
        self.bond(&who, MIN_STAKE_PER_GPU * u128::from(gpus.max(1)));
        self.exec(
            &who,
            &[],
            ExecuteMsg::RegisterProvider {
                name: name.into(),
                region: region.into(),
                endpoint: format!("https://{name}.example"),
                public_key: "pk".into(),
            },
        );
        who
    }

    /// `provider` posts an offer; returns its id.
    pub fn offer(&mut self, provider: &Addr, model: &str, units: u32, price: u128) -> u64 {
        let res = self.exec(provider, &[], offer_msg(model, units, price));
        attr(&res, "offer_id").parse().unwrap()
    }

    pub fn try_post_order(
        &mut self,
        renter: &Addr,
        order: NewOrder,
        funds: &[Coin],
    ) -> Result<Response, ContractError> {
        self.try_exec(renter, funds, ExecuteMsg::PostOrder(order))
    }

    /// The renter posts `order` with exactly its required budget in USDC; returns the response.
    pub fn post_order(&mut self, order: NewOrder) -> Response {
        let budget = crate::matching::required_budget(
            order.replication,
            order.gpu_count,
            order.max_price,
            order.max_duration,
        )
        .unwrap();
        let renter = self.renter.clone();
        self.try_post_order(&renter, order, &[usdc(budget.u128())])
            .unwrap()
    }

    pub fn heartbeat(&mut self, provider: &Addr) -> Response {
        self.exec(provider, &[], ExecuteMsg::Heartbeat { telemetry: None })
    }

    /// The commitment message of `provider` to `sha256` for the lease, with [`salt_of`].
    pub fn commit(
        &mut self,
        provider: &Addr,
        lease_id: u64,
        sha256: &str,
    ) -> Result<Response, ContractError> {
        let commitment = result_commitment(sha256, lease_id, provider.as_str(), &salt_of(lease_id))
            .unwrap_or_else(|| "00".repeat(32));
        self.try_exec(
            provider,
            &[],
            ExecuteMsg::CommitResult {
                lease_id,
                commitment,
                output_uri: "https://out.example/result".into(),
                runtime_seconds: 100,
                energy_mwh: Some(7),
            },
        )
    }

    pub fn reveal(
        &mut self,
        provider: &Addr,
        lease_id: u64,
        sha256: &str,
    ) -> Result<Response, ContractError> {
        self.try_exec(
            provider,
            &[],
            ExecuteMsg::RevealResult {
                lease_id,
                sha256: sha256.into(),
                salt: salt_of(lease_id),
            },
        )
    }

    /// What an honest keeper does: commits, then reveals every pending commitment whose
    /// reveals are open (its own, and those of replicas that waited for it). Returns the commit's
    /// response, or the last reveal's when there was one.
    pub fn submit(
        &mut self,
        provider: &Addr,
        lease_id: u64,
        sha256: &str,
    ) -> Result<Response, ContractError> {
        let mut last = self.commit(provider, lease_id, sha256)?;
        self.pending
            .push((provider.clone(), lease_id, sha256.to_string()));
        for (who, id, hash) in self.pending.clone() {
            let lease = self.lease(id);
            if lease.state == LeaseState::Committed && lease.reveals_open_at.is_some() {
                last = self.reveal(&who, id, &hash)?;
                self.pending.retain(|(_, p, _)| *p != id);
            }
        }
        Ok(last)
    }

    // ---- queries ----

    pub fn query<T: DeserializeOwned>(&self, msg: QueryMsg) -> StdResult<T> {
        self.chain.query(msg)
    }

    pub fn order(&self, order_id: u64) -> OrderResponse {
        self.query(QueryMsg::Order { order_id }).unwrap()
    }

    pub fn lease(&self, lease_id: u64) -> LeaseResponse {
        self.query(QueryMsg::Lease { lease_id }).unwrap()
    }

    pub fn offer_info(&self, offer_id: u64) -> OfferResponse {
        self.query(QueryMsg::Offer { offer_id }).unwrap()
    }

    pub fn provider_info(&self, who: &Addr) -> ProviderResponse {
        self.query(QueryMsg::Provider {
            address: who.to_string(),
        })
        .unwrap()
    }

    pub fn stats(&self, model: &str) -> MarketStatsResponse {
        self.query(QueryMsg::MarketStats {
            model: model.into(),
            denom: native(USDC),
        })
        .unwrap()
    }
}

impl Bench for Suite {
    type ExecuteMsg = ExecuteMsg;
    type Error = ContractError;

    /// Executes `msg` from `sender` as a transaction: the contract's own error must leave the
    /// storage exactly as it was (the chain checks it); the messages it sends then run as the
    /// chain runs them (see the module documentation), and if one of those fails outside a crank
    /// step's isolation the whole transaction is rolled back. Returns the transaction as the
    /// chain reports it.
    fn try_exec(
        &mut self,
        sender: &Addr,
        funds: &[Coin],
        msg: ExecuteMsg,
    ) -> Result<Response, ContractError> {
        let (storage, world) = (self.chain.snapshot(), self.world.borrow().clone());
        let res = self.chain.exec(sender, msg, funds)?;
        self.raw = Some(res.clone());
        let mut ran = Ran::default();
        let outcome = self.run_messages(res.messages.clone(), &mut ran);
        self.steps = std::mem::take(&mut ran.steps);
        self.skipped = std::mem::take(&mut ran.skipped);
        match outcome {
            Ok(()) => {
                let mut out = Response::new()
                    .add_submessages(ran.messages)
                    .add_attributes(res.attributes)
                    .add_events(res.events)
                    .add_events(ran.events);
                if let Some(data) = res.data {
                    out = out.set_data(data);
                }
                Ok(out)
            }
            Err(reason) => {
                self.chain.restore(&storage);
                *self.world.borrow_mut() = world;
                Err(ContractError::Std(StdError::generic_err(reason)))
            }
        }
    }
}

/// The salt the test keepers use for a lease: 16 bytes, distinct per lease.
pub fn salt_of(lease_id: u64) -> String {
    format!("{lease_id:032x}")
}

/// The escrow account an `OpenAccount` (native, or through a cw20 `Send`) opens.
fn opened_account(msg: &CosmosMsg) -> Option<(u64, String)> {
    let CosmosMsg::Wasm(WasmMsg::Execute { msg, .. }) = msg else {
        return None;
    };
    let inner = match from_json::<cw20::Cw20ExecuteMsg>(msg) {
        Ok(cw20::Cw20ExecuteMsg::Send { msg, .. }) => msg,
        _ => msg.clone(),
    };
    match from_json::<EscrowMsg>(&inner) {
        Ok(EscrowMsg::OpenAccount {
            account_id,
            depositor,
        }) => Some((account_id, depositor)),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Messages the contract is expected to emit, built independently of the contract's code.

pub fn wasm_exec(contract: &Addr, msg: &impl serde::Serialize, funds: Vec<Coin>) -> SubMsg {
    SubMsg::new(WasmMsg::Execute {
        contract_addr: contract.to_string(),
        msg: to_json_binary(msg).unwrap(),
        funds,
    })
}

pub fn open_account(order_id: u64, renter: &Addr, amount: u128) -> SubMsg {
    wasm_exec(
        &addr("escrow"),
        &EscrowMsg::OpenAccount {
            account_id: order_id,
            depositor: renter.to_string(),
        },
        vec![usdc(amount)],
    )
}

pub fn open_payment(
    order_id: u64,
    lease_id: u64,
    payee: &Addr,
    per_hour: u128,
    cap: u128,
    fee_bps: u16,
) -> SubMsg {
    wasm_exec(
        &addr("escrow"),
        &EscrowMsg::OpenPayment {
            account_id: order_id,
            lease_id,
            payee: payee.to_string(),
            rate: Rate::per_hour(per_hour),
            start: None,
            cap: Uint128::new(cap),
            fee_bps,
        },
        vec![],
    )
}

pub fn close_payment(lease_id: u64, until: u64) -> SubMsg {
    wasm_exec(
        &addr("escrow"),
        &EscrowMsg::ClosePayment {
            lease_id,
            until: Some(until),
        },
        vec![],
    )
}

pub fn close_account(order_id: u64) -> SubMsg {
    wasm_exec(
        &addr("escrow"),
        &EscrowMsg::CloseAccount {
            account_id: order_id,
            until: None,
        },
        vec![],
    )
}

pub fn refund(order_id: u64, amount: u128) -> SubMsg {
    wasm_exec(
        &addr("escrow"),
        &EscrowMsg::Refund {
            account_id: order_id,
            amount: Uint128::new(amount),
        },
        vec![],
    )
}

pub fn forfeit(order_id: u64, amount: u128, to: &Addr) -> SubMsg {
    wasm_exec(
        &addr("escrow"),
        &EscrowMsg::Forfeit {
            account_id: order_id,
            amount: Uint128::new(amount),
            to: to.to_string(),
        },
        vec![],
    )
}

pub fn set_locked(provider: &Addr, amount: u128) -> SubMsg {
    wasm_exec(
        &addr("staking"),
        &StakingMsg::SetLocked {
            provider: provider.to_string(),
            amount: Uint128::new(amount),
        },
        vec![],
    )
}

/// A slash of a fixed `amount` (the default rule takes [`SLASH`]).
pub fn slash(provider: &Addr, amount: u128, reason: &str, lease_id: u64, renter: &Addr) -> SubMsg {
    slash_by(
        provider,
        SlashRule::Fixed {
            amount: Uint128::new(amount),
        },
        reason,
        lease_id,
        renter,
    )
}

/// A slash by `rule`: staking computes the amount when the message executes.
pub fn slash_by(
    provider: &Addr,
    rule: SlashRule,
    reason: &str,
    lease_id: u64,
    renter: &Addr,
) -> SubMsg {
    wasm_exec(
        &addr("staking"),
        &StakingMsg::Slash {
            provider: provider.to_string(),
            rule,
            reason: reason.into(),
            lease_id: Some(lease_id),
            compensation: Some(renter.to_string()),
        },
        vec![],
    )
}

/// A dishonesty slash a quorum decided: no compensation, all of it to the treasury.
pub fn slash_to_treasury(provider: &Addr, lease_id: u64) -> SubMsg {
    wasm_exec(
        &addr("staking"),
        &StakingMsg::Slash {
            provider: provider.to_string(),
            rule: SlashRule::Fixed {
                amount: Uint128::new(SLASH),
            },
            reason: "RejectedByQuorum".into(),
            lease_id: Some(lease_id),
            compensation: None,
        },
        vec![],
    )
}

/// An attribute of a response, if present.
pub fn attr_opt(res: &Response, key: &str) -> Option<String> {
    res.attributes
        .iter()
        .find(|a| a.key == key)
        .map(|a| a.value.clone())
}

/// Work reported for an accepted lease, with the fee (in USDC) its payment carried.
pub fn report_work(provider: &Addr, gpu_seconds: u64, fee: Option<u128>) -> SubMsg {
    wasm_exec(
        &addr("staking"),
        &StakingMsg::ReportWork {
            provider: provider.to_string(),
            gpu_seconds,
            fee_paid: fee.map(|amount| DenomAmount {
                denom: Denom::Native(USDC.into()),
                amount: Uint128::new(amount),
            }),
        },
        vec![],
    )
}

/// The fee escrow takes for `seconds` of a lease at `per_hour` (all its GPUs) under the default
/// take rate, worked out by hand: the gross rounded down, then the fee rounded down.
pub fn fee_for(per_hour: u128, seconds: u64) -> Option<u128> {
    let gross = per_hour * u128::from(seconds) / 3_600;
    let fee = gross * u128::from(TAKE_RATE_BPS) / 10_000;
    (fee > 0).then_some(fee)
}
