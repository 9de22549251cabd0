//! The cw20 messages on mocks: cw20-base's behaviour, attributes and errors, unchanged; identical
//! JSON; and the guards this contract adds (no native funds, no overflow aborts).

use super::helpers::*;
use crate::msg::{ExecuteMsg, QueryMsg};
use crate::ContractError;
use cosmwasm_std::{
    coin, from_json, to_json_binary, Binary, CosmosMsg, OverflowError, OverflowOperation, StdError,
    SubMsg, Uint128, WasmMsg,
};
use cw20::{
    AllAccountsResponse, AllAllowancesResponse, AllowanceResponse, Cw20ExecuteMsg, Cw20ReceiveMsg,
    DownloadLogoResponse, EmbeddedLogo, Expiration, Logo, LogoInfo, MarketingInfoResponse,
    MinterResponse,
};

#[test]
fn every_cw20_message_has_identical_json() {
    let expires = Some(Expiration::AtHeight(7));
    let msgs = vec![
        Cw20ExecuteMsg::Transfer {
            recipient: "r".into(),
            amount: u(1),
        },
        Cw20ExecuteMsg::Burn { amount: u(2) },
        Cw20ExecuteMsg::Send {
            contract: "c".into(),
            amount: u(3),
            msg: Binary::from(b"{}"),
        },
        Cw20ExecuteMsg::IncreaseAllowance {
            spender: "s".into(),
            amount: u(4),
            expires,
        },
        Cw20ExecuteMsg::DecreaseAllowance {
            spender: "s".into(),
            amount: u(5),
            expires: None,
        },
        Cw20ExecuteMsg::TransferFrom {
            owner: "o".into(),
            recipient: "r".into(),
            amount: u(6),
        },
        Cw20ExecuteMsg::SendFrom {
            owner: "o".into(),
            contract: "c".into(),
            amount: u(7),
            msg: Binary::from(b"hi"),
        },
        Cw20ExecuteMsg::BurnFrom {
            owner: "o".into(),
            amount: u(8),
        },
        Cw20ExecuteMsg::Mint {
            recipient: "r".into(),
            amount: u(9),
        },
        Cw20ExecuteMsg::UpdateMinter {
            new_minter: Some("m".into()),
        },
        Cw20ExecuteMsg::UpdateMarketing {
            project: Some("p".into()),
            description: None,
            marketing: Some("".into()),
        },
        Cw20ExecuteMsg::UploadLogo(Logo::Url("https://x".into())),
        Cw20ExecuteMsg::UploadLogo(Logo::Embedded(EmbeddedLogo::Png(Binary::from(b"png")))),
    ];
    for msg in msgs {
        let json = to_json_binary(&msg).unwrap();
        let ours: ExecuteMsg = from_json(&json).unwrap();
        assert_eq!(ours, ExecuteMsg::from(msg.clone()));
        assert_eq!(to_json_binary(&ours).unwrap(), json, "{msg:?}");
    }
}

#[test]
fn every_cw20_base_query_has_identical_json() {
    use cw20_base::msg::QueryMsg as Base;
    let queries = vec![
        Base::Balance {
            address: "a".into(),
        },
        Base::TokenInfo {},
        Base::Minter {},
        Base::Allowance {
            owner: "o".into(),
            spender: "s".into(),
        },
        Base::AllAllowances {
            owner: "o".into(),
            start_after: Some("x".into()),
            limit: Some(3),
        },
        Base::AllSpenderAllowances {
            spender: "s".into(),
            start_after: None,
            limit: None,
        },
        Base::AllAccounts {
            start_after: None,
            limit: Some(1),
        },
        Base::MarketingInfo {},
        Base::DownloadLogo {},
    ];
    for query in queries {
        let json = to_json_binary(&query).unwrap();
        let ours: QueryMsg = from_json(&json).unwrap();
        assert_eq!(to_json_binary(&ours).unwrap(), json, "{query:?}");
    }
}

#[test]
fn transfer_and_burn_behave_like_cw20_base() {
    let mut suite = Suite::new();
    let (alice, bob) = (suite.alice.clone(), suite.bob.clone());
    let res = suite.exec(
        &alice,
        &[],
        ExecuteMsg::Transfer {
            recipient: bob.to_string(),
            amount: u(100),
        },
    );
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "transfer"),
            ("from", alice.as_str()),
            ("to", bob.as_str()),
            ("amount", "100"),
        ])
    );
    assert_eq!(suite.balance(&alice), ALICE_GRID - 100);
    assert_eq!(suite.balance(&bob), BOB_GRID + 100);

    let res = suite.exec(&bob, &[], ExecuteMsg::Burn { amount: u(600) });
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "burn"),
            ("from", bob.as_str()),
            ("amount", "600")
        ])
    );
    assert_eq!(suite.supply(), ALICE_GRID + BOB_GRID - 600);

    let err = suite.exec_err(
        &alice,
        &[],
        ExecuteMsg::Transfer {
            recipient: bob.to_string(),
            amount: u(ALICE_GRID),
        },
    );
    assert!(
        matches!(
            err,
            ContractError::Cw20(cw20_base::ContractError::Std(StdError::Overflow { .. }))
        ),
        "{err:?}"
    );
    let err = suite.exec_err(
        &alice,
        &[],
        ExecuteMsg::Transfer {
            recipient: "bad".into(),
            amount: u(1),
        },
    );
    assert!(
        matches!(err, ContractError::Cw20(cw20_base::ContractError::Std(_))),
        "{err:?}"
    );
}

#[test]
fn send_calls_the_receivers_hook() {
    let mut suite = Suite::new();
    let alice = suite.alice.clone();
    let receiver = addr("receiver");
    let hook = Binary::from(br#"{"do":{}}"#);
    let res = suite.exec(
        &alice,
        &[],
        ExecuteMsg::Send {
            contract: receiver.to_string(),
            amount: u(250),
            msg: hook.clone(),
        },
    );
    assert_eq!(
        res.messages,
        vec![SubMsg::new(
            Cw20ReceiveMsg {
                sender: alice.to_string(),
                amount: u(250),
                msg: hook,
            }
            .into_cosmos_msg(receiver.to_string())
            .unwrap()
        )]
    );
    assert_eq!(suite.balance(&receiver), 250);
}

#[test]
fn allowances_work_like_cw20_base() {
    let mut suite = Suite::new();
    let (alice, bob) = (suite.alice.clone(), suite.bob.clone());
    let spender = addr("spender");
    let height = suite.chain.env.block.height;
    suite.exec(
        &alice,
        &[],
        ExecuteMsg::IncreaseAllowance {
            spender: spender.to_string(),
            amount: u(1_000),
            expires: Some(Expiration::AtHeight(height + 10)),
        },
    );
    suite.exec(
        &alice,
        &[],
        ExecuteMsg::DecreaseAllowance {
            spender: spender.to_string(),
            amount: u(100),
            expires: None,
        },
    );
    assert_eq!(
        suite
            .query::<AllowanceResponse>(QueryMsg::Allowance {
                owner: alice.to_string(),
                spender: spender.to_string(),
            })
            .unwrap(),
        AllowanceResponse {
            allowance: u(900),
            expires: Expiration::AtHeight(height + 10),
        }
    );
    let res = suite.exec(
        &spender,
        &[],
        ExecuteMsg::TransferFrom {
            owner: alice.to_string(),
            recipient: bob.to_string(),
            amount: u(300),
        },
    );
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "transfer_from"),
            ("from", alice.as_str()),
            ("to", bob.as_str()),
            ("by", spender.as_str()),
            ("amount", "300"),
        ])
    );
    suite.exec(
        &spender,
        &[],
        ExecuteMsg::BurnFrom {
            owner: alice.to_string(),
            amount: u(100),
        },
    );
    let res = suite.exec(
        &spender,
        &[],
        ExecuteMsg::SendFrom {
            owner: alice.to_string(),
            contract: addr("receiver").to_string(),
            amount: u(200),
            msg: Binary::default(),
        },
    );
    assert_eq!(res.messages.len(), 1);
    assert_eq!(suite.balance(&alice), ALICE_GRID - 600);
    assert_eq!(suite.balance(&bob), BOB_GRID + 300);
    assert_eq!(
        suite
            .query::<AllAllowancesResponse>(QueryMsg::AllAllowances {
                owner: alice.to_string(),
                start_after: None,
                limit: None,
            })
            .unwrap()
            .allowances[0]
            .allowance,
        u(300)
    );

    // Above the allowance, and after expiry: cw20-base's errors.
    let err = suite.exec_err(
        &spender,
        &[],
        ExecuteMsg::TransferFrom {
            owner: alice.to_string(),
            recipient: bob.to_string(),
            amount: u(301),
        },
    );
    assert!(
        matches!(
            err,
            ContractError::Cw20(cw20_base::ContractError::Std(StdError::Overflow { .. }))
        ),
        "{err:?}"
    );
    suite.chain.env.block.height += 10;
    assert_eq!(
        suite.exec_err(
            &spender,
            &[],
            ExecuteMsg::TransferFrom {
                owner: alice.to_string(),
                recipient: bob.to_string(),
                amount: u(1),
            }
        ),
        cw20_err(cw20_base::ContractError::Expired {})
    );
    assert_eq!(
        suite.exec_err(
            &bob,
            &[],
            ExecuteMsg::BurnFrom {
                owner: alice.to_string(),
                amount: u(1),
            }
        ),
        cw20_err(cw20_base::ContractError::NoAllowance {})
    );
    assert_eq!(
        suite.exec_err(
            &alice,
            &[],
            ExecuteMsg::IncreaseAllowance {
                spender: alice.to_string(),
                amount: u(1),
                expires: None,
            }
        ),
        cw20_err(cw20_base::ContractError::CannotSetOwnAccount {})
    );
    assert_eq!(
        suite.exec_err(
            &alice,
            &[],
            ExecuteMsg::IncreaseAllowance {
                spender: bob.to_string(),
                amount: u(1),
                expires: Some(Expiration::AtHeight(1)),
            }
        ),
        cw20_err(cw20_base::ContractError::InvalidExpiration {})
    );
}

#[test]
fn an_allowance_that_would_overflow_is_a_typed_error() {
    let mut suite = Suite::new();
    let alice = suite.alice.clone();
    let spender = addr("spender");
    suite.exec(
        &alice,
        &[],
        ExecuteMsg::IncreaseAllowance {
            spender: spender.to_string(),
            amount: Uint128::MAX,
            expires: None,
        },
    );
    assert_eq!(
        suite.exec_err(
            &alice,
            &[],
            ExecuteMsg::IncreaseAllowance {
                spender: spender.to_string(),
                amount: u(1),
                expires: None,
            }
        ),
        ContractError::Overflow(OverflowError::new(OverflowOperation::Add))
    );
}

#[test]
fn the_minter_mints_up_to_the_cap() {
    let mut suite = Suite::new();
    let (minter, alice) = (suite.minter.clone(), suite.alice.clone());
    let room = CAP - ALICE_GRID - BOB_GRID;
    let res = suite.exec(
        &minter,
        &[],
        ExecuteMsg::Mint {
            recipient: alice.to_string(),
            amount: u(room),
        },
    );
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "mint"),
            ("to", alice.as_str()),
            ("amount", &room.to_string()),
        ])
    );
    assert_eq!(suite.supply(), CAP);
    assert_eq!(
        suite.exec_err(
            &minter,
            &[],
            ExecuteMsg::Mint {
                recipient: alice.to_string(),
                amount: u(1),
            }
        ),
        cw20_err(cw20_base::ContractError::CannotExceedCap {})
    );
    // A subscription burns, which makes room under the cap again.
    suite.subscribe(&alice, "pro", 1);
    suite.exec(
        &minter,
        &[],
        ExecuteMsg::Mint {
            recipient: alice.to_string(),
            amount: u(PRO_PRICE),
        },
    );
    assert_eq!(
        suite.exec_err(
            &alice,
            &[],
            ExecuteMsg::Mint {
                recipient: alice.to_string(),
                amount: u(1),
            }
        ),
        cw20_err(cw20_base::ContractError::Unauthorized {})
    );
}

#[test]
fn a_mint_that_would_overflow_is_a_typed_error() {
    let mut suite = Suite::new();
    let minter = suite.minter.clone();
    assert_eq!(
        suite.exec_err(
            &minter,
            &[],
            ExecuteMsg::Mint {
                recipient: minter.to_string(),
                amount: Uint128::MAX,
            }
        ),
        ContractError::Overflow(OverflowError::new(OverflowOperation::Add))
    );
    // Anyone else still gets cw20-base's answer.
    let alice = suite.alice.clone();
    assert_eq!(
        suite.exec_err(
            &alice,
            &[],
            ExecuteMsg::Mint {
                recipient: alice.to_string(),
                amount: Uint128::MAX,
            }
        ),
        cw20_err(cw20_base::ContractError::Unauthorized {})
    );
}

#[test]
fn the_minter_hands_its_role_on() {
    let mut suite = Suite::new();
    let minter = suite.minter.clone();
    let governance = addr("governance");
    suite.exec(
        &minter,
        &[],
        ExecuteMsg::UpdateMinter {
            new_minter: Some(governance.to_string()),
        },
    );
    assert_eq!(
        suite
            .query::<Option<MinterResponse>>(QueryMsg::Minter {})
            .unwrap(),
        Some(MinterResponse {
            minter: governance.to_string(),
            cap: Some(u(CAP)),
        })
    );
    assert_eq!(
        suite.exec_err(&minter, &[], ExecuteMsg::UpdateMinter { new_minter: None }),
        cw20_err(cw20_base::ContractError::Unauthorized {})
    );
    suite.exec(
        &governance,
        &[],
        ExecuteMsg::UpdateMinter { new_minter: None },
    );
    assert_eq!(
        suite
            .query::<Option<MinterResponse>>(QueryMsg::Minter {})
            .unwrap(),
        None
    );
}

#[test]
fn marketing_and_logo_follow_cw20_base() {
    let mut suite = Suite::new();
    let (marketing, alice) = (suite.marketing.clone(), suite.alice.clone());
    suite.exec(
        &marketing,
        &[],
        ExecuteMsg::UpdateMarketing {
            project: None,
            description: Some("".into()),
            marketing: None,
        },
    );
    let png = {
        let mut bytes = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
        bytes.extend_from_slice(b"body");
        Binary::from(bytes)
    };
    suite.exec(
        &marketing,
        &[],
        ExecuteMsg::UploadLogo(Logo::Embedded(EmbeddedLogo::Png(png.clone()))),
    );
    assert_eq!(
        suite
            .query::<MarketingInfoResponse>(QueryMsg::MarketingInfo {})
            .unwrap(),
        MarketingInfoResponse {
            project: Some("https://gridshare.example".into()),
            description: None,
            marketing: Some(marketing.clone()),
            logo: Some(LogoInfo::Embedded),
        }
    );
    assert_eq!(
        suite
            .query::<DownloadLogoResponse>(QueryMsg::DownloadLogo {})
            .unwrap(),
        DownloadLogoResponse {
            mime_type: "image/png".into(),
            data: png,
        }
    );
    assert_eq!(
        suite.exec_err(
            &alice,
            &[],
            ExecuteMsg::UpdateMarketing {
                project: Some("mine".into()),
                description: None,
                marketing: None,
            }
        ),
        cw20_err(cw20_base::ContractError::Unauthorized {})
    );
    assert_eq!(
        suite.exec_err(
            &marketing,
            &[],
            ExecuteMsg::UploadLogo(Logo::Embedded(EmbeddedLogo::Png(Binary::from(b"nope"))))
        ),
        cw20_err(cw20_base::ContractError::InvalidPngHeader {})
    );
}

#[test]
fn all_accounts_lists_holders() {
    let mut suite = Suite::new();
    let alice = suite.alice.clone();
    suite.exec(
        &alice,
        &[],
        ExecuteMsg::Transfer {
            recipient: addr("carol").to_string(),
            amount: u(1),
        },
    );
    let mut expected = vec![
        suite.alice.to_string(),
        suite.bob.to_string(),
        addr("carol").to_string(),
    ];
    expected.sort();
    assert_eq!(
        suite
            .query::<AllAccountsResponse>(QueryMsg::AllAccounts {
                start_after: None,
                limit: None,
            })
            .unwrap()
            .accounts,
        expected
    );
}

#[test]
fn cw20_messages_refuse_native_funds() {
    let mut suite = Suite::new();
    let (alice, bob) = (suite.alice.clone(), suite.bob.clone());
    let err = suite
        .try_exec(
            &alice,
            &[coin(7, "uatom")],
            ExecuteMsg::Transfer {
                recipient: bob.to_string(),
                amount: u(1),
            },
        )
        .unwrap_err();
    assert_eq!(
        err,
        ContractError::Funds(gridshare_plumbing::FundsError::UnexpectedFunds {
            funds: "7uatom".into()
        })
    );
    // And the Send hook message never carries funds either.
    let res = suite.exec(
        &alice,
        &[],
        ExecuteMsg::Send {
            contract: bob.to_string(),
            amount: u(1),
            msg: Binary::default(),
        },
    );
    assert!(matches!(
        &res.messages[0].msg,
        CosmosMsg::Wasm(WasmMsg::Execute { funds, .. }) if funds.is_empty()
    ));
}
