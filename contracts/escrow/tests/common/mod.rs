//! A small chain on cw-multi-test for escrow alone: escrow (with its `reply`), a cw20-base token,
//! fee collectors that accept, refuse always, or refuse while told to, and plain accounts for the
//! marketplace, the owner, depositors and payees.
//!
//! The marketplace here is a plain account, so escrow's denom-chain check skips it.

#![allow(dead_code)]

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{
    to_json_binary, Addr, Binary, Coin, Deps, DepsMut, Empty, Env, MessageInfo, Response, StdError,
    StdResult, Timestamp, Uint128,
};
use cw20::{BalanceResponse, Cw20Coin, Cw20ExecuteMsg, Cw20QueryMsg, Cw20ReceiveMsg};
use cw_multi_test::error::AnyResult;
use cw_multi_test::{App, AppBuilder, AppResponse, ContractWrapper, Executor};
use cw_storage_plus::{Item, Map};
use escrow::msg::{
    AccountResponse, ExecuteMsg, InstantiateMsg, PaymentResponse, QueryMsg, Rate, ReceiveMsg,
    TotalsResponse, UncollectedFeesResponse,
};
use gridshare_types::{Denom, UncheckedDenom};

pub const USDC: &str = "uusdc";
pub const START_FUNDS: u128 = 1_000_000_000;
/// What the refusing collectors answer every fee with.
pub const REFUSAL: &str = "this collector refuses fees";

// ---------------------------------------------------------------------------------------------
// Fee collectors

#[cw_serde]
pub struct CollectorInstantiate {
    pub reward_denoms: Vec<Denom>,
}

#[cw_serde]
pub enum CollectorExecute {
    DepositRewards {},
    Receive(Cw20ReceiveMsg),
}

#[cw_serde]
pub enum CollectorQuery {
    /// Answers like staking's `Config {}`, with only what escrow reads.
    Config {},
    /// Fees received through `DepositRewards`, per denom key.
    Deposited {},
}

#[cw_serde]
pub struct CollectorConfig {
    pub reward_denoms: Vec<Denom>,
}

/// Sudo: from now on, refuse (or accept) every fee.
#[cw_serde]
pub struct SetRefusing {
    pub refusing: bool,
}

const REWARD_DENOMS: Item<Vec<Denom>> = Item::new("reward_denoms");
const REFUSING: Item<bool> = Item::new("refusing");
const DEPOSITED: Map<String, Uint128> = Map::new("deposited");

fn collector_instantiate(
    deps: DepsMut,
    _env: Env,
    _info: MessageInfo,
    msg: CollectorInstantiate,
) -> StdResult<Response> {
    REWARD_DENOMS.save(deps.storage, &msg.reward_denoms)?;
    REFUSING.save(deps.storage, &false)?;
    Ok(Response::new())
}

fn deposit(deps: DepsMut, denom: Denom, amount: Uint128) -> StdResult<Response> {
    if REFUSING.load(deps.storage)? {
        return Err(StdError::generic_err(REFUSAL));
    }
    if !REWARD_DENOMS.load(deps.storage)?.contains(&denom) {
        return Err(StdError::generic_err(format!(
            "{denom} is not a reward denom"
        )));
    }
    DEPOSITED.update(deps.storage, denom.key(), |d| {
        d.unwrap_or_default()
            .checked_add(amount)
            .map_err(StdError::from)
    })?;
    Ok(Response::new())
}

fn collector_execute(
    mut deps: DepsMut,
    _env: Env,
    info: MessageInfo,
    msg: CollectorExecute,
) -> StdResult<Response> {
    match msg {
        CollectorExecute::DepositRewards {} => {
            for coin in info.funds {
                deposit(deps.branch(), Denom::Native(coin.denom), coin.amount)?;
            }
            Ok(Response::new())
        }
        CollectorExecute::Receive(wrapper) => {
            match cosmwasm_std::from_json(&wrapper.msg)? {
                CollectorExecute::DepositRewards {} => {}
                CollectorExecute::Receive(_) => return Err(StdError::generic_err("bad hook")),
            }
            deposit(deps, Denom::Cw20(info.sender), wrapper.amount)
        }
    }
}

fn collector_query(deps: Deps, _env: Env, msg: CollectorQuery) -> StdResult<Binary> {
    match msg {
        CollectorQuery::Config {} => to_json_binary(&CollectorConfig {
            reward_denoms: REWARD_DENOMS.load(deps.storage)?,
        }),
        CollectorQuery::Deposited {} => to_json_binary(
            &DEPOSITED
                .range(deps.storage, None, None, cosmwasm_std::Order::Ascending)
                .collect::<StdResult<Vec<_>>>()?,
        ),
    }
}

fn collector_sudo(deps: DepsMut, _env: Env, msg: SetRefusing) -> StdResult<Response> {
    REFUSING.save(deps.storage, &msg.refusing)?;
    Ok(Response::new())
}

/// A collector that takes its reward denoms as `DepositRewards`, and refuses every fee while a
/// sudo `SetRefusing { refusing: true }` is in force.
fn collector() -> Box<dyn cw_multi_test::Contract<Empty>> {
    Box::new(
        ContractWrapper::new(collector_execute, collector_instantiate, collector_query)
            .with_sudo(collector_sudo),
    )
}

fn refuse_always(_: DepsMut, _: Env, _: MessageInfo, _: CollectorExecute) -> StdResult<Response> {
    Err(StdError::generic_err(REFUSAL))
}

fn not_answering(_: Deps, _: Env, _: CollectorQuery) -> StdResult<Binary> {
    Err(StdError::generic_err("no queries here"))
}

/// A collector whose execute always errors (and which answers no query, so escrow's denom-chain
/// check skips it).
fn refusing_collector() -> Box<dyn cw_multi_test::Contract<Empty>> {
    Box::new(ContractWrapper::new(
        refuse_always,
        collector_instantiate,
        not_answering,
    ))
}

fn escrow_contract() -> Box<dyn cw_multi_test::Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            escrow::contract::execute,
            escrow::contract::instantiate,
            escrow::contract::query,
        )
        .with_reply(escrow::contract::reply)
        .with_migrate(escrow::contract::migrate),
    )
}

fn cw20_contract() -> Box<dyn cw_multi_test::Contract<Empty>> {
    Box::new(ContractWrapper::new(
        cw20_base::contract::execute,
        cw20_base::contract::instantiate,
        cw20_base::contract::query,
    ))
}

// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Collector {
    /// Accepts every fee (refuses while switched with `set_refusing`).
    Accepting,
    /// Execute always errors.
    Refusing,
}

pub struct World {
    pub app: App,
    pub escrow: Addr,
    pub token: Addr,
    /// The collector escrow was instantiated with.
    pub fee_collector: Addr,
    /// An accepting collector (the one above when built with `Collector::Accepting`).
    pub accepting: Addr,
    /// A collector whose execute always errors (the one above when built `Collector::Refusing`).
    pub refusing: Addr,
    pub owner: Addr,
    pub marketplace: Addr,
    pub renters: Vec<Addr>,
    pub payees: Vec<Addr>,
    pub stranger: Addr,
}

impl World {
    pub fn new(fee_collector: Collector) -> Self {
        let mut app = AppBuilder::new().build(|_, _, _| {});
        let api = *app.api();
        let owner = api.addr_make("owner");
        let marketplace = api.addr_make("marketplace");
        let renters: Vec<Addr> = ["r1", "r2"].iter().map(|n| api.addr_make(n)).collect();
        let payees: Vec<Addr> = ["p1", "p2"].iter().map(|n| api.addr_make(n)).collect();
        let stranger = api.addr_make("stranger");

        app.init_modules(|router, _, storage| {
            router
                .bank
                .init_balance(storage, &marketplace, vec![Coin::new(START_FUNDS, USDC)])
                .unwrap();
        });

        let cw20_code = app.store_code(cw20_contract());
        let token = app
            .instantiate_contract(
                cw20_code,
                owner.clone(),
                &cw20_base::msg::InstantiateMsg {
                    name: "Grid token".into(),
                    symbol: "GRID".into(),
                    decimals: 6,
                    initial_balances: vec![Cw20Coin {
                        address: marketplace.to_string(),
                        amount: Uint128::new(START_FUNDS),
                    }],
                    mint: None,
                    marketing: None,
                },
                &[],
                "token",
                None,
            )
            .unwrap();

        let reward_denoms = vec![Denom::Native(USDC.into()), Denom::Cw20(token.clone())];
        let collector_code = app.store_code(collector());
        let accepting = app
            .instantiate_contract(
                collector_code,
                owner.clone(),
                &CollectorInstantiate {
                    reward_denoms: reward_denoms.clone(),
                },
                &[],
                "collector",
                None,
            )
            .unwrap();
        let refusing_code = app.store_code(refusing_collector());
        let refusing = app
            .instantiate_contract(
                refusing_code,
                owner.clone(),
                &CollectorInstantiate { reward_denoms },
                &[],
                "refusing collector",
                None,
            )
            .unwrap();
        let fee_collector = match fee_collector {
            Collector::Accepting => accepting.clone(),
            Collector::Refusing => refusing.clone(),
        };

        let escrow_code = app.store_code(escrow_contract());
        let escrow = app
            .instantiate_contract(
                escrow_code,
                owner.clone(),
                &InstantiateMsg {
                    owner: None,
                    marketplace: marketplace.to_string(),
                    fee_collector: fee_collector.to_string(),
                    accepted_denoms: vec![
                        UncheckedDenom::Native(USDC.into()),
                        UncheckedDenom::Cw20(token.to_string()),
                    ],
                },
                &[],
                "escrow",
                Some(owner.to_string()),
            )
            .unwrap();

        World {
            app,
            escrow,
            token,
            fee_collector,
            accepting,
            refusing,
            owner,
            marketplace,
            renters,
            payees,
            stranger,
        }
    }

    pub fn usdc(&self) -> Denom {
        Denom::Native(USDC.into())
    }

    pub fn grid(&self) -> Denom {
        Denom::Cw20(self.token.clone())
    }

    pub fn denom(&self, cw20: bool) -> Denom {
        if cw20 {
            self.grid()
        } else {
            self.usdc()
        }
    }

    pub fn now(&self) -> Timestamp {
        self.app.block_info().time
    }

    pub fn advance(&mut self, seconds: u64) {
        self.app.update_block(|block| {
            block.time = block.time.plus_seconds(seconds);
            block.height += 1;
        });
    }

    pub fn exec(&mut self, sender: &Addr, msg: &ExecuteMsg) -> AnyResult<AppResponse> {
        let escrow = self.escrow.clone();
        self.app.execute_contract(sender.clone(), escrow, msg, &[])
    }

    /// The marketplace opens account `id` for `depositor` with `amount` of USDC or the cw20.
    pub fn open_account(
        &mut self,
        id: u64,
        depositor: &Addr,
        cw20: bool,
        amount: u128,
    ) -> AnyResult<AppResponse> {
        let (marketplace, escrow) = (self.marketplace.clone(), self.escrow.clone());
        if cw20 {
            let token = self.token.clone();
            self.app.execute_contract(
                marketplace,
                token,
                &Cw20ExecuteMsg::Send {
                    contract: escrow.to_string(),
                    amount: Uint128::new(amount),
                    msg: to_json_binary(&ReceiveMsg::OpenAccount {
                        account_id: id,
                        depositor: depositor.to_string(),
                    })?,
                },
                &[],
            )
        } else {
            self.app.execute_contract(
                marketplace,
                escrow,
                &ExecuteMsg::OpenAccount {
                    account_id: id,
                    depositor: depositor.to_string(),
                },
                &[Coin::new(amount, USDC)],
            )
        }
    }

    /// The marketplace tops account `id` up with `amount` of `denom`.
    pub fn top_up(&mut self, id: u64, cw20: bool, amount: u128) -> AnyResult<AppResponse> {
        let (marketplace, escrow) = (self.marketplace.clone(), self.escrow.clone());
        if cw20 {
            let token = self.token.clone();
            self.app.execute_contract(
                marketplace,
                token,
                &Cw20ExecuteMsg::Send {
                    contract: escrow.to_string(),
                    amount: Uint128::new(amount),
                    msg: to_json_binary(&ReceiveMsg::TopUp { account_id: id })?,
                },
                &[],
            )
        } else {
            self.app.execute_contract(
                marketplace,
                escrow,
                &ExecuteMsg::TopUp { account_id: id },
                &[Coin::new(amount, USDC)],
            )
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub fn open_payment(
        &mut self,
        account_id: u64,
        lease_id: u64,
        payee: &Addr,
        rate: Rate,
        cap: u128,
        fee_bps: u16,
    ) -> AnyResult<AppResponse> {
        let marketplace = self.marketplace.clone();
        self.exec(
            &marketplace,
            &ExecuteMsg::OpenPayment {
                account_id,
                lease_id,
                payee: payee.to_string(),
                rate,
                start: None,
                cap: Uint128::new(cap),
                fee_bps,
            },
        )
    }

    pub fn as_marketplace(&mut self, msg: &ExecuteMsg) -> AnyResult<AppResponse> {
        let marketplace = self.marketplace.clone();
        self.exec(&marketplace, msg)
    }

    pub fn release(&mut self, lease_id: u64) -> AnyResult<AppResponse> {
        self.as_marketplace(&ExecuteMsg::Release {
            lease_id,
            until: None,
        })
    }

    pub fn close_account(&mut self, account_id: u64) -> AnyResult<AppResponse> {
        self.as_marketplace(&ExecuteMsg::CloseAccount {
            account_id,
            until: None,
        })
    }

    pub fn withdraw(&mut self, payee: &Addr, lease_ids: &[u64]) -> AnyResult<AppResponse> {
        self.exec(
            payee,
            &ExecuteMsg::Withdraw {
                lease_ids: lease_ids.to_vec(),
            },
        )
    }

    pub fn deliver_fees(&mut self, sender: &Addr, denom: &Denom) -> AnyResult<AppResponse> {
        self.exec(
            sender,
            &ExecuteMsg::DeliverFees {
                denom: denom.clone().into(),
            },
        )
    }

    pub fn claim_fees(&mut self, sender: &Addr, denom: &Denom) -> AnyResult<AppResponse> {
        self.exec(
            sender,
            &ExecuteMsg::ClaimFees {
                denom: denom.clone().into(),
            },
        )
    }

    pub fn set_fee_collector(&mut self, collector: &Addr) -> AnyResult<AppResponse> {
        let owner = self.owner.clone();
        self.exec(
            &owner,
            &ExecuteMsg::UpdateConfig {
                marketplace: None,
                fee_collector: Some(collector.to_string()),
                accepted_denoms: None,
            },
        )
    }

    /// Makes the accepting collector refuse (or accept again) every fee.
    pub fn set_refusing(&mut self, refusing: bool) {
        let accepting = self.accepting.clone();
        self.app
            .wasm_sudo(accepting, &SetRefusing { refusing })
            .unwrap();
    }

    // ---- queries ----

    pub fn balance(&self, who: &Addr, denom: &Denom) -> u128 {
        match denom {
            Denom::Native(d) => self.app.wrap().query_balance(who, d).unwrap().amount.u128(),
            Denom::Cw20(token) => {
                let res: BalanceResponse = self
                    .app
                    .wrap()
                    .query_wasm_smart(
                        token,
                        &Cw20QueryMsg::Balance {
                            address: who.to_string(),
                        },
                    )
                    .unwrap();
                res.balance.u128()
            }
        }
    }

    pub fn account(&self, account_id: u64) -> Option<AccountResponse> {
        self.app
            .wrap()
            .query_wasm_smart(&self.escrow, &QueryMsg::Account { account_id })
            .ok()
    }

    pub fn payment(&self, lease_id: u64) -> Option<PaymentResponse> {
        self.app
            .wrap()
            .query_wasm_smart(&self.escrow, &QueryMsg::Payment { lease_id })
            .ok()
    }

    pub fn total(&self, denom: &Denom) -> u128 {
        let res: TotalsResponse = self
            .app
            .wrap()
            .query_wasm_smart(
                &self.escrow,
                &QueryMsg::Totals {
                    start_after: None,
                    limit: None,
                },
            )
            .unwrap();
        res.totals
            .into_iter()
            .find(|t| t.denom == *denom)
            .map_or(0, |t| t.amount.u128())
    }

    pub fn uncollected(&self, denom: &Denom) -> u128 {
        let res: UncollectedFeesResponse = self
            .app
            .wrap()
            .query_wasm_smart(
                &self.escrow,
                &QueryMsg::UncollectedFees {
                    start_after: None,
                    limit: None,
                },
            )
            .unwrap();
        res.fees
            .into_iter()
            .find(|t| t.denom == *denom)
            .map_or(0, |t| t.amount.u128())
    }

    /// What a collector received through `DepositRewards` in `denom`.
    pub fn deposited(&self, collector: &Addr, denom: &Denom) -> u128 {
        let res: Vec<(String, Uint128)> = self
            .app
            .wrap()
            .query_wasm_smart(collector, &CollectorQuery::Deposited {})
            .unwrap();
        res.into_iter()
            .find(|(k, _)| *k == denom.key())
            .map_or(0, |(_, a)| a.u128())
    }
}

/// The escrow error inside a failed transaction.
pub fn escrow_error(err: cw_multi_test::error::AnyError) -> escrow::ContractError {
    err.downcast::<escrow::ContractError>()
        .unwrap_or_else(|e| panic!("not an escrow error: {e:?}"))
}

/// The attributes of the first event of type `ty` (e.g. `wasm-fee_uncollected`), as pairs.
pub fn event(res: &AppResponse, ty: &str) -> Vec<(String, String)> {
    res.events
        .iter()
        .find(|e| e.ty == ty)
        .unwrap_or_else(|| panic!("no {ty} event in {:?}", res.events))
        .attributes
        .iter()
        .filter(|a| a.key != "_contract_address")
        .map(|a| (a.key.clone(), a.value.clone()))
        .collect()
}
