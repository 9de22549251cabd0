//! The test bench: a freshly instantiated escrow on mock dependencies, a cast of actors with
//! valid bech32 addresses, and an `execute` that audits the contract's books after every success
//! against a ledger of the coins that came and went; the harness's `Chain` proves that every
//! error left the storage exactly as it was.

use crate::contract::{execute, instantiate, migrate, query, reply};
use crate::msg::{
    AccountResponse, ConfigResponse, DenomTotal, ExecuteMsg, InstantiateMsg, MigrateMsg,
    PaymentResponse, QueryMsg, Rate, ReceiveMsg, TotalsResponse, UncollectedFeesResponse,
};
use crate::state::{Account, Payment, ACCOUNTS, OPEN_ACCOUNTS, PAYMENTS, TOTALS, UNCOLLECTED_FEES};
use crate::{ContractError, FEE_REPLY_ID};
use cosmwasm_std::{
    from_json, to_json_binary, Addr, BankMsg, Binary, Coin, ContractResult, CosmosMsg, Order,
    ReplyOn, Response, StdResult, SubMsg, SystemError, SystemResult, Timestamp, Uint128, WasmMsg,
    WasmQuery,
};
use cw20::Cw20ExecuteMsg;
use gridshare_types::{Denom, UncheckedDenom};
pub use gridshare_unit_harness::{
    addr, attr, attrs, bank_send, cw20_transfer, env_at, snapshot, ts, Bench, MockDeps, Snapshot,
    Transfer,
};
use gridshare_unit_harness::{
    cw20_receive, error_reply, Chain, Contract, ExecuteFn, InstantiateFn, Ledger, MigrateFn,
    QueryFn, ReplyFn,
};
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;

/// Escrow's entry points, as the harness drives them.
pub struct Escrow;

impl Contract for Escrow {
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

pub const UGRID: &str = "ugrid";
pub const UUSDC: &str = "uusdc";
/// A whole second, so that timestamps in assertions read cleanly.
pub const GENESIS: u64 = 1_700_000_000;
pub const HOUR: u64 = 3_600;
/// What the fee collector receives with every fee, byte for byte.
pub const DEPOSIT_REWARDS: &[u8] = br#"{"deposit_rewards":{}}"#;
/// The error a refusing fee collector answers with.
pub const REFUSAL: &str = "the collector refuses";

pub fn coin(amount: u128, denom: &str) -> Coin {
    Coin::new(amount, denom)
}

pub fn native(denom: &str) -> Denom {
    Denom::Native(denom.to_string())
}

/// The error `addr_validate` gives for `input`, as the contract wraps it.
pub fn invalid_address(input: &str) -> ContractError {
    ContractError::Std(gridshare_unit_harness::invalid_address(input))
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

// ---------------------------------------------------------------------------------------------
// Messages the contract is expected to emit, built independently of the contract's own code.

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
            start: self.start.map(|t| t.seconds()),
            cap: Uint128::new(self.cap),
            fee_bps: self.fee_bps,
        }
    }
}

// ---------------------------------------------------------------------------------------------

pub struct Suite {
    pub chain: Chain<Escrow>,
    pub owner: Addr,
    pub marketplace: Addr,
    pub fee_collector: Addr,
    pub renter: Addr,
    pub provider: Addr,
    pub stranger: Addr,
    /// An accepted cw20 token contract.
    pub token: Addr,
    /// What the contract holds and has sent away, by the tests' own count.
    pub ledger: Ledger,
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
        let mut chain = Chain::at(GENESIS);
        let owner = addr("owner");
        chain.instantiate(&owner, instantiate_msg(), &[]).unwrap();
        Suite {
            chain,
            owner,
            marketplace: addr("marketplace"),
            fee_collector: addr("fee_collector"),
            renter: addr("renter"),
            provider: addr("provider"),
            stranger: addr("stranger"),
            token: addr("token"),
            ledger: Ledger::default(),
            refusing: false,
            replies: vec![],
        }
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
            ExecuteMsg::Receive(cw20_receive(from, amount, hook)),
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
        self.as_marketplace(ExecuteMsg::Release {
            lease_id,
            until: until.map(|t| t.seconds()),
        })
        .unwrap()
    }

    pub fn close_payment(&mut self, lease_id: u64, until: Option<Timestamp>) -> Response {
        self.as_marketplace(ExecuteMsg::ClosePayment {
            lease_id,
            until: until.map(|t| t.seconds()),
        })
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
        self.as_marketplace(ExecuteMsg::CloseAccount {
            account_id,
            until: until.map(|t| t.seconds()),
        })
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
        self.chain.query(msg)
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
        self.ledger.sent_to(to, denom)
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
        let storage = &self.chain.deps.storage;
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
        for denom in booked.keys().chain(self.ledger.held.keys()) {
            assert_eq!(
                booked.get(denom).copied().unwrap_or_default(),
                self.ledger.held(denom),
                "{denom}: open accounts' total plus uncollected fees is not what is held"
            );
        }
    }
}

impl Bench for Suite {
    type ExecuteMsg = ExecuteMsg;
    type Error = ContractError;

    /// Executes `msg` from `sender` with `funds` (the chain holds an error to "storage
    /// unchanged"). On success the coin flows are booked in the ledger, fees to a refusing
    /// collector are replied to as the chain would, and the contract's books are audited.
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
        } else {
            self.ledger.receive_funds(funds);
        }
        self.replies.clear();
        for sub in &res.messages {
            if self.refusing && is_fee_on_release(sub) {
                // The chain reverts the fee's submessage, coins included, and replies.
                let replied = self
                    .chain
                    .reply(error_reply(sub, REFUSAL))
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
                self.ledger.pay(t, &msg);
            }
        }
        self.check_books();
        result
    }
}
