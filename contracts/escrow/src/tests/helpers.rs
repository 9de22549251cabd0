//! The test bench: a freshly instantiated escrow on mock dependencies, a cast of actors with
//! valid bech32 addresses, and an `execute` that audits the contract's books after every success
//! and proves that every error left the storage exactly as it was.

use crate::contract::{execute, instantiate, query, reply};
use crate::msg::{
    AccountResponse, ConfigResponse, DenomTotal, ExecuteMsg, InstantiateMsg, PaymentResponse,
    QueryMsg, Rate, ReceiveMsg, TotalsResponse, UncollectedFeesResponse,
};
use crate::state::{Account, Payment, ACCOUNTS, OPEN_ACCOUNTS, PAYMENTS, TOTALS, UNCOLLECTED_FEES};
use crate::{ContractError, FEE_REPLY_ID};
use cosmwasm_std::testing::{
    message_info, mock_dependencies, mock_env, MockApi, MockQuerier, MockStorage,
};
use cosmwasm_std::{
    from_json, to_json_binary, Addr, Api, Attribute, BankMsg, Binary, Coin, ContractResult,
    CosmosMsg, Env, Order, OwnedDeps, Record, Reply, ReplyOn, Response, StdResult, Storage, SubMsg,
    SubMsgResult, SystemError, SystemResult, Timestamp, Uint128, WasmMsg, WasmQuery,
};
use cw20::{Cw20ExecuteMsg, Cw20ReceiveMsg};
use gridshare_types::{Denom, UncheckedDenom};
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;

pub const UGRID: &str = "ugrid";
pub const UUSDC: &str = "uusdc";
/// A whole second, so that timestamps in assertions read cleanly.
pub const GENESIS: u64 = 1_700_000_000;
pub const HOUR: u64 = 3_600;
/// What the fee collector receives with every fee, byte for byte.
pub const DEPOSIT_REWARDS: &[u8] = br#"{"deposit_rewards":{}}"#;
/// The error a refusing fee collector answers with.
pub const REFUSAL: &str = "the collector refuses";

pub type MockDeps = OwnedDeps<MockStorage, MockApi, MockQuerier>;

/// A valid bech32 address for `name` (`cosmwasm1…`).
pub fn addr(name: &str) -> Addr {
    MockApi::default().addr_make(name)
}

pub fn coin(amount: u128, denom: &str) -> Coin {
    Coin::new(amount, denom)
}

pub fn native(denom: &str) -> Denom {
    Denom::Native(denom.to_string())
}

pub fn ts(seconds: u64) -> Timestamp {
    Timestamp::from_seconds(seconds)
}

pub fn env_at(seconds: u64) -> Env {
    let mut env = mock_env();
    env.block.time = ts(seconds);
    env
}

/// The error `addr_validate` gives for `input`, as the contract wraps it.
pub fn invalid_address(input: &str) -> ContractError {
    ContractError::Std(
        MockApi::default()
            .addr_validate(input)
            .expect_err("the address should be invalid"),
    )
}

/// The standard instantiate message: owner defaults to the sender, three accepted denoms.
pub fn instantiate_msg() -> InstantiateMsg {
    InstantiateMsg {
        owner: None,
        marketplace: addr("marketplace").to_string(),
        fee_collector: addr("fee_collector").to_string(),
        accepted_denoms: vec![
            UncheckedDenom::Native(UGRID.to_string()),
            UncheckedDenom::Native(UUSDC.to_string()),
            UncheckedDenom::Cw20(addr("token").to_string()),
        ],
    }
}

/// Makes the addresses in `answers` contracts that answer `{"config":{}}` with the given JSON;
/// every other address is not a contract, so a query to it fails.
pub fn answer_configs(deps: &mut MockDeps, answers: Vec<(Addr, Binary)>) {
    deps.querier.update_wasm(move |query| match query {
        WasmQuery::Smart { contract_addr, msg } => {
            match answers.iter().find(|(a, _)| a.as_str() == contract_addr) {
                Some((_, answer)) => {
                    assert_eq!(
                        msg.as_slice(),
                        br#"{"config":{}}"#,
                        "escrow asks for configs only"
                    );
                    SystemResult::Ok(ContractResult::Ok(answer.clone()))
                }
                None => SystemResult::Err(SystemError::NoSuchContract {
                    addr: contract_addr.clone(),
                }),
            }
        }
        other => panic!("unexpected query {other:?}"),
    });
}

/// What a marketplace answers to `{"config":{}}`, reduced to what escrow reads.
pub fn marketplace_config(accepted: &[Denom]) -> Binary {
    to_json_binary(&config_answers::MarketplaceConfig {
        params: config_answers::Params {
            accepted_denoms: accepted.to_vec(),
        },
    })
    .unwrap()
}

/// What staking answers to `{"config":{}}`, reduced to what escrow reads.
pub fn collector_config(reward_denoms: &[Denom]) -> Binary {
    to_json_binary(&config_answers::CollectorConfig {
        reward_denoms: reward_denoms.to_vec(),
    })
    .unwrap()
}

mod config_answers {
    use gridshare_types::Denom;
    use serde::Serialize;

    #[derive(Serialize)]
    pub struct MarketplaceConfig {
        pub params: Params,
    }

    #[derive(Serialize)]
    pub struct Params {
        pub accepted_denoms: Vec<Denom>,
    }

    #[derive(Serialize)]
    pub struct CollectorConfig {
        pub reward_denoms: Vec<Denom>,
    }
}

/// Every key and value in the contract's storage, to prove that a failed message changed nothing.
pub fn snapshot(storage: &dyn Storage) -> Vec<Record> {
    storage.range(None, None, Order::Ascending).collect()
}

// ---------------------------------------------------------------------------------------------
// Messages the contract is expected to emit, built independently of the contract's own code.

pub fn bank_send(to: &Addr, amount: u128, denom: &str) -> SubMsg {
    SubMsg::new(BankMsg::Send {
        to_address: to.to_string(),
        amount: vec![coin(amount, denom)],
    })
}

/// A fee on release never blocks it: it is a submessage whose failure is replied to, carrying
/// the fee (denom and amount) as its payload.
fn fee_on_release(msg: WasmMsg, denom_json: &str, amount: u128) -> SubMsg {
    SubMsg::reply_on_error(msg, FEE_REPLY_ID).with_payload(Binary::from(
        format!(r#"{{"denom":{denom_json},"amount":"{amount}"}}"#).into_bytes(),
    ))
}

/// `{"deposit_rewards":{}}` executed on the fee collector with `amount` native coins attached.
pub fn native_deposit(fee_collector: &Addr, amount: u128, denom: &str) -> WasmMsg {
    WasmMsg::Execute {
        contract_addr: fee_collector.to_string(),
        msg: Binary::from(DEPOSIT_REWARDS),
        funds: vec![coin(amount, denom)],
    }
}

/// The token's `Send` to the fee collector with `{"deposit_rewards":{}}` as its hook.
pub fn cw20_deposit(token: &Addr, fee_collector: &Addr, amount: u128) -> WasmMsg {
    WasmMsg::Execute {
        contract_addr: token.to_string(),
        msg: to_json_binary(&Cw20ExecuteMsg::Send {
            contract: fee_collector.to_string(),
            amount: Uint128::new(amount),
            msg: Binary::from(DEPOSIT_REWARDS),
        })
        .unwrap(),
        funds: vec![],
    }
}

/// A native fee on release: `{"deposit_rewards":{}}` executed on the fee collector with the fee
/// attached.
pub fn native_fee(fee_collector: &Addr, amount: u128, denom: &str) -> SubMsg {
    fee_on_release(
        native_deposit(fee_collector, amount, denom),
        &format!(r#"{{"native":"{denom}"}}"#),
        amount,
    )
}

/// A cw20 fee on release: the token's `Send` to the fee collector with `{"deposit_rewards":{}}`
/// as its hook.
pub fn cw20_fee(token: &Addr, fee_collector: &Addr, amount: u128) -> SubMsg {
    fee_on_release(
        cw20_deposit(token, fee_collector, amount),
        &format!(r#"{{"cw20":"{token}"}}"#),
        amount,
    )
}

pub fn cw20_transfer(token: &Addr, to: &Addr, amount: u128) -> SubMsg {
    SubMsg::new(WasmMsg::Execute {
        contract_addr: token.to_string(),
        msg: to_json_binary(&Cw20ExecuteMsg::Transfer {
            recipient: to.to_string(),
            amount: Uint128::new(amount),
        })
        .unwrap(),
        funds: vec![],
    })
}

/// One movement of coins out of the contract, read back from a response's messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    pub to: String,
    pub denom: Denom,
    pub amount: u128,
}

/// A fee sent on release: a submessage replied to only if it fails.
pub fn is_fee_on_release(sub: &SubMsg) -> bool {
    sub.id == FEE_REPLY_ID && sub.reply_on == ReplyOn::Error
}

/// Every coin these messages send away, whatever the message kind. Panics on a message escrow
/// has no business sending.
pub fn transfers_of<'a>(messages: impl Iterator<Item = &'a SubMsg>) -> Vec<Transfer> {
    let mut out = vec![];
    for sub in messages {
        if sub.id != 0 || sub.reply_on != ReplyOn::Never {
            assert!(
                is_fee_on_release(sub),
                "escrow asks for replies to fees only: {sub:?}"
            );
            let fee: DenomTotal = from_json(&sub.payload).expect("a fee's payload");
            let sent = transfers_of(std::iter::once(&SubMsg::new(sub.msg.clone())));
            assert_eq!(
                sent,
                vec![Transfer {
                    to: sent[0].to.clone(),
                    denom: fee.denom,
                    amount: fee.amount.u128(),
                }],
                "the payload is the fee the submessage sends"
            );
            out.extend(sent);
            continue;
        }
        assert!(sub.payload.is_empty(), "payload without a reply: {sub:?}");
        match &sub.msg {
            CosmosMsg::Bank(BankMsg::Send { to_address, amount }) => {
                for c in amount {
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
            }) if !funds.is_empty() => {
                assert_eq!(
                    msg.as_slice(),
                    DEPOSIT_REWARDS,
                    "native funds only go to fees"
                );
                for c in funds {
                    out.push(Transfer {
                        to: contract_addr.clone(),
                        denom: native(&c.denom),
                        amount: c.amount.u128(),
                    });
                }
            }
            CosmosMsg::Wasm(WasmMsg::Execute {
                contract_addr, msg, ..
            }) => {
                let token = Denom::Cw20(Addr::unchecked(contract_addr));
                let (to, amount) = match from_json(msg).unwrap() {
                    Cw20ExecuteMsg::Transfer { recipient, amount } => (recipient, amount),
                    Cw20ExecuteMsg::Send {
                        contract,
                        amount,
                        msg,
                    } => {
                        assert_eq!(msg.as_slice(), DEPOSIT_REWARDS, "cw20 sends only pay fees");
                        (contract, amount)
                    }
                    other => panic!("unexpected cw20 message {other:?}"),
                };
                out.push(Transfer {
                    to,
                    denom: token,
                    amount: amount.u128(),
                });
            }
            other => panic!("unexpected message {other:?}"),
        }
    }
    out
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

pub fn attrs(pairs: &[(&str, &str)]) -> Vec<Attribute> {
    pairs.iter().map(|(k, v)| Attribute::new(*k, *v)).collect()
}

// ---------------------------------------------------------------------------------------------
// A new payment, with defaults a test overrides field by field.

#[derive(Clone, Debug)]
pub struct NewPayment {
    pub account_id: u64,
    pub lease_id: u64,
    pub payee: String,
    pub rate: Rate,
    pub start: Option<Timestamp>,
    pub cap: u128,
    pub fee_bps: u16,
}

impl NewPayment {
    pub fn msg(&self) -> ExecuteMsg {
        ExecuteMsg::OpenPayment {
            account_id: self.account_id,
            lease_id: self.lease_id,
            payee: self.payee.clone(),
            rate: self.rate,
            start: self.start,
            cap: Uint128::new(self.cap),
            fee_bps: self.fee_bps,
        }
    }
}

// ---------------------------------------------------------------------------------------------

pub struct Suite {
    pub deps: MockDeps,
    pub env: Env,
    pub owner: Addr,
    pub marketplace: Addr,
    pub fee_collector: Addr,
    pub renter: Addr,
    pub provider: Addr,
    pub stranger: Addr,
    /// An accepted cw20 token contract.
    pub token: Addr,
    /// What the contract holds by the tests' own count: coins that arrived with successful
    /// messages, less coins that successful responses sent away.
    pub held: BTreeMap<Denom, u128>,
    /// Every coin sent away so far, in order.
    pub sent: Vec<Transfer>,
    /// Whether the fee collector refuses fees: each fee sent on release then fails, and escrow's
    /// `reply` is called with the error, as the chain would.
    pub refusing: bool,
    /// The responses of the replies of the last successful message.
    pub replies: Vec<Response>,
}

impl Suite {
    /// An escrow instantiated by `owner` (the default owner), accepting `ugrid`, `uusdc` and the
    /// cw20 `token`, at block time [`GENESIS`].
    pub fn new() -> Self {
        let mut deps = mock_dependencies();
        let env = env_at(GENESIS);
        let owner = addr("owner");
        instantiate(
            deps.as_mut(),
            env.clone(),
            message_info(&owner, &[]),
            instantiate_msg(),
        )
        .unwrap();
        Suite {
            deps,
            env,
            owner,
            marketplace: addr("marketplace"),
            fee_collector: addr("fee_collector"),
            renter: addr("renter"),
            provider: addr("provider"),
            stranger: addr("stranger"),
            token: addr("token"),
            held: BTreeMap::new(),
            sent: vec![],
            refusing: false,
            replies: vec![],
        }
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

    /// Executes `msg` from `sender` with `funds`. On success the coin flows are booked and the
    /// contract's books audited; on error the storage must be exactly what it was before.
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
                if let ExecuteMsg::Receive(wrapper) = &msg {
                    *self.held.entry(Denom::Cw20(sender.clone())).or_default() +=
                        wrapper.amount.u128();
                } else {
                    for c in funds {
                        *self.held.entry(native(&c.denom)).or_default() += c.amount.u128();
                    }
                }
                self.replies.clear();
                for sub in &res.messages {
                    if self.refusing && is_fee_on_release(sub) {
                        // The chain reverts the fee's submessage, coins included, and replies.
                        let reply_msg = Reply {
                            id: sub.id,
                            payload: sub.payload.clone(),
                            gas_used: 0,
                            result: SubMsgResult::Err(REFUSAL.to_string()),
                        };
                        let replied = reply(self.deps.as_mut(), self.env.clone(), reply_msg)
                            .unwrap_or_else(|e| panic!("the fee reply failed: {e:?}"));
                        assert!(replied.messages.is_empty(), "a reply sends nothing");
                        self.replies.push(replied);
                        continue;
                    }
                    if self.refusing {
                        let deposits = matches!(&sub.msg, CosmosMsg::Wasm(WasmMsg::Execute { contract_addr, msg, funds })
                            if (*contract_addr == self.fee_collector.as_str() && !funds.is_empty())
                                || from_json::<Cw20ExecuteMsg>(msg).is_ok_and(|m| matches!(m, Cw20ExecuteMsg::Send { .. })));
                        assert!(
                            !deposits,
                            "a plain fee message to a refusing collector reverts the whole \
                             transaction; test that on cw-multi-test"
                        );
                    }
                    for t in transfers_of(std::iter::once(sub)) {
                        let held = self.held.entry(t.denom.clone()).or_default();
                        *held = held.checked_sub(t.amount).unwrap_or_else(|| {
                            panic!("{msg:?} sends {t:?}, more than the contract holds")
                        });
                        self.sent.push(t);
                    }
                }
                self.check_books();
            }
            Err(err) => {
                let changed = storage_diff(&before, &self.snapshot());
                assert!(
                    changed.is_empty(),
                    "{msg:?} failed with {err:?} but changed the storage: {changed:#?}"
                );
            }
        }
        result
    }

    pub fn exec(&mut self, sender: &Addr, funds: &[Coin], msg: ExecuteMsg) -> Response {
        let debug = format!("{msg:?}");
        self.try_exec(sender, funds, msg)
            .unwrap_or_else(|err| panic!("{debug} failed: {err:?}"))
    }

    pub fn exec_err(&mut self, sender: &Addr, funds: &[Coin], msg: ExecuteMsg) -> ContractError {
        let debug = format!("{msg:?}");
        match self.try_exec(sender, funds, msg) {
            Ok(res) => panic!("{debug} should have failed, got {res:?}"),
            Err(err) => err,
        }
    }

    /// A cw20 `Send` of `amount` from `from` to escrow through the token contract `token`.
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
            ExecuteMsg::Receive(Cw20ReceiveMsg {
                sender: from.to_string(),
                amount: Uint128::new(amount),
                msg: to_json_binary(hook).unwrap(),
            }),
        )
    }

    // ---- the story's verbs (as the marketplace, unless they say otherwise) ----

    /// Opens account `id` for the renter with `amount` ugrid.
    pub fn open_account(&mut self, id: u64, amount: u128) -> Response {
        self.open_account_with(id, &self.renter.clone(), coin(amount, UGRID))
    }

    pub fn open_account_with(&mut self, id: u64, depositor: &Addr, funds: Coin) -> Response {
        let marketplace = self.marketplace.clone();
        self.exec(
            &marketplace,
            &[funds],
            ExecuteMsg::OpenAccount {
                account_id: id,
                depositor: depositor.to_string(),
            },
        )
    }

    /// Opens account `id` for the renter with `amount` of the accepted cw20 token.
    pub fn open_cw20_account(&mut self, id: u64, amount: u128) -> Response {
        let (token, marketplace) = (self.token.clone(), self.marketplace.clone());
        self.try_receive(
            &token,
            &marketplace,
            amount,
            &ReceiveMsg::OpenAccount {
                account_id: id,
                depositor: self.renter.to_string(),
            },
        )
        .unwrap()
    }

    /// A payment of lease `lease_id` in `account_id` to the provider: 1 per second, cap 1000,
    /// no fee, starting now. Override fields before sending.
    pub fn new_payment(&self, account_id: u64, lease_id: u64) -> NewPayment {
        NewPayment {
            account_id,
            lease_id,
            payee: self.provider.to_string(),
            rate: Rate::per_second(1u128),
            start: None,
            cap: 1_000,
            fee_bps: 0,
        }
    }

    pub fn open_payment(&mut self, payment: &NewPayment) -> Response {
        let marketplace = self.marketplace.clone();
        self.exec(&marketplace, &[], payment.msg())
    }

    pub fn as_marketplace(&mut self, msg: ExecuteMsg) -> Result<Response, ContractError> {
        let marketplace = self.marketplace.clone();
        self.try_exec(&marketplace, &[], msg)
    }

    pub fn release(&mut self, lease_id: u64, until: Option<Timestamp>) -> Response {
        self.as_marketplace(ExecuteMsg::Release { lease_id, until })
            .unwrap()
    }

    pub fn close_payment(&mut self, lease_id: u64, until: Option<Timestamp>) -> Response {
        self.as_marketplace(ExecuteMsg::ClosePayment { lease_id, until })
            .unwrap()
    }

    pub fn refund(&mut self, account_id: u64, amount: u128) -> Response {
        self.as_marketplace(ExecuteMsg::Refund {
            account_id,
            amount: Uint128::new(amount),
        })
        .unwrap()
    }

    pub fn close_account(&mut self, account_id: u64, until: Option<Timestamp>) -> Response {
        self.as_marketplace(ExecuteMsg::CloseAccount { account_id, until })
            .unwrap()
    }

    pub fn withdraw(&mut self, payee: &Addr, lease_ids: &[u64]) -> Response {
        self.exec(
            payee,
            &[],
            ExecuteMsg::Withdraw {
                lease_ids: lease_ids.to_vec(),
            },
        )
    }

    // ---- queries ----

    pub fn query<T: DeserializeOwned>(&self, msg: QueryMsg) -> StdResult<T> {
        query(self.deps.as_ref(), self.env.clone(), msg).and_then(|bin| from_json(bin))
    }

    pub fn config(&self) -> ConfigResponse {
        self.query(QueryMsg::Config {}).unwrap()
    }

    pub fn account(&self, account_id: u64) -> AccountResponse {
        self.query(QueryMsg::Account { account_id }).unwrap()
    }

    pub fn payment(&self, lease_id: u64) -> PaymentResponse {
        self.query(QueryMsg::Payment { lease_id }).unwrap()
    }

    pub fn totals(&self) -> Vec<DenomTotal> {
        self.query::<TotalsResponse>(QueryMsg::Totals {
            start_after: None,
            limit: Some(100),
        })
        .unwrap()
        .totals
    }

    /// The recorded total of `denom`, zero when none was ever recorded.
    pub fn total(&self, denom: &Denom) -> u128 {
        self.totals()
            .into_iter()
            .find(|t| t.denom == *denom)
            .map_or(0, |t| t.amount.u128())
    }

    pub fn uncollected_fees(&self) -> Vec<DenomTotal> {
        self.query::<UncollectedFeesResponse>(QueryMsg::UncollectedFees {
            start_after: None,
            limit: Some(100),
        })
        .unwrap()
        .fees
    }

    /// The uncollected fees of `denom`, zero when none.
    pub fn uncollected(&self, denom: &Denom) -> u128 {
        self.uncollected_fees()
            .into_iter()
            .find(|t| t.denom == *denom)
            .map_or(0, |t| t.amount.u128())
    }

    pub fn ownership(&self) -> gridshare_types::owner::OwnershipResponse {
        self.query(QueryMsg::Ownership {}).unwrap()
    }

    /// Everything sent to `to` in `denom` so far.
    pub fn sent_to(&self, to: &Addr, denom: &Denom) -> u128 {
        self.sent
            .iter()
            .filter(|t| t.to == to.as_str() && t.denom == *denom)
            .map(|t| t.amount)
            .sum()
    }

    // ---- the audit run after every successful message ----

    /// The contract's books, checked against each other and against the coins the tests saw
    /// come and go:
    /// - per denom, the recorded total = the sum of open accounts' balances, and the total plus
    ///   the uncollected fees = what the contract holds (coins in less coins out);
    /// - the open-account count is the number of accounts not closed;
    /// - an account's reserved = unreleased caps of its open payments + its payees' released,
    ///   unwithdrawn funds, and never above its balance; a closed account holds nothing;
    /// - a payment never releases more than its cap, nor pays out more than it released.
    pub fn check_books(&self) {
        let storage = &self.deps.storage;
        let accounts: Vec<(u64, Account)> = ACCOUNTS
            .range(storage, None, None, Order::Ascending)
            .collect::<StdResult<_>>()
            .unwrap();
        let payments: Vec<(u64, Payment)> = PAYMENTS
            .range(storage, None, None, Order::Ascending)
            .collect::<StdResult<_>>()
            .unwrap();

        assert_eq!(
            OPEN_ACCOUNTS.load(storage).unwrap(),
            accounts.iter().filter(|(_, a)| !a.closed).count() as u64,
            "the open-account count drifted"
        );
        let mut balances: BTreeMap<Denom, u128> = BTreeMap::new();
        for (id, account) in &accounts {
            assert!(
                account.reserved <= account.balance,
                "account {id} reserves more than it holds: {account:?}"
            );
            if account.closed {
                assert!(
                    account.balance.is_zero() && account.reserved.is_zero(),
                    "closed account {id} still holds funds: {account:?}"
                );
                assert_eq!(account.open_payments, 0, "closed account {id}");
            }
            *balances.entry(account.denom.clone()).or_default() += account.balance.u128();

            let mine = payments.iter().filter(|(_, p)| p.account_id == *id);
            let mut expected_reserved = 0u128;
            let mut open = 0u32;
            let mut count = 0u32;
            for (lease_id, p) in mine {
                count += 1;
                assert!(
                    p.released <= p.cap,
                    "payment {lease_id} over its cap: {p:?}"
                );
                assert!(
                    p.fees_paid + p.withdrawn <= p.released,
                    "payment {lease_id} paid out more than it released: {p:?}"
                );
                if !p.closed {
                    open += 1;
                    expected_reserved += (p.cap - p.released).u128();
                }
                expected_reserved += p.withdrawable().u128();
            }
            assert_eq!(
                account.reserved.u128(),
                expected_reserved,
                "account {id} reservation drifted: {account:?}"
            );
            assert_eq!(account.open_payments, open, "account {id} open payments");
            assert_eq!(account.payments, count, "account {id} payments");
        }

        let totals: Vec<(String, DenomTotal)> = TOTALS
            .range(storage, None, None, Order::Ascending)
            .collect::<StdResult<_>>()
            .unwrap();
        let uncollected: Vec<(String, DenomTotal)> = UNCOLLECTED_FEES
            .range(storage, None, None, Order::Ascending)
            .collect::<StdResult<_>>()
            .unwrap();
        let mut booked: BTreeMap<Denom, u128> = BTreeMap::new();
        for (key, total) in &totals {
            assert_eq!(*key, total.denom.key());
            let sum = balances.get(&total.denom).copied().unwrap_or_default();
            assert_eq!(
                total.amount.u128(),
                sum,
                "total of {key} is not the sum of its accounts"
            );
            *booked.entry(total.denom.clone()).or_default() += total.amount.u128();
        }
        for (key, fees) in &uncollected {
            assert_eq!(*key, fees.denom.key());
            assert!(
                !fees.amount.is_zero(),
                "an empty uncollected entry for {key}"
            );
            *booked.entry(fees.denom.clone()).or_default() += fees.amount.u128();
        }
        for denom in booked.keys().chain(self.held.keys()) {
            assert_eq!(
                booked.get(denom).copied().unwrap_or_default(),
                self.held.get(denom).copied().unwrap_or_default(),
                "{denom}: open accounts' total plus uncollected fees is not what is held"
            );
        }
    }
}

/// The keys (readably) whose values differ between two snapshots, with both values.
pub fn storage_diff(before: &[Record], after: &[Record]) -> Vec<String> {
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    let before: BTreeMap<_, _> = before.iter().cloned().collect();
    let after: BTreeMap<_, _> = after.iter().cloned().collect();
    let keys: std::collections::BTreeSet<_> = before.keys().chain(after.keys()).collect();
    keys.into_iter()
        .filter(|k| before.get(*k) != after.get(*k))
        .map(|k| {
            format!(
                "{}: {:?} -> {:?}",
                text(k),
                before.get(k).map(|v| text(v)),
                after.get(k).map(|v| text(v))
            )
        })
        .collect()
}
