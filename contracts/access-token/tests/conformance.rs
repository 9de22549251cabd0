//! cw20 conformance on a cw-multi-test chain: GRID (access-token) against the real cw20-base,
//! message for message, plus the standard behaviours one by one (allowances with expiry,
//! transfer_from / send_from, send hooks reaching a receiver contract, the minter's cap, burns,
//! marketing) and premium access paid with a real `Send` to itself.

use access_token::msg::{ExecuteMsg, InstantiateMsg, QueryMsg, ReceiveMsg, Tier};
use access_token::ContractError;
use cosmwasm_std::{
    to_json_binary, Addr, Binary, Deps, DepsMut, Empty, Env, MessageInfo, Response, StdResult,
    Uint128,
};
use cw20::{
    AllAccountsResponse, AllAllowancesResponse, AllSpenderAllowancesResponse, AllowanceResponse,
    BalanceResponse, Cw20Coin, Cw20ExecuteMsg, Cw20ReceiveMsg, EmbeddedLogo, Expiration, Logo,
    MarketingInfoResponse, MinterResponse, TokenInfoResponse,
};
use cw_multi_test::{App, AppResponse, Contract, ContractWrapper, Executor};
use cw_storage_plus::Item;
use gridshare_types::access::AccessResponse;
use serde::{Deserialize, Serialize};

const CAP: u128 = 1_000_000;
const MONTH: u64 = 30 * 24 * 3600;

fn access_token() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            access_token::contract::execute,
            access_token::contract::instantiate,
            access_token::contract::query,
        )
        .with_migrate(access_token::contract::migrate),
    )
}

fn cw20_base() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(
        cw20_base::contract::execute,
        cw20_base::contract::instantiate,
        cw20_base::contract::query,
    ))
}

// ---- a receiver contract that records every Cw20ReceiveMsg it gets ----

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "snake_case")]
enum ReceiverMsg {
    Receive(Cw20ReceiveMsg),
}

const RECEIVED: Item<Vec<(Addr, Cw20ReceiveMsg)>> = Item::new("received");

fn receiver_instantiate(deps: DepsMut, _: Env, _: MessageInfo, _: Empty) -> StdResult<Response> {
    RECEIVED.save(deps.storage, &vec![])?;
    Ok(Response::new())
}

fn receiver_execute(
    deps: DepsMut,
    _: Env,
    info: MessageInfo,
    msg: ReceiverMsg,
) -> StdResult<Response> {
    let ReceiverMsg::Receive(wrapper) = msg;
    if wrapper.msg.as_slice() == b"\"reject\"" {
        return Err(cosmwasm_std::StdError::generic_err("rejected by receiver"));
    }
    let mut received = RECEIVED.load(deps.storage)?;
    received.push((info.sender, wrapper));
    RECEIVED.save(deps.storage, &received)?;
    Ok(Response::new())
}

fn receiver_query(deps: Deps, _: Env, _: Empty) -> StdResult<Binary> {
    to_json_binary(&RECEIVED.load(deps.storage)?)
}

fn receiver() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(
        receiver_execute,
        receiver_instantiate,
        receiver_query,
    ))
}

// ---- the chain ----

struct Chain {
    app: App,
    grid: Addr,
    base: Addr,
    receiver: Addr,
}

fn name(app: &App, who: &str) -> Addr {
    app.api().addr_make(who)
}

fn u(n: u128) -> Uint128 {
    Uint128::new(n)
}

fn pro() -> Tier {
    Tier {
        id: "pro".into(),
        price_per_period: u(1_000),
        period_seconds: MONTH,
        fee_discount_bps: 2_500,
        priority: 2,
        max_open_orders: 20,
    }
}

impl Chain {
    fn new() -> Self {
        let mut app = App::default();
        let owner = name(&app, "owner");
        let balances = vec![
            Cw20Coin {
                address: name(&app, "alice").to_string(),
                amount: u(100_000),
            },
            Cw20Coin {
                address: name(&app, "bob").to_string(),
                amount: u(50_000),
            },
        ];
        let mint = Some(MinterResponse {
            minter: name(&app, "minter").to_string(),
            cap: Some(u(CAP)),
        });
        let marketing = Some(cw20_base::msg::InstantiateMarketingInfo {
            project: Some("gridshare".into()),
            description: Some("GPU sharing".into()),
            marketing: Some(name(&app, "marketing").to_string()),
            logo: Some(Logo::Url("https://gridshare.example/logo.png".into())),
        });

        let grid_code = app.store_code(access_token());
        let grid = app
            .instantiate_contract(
                grid_code,
                owner.clone(),
                &InstantiateMsg {
                    name: "GridShare".into(),
                    symbol: "GRID".into(),
                    decimals: 6,
                    initial_balances: balances.clone(),
                    mint: mint.clone(),
                    marketing: marketing.clone(),
                    admin: None,
                    tiers: vec![pro()],
                },
                &[],
                "grid",
                Some(owner.to_string()),
            )
            .unwrap();
        let base_code = app.store_code(cw20_base());
        let base = app
            .instantiate_contract(
                base_code,
                owner.clone(),
                &cw20_base::msg::InstantiateMsg {
                    name: "GridShare".into(),
                    symbol: "GRID".into(),
                    decimals: 6,
                    initial_balances: balances,
                    mint,
                    marketing,
                },
                &[],
                "cw20-base",
                None,
            )
            .unwrap();
        let receiver_code = app.store_code(receiver());
        let receiver = app
            .instantiate_contract(receiver_code, owner, &Empty {}, &[], "receiver", None)
            .unwrap();
        Chain {
            app,
            grid,
            base,
            receiver,
        }
    }

    fn addr(&self, who: &str) -> Addr {
        name(&self.app, who)
    }

    fn exec_on(
        &mut self,
        token: &Addr,
        who: &str,
        msg: &Cw20ExecuteMsg,
    ) -> anyhow::Result<AppResponse> {
        let sender = self.addr(who);
        self.app.execute_contract(sender, token.clone(), msg, &[])
    }

    fn grid_exec(&mut self, who: &str, msg: &ExecuteMsg) -> anyhow::Result<AppResponse> {
        let (sender, grid) = (self.addr(who), self.grid.clone());
        self.app.execute_contract(sender, grid, msg, &[])
    }

    fn query<T: serde::de::DeserializeOwned>(&self, token: &Addr, msg: &QueryMsg) -> T {
        self.app.wrap().query_wasm_smart(token, msg).unwrap()
    }

    fn balance(&self, token: &Addr, who: &str) -> u128 {
        self.query::<BalanceResponse>(
            token,
            &QueryMsg::Balance {
                address: self.addr(who).to_string(),
            },
        )
        .balance
        .u128()
    }

    fn supply(&self, token: &Addr) -> u128 {
        self.query::<TokenInfoResponse>(token, &QueryMsg::TokenInfo {})
            .total_supply
            .u128()
    }

    fn received(&self) -> Vec<(Addr, Cw20ReceiveMsg)> {
        self.app
            .wrap()
            .query_wasm_smart(&self.receiver, &Empty {})
            .unwrap()
    }

    fn advance_blocks(&mut self, blocks: u64) {
        self.app.update_block(|b| {
            b.height += blocks;
            b.time = b.time.plus_seconds(5 * blocks);
        });
    }

    /// Every standard query, answered by `token`, for comparison.
    fn standard_view(&self, token: &Addr) -> String {
        let people = ["alice", "bob", "carol", "spender", "minter"];
        let mut view = vec![];
        for who in people {
            view.push(format!("{who}: {}", self.balance(token, who)));
            for spender in people {
                let allowance: AllowanceResponse = self.query(
                    token,
                    &QueryMsg::Allowance {
                        owner: self.addr(who).to_string(),
                        spender: self.addr(spender).to_string(),
                    },
                );
                view.push(format!("{who}->{spender}: {allowance:?}"));
            }
            let all: AllAllowancesResponse = self.query(
                token,
                &QueryMsg::AllAllowances {
                    owner: self.addr(who).to_string(),
                    start_after: None,
                    limit: None,
                },
            );
            let spenders: AllSpenderAllowancesResponse = self.query(
                token,
                &QueryMsg::AllSpenderAllowances {
                    spender: self.addr(who).to_string(),
                    start_after: None,
                    limit: None,
                },
            );
            view.push(format!("{all:?} {spenders:?}"));
        }
        let token_info: TokenInfoResponse = self.query(token, &QueryMsg::TokenInfo {});
        let minter: Option<MinterResponse> = self.query(token, &QueryMsg::Minter {});
        let marketing: MarketingInfoResponse = self.query(token, &QueryMsg::MarketingInfo {});
        let accounts: AllAccountsResponse = self.query(
            token,
            &QueryMsg::AllAccounts {
                start_after: None,
                limit: None,
            },
        );
        view.push(format!("{token_info:?} {minter:?} {marketing:?}"));
        // The receiver's address differs in nothing but which token sent to it.
        view.push(format!("{}", accounts.accounts.len()));
        view.join("\n")
    }
}

/// What a failed message said: the contract's error (GRID wraps cw20-base's transparently, so
/// the two read the same), or the root cause when it came from elsewhere (e.g. a receiver).
fn error_text(err: &anyhow::Error) -> String {
    if let Some(e) = err.downcast_ref::<ContractError>() {
        return e.to_string();
    }
    if let Some(e) = err.downcast_ref::<cw20_base::ContractError>() {
        return e.to_string();
    }
    err.root_cause().to_string()
}

/// The attributes of the token's own wasm event, without the contract address.
fn token_attributes(res: &AppResponse, token: &Addr) -> Vec<(String, String)> {
    res.events
        .iter()
        .filter(|e| {
            e.ty == "wasm"
                && e.attributes
                    .iter()
                    .any(|a| a.key == "_contract_address" && a.value == token.as_str())
        })
        .flat_map(|e| e.attributes.iter())
        .filter(|a| a.key != "_contract_address")
        .map(|a| (a.key.clone(), a.value.clone()))
        .collect()
}

#[test]
fn grid_answers_every_message_exactly_like_cw20_base() {
    let mut chain = Chain::new();
    let a = |c: &Chain, who: &str| c.addr(who).to_string();
    let receiver = chain.receiver.to_string();
    let height = chain.app.block_info().height;
    let time = chain.app.block_info().time;
    let png = {
        let mut bytes = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
        bytes.extend_from_slice(b"pixels");
        Binary::from(bytes)
    };
    let script: Vec<(&str, Cw20ExecuteMsg)> = vec![
        (
            "alice",
            Cw20ExecuteMsg::Transfer {
                recipient: a(&chain, "bob"),
                amount: u(1_000),
            },
        ),
        (
            "alice",
            Cw20ExecuteMsg::Transfer {
                recipient: a(&chain, "carol"),
                amount: u(0),
            },
        ),
        (
            "carol",
            Cw20ExecuteMsg::Transfer {
                recipient: a(&chain, "bob"),
                amount: u(1),
            },
        ),
        ("bob", Cw20ExecuteMsg::Burn { amount: u(500) }),
        (
            "bob",
            Cw20ExecuteMsg::Burn {
                amount: u(1_000_000),
            },
        ),
        (
            "alice",
            Cw20ExecuteMsg::Send {
                contract: receiver.clone(),
                amount: u(10),
                msg: Binary::from(b"{}"),
            },
        ),
        (
            "alice",
            Cw20ExecuteMsg::Send {
                contract: receiver.clone(),
                amount: u(10),
                msg: Binary::from(b"\"reject\""),
            },
        ),
        (
            "alice",
            Cw20ExecuteMsg::IncreaseAllowance {
                spender: a(&chain, "spender"),
                amount: u(5_000),
                expires: Some(Expiration::AtHeight(height + 3)),
            },
        ),
        (
            "alice",
            Cw20ExecuteMsg::IncreaseAllowance {
                spender: a(&chain, "bob"),
                amount: u(700),
                expires: Some(Expiration::AtTime(time.plus_seconds(3600))),
            },
        ),
        (
            "alice",
            Cw20ExecuteMsg::IncreaseAllowance {
                spender: a(&chain, "alice"),
                amount: u(1),
                expires: None,
            },
        ),
        (
            "alice",
            Cw20ExecuteMsg::IncreaseAllowance {
                spender: a(&chain, "carol"),
                amount: u(1),
                expires: Some(Expiration::AtHeight(1)),
            },
        ),
        (
            "alice",
            Cw20ExecuteMsg::DecreaseAllowance {
                spender: a(&chain, "bob"),
                amount: u(200),
                expires: None,
            },
        ),
        (
            "alice",
            Cw20ExecuteMsg::DecreaseAllowance {
                spender: a(&chain, "carol"),
                amount: u(1),
                expires: None,
            },
        ),
        (
            "spender",
            Cw20ExecuteMsg::TransferFrom {
                owner: a(&chain, "alice"),
                recipient: a(&chain, "carol"),
                amount: u(1_500),
            },
        ),
        (
            "spender",
            Cw20ExecuteMsg::TransferFrom {
                owner: a(&chain, "alice"),
                recipient: a(&chain, "carol"),
                amount: u(4_000),
            },
        ),
        (
            "spender",
            Cw20ExecuteMsg::SendFrom {
                owner: a(&chain, "alice"),
                contract: receiver.clone(),
                amount: u(1_000),
                msg: Binary::from(b"[1]"),
            },
        ),
        (
            "spender",
            Cw20ExecuteMsg::BurnFrom {
                owner: a(&chain, "alice"),
                amount: u(500),
            },
        ),
        (
            "carol",
            Cw20ExecuteMsg::BurnFrom {
                owner: a(&chain, "alice"),
                amount: u(1),
            },
        ),
        // (three blocks pass here: the spender's allowance expires)
        (
            "spender",
            Cw20ExecuteMsg::TransferFrom {
                owner: a(&chain, "alice"),
                recipient: a(&chain, "carol"),
                amount: u(1),
            },
        ),
        (
            "bob",
            Cw20ExecuteMsg::TransferFrom {
                owner: a(&chain, "alice"),
                recipient: a(&chain, "bob"),
                amount: u(500),
            },
        ),
        // Carol grants Bob more than she holds: the allowance passes, the balance does not.
        (
            "carol",
            Cw20ExecuteMsg::IncreaseAllowance {
                spender: a(&chain, "bob"),
                amount: u(1_000_000),
                expires: None,
            },
        ),
        (
            "bob",
            Cw20ExecuteMsg::TransferFrom {
                owner: a(&chain, "carol"),
                recipient: a(&chain, "bob"),
                amount: u(999_999),
            },
        ),
        (
            "minter",
            Cw20ExecuteMsg::Mint {
                recipient: a(&chain, "carol"),
                amount: u(10_000),
            },
        ),
        (
            "alice",
            Cw20ExecuteMsg::Mint {
                recipient: a(&chain, "alice"),
                amount: u(1),
            },
        ),
        (
            "minter",
            Cw20ExecuteMsg::Mint {
                recipient: a(&chain, "carol"),
                amount: u(CAP),
            },
        ),
        (
            "marketing",
            Cw20ExecuteMsg::UpdateMarketing {
                project: Some("".into()),
                description: Some("GPUs".into()),
                marketing: None,
            },
        ),
        (
            "alice",
            Cw20ExecuteMsg::UpdateMarketing {
                project: Some("x".into()),
                description: None,
                marketing: None,
            },
        ),
        (
            "marketing",
            Cw20ExecuteMsg::UploadLogo(Logo::Embedded(EmbeddedLogo::Png(png))),
        ),
        (
            "marketing",
            Cw20ExecuteMsg::UploadLogo(Logo::Embedded(EmbeddedLogo::Svg(Binary::from(b"<svg/>")))),
        ),
        (
            "minter",
            Cw20ExecuteMsg::UpdateMinter {
                new_minter: Some(a(&chain, "bob")),
            },
        ),
        (
            "minter",
            Cw20ExecuteMsg::Mint {
                recipient: a(&chain, "carol"),
                amount: u(1),
            },
        ),
        (
            "bob",
            Cw20ExecuteMsg::Mint {
                recipient: a(&chain, "carol"),
                amount: u(1),
            },
        ),
    ];

    let mut errors = vec![];
    for (step, (who, msg)) in script.into_iter().enumerate() {
        let (grid, base) = (chain.grid.clone(), chain.base.clone());
        let ours = chain.exec_on(&grid, who, &msg);
        let theirs = chain.exec_on(&base, who, &msg);
        match (&ours, &theirs) {
            (Ok(o), Ok(t)) => assert_eq!(
                token_attributes(o, &grid),
                token_attributes(t, &base),
                "step {step}: {msg:?}"
            ),
            (Err(o), Err(t)) => {
                assert_eq!(error_text(o), error_text(t), "step {step}: {msg:?}");
                errors.push((step, error_text(o)));
            }
            _ => panic!("step {step}: {msg:?}: GRID {ours:?}, cw20-base {theirs:?}"),
        }
        assert_eq!(
            chain.standard_view(&grid),
            chain.standard_view(&base),
            "state after step {step}: {msg:?}"
        );
        if step == 17 {
            // The spender's height-based allowance expires.
            chain.advance_blocks(3);
        }
    }
    // The script reaches cw20-base's refusals, not just its successes.
    let failed: Vec<usize> = errors.iter().map(|(step, _)| *step).collect();
    assert_eq!(
        failed,
        [2, 4, 6, 9, 10, 12, 14, 17, 18, 21, 23, 24, 26, 28, 30]
    );
    assert!(errors.contains(&(18, "Allowance is expired".to_string())));
    assert!(errors.contains(&(24, "Minting cannot exceed the cap".to_string())));
    // The receiver heard from both tokens identically.
    let received = chain.received();
    let from_grid: Vec<_> = received
        .iter()
        .filter(|(t, _)| *t == chain.grid)
        .map(|(_, m)| m)
        .collect();
    let from_base: Vec<_> = received
        .iter()
        .filter(|(t, _)| *t == chain.base)
        .map(|(_, m)| m)
        .collect();
    assert_eq!(from_grid, from_base);
    assert_eq!(from_grid.len(), 2);
}

#[test]
fn allowances_expire_by_height_and_by_time() {
    let mut chain = Chain::new();
    let grid = chain.grid.clone();
    let (alice, spender, carol) = (
        chain.addr("alice").to_string(),
        chain.addr("spender").to_string(),
        chain.addr("carol").to_string(),
    );
    let height = chain.app.block_info().height;
    chain
        .exec_on(
            &grid,
            "alice",
            &Cw20ExecuteMsg::IncreaseAllowance {
                spender: spender.clone(),
                amount: u(1_000),
                expires: Some(Expiration::AtHeight(height + 2)),
            },
        )
        .unwrap();
    let transfer = Cw20ExecuteMsg::TransferFrom {
        owner: alice.clone(),
        recipient: carol.clone(),
        amount: u(100),
    };
    chain.exec_on(&grid, "spender", &transfer).unwrap();
    chain.advance_blocks(2);
    let err = chain.exec_on(&grid, "spender", &transfer).unwrap_err();
    assert_eq!(
        err.downcast_ref::<ContractError>(),
        Some(&ContractError::Cw20(cw20_base::ContractError::Expired {}))
    );

    let time = chain.app.block_info().time;
    chain
        .exec_on(
            &grid,
            "alice",
            &Cw20ExecuteMsg::IncreaseAllowance {
                spender: spender.clone(),
                amount: u(1),
                expires: Some(Expiration::AtTime(time.plus_seconds(60))),
            },
        )
        .unwrap();
    let allowance: AllowanceResponse = chain.query(
        &grid,
        &QueryMsg::Allowance {
            owner: alice.clone(),
            spender: spender.clone(),
        },
    );
    assert_eq!(allowance.allowance, u(901), "the unspent part stays");
    chain.exec_on(&grid, "spender", &transfer).unwrap();
    chain.app.update_block(|b| b.time = b.time.plus_seconds(60));
    assert!(chain.exec_on(&grid, "spender", &transfer).is_err());
    assert_eq!(chain.balance(&grid, "carol"), 200);
}

#[test]
fn a_transfer_from_beyond_the_balance_changes_nothing() {
    let mut chain = Chain::new();
    let grid = chain.grid.clone();
    let (carol, bob) = (
        chain.addr("carol").to_string(),
        chain.addr("bob").to_string(),
    );
    chain
        .exec_on(
            &grid,
            "carol",
            &Cw20ExecuteMsg::IncreaseAllowance {
                spender: bob.clone(),
                amount: u(50),
                expires: None,
            },
        )
        .unwrap();
    assert!(chain
        .exec_on(
            &grid,
            "bob",
            &Cw20ExecuteMsg::TransferFrom {
                owner: carol.clone(),
                recipient: bob.clone(),
                amount: u(10),
            },
        )
        .is_err());
    let allowance: AllowanceResponse = chain.query(
        &grid,
        &QueryMsg::Allowance {
            owner: carol,
            spender: bob,
        },
    );
    assert_eq!(allowance.allowance, u(50), "the allowance was not spent");
}

#[test]
fn send_and_send_from_reach_the_receiver_with_the_right_message() {
    let mut chain = Chain::new();
    let grid = chain.grid.clone();
    let receiver = chain.receiver.to_string();
    let (alice, spender) = (chain.addr("alice"), chain.addr("spender"));
    chain
        .exec_on(
            &grid,
            "alice",
            &Cw20ExecuteMsg::Send {
                contract: receiver.clone(),
                amount: u(123),
                msg: Binary::from(br#"{"open":{}}"#),
            },
        )
        .unwrap();
    chain
        .exec_on(
            &grid,
            "alice",
            &Cw20ExecuteMsg::IncreaseAllowance {
                spender: spender.to_string(),
                amount: u(77),
                expires: None,
            },
        )
        .unwrap();
    chain
        .exec_on(
            &grid,
            "spender",
            &Cw20ExecuteMsg::SendFrom {
                owner: alice.to_string(),
                contract: receiver.clone(),
                amount: u(77),
                msg: Binary::from(b"[]"),
            },
        )
        .unwrap();
    assert_eq!(
        chain.received(),
        vec![
            (
                grid.clone(),
                Cw20ReceiveMsg {
                    sender: alice.to_string(),
                    amount: u(123),
                    msg: Binary::from(br#"{"open":{}}"#),
                }
            ),
            (
                grid.clone(),
                Cw20ReceiveMsg {
                    sender: spender.to_string(),
                    amount: u(77),
                    msg: Binary::from(b"[]"),
                }
            ),
        ]
    );
    assert_eq!(chain.balance(&grid, "alice"), 100_000 - 200);
    assert_eq!(
        chain
            .query::<BalanceResponse>(
                &grid,
                &QueryMsg::Balance {
                    address: receiver.clone()
                }
            )
            .balance,
        u(200)
    );

    // A receiver that fails reverts the whole send.
    assert!(chain
        .exec_on(
            &grid,
            "alice",
            &Cw20ExecuteMsg::Send {
                contract: receiver,
                amount: u(5),
                msg: Binary::from(b"\"reject\""),
            },
        )
        .is_err());
    assert_eq!(chain.balance(&grid, "alice"), 100_000 - 200);
}

#[test]
fn the_minter_cap_holds_and_burns_reduce_the_supply() {
    let mut chain = Chain::new();
    let grid = chain.grid.clone();
    let carol = chain.addr("carol").to_string();
    let start = chain.supply(&grid);
    chain
        .exec_on(
            &grid,
            "minter",
            &Cw20ExecuteMsg::Mint {
                recipient: carol.clone(),
                amount: u(CAP - start),
            },
        )
        .unwrap();
    assert_eq!(chain.supply(&grid), CAP);
    let err = chain
        .exec_on(
            &grid,
            "minter",
            &Cw20ExecuteMsg::Mint {
                recipient: carol.clone(),
                amount: u(1),
            },
        )
        .unwrap_err();
    assert_eq!(
        err.downcast_ref::<ContractError>(),
        Some(&ContractError::Cw20(
            cw20_base::ContractError::CannotExceedCap {}
        ))
    );
    chain
        .exec_on(&grid, "carol", &Cw20ExecuteMsg::Burn { amount: u(40) })
        .unwrap();
    assert_eq!(chain.supply(&grid), CAP - 40);
    assert_eq!(chain.balance(&grid, "carol"), CAP - start - 40);
    chain
        .exec_on(
            &grid,
            "minter",
            &Cw20ExecuteMsg::Mint {
                recipient: carol,
                amount: u(40),
            },
        )
        .unwrap();
    assert_eq!(chain.supply(&grid), CAP);
}

#[test]
fn marketing_updates_are_the_marketing_roles() {
    let mut chain = Chain::new();
    let grid = chain.grid.clone();
    let new_marketer = chain.addr("new_marketer").to_string();
    chain
        .exec_on(
            &grid,
            "marketing",
            &Cw20ExecuteMsg::UpdateMarketing {
                project: Some("https://gridshare.example".into()),
                description: Some("".into()),
                marketing: Some(new_marketer.clone()),
            },
        )
        .unwrap();
    let info: MarketingInfoResponse = chain.query(&grid, &QueryMsg::MarketingInfo {});
    assert_eq!(info.project.as_deref(), Some("https://gridshare.example"));
    assert_eq!(info.description, None);
    assert_eq!(info.marketing, Some(chain.addr("new_marketer")));
    assert!(chain
        .exec_on(
            &grid,
            "marketing",
            &Cw20ExecuteMsg::UploadLogo(Logo::Url("https://x".into())),
        )
        .is_err());
    chain
        .exec_on(
            &grid,
            "new_marketer",
            &Cw20ExecuteMsg::UploadLogo(Logo::Url("https://x".into())),
        )
        .unwrap();
}

#[test]
fn a_send_to_grid_itself_pays_for_premium_access() {
    let mut chain = Chain::new();
    let grid = chain.grid.clone();
    let alice = chain.addr("alice");
    let supply = chain.supply(&grid);
    chain
        .exec_on(
            &grid,
            "alice",
            &Cw20ExecuteMsg::Send {
                contract: grid.to_string(),
                amount: u(2_000),
                msg: to_json_binary(&ReceiveMsg::Subscribe {
                    tier: "pro".into(),
                    periods: 2,
                })
                .unwrap(),
            },
        )
        .unwrap();
    assert_eq!(chain.supply(&grid), supply - 2_000);
    assert_eq!(chain.balance(&grid, "alice"), 100_000 - 2_000);
    let access: AccessResponse = chain.query(
        &grid,
        &QueryMsg::Access {
            address: alice.to_string(),
        },
    );
    assert_eq!(access.tier, Some(pro().benefits()));
    assert_eq!(
        access.expires_at,
        Some(chain.app.block_info().time.seconds() + 2 * MONTH)
    );

    // A wrong amount reverts the whole Send: nothing is lost.
    let err = chain
        .exec_on(
            &grid,
            "bob",
            &Cw20ExecuteMsg::Send {
                contract: grid.to_string(),
                amount: u(999),
                msg: to_json_binary(&ReceiveMsg::Subscribe {
                    tier: "pro".into(),
                    periods: 1,
                })
                .unwrap(),
            },
        )
        .unwrap_err();
    assert_eq!(
        err.downcast_ref::<ContractError>(),
        Some(&ContractError::WrongAmount {
            tier: "pro".into(),
            periods: 1,
            expected: u(1_000),
            got: u(999),
        })
    );
    assert_eq!(chain.balance(&grid, "bob"), 50_000);

    // Another cw20's Send to GRID is refused, and the other token stays with its owner.
    let base = chain.base.clone();
    let err = chain
        .exec_on(
            &base,
            "bob",
            &Cw20ExecuteMsg::Send {
                contract: grid.to_string(),
                amount: u(1_000),
                msg: to_json_binary(&ReceiveMsg::Subscribe {
                    tier: "pro".into(),
                    periods: 1,
                })
                .unwrap(),
            },
        )
        .unwrap_err();
    assert_eq!(
        err.downcast_ref::<ContractError>(),
        Some(&ContractError::WrongToken {
            token: base.to_string(),
            expected: grid.to_string(),
        })
    );
    assert_eq!(chain.balance(&base, "bob"), 50_000);
}

#[test]
fn subscribe_directly_and_query_access() {
    let mut chain = Chain::new();
    let bob = chain.addr("bob");
    chain
        .grid_exec(
            "bob",
            &ExecuteMsg::Subscribe {
                tier: "pro".into(),
                periods: 1,
            },
        )
        .unwrap();
    let grid = chain.grid.clone();
    let access: AccessResponse = chain.query(
        &grid,
        &QueryMsg::Access {
            address: bob.to_string(),
        },
    );
    assert_eq!(access.tier.map(|t| t.priority), Some(2));
    chain
        .app
        .update_block(|b| b.time = b.time.plus_seconds(MONTH));
    let access: AccessResponse = chain.query(
        &grid,
        &QueryMsg::Access {
            address: bob.to_string(),
        },
    );
    assert_eq!(access.tier, None);
    // Native coins are refused.
    chain
        .app
        .init_modules(|router, _, storage| {
            router
                .bank
                .init_balance(storage, &bob, cosmwasm_std::coins(10, "ugrid"))
        })
        .unwrap();
    let err = chain
        .app
        .execute_contract(
            bob,
            grid,
            &ExecuteMsg::Subscribe {
                tier: "pro".into(),
                periods: 1,
            },
            &cosmwasm_std::coins(1, "ugrid"),
        )
        .unwrap_err();
    assert_eq!(
        err.downcast_ref::<ContractError>(),
        Some(&ContractError::Funds(
            gridshare_plumbing::FundsError::UnexpectedFunds {
                funds: "1ugrid".into()
            }
        ))
    );
}
