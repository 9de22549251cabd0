//! Fees the collector refuses: the release goes through, the fee stays here as uncollected, and
//! `DeliverFees` (anyone) or `ClaimFees` (the collector) send it on later.

use super::helpers::*;
use crate::contract::reply;
use crate::msg::{DenomTotal, ExecuteMsg, QueryMsg, Rate, UncollectedFeesResponse};
use crate::{ContractError, FEE_REPLY_ID};
use cosmwasm_std::{Binary, Event, Reply, SubMsg, SubMsgResult, Uint128};
use gridshare_plumbing::FundsError;
use gridshare_types::{Denom, UncheckedDenom};

fn deliver(denom: &Denom) -> ExecuteMsg {
    ExecuteMsg::DeliverFees {
        denom: denom.clone().into(),
    }
}

fn claim(denom: &Denom) -> ExecuteMsg {
    ExecuteMsg::ClaimFees {
        denom: denom.clone().into(),
    }
}

fn fee_uncollected(suite: &Suite, denom: &Denom, amount: u128, uncollected: u128) -> Event {
    Event::new("fee_uncollected")
        .add_attribute("denom", denom.to_string())
        .add_attribute("amount", amount.to_string())
        .add_attribute("uncollected", uncollected.to_string())
        .add_attribute("fee_collector", suite.fee_collector.as_str())
        .add_attribute("error", REFUSAL)
}

/// Account 1 (100_000 ugrid) with lease 1 at 100/s, cap 50_000 and a 10 % fee.
fn streaming() -> Suite {
    let mut suite = Suite::new();
    suite.open_account(1, 100_000);
    let payment = NewPayment {
        rate: Rate::per_second(100u128),
        cap: 50_000,
        fee_bps: 1_000,
        ..suite.new_payment(1, 1)
    };
    suite.open_payment(&payment);
    suite
}

#[test]
fn a_refused_fee_stays_here_and_the_release_goes_through() {
    let mut suite = streaming();
    suite.refusing = true;
    suite.advance(10);

    let res = suite.release(1, None);
    // The fee is sent all the same, as a submessage whose failure escrow is told about.
    assert_eq!(
        res.messages,
        vec![native_fee(&suite.fee_collector, 100, UGRID)]
    );
    assert_eq!(attr(&res, "released"), "1000");
    assert_eq!(suite.replies.len(), 1);
    assert_eq!(
        suite.replies[0].events,
        vec![fee_uncollected(&suite, &native(UGRID), 100, 100)]
    );

    // The payee's share is released as if nothing happened, the fee is held aside.
    let p = suite.payment(1);
    assert_eq!(p.released.u128(), 1_000);
    assert_eq!(p.fees_paid.u128(), 100);
    assert_eq!(p.withdrawable.u128(), 900);
    assert_eq!(suite.account(1).balance.u128(), 99_900);
    assert_eq!(suite.total(&native(UGRID)), 99_900);
    assert_eq!(suite.uncollected(&native(UGRID)), 100);
    let provider = suite.provider.clone();
    assert_eq!(
        suite.withdraw(&provider, &[1]).messages,
        vec![bank_send(&provider, 900, UGRID)]
    );

    // Further refusals add up; accepted fees leave as before.
    suite.advance(10);
    suite.release(1, None);
    assert_eq!(
        suite.replies[0].events,
        vec![fee_uncollected(&suite, &native(UGRID), 100, 200)]
    );
    suite.refusing = false;
    suite.advance(10);
    suite.release(1, None);
    assert!(suite.replies.is_empty());
    assert_eq!(suite.uncollected(&native(UGRID)), 200);
    assert_eq!(suite.sent_to(&suite.fee_collector, &native(UGRID)), 100);
}

#[test]
fn closing_an_account_with_a_refusing_collector_pays_everyone_else() {
    let mut suite = Suite::new();
    suite.open_cw20_account(1, 10_000);
    let payment = NewPayment {
        rate: Rate::per_second(10u128),
        cap: 5_000,
        fee_bps: 500,
        ..suite.new_payment(1, 1)
    };
    suite.open_payment(&payment);
    suite.refusing = true;
    suite.advance(100);

    let res = suite.close_account(1, None);
    let (token, renter, provider) = (
        suite.token.clone(),
        suite.renter.clone(),
        suite.provider.clone(),
    );
    assert_eq!(
        res.messages,
        vec![
            cw20_fee(&token, &suite.fee_collector, 50),
            cw20_transfer(&token, &provider, 950),
            cw20_transfer(&token, &renter, 9_000),
        ]
    );
    let token_denom = Denom::Cw20(token);
    assert_eq!(
        suite.replies[0].events,
        vec![fee_uncollected(&suite, &token_denom, 50, 50)]
    );
    assert!(suite.account(1).closed);
    assert_eq!(suite.total(&token_denom), 0);
    assert_eq!(suite.uncollected(&token_denom), 50);
}

#[test]
fn anyone_delivers_uncollected_fees_to_the_collector() {
    let mut suite = streaming();
    suite.open_cw20_account(2, 10_000);
    let payment = NewPayment {
        rate: Rate::per_second(10u128),
        cap: 5_000,
        fee_bps: 500,
        ..suite.new_payment(2, 2)
    };
    suite.open_payment(&payment);
    suite.refusing = true;
    suite.advance(10);
    suite.release(1, None);
    suite.release(2, None);
    let token = Denom::Cw20(suite.token.clone());
    assert_eq!(
        suite.uncollected_fees(),
        vec![
            DenomTotal {
                denom: token.clone(),
                amount: Uint128::new(5),
            },
            DenomTotal {
                denom: native(UGRID),
                amount: Uint128::new(100),
            },
        ]
    );
    // Paginated by denom key, like the totals.
    let page: UncollectedFeesResponse = suite
        .query(QueryMsg::UncollectedFees {
            start_after: Some(token.to_string()),
            limit: Some(1),
        })
        .unwrap();
    assert_eq!(page.fees.len(), 1);
    assert_eq!(page.fees[0].denom, native(UGRID));

    suite.refusing = false;
    let stranger = suite.stranger.clone();
    let res = suite.exec(&stranger, &[], deliver(&native(UGRID)));
    // A plain message: if the collector still refused, the whole delivery would revert.
    assert_eq!(
        res.messages,
        vec![SubMsg::new(native_deposit(
            &suite.fee_collector,
            100,
            UGRID
        ))]
    );
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "deliver_fees"),
            ("denom", "native:ugrid"),
            ("amount", "100"),
            ("fee_collector", suite.fee_collector.as_str()),
        ])
    );
    let res = suite.exec(&stranger, &[], deliver(&token));
    assert_eq!(
        res.messages,
        vec![SubMsg::new(cw20_deposit(
            &suite.token,
            &suite.fee_collector,
            5
        ))]
    );
    assert!(suite.uncollected_fees().is_empty());
    assert_eq!(suite.sent_to(&suite.fee_collector, &native(UGRID)), 100);
    assert_eq!(suite.sent_to(&suite.fee_collector, &token), 5);

    assert_eq!(
        suite.exec_err(&stranger, &[], deliver(&native(UGRID))),
        ContractError::NoUncollectedFees {
            denom: "native:ugrid".to_string(),
        }
    );
}

#[test]
fn the_collector_claims_its_uncollected_fees_as_a_plain_transfer() {
    let mut suite = streaming();
    suite.open_cw20_account(2, 10_000);
    let payment = NewPayment {
        rate: Rate::per_second(10u128),
        cap: 5_000,
        fee_bps: 500,
        ..suite.new_payment(2, 2)
    };
    suite.open_payment(&payment);
    suite.refusing = true;
    suite.advance(10);
    suite.release(1, None);
    suite.release(2, None);
    let (collector, token) = (suite.fee_collector.clone(), suite.token.clone());

    for sender in [
        suite.owner.clone(),
        suite.marketplace.clone(),
        suite.stranger.clone(),
    ] {
        assert_eq!(
            suite.exec_err(&sender, &[], claim(&native(UGRID))),
            ContractError::Unauthorized {
                sender: sender.to_string(),
                role: "fee collector",
            }
        );
    }
    // A refusing collector may still take its fees: a transfer executes nothing on it.
    let res = suite.exec(&collector, &[], claim(&native(UGRID)));
    assert_eq!(res.messages, vec![bank_send(&collector, 100, UGRID)]);
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "claim_fees"),
            ("denom", "native:ugrid"),
            ("amount", "100"),
            ("fee_collector", collector.as_str()),
        ])
    );
    let res = suite.exec(&collector, &[], claim(&Denom::Cw20(token.clone())));
    assert_eq!(res.messages, vec![cw20_transfer(&token, &collector, 5)]);
    assert!(suite.uncollected_fees().is_empty());
    assert_eq!(
        suite.exec_err(&collector, &[], claim(&native(UGRID))),
        ContractError::NoUncollectedFees {
            denom: "native:ugrid".to_string(),
        }
    );
}

#[test]
fn uncollected_fees_follow_the_fee_collector() {
    let mut suite = streaming();
    suite.refusing = true;
    suite.advance(10);
    suite.release(1, None);
    let (owner, old) = (suite.owner.clone(), suite.fee_collector.clone());
    let new = addr("staking_v2");
    suite.exec(
        &owner,
        &[],
        ExecuteMsg::UpdateConfig {
            marketplace: None,
            fee_collector: Some(new.to_string()),
            accepted_denoms: None,
        },
    );
    assert_eq!(
        suite.exec_err(&old, &[], claim(&native(UGRID))),
        ContractError::Unauthorized {
            sender: old.to_string(),
            role: "fee collector",
        }
    );
    suite.refusing = false;
    suite.fee_collector = new.clone();
    let res = suite.exec(&owner, &[], deliver(&native(UGRID)));
    assert_eq!(
        res.messages,
        vec![SubMsg::new(native_deposit(&new, 100, UGRID))]
    );
}

#[test]
fn fee_message_errors() {
    let mut suite = streaming();
    suite.refusing = true;
    suite.advance(10);
    suite.release(1, None);
    let (stranger, collector) = (suite.stranger.clone(), suite.fee_collector.clone());
    assert_eq!(
        suite.exec_err(&stranger, &[], deliver(&native(UUSDC))),
        ContractError::NoUncollectedFees {
            denom: "native:uusdc".to_string(),
        }
    );
    assert_eq!(
        suite.exec_err(
            &stranger,
            &[],
            ExecuteMsg::DeliverFees {
                denom: UncheckedDenom::Native("x".into()),
            }
        ),
        ContractError::Denom(gridshare_types::DenomError::InvalidNative {
            denom: "x".into(),
            reason: "length must be between 3 and 128",
        })
    );
    assert_eq!(
        suite.exec_err(&stranger, &[coin(1, UGRID)], deliver(&native(UGRID))),
        ContractError::Funds(FundsError::UnexpectedFunds {
            funds: "1ugrid".to_string(),
        })
    );
    assert_eq!(
        suite.exec_err(&collector, &[coin(1, UGRID)], claim(&native(UGRID))),
        ContractError::Funds(FundsError::UnexpectedFunds {
            funds: "1ugrid".to_string(),
        })
    );
    assert_eq!(suite.uncollected(&native(UGRID)), 100);
}

#[test]
fn replies_escrow_did_not_ask_for_are_refused() {
    let mut suite = streaming();
    let before = suite.snapshot();
    let fee = br#"{"denom":{"native":"ugrid"},"amount":"5"}"#;
    let mut call = |id, payload: &[u8]| {
        reply(
            suite.chain.deps.as_mut(),
            suite.chain.env.clone(),
            Reply {
                id,
                payload: Binary::from(payload.to_vec()),
                gas_used: 0,
                result: SubMsgResult::Err("refused".into()),
            },
        )
    };
    assert_eq!(
        call(FEE_REPLY_ID + 1, fee).unwrap_err(),
        ContractError::UnknownReply {
            id: FEE_REPLY_ID + 1,
        }
    );
    // Without the fee in its payload (a chain before CosmWasm 2.0), the reply fails, and with it
    // the whole transaction: nothing is lost.
    assert!(matches!(
        call(FEE_REPLY_ID, b"").unwrap_err(),
        ContractError::Std(_)
    ));
    assert_eq!(suite.snapshot(), before);
}
