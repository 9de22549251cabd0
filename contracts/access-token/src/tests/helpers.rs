//! The test bench: GRID instantiated on mock dependencies with two tiers, a cast of actors with
//! valid bech32 addresses, and an `execute` that audits the token's books after every success
//! (total supply = sum of balances, and supply only moves by what was minted or burned). The
//! harness's `Chain` proves that every error left the storage exactly as it was.

use crate::contract::{execute, instantiate, migrate, query};
use crate::msg::{
    AccessResponse, ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg, ReceiveMsg,
    SubscriptionResponse, Tier,
};
use crate::ContractError;
use cosmwasm_std::{Addr, Attribute, Coin, Order, Response, StdResult, Timestamp, Uint128};
use cw20::{BalanceResponse, Cw20Coin, MinterResponse, TokenInfoResponse};
use cw20_base::state::{BALANCES, TOKEN_INFO};
pub use gridshare_unit_harness::{
    addr, attr, attrs, env_at, invalid_address, snapshot, Bench, Snapshot,
};
use gridshare_unit_harness::{
    cw20_receive, Chain, Contract, ExecuteFn, InstantiateFn, MigrateFn, QueryFn,
};
use serde::de::DeserializeOwned;

/// The access token's entry points, as the harness drives them.
pub struct AccessToken;

impl Contract for AccessToken {
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

/// A whole second, so that timestamps in assertions read cleanly.
pub const GENESIS: u64 = 1_700_000_000;
pub const DAY: u64 = 86_400;
pub const MONTH: u64 = 30 * DAY;
/// Alice's and Bob's starting balances.
pub const ALICE_GRID: u128 = 1_000_000;
pub const BOB_GRID: u128 = 500_000;
pub const CAP: u128 = 10_000_000;
pub const PRO_PRICE: u128 = 1_000;
pub const ULTRA_PRICE: u128 = 5_000;

pub fn u(n: u128) -> Uint128 {
    Uint128::new(n)
}

/// `pro`: 1000 GRID per 30 days, 20 % fee discount, priority 1, 10 open orders.
pub fn pro() -> Tier {
    Tier {
        id: "pro".into(),
        price_per_period: u(PRO_PRICE),
        period_seconds: MONTH,
        fee_discount_bps: 2_000,
        priority: 1,
        max_open_orders: 10,
    }
}

/// `ultra`: 5000 GRID per 30 days, 50 % fee discount, priority 5, 100 open orders.
pub fn ultra() -> Tier {
    Tier {
        id: "ultra".into(),
        price_per_period: u(ULTRA_PRICE),
        period_seconds: MONTH,
        fee_discount_bps: 5_000,
        priority: 5,
        max_open_orders: 100,
    }
}

/// GRID with Alice and Bob funded, `minter` minting under a cap, `marketing` as marketing role,
/// the instantiator as admin, and the tiers `pro` and `ultra`.
pub fn instantiate_msg() -> InstantiateMsg {
    InstantiateMsg {
        name: "GridShare".into(),
        symbol: "GRID".into(),
        decimals: 6,
        initial_balances: vec![
            Cw20Coin {
                address: addr("alice").to_string(),
                amount: u(ALICE_GRID),
            },
            Cw20Coin {
                address: addr("bob").to_string(),
                amount: u(BOB_GRID),
            },
        ],
        mint: Some(MinterResponse {
            minter: addr("minter").to_string(),
            cap: Some(u(CAP)),
        }),
        marketing: Some(crate::msg::InstantiateMarketingInfo {
            project: Some("https://gridshare.example".into()),
            description: Some("GPU sharing".into()),
            marketing: Some(addr("marketing").to_string()),
            logo: None,
        }),
        admin: None,
        tiers: vec![pro(), ultra()],
    }
}

/// A cw20-base error as this contract returns it.
pub fn cw20_err(err: cw20_base::ContractError) -> ContractError {
    ContractError::Cw20(err)
}

pub struct Suite {
    pub chain: Chain<AccessToken>,
    pub admin: Addr,
    pub alice: Addr,
    pub bob: Addr,
    pub minter: Addr,
    pub marketing: Addr,
    pub stranger: Addr,
    /// Total supply by the tests' own count: initial, plus minted, less burned.
    pub expected_supply: u128,
}

impl Suite {
    pub fn new() -> Self {
        Self::with(instantiate_msg())
    }

    pub fn with(msg: InstantiateMsg) -> Self {
        let mut chain = Chain::at(GENESIS);
        let admin = addr("admin");
        let expected_supply = msg.initial_balances.iter().map(|c| c.amount.u128()).sum();
        chain.instantiate(&admin, msg, &[]).unwrap();
        let suite = Suite {
            chain,
            admin,
            alice: addr("alice"),
            bob: addr("bob"),
            minter: addr("minter"),
            marketing: addr("marketing"),
            stranger: addr("stranger"),
            expected_supply,
        };
        suite.check_books();
        suite
    }

    pub fn contract(&self) -> Addr {
        self.chain.contract()
    }

    pub fn now(&self) -> Timestamp {
        self.chain.now()
    }

    /// Moves the chain forward by `seconds` (and one block).
    pub fn advance(&mut self, seconds: u64) {
        self.chain.advance(seconds);
    }

    pub fn snapshot(&self) -> Snapshot {
        self.chain.snapshot()
    }

    /// GRID's own `Send` of `amount` from `from` to this contract arriving as `Receive`: the
    /// tokens are moved first, as cw20-base's `Send` does before the hook runs.
    pub fn try_send_to_self(
        &mut self,
        from: &Addr,
        amount: u128,
        hook: &ReceiveMsg,
    ) -> Result<Response, ContractError> {
        let contract = self.contract();
        self.exec(
            &from.clone(),
            &[],
            ExecuteMsg::Transfer {
                recipient: contract.to_string(),
                amount: u(amount),
            },
        );
        self.try_exec(
            &contract,
            &[],
            ExecuteMsg::Receive(cw20_receive(from, amount, hook)),
        )
    }

    pub fn subscribe(&mut self, who: &Addr, tier: &str, periods: u32) -> Response {
        self.exec(
            who,
            &[],
            ExecuteMsg::Subscribe {
                tier: tier.into(),
                periods,
            },
        )
    }

    pub fn subscribe_err(&mut self, who: &Addr, tier: &str, periods: u32) -> ContractError {
        self.exec_err(
            who,
            &[],
            ExecuteMsg::Subscribe {
                tier: tier.into(),
                periods,
            },
        )
    }

    // ---- queries ----

    pub fn query<T: DeserializeOwned>(&self, msg: QueryMsg) -> StdResult<T> {
        self.chain.query(msg)
    }

    pub fn balance(&self, who: &Addr) -> u128 {
        self.query::<BalanceResponse>(QueryMsg::Balance {
            address: who.to_string(),
        })
        .unwrap()
        .balance
        .u128()
    }

    pub fn supply(&self) -> u128 {
        self.query::<TokenInfoResponse>(QueryMsg::TokenInfo {})
            .unwrap()
            .total_supply
            .u128()
    }

    pub fn access(&self, who: &Addr) -> AccessResponse {
        self.query(QueryMsg::Access {
            address: who.to_string(),
        })
        .unwrap()
    }

    pub fn subscription(&self, who: &Addr) -> SubscriptionResponse {
        self.query(QueryMsg::Subscription {
            address: who.to_string(),
        })
        .unwrap()
    }

    /// Total supply = the sum of all balances = what the tests expect after mints and burns.
    pub fn check_books(&self) {
        let sum: u128 = BALANCES
            .range(&self.chain.deps.storage, None, None, Order::Ascending)
            .map(|item| item.unwrap().1.u128())
            .sum();
        let supply = TOKEN_INFO
            .load(&self.chain.deps.storage)
            .unwrap()
            .total_supply;
        assert_eq!(
            supply.u128(),
            sum,
            "total supply is not the sum of balances"
        );
        assert_eq!(supply.u128(), self.expected_supply, "supply drifted");
    }
}

impl Bench for Suite {
    type ExecuteMsg = ExecuteMsg;
    type Error = ContractError;

    /// Executes `msg` from `sender` with `funds` (the chain holds errors to "storage unchanged").
    /// On success the supply is audited against what the response says was minted or burned.
    fn try_exec(
        &mut self,
        sender: &Addr,
        funds: &[Coin],
        msg: ExecuteMsg,
    ) -> Result<Response, ContractError> {
        let result = self.chain.exec(sender, msg, funds);
        if let Ok(res) = &result {
            self.expected_supply = self.expected_supply + minted(res) - burned(res);
            self.check_books();
        }
        result
    }
}

fn amount_in(attributes: &[Attribute]) -> u128 {
    attributes
        .iter()
        .find(|a| a.key == "amount")
        .map(|a| a.value.parse().unwrap())
        .unwrap_or_default()
}

/// What a response minted, by its cw20-base `mint` action.
fn minted(res: &Response) -> u128 {
    if res
        .attributes
        .iter()
        .any(|a| a.key == "action" && a.value == "mint")
    {
        amount_in(&res.attributes)
    } else {
        0
    }
}

/// What a response burned: cw20-base's `burn`/`burn_from`, or a subscription's `burn` event.
fn burned(res: &Response) -> u128 {
    let direct = if res
        .attributes
        .iter()
        .any(|a| a.key == "action" && (a.value == "burn" || a.value == "burn_from"))
    {
        amount_in(&res.attributes)
    } else {
        0
    };
    let events: u128 = res
        .events
        .iter()
        .filter(|e| e.ty == "burn")
        .map(|e| amount_in(&e.attributes))
        .sum();
    direct + events
}
