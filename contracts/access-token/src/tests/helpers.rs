//! The test bench: GRID instantiated on mock dependencies with two tiers, a cast of actors with
//! valid bech32 addresses, and an `execute` that audits the token's books after every success
//! (total supply = sum of balances, and supply only moves by what was minted or burned) and proves
//! that every error left the storage exactly as it was.

use crate::contract::{execute, instantiate, query};
use crate::msg::{
    AccessResponse, ExecuteMsg, InstantiateMsg, QueryMsg, ReceiveMsg, SubscriptionResponse, Tier,
};
use crate::ContractError;
use cosmwasm_std::testing::{
    message_info, mock_dependencies, mock_env, MockApi, MockQuerier, MockStorage,
};
use cosmwasm_std::{
    from_json, to_json_binary, Addr, Api, Attribute, Coin, Env, Order, OwnedDeps, Record, Response,
    StdResult, Storage, Timestamp, Uint128,
};
use cw20::{BalanceResponse, Cw20Coin, Cw20ReceiveMsg, MinterResponse, TokenInfoResponse};
use cw20_base::state::{BALANCES, TOKEN_INFO};
use serde::de::DeserializeOwned;

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

pub type MockDeps = OwnedDeps<MockStorage, MockApi, MockQuerier>;

/// A valid bech32 address for `name` (`cosmwasm1…`).
pub fn addr(name: &str) -> Addr {
    MockApi::default().addr_make(name)
}

pub fn u(n: u128) -> Uint128 {
    Uint128::new(n)
}

pub fn ts(seconds: u64) -> Timestamp {
    Timestamp::from_seconds(seconds)
}

pub fn env_at(seconds: u64) -> Env {
    let mut env = mock_env();
    env.block.time = ts(seconds);
    env
}

/// The error `addr_validate` gives for `input`, as `wrap` wraps it.
pub fn invalid_address(input: &str) -> cosmwasm_std::StdError {
    MockApi::default()
        .addr_validate(input)
        .expect_err("the address should be invalid")
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

/// Every key and value in the contract's storage, to prove that a failed message changed nothing.
pub fn snapshot(storage: &dyn Storage) -> Vec<Record> {
    storage.range(None, None, Order::Ascending).collect()
}

pub fn attrs(pairs: &[(&str, &str)]) -> Vec<Attribute> {
    pairs.iter().map(|(k, v)| Attribute::new(*k, *v)).collect()
}

/// The value of attribute `key`; panics when it is missing.
pub fn attr(res: &Response, key: &str) -> String {
    res.attributes
        .iter()
        .find(|a| a.key == key)
        .unwrap_or_else(|| panic!("no attribute {key} in {:?}", res.attributes))
        .value
        .clone()
}

/// A cw20-base error as this contract returns it.
pub fn cw20_err(err: cw20_base::ContractError) -> ContractError {
    ContractError::Cw20(err)
}

pub struct Suite {
    pub deps: MockDeps,
    pub env: Env,
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
        let mut deps = mock_dependencies();
        let env = env_at(GENESIS);
        let admin = addr("admin");
        let expected_supply = msg.initial_balances.iter().map(|c| c.amount.u128()).sum();
        instantiate(deps.as_mut(), env.clone(), message_info(&admin, &[]), msg).unwrap();
        let suite = Suite {
            deps,
            env,
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
        self.env.contract.address.clone()
    }

    pub fn now(&self) -> Timestamp {
        self.env.block.time
    }

    /// Moves the chain forward by `seconds` (and one block).
    pub fn advance(&mut self, seconds: u64) {
        self.env.block.time = self.env.block.time.plus_seconds(seconds);
        self.env.block.height += 1;
    }

    pub fn snapshot(&self) -> Vec<Record> {
        snapshot(&self.deps.storage)
    }

    /// Executes `msg` from `sender` with `funds`. On success the supply is audited against what the
    /// response says was minted or burned; on error the storage must be exactly what it was.
    pub fn try_exec(
        &mut self,
        sender: &Addr,
        funds: &[Coin],
        msg: ExecuteMsg,
    ) -> Result<Response, ContractError> {
        let before = self.snapshot();
        let result = execute(
            self.deps.as_mut(),
            self.env.clone(),
            message_info(sender, funds),
            msg.clone(),
        );
        match &result {
            Ok(res) => {
                self.expected_supply = self.expected_supply + minted(res) - burned(res);
                self.check_books();
            }
            Err(err) => {
                assert_eq!(
                    before,
                    self.snapshot(),
                    "{msg:?} failed with {err:?} but changed the storage"
                );
            }
        }
        result
    }

    pub fn exec(&mut self, sender: &Addr, msg: ExecuteMsg) -> Response {
        let debug = format!("{msg:?}");
        self.try_exec(sender, &[], msg)
            .unwrap_or_else(|err| panic!("{debug} failed: {err:?}"))
    }

    pub fn exec_err(&mut self, sender: &Addr, msg: ExecuteMsg) -> ContractError {
        let debug = format!("{msg:?}");
        match self.try_exec(sender, &[], msg) {
            Ok(res) => panic!("{debug} should have failed, got {res:?}"),
            Err(err) => err,
        }
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
            ExecuteMsg::Transfer {
                recipient: contract.to_string(),
                amount: u(amount),
            },
        );
        self.try_exec(
            &contract,
            &[],
            ExecuteMsg::Receive(Cw20ReceiveMsg {
                sender: from.to_string(),
                amount: u(amount),
                msg: to_json_binary(hook).unwrap(),
            }),
        )
    }

    pub fn subscribe(&mut self, who: &Addr, tier: &str, periods: u32) -> Response {
        self.exec(
            who,
            ExecuteMsg::Subscribe {
                tier: tier.into(),
                periods,
            },
        )
    }

    pub fn subscribe_err(&mut self, who: &Addr, tier: &str, periods: u32) -> ContractError {
        self.exec_err(
            who,
            ExecuteMsg::Subscribe {
                tier: tier.into(),
                periods,
            },
        )
    }

    // ---- queries ----

    pub fn query<T: DeserializeOwned>(&self, msg: QueryMsg) -> StdResult<T> {
        query(self.deps.as_ref(), self.env.clone(), msg).and_then(|bin| from_json(bin))
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
            .range(&self.deps.storage, None, None, Order::Ascending)
            .map(|item| item.unwrap().1.u128())
            .sum();
        let supply = TOKEN_INFO.load(&self.deps.storage).unwrap().total_supply;
        assert_eq!(
            supply.u128(),
            sum,
            "total supply is not the sum of balances"
        );
        assert_eq!(supply.u128(), self.expected_supply, "supply drifted");
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
