//! Instantiation: cw20-base's state plus the premium admin and tiers; every invalid input refused.

use super::helpers::*;
use crate::contract::instantiate;
use crate::msg::{AdminResponse, InstantiateMsg, QueryMsg, Tier, TiersResponse};
use crate::{ContractError, CONTRACT_NAME, CONTRACT_VERSION, MAX_TIERS};
use cosmwasm_std::testing::{message_info, mock_dependencies};
use cosmwasm_std::{coin, OverflowError, OverflowOperation, StdError, Uint128};
use cw20::{Cw20Coin, MarketingInfoResponse, MinterResponse, TokenInfoResponse};

fn try_instantiate(msg: InstantiateMsg) -> Result<(), ContractError> {
    try_instantiate_with(msg, &[])
}

fn try_instantiate_with(
    msg: InstantiateMsg,
    funds: &[cosmwasm_std::Coin],
) -> Result<(), ContractError> {
    let mut deps = mock_dependencies();
    let result = instantiate(
        deps.as_mut(),
        env_at(GENESIS),
        message_info(&addr("admin"), funds),
        msg,
    );
    // cw20-base records its cw2 version before its own checks; on a chain a failed instantiate
    // is discarded whole, so only this contract's own refusals are held to "nothing written".
    if result
        .as_ref()
        .is_err_and(|e| !matches!(e, ContractError::Cw20(_)))
    {
        assert!(
            snapshot(&deps.storage).is_empty(),
            "a failed instantiate wrote state"
        );
    }
    result.map(|_| ())
}

#[test]
fn instantiate_sets_up_the_token_and_the_tiers() {
    let suite = Suite::new();
    assert_eq!(
        suite
            .query::<TokenInfoResponse>(QueryMsg::TokenInfo {})
            .unwrap(),
        TokenInfoResponse {
            name: "GridShare".into(),
            symbol: "GRID".into(),
            decimals: 6,
            total_supply: u(ALICE_GRID + BOB_GRID),
        }
    );
    assert_eq!(suite.balance(&suite.alice), ALICE_GRID);
    assert_eq!(suite.balance(&suite.bob), BOB_GRID);
    assert_eq!(
        suite
            .query::<Option<MinterResponse>>(QueryMsg::Minter {})
            .unwrap(),
        Some(MinterResponse {
            minter: suite.minter.to_string(),
            cap: Some(u(CAP)),
        })
    );
    assert_eq!(
        suite
            .query::<MarketingInfoResponse>(QueryMsg::MarketingInfo {})
            .unwrap(),
        MarketingInfoResponse {
            project: Some("https://gridshare.example".into()),
            description: Some("GPU sharing".into()),
            marketing: Some(suite.marketing.clone()),
            logo: None,
        }
    );
    assert_eq!(
        suite.query::<AdminResponse>(QueryMsg::Admin {}).unwrap(),
        AdminResponse {
            admin: suite.admin.clone()
        }
    );
    assert_eq!(
        suite
            .query::<TiersResponse>(QueryMsg::Tiers {
                start_after: None,
                limit: None
            })
            .unwrap()
            .tiers,
        vec![pro(), ultra()]
    );
    let version = cw2::get_contract_version(&suite.chain.deps.storage).unwrap();
    assert_eq!(
        (version.contract.as_str(), version.version.as_str()),
        (CONTRACT_NAME, CONTRACT_VERSION)
    );
    assert_eq!(CONTRACT_NAME, "access-token");
}

#[test]
fn instantiate_reports_what_it_did() {
    let mut deps = mock_dependencies();
    let res = instantiate(
        deps.as_mut(),
        env_at(GENESIS),
        message_info(&addr("deployer"), &[]),
        InstantiateMsg {
            admin: Some(addr("governance").to_string()),
            ..instantiate_msg()
        },
    )
    .unwrap();
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "instantiate"),
            ("symbol", "GRID"),
            ("admin", addr("governance").as_str()),
            ("tiers", "2"),
        ])
    );
    assert!(res.messages.is_empty());
}

#[test]
fn a_minimal_token_needs_no_minter_marketing_or_tiers() {
    let suite = Suite::with(InstantiateMsg {
        mint: None,
        marketing: None,
        tiers: vec![],
        ..instantiate_msg()
    });
    assert_eq!(
        suite
            .query::<Option<MinterResponse>>(QueryMsg::Minter {})
            .unwrap(),
        None
    );
    assert_eq!(
        suite
            .query::<MarketingInfoResponse>(QueryMsg::MarketingInfo {})
            .unwrap(),
        MarketingInfoResponse::default()
    );
    assert!(suite
        .query::<TiersResponse>(QueryMsg::Tiers {
            start_after: None,
            limit: None
        })
        .unwrap()
        .tiers
        .is_empty());
}

#[test]
fn invalid_tiers_are_refused() {
    assert_eq!(
        try_instantiate(InstantiateMsg {
            tiers: vec![pro(), ultra(), pro()],
            ..instantiate_msg()
        }),
        Err(ContractError::DuplicateTier { tier: "pro".into() })
    );
    assert_eq!(
        try_instantiate(InstantiateMsg {
            tiers: vec![Tier {
                price_per_period: Uint128::zero(),
                ..pro()
            }],
            ..instantiate_msg()
        }),
        Err(ContractError::ZeroTierPrice { tier: "pro".into() })
    );
    let many = (0..=MAX_TIERS)
        .map(|i| Tier {
            id: format!("t{i}"),
            ..pro()
        })
        .collect();
    assert_eq!(
        try_instantiate(InstantiateMsg {
            tiers: many,
            ..instantiate_msg()
        }),
        Err(ContractError::TooManyTiers { max: MAX_TIERS })
    );
}

#[test]
fn invalid_cw20_fields_get_cw20_bases_errors() {
    assert_eq!(
        try_instantiate(InstantiateMsg {
            symbol: "G".into(),
            ..instantiate_msg()
        }),
        Err(cw20_err(cw20_base::ContractError::Std(
            StdError::generic_err("Ticker symbol is not in expected format [a-zA-Z\\-]{3,12}")
        )))
    );
    let alice = addr("alice").to_string();
    assert_eq!(
        try_instantiate(InstantiateMsg {
            initial_balances: vec![
                Cw20Coin {
                    address: alice.clone(),
                    amount: u(1)
                },
                Cw20Coin {
                    address: alice,
                    amount: u(2)
                },
            ],
            ..instantiate_msg()
        }),
        Err(cw20_err(
            cw20_base::ContractError::DuplicateInitialBalanceAddresses {}
        ))
    );
    assert_eq!(
        try_instantiate(InstantiateMsg {
            mint: Some(MinterResponse {
                minter: addr("minter").to_string(),
                cap: Some(u(10)),
            }),
            ..instantiate_msg()
        }),
        Err(cw20_err(cw20_base::ContractError::Std(
            StdError::generic_err("Initial supply greater than cap")
        )))
    );
}

#[test]
fn initial_balances_that_overflow_are_a_typed_error() {
    assert_eq!(
        try_instantiate(InstantiateMsg {
            initial_balances: vec![
                Cw20Coin {
                    address: addr("alice").to_string(),
                    amount: Uint128::MAX,
                },
                Cw20Coin {
                    address: addr("bob").to_string(),
                    amount: u(1),
                },
            ],
            mint: None,
            ..instantiate_msg()
        }),
        Err(ContractError::Overflow(OverflowError::new(
            OverflowOperation::Add
        )))
    );
}

#[test]
fn a_bad_admin_and_native_funds_are_refused() {
    assert_eq!(
        try_instantiate(InstantiateMsg {
            admin: Some("nope".into()),
            ..instantiate_msg()
        }),
        Err(ContractError::Std(invalid_address("nope")))
    );
    assert_eq!(
        try_instantiate_with(instantiate_msg(), &[coin(1, "ugrid")]),
        Err(ContractError::Funds(
            gridshare_plumbing::FundsError::UnexpectedFunds {
                funds: "1ugrid".into()
            }
        ))
    );
}
