//! The test bench: a freshly instantiated staking contract on mock dependencies, a cast of actors
//! with valid bech32 addresses, and an `execute` that audits the contract's books after every
//! success against a ledger of the coins that came and went; the harness's `Chain` proves that
//! every error left the storage exactly as it was.

use crate::accumulator::scale;
use crate::contract::{execute, instantiate, migrate, query};
use crate::msg::{
    ClaimResponse, ClaimsResponse, CollateralResponse, ConfigResponse, DenomAmount, DenomHoldings,
    EmissionsResponse, EpochResponse, ExecuteMsg, InstantiateMsg, MigrateMsg,
    PendingRewardsResponse, QueryMsg, ReceiveMsg, RewardPoolResponse, RewardPoolsResponse,
    SlashRule, StakerResponse, TotalsResponse, UncheckedEmissionWeight, VotingPowerResponse,
};
use crate::state::{
    Claim, Epoch, RewardPool, UserReward, Work, BONDED, CLAIMS, CLAIM_COUNT, EMISSIONS, EPOCHS,
    REWARD_POOLS, TOTAL_BONDED, TOTAL_CLAIMS, USER_REWARDS, WORK,
};
use crate::{ContractError, MAX_CLAIMS};
use cosmwasm_std::{
    from_json, to_json_binary, Addr, BankMsg, Coin, ContractResult, CosmosMsg, Decimal, Order,
    QuerierResult, Response, StdResult, SystemError, SystemResult, Uint128, Uint256, WasmMsg,
    WasmQuery,
};
use cw20::Cw20ExecuteMsg;
use gridshare_types::{Denom, UncheckedDenom};
pub use gridshare_unit_harness::{
    addr, attr, attrs, bank_send, cw20_transfer, env_at, event,
    invalid_address as invalid_address_std, snapshot, Bench, MockDeps, Snapshot, Transfer,
};
use gridshare_unit_harness::{
    cw20_receive, Chain, Contract, ExecuteFn, InstantiateFn, Ledger, MigrateFn, QueryFn,
};
use serde::de::DeserializeOwned;
use std::collections::{BTreeMap, BTreeSet};

/// Staking's entry points, as the harness drives them.
pub struct Staking;

impl Contract for Staking {
    type InstantiateMsg = InstantiateMsg;
    type ExecuteMsg = ExecuteMsg;
    type QueryMsg = QueryMsg;
    type MigrateMsg = MigrateMsg;
    type Error = ContractError;
    const INSTANTIATE: InstantiateFn<Self> = instantiate;
    const EXECUTE: ExecuteFn<Self> = execute;
    const QUERY: QueryFn<Self> = query;
    const MIGRATE: MigrateFn<Self> = migrate;
}

pub const UGRID: &str = "ugrid";
pub const UUSDC: &str = "uusdc";
/// A whole second, so that timestamps in assertions read cleanly.
pub const GENESIS: u64 = 1_700_000_000;
pub const DAY: u64 = 86_400;
pub const UNBONDING: u64 = 7 * DAY;
pub const EPOCH: u64 = DAY;
pub const EMISSION: u128 = 1_000;
pub const MIN_STAKE_PER_GPU: u128 = 100;

pub fn coin(amount: u128, denom: &str) -> Coin {
    Coin::new(amount, denom)
}

pub fn native(denom: &str) -> Denom {
    Denom::Native(denom.to_string())
}

pub fn cw20(name: &str) -> Denom {
    Denom::Cw20(addr(name))
}

pub fn u(n: u128) -> Uint128 {
    Uint128::new(n)
}

/// The error `addr_validate` gives for `input`, as the contract wraps it.
pub fn invalid_address(input: &str) -> ContractError {
    ContractError::Std(invalid_address_std(input))
}

/// The standard instantiate message: the cw20 `grid` is the stake token; rewards are accepted in
/// `uusdc`, in `grid` itself and in the cw20 `rwd`.
pub fn instantiate_msg() -> InstantiateMsg {
    InstantiateMsg {
        owner: None,
        marketplace: addr("marketplace").to_string(),
        treasury: addr("treasury").to_string(),
        stake_denom: UncheckedDenom::Cw20(addr("grid").to_string()),
        unbonding_period: UNBONDING,
        min_stake_per_gpu: u(MIN_STAKE_PER_GPU),
        compensation_ratio: Decimal::percent(50),
        reward_denoms: vec![
            UncheckedDenom::Native(UUSDC.to_string()),
            UncheckedDenom::Cw20(addr("grid").to_string()),
            UncheckedDenom::Cw20(addr("rwd").to_string()),
        ],
        epoch_seconds: EPOCH,
        emission_per_epoch: u(EMISSION),
        emission_weights: None,
    }
}

/// An `UpdateConfig` that changes nothing; tests set the fields they change.
pub fn no_update() -> ExecuteMsg {
    ExecuteMsg::UpdateConfig {
        marketplace: None,
        treasury: None,
        unbonding_period: None,
        min_stake_per_gpu: None,
        compensation_ratio: None,
        reward_denoms: None,
        emission_per_epoch: None,
        emission_weights: None,
    }
}

pub fn weight(denom: UncheckedDenom, weight: u128) -> UncheckedEmissionWeight {
    UncheckedEmissionWeight {
        denom,
        weight: u(weight),
    }
}

/// A fee of `amount` in the native `denom`, as the marketplace reports it.
pub fn fee(amount: u128, denom: &str) -> Option<DenomAmount> {
    Some(DenomAmount {
        denom: native(denom),
        amount: u(amount),
    })
}

/// What the marketplace's `Config {}` answers, reduced to the fields a test needs plus some it
/// does not (staking must read `escrow` and ignore the rest).
#[derive(serde::Serialize)]
struct MarketplaceConfig {
    owner: Addr,
    escrow: Addr,
    staking: Addr,
    access_token: Option<Addr>,
}

/// A wasm querier in which `marketplace` answers its config query naming `escrow`, and `escrow`
/// (when `accepted` is `Some`) answers escrow's config query with those accepted denoms. Every
/// other query fails as if no contract were there.
pub fn wasm_querier(
    marketplace: Addr,
    escrow: Addr,
    accepted: Option<Vec<Denom>>,
) -> impl Fn(&WasmQuery) -> QuerierResult + 'static {
    move |query| {
        let no_contract = |addr: &str| {
            SystemResult::Err(SystemError::NoSuchContract {
                addr: addr.to_string(),
            })
        };
        let WasmQuery::Smart { contract_addr, msg } = query else {
            return no_contract("raw");
        };
        if *contract_addr == marketplace.as_str() {
            let _: gridshare_types::marketplace::QueryMsg = from_json(msg).unwrap();
            let answer = MarketplaceConfig {
                owner: addr("owner"),
                escrow: escrow.clone(),
                staking: addr("staking"),
                access_token: None,
            };
            return SystemResult::Ok(ContractResult::Ok(to_json_binary(&answer).unwrap()));
        }
        match &accepted {
            Some(denoms) if *contract_addr == escrow.as_str() => {
                let _: gridshare_types::escrow::QueryMsg = from_json(msg).unwrap();
                let answer = gridshare_types::escrow::ConfigResponse {
                    owner: addr("owner"),
                    marketplace: marketplace.clone(),
                    fee_collector: addr("staking"),
                    accepted_denoms: denoms.clone(),
                };
                SystemResult::Ok(ContractResult::Ok(to_json_binary(&answer).unwrap()))
            }
            _ => no_contract(contract_addr),
        }
    }
}

/// The same contract with the native `ugrid` as its stake denom (and reward denoms `ugrid`, `uusdc`).
pub fn native_instantiate_msg() -> InstantiateMsg {
    InstantiateMsg {
        stake_denom: UncheckedDenom::Native(UGRID.to_string()),
        reward_denoms: vec![
            UncheckedDenom::Native(UGRID.to_string()),
            UncheckedDenom::Native(UUSDC.to_string()),
        ],
        ..instantiate_msg()
    }
}

// ---------------------------------------------------------------------------------------------
// Messages the contract is expected to emit, built independently of the contract's own code.

/// Every coin a response sends away. Panics on a message staking has no business sending.
pub fn transfers(res: &Response) -> Vec<Transfer> {
    let mut out = vec![];
    for sub in &res.messages {
        assert_eq!(sub.id, 0, "staking never asks for replies");
        match &sub.msg {
            CosmosMsg::Bank(BankMsg::Send { to_address, amount }) => {
                for c in amount {
                    assert!(!c.amount.is_zero(), "zero coin sent: {res:?}");
                    out.push(Transfer {
                        to: to_address.clone(),
                        denom: native(&c.denom),
                        amount: c.amount.u128(),
                    });
                }
            }
            CosmosMsg::Wasm(WasmMsg::Execute {
                contract_addr,
                msg,
                funds,
            }) => {
                assert!(funds.is_empty(), "staking never attaches funds to a call");
                match from_json(msg).unwrap() {
                    Cw20ExecuteMsg::Transfer { recipient, amount } => {
                        assert!(!amount.is_zero(), "zero cw20 transfer: {res:?}");
                        out.push(Transfer {
                            to: recipient,
                            denom: Denom::Cw20(Addr::unchecked(contract_addr)),
                            amount: amount.u128(),
                        });
                    }
                    other => panic!("unexpected cw20 message {other:?}"),
                }
            }
            other => panic!("unexpected message {other:?}"),
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------

pub struct Suite {
    pub chain: Chain<Staking>,
    pub owner: Addr,
    pub marketplace: Addr,
    pub treasury: Addr,
    pub stranger: Addr,
    pub alice: Addr,
    pub bob: Addr,
    pub carol: Addr,
    /// The stake denom.
    pub stake: Denom,
    /// What the contract holds and has sent away, by the tests' own count.
    pub ledger: Ledger,
}

impl Suite {
    /// Staking with the cw20 `grid` as stake token, instantiated by `owner` at [`GENESIS`].
    pub fn new() -> Self {
        Self::with(instantiate_msg())
    }

    /// Staking with the native `ugrid` as stake denom.
    pub fn native() -> Self {
        Self::with(native_instantiate_msg())
    }

    pub fn with(msg: InstantiateMsg) -> Self {
        let mut chain = Chain::at(GENESIS);
        let owner = addr("owner");
        let stake = msg.stake_denom.validate(&chain.deps.api).unwrap();
        chain.instantiate(&owner, msg, &[]).unwrap();
        Suite {
            chain,
            owner,
            marketplace: addr("marketplace"),
            treasury: addr("treasury"),
            stranger: addr("stranger"),
            alice: addr("alice"),
            bob: addr("bob"),
            carol: addr("carol"),
            stake,
            ledger: Ledger::default(),
        }
    }

    pub fn now(&self) -> u64 {
        self.chain.now().seconds()
    }

    pub fn height(&self) -> u64 {
        self.chain.height()
    }

    /// Moves the chain forward by `seconds` and one block.
    pub fn advance(&mut self, seconds: u64) {
        self.chain.advance(seconds);
    }

    pub fn snapshot(&self) -> Snapshot {
        self.chain.snapshot()
    }

    /// A cw20 `Send` of `amount` from `from` to staking through the token contract `token`.
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

    /// Bonds `amount` of the stake denom for `who`, through whichever path the stake denom takes.
    pub fn try_bond(&mut self, who: &Addr, amount: u128) -> Result<Response, ContractError> {
        match self.stake.clone() {
            Denom::Cw20(token) => self.try_receive(&token, who, amount, &ReceiveMsg::Bond {}),
            Denom::Native(denom) => {
                self.try_exec(who, &[coin(amount, &denom)], ExecuteMsg::Bond {})
            }
        }
    }

    pub fn bond(&mut self, who: &Addr, amount: u128) -> Response {
        self.try_bond(who, amount).unwrap()
    }

    pub fn try_unbond(&mut self, who: &Addr, amount: u128) -> Result<Response, ContractError> {
        self.try_exec(who, &[], ExecuteMsg::Unbond { amount: u(amount) })
    }

    pub fn unbond(&mut self, who: &Addr, amount: u128) -> Response {
        self.try_unbond(who, amount).unwrap()
    }

    pub fn claim(&mut self, who: &Addr) -> Response {
        self.exec(who, &[], ExecuteMsg::Claim {})
    }

    pub fn as_marketplace(&mut self, msg: ExecuteMsg) -> Result<Response, ContractError> {
        let marketplace = self.marketplace.clone();
        self.try_exec(&marketplace, &[], msg)
    }

    pub fn set_locked(&mut self, provider: &Addr, amount: u128) -> Response {
        self.as_marketplace(ExecuteMsg::SetLocked {
            provider: provider.to_string(),
            amount: u(amount),
        })
        .unwrap()
    }

    /// A `Fixed` slash of `amount`.
    pub fn slash_msg(provider: &Addr, amount: u128, compensation: Option<&Addr>) -> ExecuteMsg {
        Self::slash_rule_msg(
            provider,
            SlashRule::Fixed { amount: u(amount) },
            compensation,
        )
    }

    pub fn slash_rule_msg(
        provider: &Addr,
        rule: SlashRule,
        compensation: Option<&Addr>,
    ) -> ExecuteMsg {
        ExecuteMsg::Slash {
            provider: provider.to_string(),
            rule,
            reason: "missed heartbeats".to_string(),
            lease_id: Some(7),
            compensation: compensation.map(Addr::to_string),
        }
    }

    pub fn slash(
        &mut self,
        provider: &Addr,
        amount: u128,
        compensation: Option<&Addr>,
    ) -> Response {
        self.as_marketplace(Self::slash_msg(provider, amount, compensation))
            .unwrap()
    }

    /// Deposits native reward coins from `who`.
    pub fn deposit(&mut self, who: &Addr, funds: &[Coin]) -> Response {
        self.exec(who, funds, ExecuteMsg::DepositRewards {})
    }

    /// Deposits `amount` of the cw20 `token` as rewards from `who`.
    pub fn deposit_cw20(&mut self, token: &Addr, who: &Addr, amount: u128) -> Response {
        self.try_receive(token, who, amount, &ReceiveMsg::DepositRewards {})
            .unwrap()
    }

    pub fn claim_rewards(&mut self, who: &Addr) -> Response {
        self.exec(who, &[], ExecuteMsg::ClaimRewards {})
    }

    /// Funds the emission pool with `amount` of the stake denom from `who`.
    pub fn fund(&mut self, who: &Addr, amount: u128) -> Response {
        match self.stake.clone() {
            Denom::Cw20(token) => self
                .try_receive(&token, who, amount, &ReceiveMsg::FundEmissions {})
                .unwrap(),
            Denom::Native(denom) => {
                self.exec(who, &[coin(amount, &denom)], ExecuteMsg::FundEmissions {})
            }
        }
    }

    /// The marketplace reports an accepted lease of `gpu_seconds` that paid a fee of one uusdc
    /// per GPU-second (so with the default weights, weight = GPU-seconds).
    pub fn report_work(&mut self, provider: &Addr, gpu_seconds: u64) -> Response {
        self.report(provider, gpu_seconds, fee(u128::from(gpu_seconds), UUSDC))
    }

    /// The marketplace reports an accepted lease with an explicit fee.
    pub fn report(
        &mut self,
        provider: &Addr,
        gpu_seconds: u64,
        fee: Option<DenomAmount>,
    ) -> Response {
        self.as_marketplace(ExecuteMsg::ReportWork {
            provider: provider.to_string(),
            gpu_seconds,
            fee_paid: fee,
        })
        .unwrap()
    }

    /// The owner changes the emission per epoch (in force from the next epoch).
    pub fn set_emission(&mut self, amount: u128) -> Response {
        let owner = self.owner.clone();
        self.exec(
            &owner,
            &[],
            ExecuteMsg::UpdateConfig {
                marketplace: None,
                treasury: None,
                unbonding_period: None,
                min_stake_per_gpu: None,
                compensation_ratio: None,
                reward_denoms: None,
                emission_per_epoch: Some(u(amount)),
                emission_weights: None,
            },
        )
    }

    /// Makes the marketplace answer its config query naming `escrow`, which accepts `accepted`
    /// (or, with `None`, does not answer).
    pub fn wire(&mut self, accepted: Option<Vec<Denom>>) {
        let handler = wasm_querier(self.marketplace.clone(), addr("escrow"), accepted);
        self.chain.deps.querier.update_wasm(handler);
    }

    pub fn claim_emissions(&mut self, provider: &Addr, limit: Option<u32>) -> Response {
        self.exec(provider, &[], ExecuteMsg::ClaimEmissions { limit })
    }

    // ---- queries ----

    pub fn query<T: DeserializeOwned>(&self, msg: QueryMsg) -> StdResult<T> {
        self.chain.query(msg)
    }

    pub fn config(&self) -> ConfigResponse {
        self.query(QueryMsg::Config {}).unwrap()
    }

    pub fn staker(&self, who: &Addr) -> StakerResponse {
        self.query(QueryMsg::Staker {
            address: who.to_string(),
        })
        .unwrap()
    }

    pub fn bonded(&self, who: &Addr) -> u128 {
        self.staker(who).bonded.u128()
    }

    pub fn claims(&self, who: &Addr) -> Vec<ClaimResponse> {
        self.query::<ClaimsResponse>(QueryMsg::Claims {
            address: who.to_string(),
            start_after: None,
            limit: Some(100),
        })
        .unwrap()
        .claims
    }

    pub fn collateral(&self, who: &Addr, gpus: u32) -> CollateralResponse {
        self.query(QueryMsg::Collateral {
            address: who.to_string(),
            gpus,
        })
        .unwrap()
    }

    /// Pending rewards of `who` in `denom`.
    pub fn pending(&self, who: &Addr, denom: &Denom) -> u128 {
        self.query::<PendingRewardsResponse>(QueryMsg::PendingRewards {
            address: who.to_string(),
        })
        .unwrap()
        .rewards
        .into_iter()
        .find(|r| r.denom == *denom)
        .map_or(0, |r| r.amount.u128())
    }

    pub fn pool(&self, denom: &Denom) -> RewardPoolResponse {
        self.query::<RewardPoolsResponse>(QueryMsg::RewardPools {})
            .unwrap()
            .pools
            .into_iter()
            .find(|p| p.denom == *denom)
            .unwrap_or_else(|| panic!("no pool for {denom}"))
    }

    pub fn power(&self, who: &Addr, height: Option<u64>) -> u128 {
        self.query::<VotingPowerResponse>(QueryMsg::VotingPowerAtHeight {
            address: who.to_string(),
            height,
        })
        .unwrap()
        .power
        .u128()
    }

    pub fn total_power(&self, height: Option<u64>) -> u128 {
        self.query::<VotingPowerResponse>(QueryMsg::TotalPowerAtHeight { height })
            .unwrap()
            .power
            .u128()
    }

    pub fn emissions(&self) -> EmissionsResponse {
        self.query(QueryMsg::Emissions {}).unwrap()
    }

    pub fn epoch(&self, epoch: Option<u64>) -> EpochResponse {
        self.query(QueryMsg::Epoch { epoch }).unwrap()
    }

    pub fn totals(&self) -> Vec<DenomHoldings> {
        self.query::<TotalsResponse>(QueryMsg::Totals {})
            .unwrap()
            .totals
    }

    pub fn holdings(&self, denom: &Denom) -> DenomHoldings {
        self.totals()
            .into_iter()
            .find(|t| t.denom == *denom)
            .unwrap_or_else(|| panic!("no totals for {denom}"))
    }

    /// Everything sent to `to` in `denom` so far.
    pub fn sent_to(&self, to: &Addr, denom: &Denom) -> u128 {
        self.ledger.sent_to(to, denom)
    }

    // ---- the audit run after every successful message ----

    /// The contract's books, checked against each other and against the coins the tests saw
    /// come and go:
    /// - per denom, `Totals` = what the contract holds (coins in less coins out), and every part
    ///   of it adds up;
    /// - the total bond is the sum of the bonds; the total of claims the sum of the claims; an
    ///   address's claim count is its number of claims, at most `MAX_CLAIMS`;
    /// - per reward pool, deposits = undistributed + carry + distributed (scaled), and what the
    ///   stakers are owed, settled or not, is exactly what was distributed less what was claimed;
    /// - emissions allocated = the unpaid part of reserved epochs whose weight is not all claimed;
    ///   an epoch has a reservation exactly when it has weight, never above its target; each
    ///   epoch's work and weight = claimed + its unclaimed entries; nothing paid beyond funding.
    pub fn check_books(&self) {
        let storage = &self.chain.deps.storage;

        // Bonds.
        let bonds: Vec<(Addr, Uint128)> = BONDED
            .range(storage, None, None, Order::Ascending)
            .collect::<StdResult<_>>()
            .unwrap();
        let bonded_sum: u128 = bonds.iter().map(|(_, b)| b.u128()).sum();
        assert!(bonds.iter().all(|(_, b)| !b.is_zero()), "zero bond stored");
        let total_bonded = TOTAL_BONDED.may_load(storage).unwrap().unwrap_or_default();
        assert_eq!(total_bonded.u128(), bonded_sum, "total bonded drifted");

        // Claims.
        let claims: Vec<((Addr, u64), Claim)> = CLAIMS
            .range(storage, None, None, Order::Ascending)
            .collect::<StdResult<_>>()
            .unwrap();
        let claims_sum: u128 = claims.iter().map(|(_, c)| c.amount.u128()).sum();
        assert!(
            claims.iter().all(|(_, c)| !c.amount.is_zero()),
            "empty claim"
        );
        let total_claims = TOTAL_CLAIMS.may_load(storage).unwrap().unwrap_or_default();
        assert_eq!(total_claims.u128(), claims_sum, "total claims drifted");
        let mut per_addr: BTreeMap<Addr, u32> = BTreeMap::new();
        for ((a, _), _) in &claims {
            *per_addr.entry(a.clone()).or_default() += 1;
        }
        let counts: BTreeMap<Addr, u32> = CLAIM_COUNT
            .range(storage, None, None, Order::Ascending)
            .collect::<StdResult<_>>()
            .unwrap();
        assert_eq!(per_addr, counts, "claim counts drifted");
        assert!(counts.values().all(|c| *c <= MAX_CLAIMS));

        // Reward pools.
        let pools: Vec<(String, RewardPool)> = REWARD_POOLS
            .range(storage, None, None, Order::Ascending)
            .collect::<StdResult<_>>()
            .unwrap();
        let positions: Vec<((Addr, String), UserReward)> = USER_REWARDS
            .range(storage, None, None, Order::Ascending)
            .collect::<StdResult<_>>()
            .unwrap();
        let bonded_of = |a: &Addr| {
            bonds
                .iter()
                .find(|(b, _)| b == a)
                .map_or(Uint256::zero(), |(_, v)| Uint256::from(*v))
        };
        for (key, pool) in &pools {
            assert_eq!(*key, pool.denom.key());
            assert_eq!(
                Uint256::from(pool.deposited) * scale(),
                Uint256::from(pool.undistributed) * scale() + pool.carry + pool.distributed,
                "pool {key} lost track of its deposits"
            );
            let mut owed = Uint256::zero();
            let mut seen = BTreeSet::new();
            for ((a, k), position) in &positions {
                if k == key {
                    owed += position.pending + bonded_of(a) * (pool.index - position.index);
                    seen.insert(a.clone());
                }
            }
            for (a, b) in &bonds {
                if !seen.contains(a) {
                    owed += Uint256::from(*b) * pool.index;
                }
            }
            assert_eq!(
                owed + Uint256::from(pool.claimed) * scale(),
                pool.distributed,
                "pool {key}: stakers' entitlements do not add up to what was distributed"
            );
            assert!(pool.claimed <= pool.deposited);
        }

        // Emissions.
        let state = EMISSIONS.load(storage).unwrap();
        let epochs: Vec<(u64, Epoch)> = EPOCHS
            .range(storage, None, None, Order::Ascending)
            .collect::<StdResult<_>>()
            .unwrap();
        let work: Vec<((Addr, u64), Work)> = WORK
            .range(storage, None, None, Order::Ascending)
            .collect::<StdResult<_>>()
            .unwrap();
        let mut allocated = 0u128;
        for (id, epoch) in &epochs {
            let entries: Vec<&Work> = work
                .iter()
                .filter(|((_, e), _)| e == id)
                .map(|(_, w)| w)
                .collect();
            let unclaimed: u128 = entries.iter().map(|w| w.gpu_seconds.u128()).sum();
            let unclaimed_weight = entries
                .iter()
                .fold(Uint256::zero(), |sum, w| sum + w.weight);
            assert_eq!(
                epoch.total_work.u128(),
                epoch.claimed_work.u128() + unclaimed,
                "epoch {id} work drifted"
            );
            assert_eq!(
                epoch.total_weight,
                epoch.claimed_weight + unclaimed_weight,
                "epoch {id} weight drifted"
            );
            assert_eq!(
                epoch.emission.is_some(),
                !epoch.total_weight.is_zero(),
                "epoch {id}: a reservation without weight, or weight without one"
            );
            if let Some(emission) = epoch.emission {
                assert!(epoch.paid <= emission);
                assert!(emission <= epoch.target, "epoch {id} reserved above target");
                if epoch.claimed_weight < epoch.total_weight {
                    allocated += (emission - epoch.paid).u128();
                }
            } else {
                assert!(epoch.paid.is_zero());
            }
        }
        assert_eq!(
            state.allocated.u128(),
            allocated,
            "allocated emissions drifted"
        );
        assert_eq!(
            state.funded.u128(),
            state.pool.u128() + state.allocated.u128() + state.paid.u128(),
            "emission funds drifted"
        );

        // What the contract holds.
        let totals = self.totals();
        for t in &totals {
            let parts = t.bonded
                + t.claims
                + t.rewards_unclaimed
                + t.rewards_undistributed
                + t.rewards_dust
                + t.emission_pool
                + t.emissions_allocated;
            assert_eq!(t.total, parts, "totals of {} do not add up", t.denom);
            let held = self.ledger.held(&t.denom);
            assert_eq!(
                t.total.u128(),
                held,
                "totals of {} are not what is held",
                t.denom
            );
        }
        for (denom, held) in &self.ledger.held {
            if *held > 0 {
                assert!(
                    totals.iter().any(|t| t.denom == *denom),
                    "{denom} is held but has no total"
                );
            }
        }
    }
}

impl Bench for Suite {
    type ExecuteMsg = ExecuteMsg;
    type Error = ContractError;

    /// Executes `msg` from `sender` with `funds` (the chain holds an error to "storage
    /// unchanged"). On success the coin flows are booked in the ledger and the contract's books
    /// audited.
    fn try_exec(
        &mut self,
        sender: &Addr,
        funds: &[Coin],
        msg: ExecuteMsg,
    ) -> Result<Response, ContractError> {
        let result = self.chain.exec(sender, msg.clone(), funds);
        let Ok(res) = &result else {
            return result;
        };
        if let ExecuteMsg::Receive(wrapper) = &msg {
            self.ledger
                .receive(Denom::Cw20(sender.clone()), wrapper.amount.u128());
        }
        self.ledger.receive_funds(funds);
        for t in transfers(res) {
            self.ledger.pay(t, &msg);
        }
        self.check_books();
        result
    }
}
