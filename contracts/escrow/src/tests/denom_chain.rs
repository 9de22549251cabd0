//! The denom chain `marketplace's accepted ⊆ escrow's accepted ⊆ fee collector's reward denoms`,
//! checked by query whenever escrow's list or the counterpart it points at changes; a
//! counterpart that does not answer (not a contract yet) is skipped.

use super::helpers::*;
use crate::contract::instantiate;
use crate::msg::ExecuteMsg;
use crate::ContractError;
use cosmwasm_std::testing::{message_info, mock_dependencies};
use cosmwasm_std::{Addr, Binary};
use gridshare_plumbing::DenomListError;
use gridshare_types::{Denom, UncheckedDenom};

fn update(
    marketplace: Option<&Addr>,
    fee_collector: Option<&Addr>,
    accepted_denoms: Option<Vec<UncheckedDenom>>,
) -> ExecuteMsg {
    ExecuteMsg::UpdateConfig {
        marketplace: marketplace.map(Addr::to_string),
        fee_collector: fee_collector.map(Addr::to_string),
        accepted_denoms,
    }
}

fn unchecked(denoms: &[Denom]) -> Vec<UncheckedDenom> {
    denoms.iter().cloned().map(UncheckedDenom::from).collect()
}

fn token() -> Denom {
    Denom::Cw20(addr("token"))
}

/// Escrow's own list before any change: ugrid, uusdc and the cw20 token.
fn escrow_denoms() -> Vec<Denom> {
    vec![native(UGRID), native(UUSDC), token()]
}

fn not_in_escrow(missing: &Denom) -> ContractError {
    ContractError::DenomList(DenomListError::NotSubset {
        missing: missing.to_string(),
        inner: "marketplace's accepted denoms",
        outer: "escrow's accepted denoms",
    })
}

fn not_a_reward(missing: &Denom) -> ContractError {
    ContractError::DenomList(DenomListError::NotSubset {
        missing: missing.to_string(),
        inner: "escrow's accepted denoms",
        outer: "fee collector's reward denoms",
    })
}

/// A suite whose marketplace accepts `market` and whose fee collector rewards `rewards`, plus
/// the other contracts in `more`.
fn wired(market: &[Denom], rewards: &[Denom], more: Vec<(Addr, Binary)>) -> Suite {
    let mut suite = Suite::new();
    let mut answers = vec![
        (suite.marketplace.clone(), marketplace_config(market)),
        (suite.fee_collector.clone(), collector_config(rewards)),
    ];
    answers.extend(more);
    answer_configs(&mut suite.chain.deps, answers);
    suite
}

#[test]
fn dropping_a_denom_the_marketplace_accepts_is_refused() {
    let mut suite = wired(&[native(UUSDC)], &escrow_denoms(), vec![]);
    let owner = suite.owner.clone();
    let before = suite.config();
    let err = suite.exec_err(
        &owner,
        &[],
        update(None, None, Some(unchecked(&[native(UGRID), token()]))),
    );
    assert_eq!(err, not_in_escrow(&native(UUSDC)));
    assert_eq!(
        err.to_string(),
        "native:uusdc is in the marketplace's accepted denoms but not in the escrow's accepted \
         denoms: fees in it could never be delivered"
    );
    assert_eq!(suite.config(), before);

    // Dropping a denom the marketplace does not take is fine, and both links were checked.
    let res = suite.exec(
        &owner,
        &[],
        update(None, None, Some(unchecked(&[native(UUSDC), token()]))),
    );
    assert_eq!(attr(&res, "marketplace_denoms"), "checked");
    assert_eq!(attr(&res, "fee_collector_denoms"), "checked");
    assert_eq!(suite.config().accepted_denoms, vec![native(UUSDC), token()]);
}

#[test]
fn adding_a_denom_the_fee_collector_does_not_reward_is_refused() {
    let mut suite = wired(&[native(UUSDC)], &escrow_denoms(), vec![]);
    let owner = suite.owner.clone();
    let mut with_atom = escrow_denoms();
    with_atom.push(native("uatom"));
    assert_eq!(
        suite.exec_err(&owner, &[], update(None, None, Some(unchecked(&with_atom)))),
        not_a_reward(&native("uatom"))
    );
    let token2 = Denom::Cw20(addr("token2"));
    assert_eq!(
        suite.exec_err(
            &owner,
            &[],
            update(
                None,
                None,
                Some(unchecked(&[native(UUSDC), token2.clone()]))
            )
        ),
        not_a_reward(&token2)
    );
    assert_eq!(suite.config().accepted_denoms, escrow_denoms());
}

#[test]
fn a_new_fee_collector_must_reward_every_accepted_denom() {
    let (partial, full, plain) = (addr("staking_v2"), addr("staking_v3"), addr("multisig"));
    let mut suite = wired(
        &[native(UUSDC)],
        &escrow_denoms(),
        vec![
            (
                partial.clone(),
                collector_config(&[native(UGRID), native(UUSDC)]),
            ),
            (full.clone(), collector_config(&escrow_denoms())),
        ],
    );
    let owner = suite.owner.clone();
    assert_eq!(
        suite.exec_err(&owner, &[], update(None, Some(&partial), None)),
        not_a_reward(&token())
    );
    // Changing the list and the collector together is checked as the final configuration.
    let res = suite.exec(
        &owner,
        &[],
        update(
            None,
            Some(&partial),
            Some(unchecked(&[native(UGRID), native(UUSDC)])),
        ),
    );
    assert_eq!(attr(&res, "fee_collector_denoms"), "checked");
    assert_eq!(suite.config().fee_collector, partial);

    let res = suite.exec(&owner, &[], update(None, Some(&full), None));
    assert_eq!(attr(&res, "fee_collector_denoms"), "checked");
    // Only the link that changed is checked.
    assert!(res.attributes.iter().all(|a| a.key != "marketplace_denoms"));

    // A collector that does not answer (not a contract: here a plain account) is skipped.
    let res = suite.exec(&owner, &[], update(None, Some(&plain), None));
    assert_eq!(attr(&res, "fee_collector_denoms"), "skipped");
    assert_eq!(suite.config().fee_collector, plain);
}

#[test]
fn a_new_marketplace_must_accept_only_escrows_denoms() {
    let (greedy, modest) = (addr("marketplace_v2"), addr("marketplace_v3"));
    let mut suite = wired(
        &[native(UUSDC)],
        &escrow_denoms(),
        vec![
            (
                greedy.clone(),
                marketplace_config(&[native(UUSDC), native("uatom")]),
            ),
            (
                modest.clone(),
                marketplace_config(&[native(UGRID), token()]),
            ),
        ],
    );
    let owner = suite.owner.clone();
    assert_eq!(
        suite.exec_err(&owner, &[], update(Some(&greedy), None, None)),
        not_in_escrow(&native("uatom"))
    );
    let res = suite.exec(&owner, &[], update(Some(&modest), None, None));
    assert_eq!(attr(&res, "marketplace_denoms"), "checked");
    assert!(res
        .attributes
        .iter()
        .all(|a| a.key != "fee_collector_denoms"));
    assert_eq!(suite.config().marketplace, modest);
}

#[test]
fn counterparts_that_do_not_answer_are_skipped() {
    // A contract whose answer is not a config escrow can read counts as not answering.
    let mut suite = Suite::new();
    let (marketplace, fee_collector, owner) = (
        suite.marketplace.clone(),
        suite.fee_collector.clone(),
        suite.owner.clone(),
    );
    answer_configs(
        &mut suite.chain.deps,
        vec![(
            marketplace,
            Binary::from(br#"{"something":"else"}"#.to_vec()),
        )],
    );
    let _ = fee_collector; // not a contract at all
    let res = suite.exec(
        &owner,
        &[],
        update(None, None, Some(unchecked(&[native("uatom")]))),
    );
    assert_eq!(attr(&res, "marketplace_denoms"), "skipped");
    assert_eq!(attr(&res, "fee_collector_denoms"), "skipped");
    assert_eq!(suite.config().accepted_denoms, vec![native("uatom")]);
}

#[test]
fn instantiate_checks_the_chain_against_the_counterparts_that_answer() {
    let try_with = |market: &[Denom], rewards: &[Denom]| {
        let mut deps = mock_dependencies();
        answer_configs(
            &mut deps,
            vec![
                (addr("marketplace"), marketplace_config(market)),
                (addr("fee_collector"), collector_config(rewards)),
            ],
        );
        let result = instantiate(
            deps.as_mut(),
            env_at(GENESIS),
            message_info(&addr("creator"), &[]),
            instantiate_msg(),
        );
        if result.is_err() {
            assert!(snapshot(&deps.storage).is_empty());
        }
        result
    };
    assert_eq!(
        try_with(&[native("uatom")], &escrow_denoms()).unwrap_err(),
        not_in_escrow(&native("uatom"))
    );
    assert_eq!(
        try_with(&[native(UUSDC)], &[native(UGRID), native(UUSDC)]).unwrap_err(),
        not_a_reward(&token())
    );
    let res = try_with(&[native(UUSDC)], &escrow_denoms()).unwrap();
    assert_eq!(attr(&res, "marketplace_denoms"), "checked");
    assert_eq!(attr(&res, "fee_collector_denoms"), "checked");
}

/// Escrow reads only the denom lists of its counterparts' answers
/// (`gridshare_types::marketplace::ConfigResponse`, `gridshare_types::staking::ConfigResponse`),
/// so either may carry fields escrow does not know.
#[test]
fn the_counterparts_real_answers_are_read() {
    // The fields escrow reads exist in the real responses, with these names and types.
    let _market = |c: &gridshare_types::marketplace::ConfigResponse| -> Vec<Denom> {
        c.params.accepted_denoms.clone()
    };
    let _staking =
        |c: &gridshare_types::staking::ConfigResponse| -> Vec<Denom> { c.reward_denoms.clone() };

    let marketplace_answer = format!(
        r#"{{"owner":"{}","escrow":"{}","staking":"{}","access_token":null,
            "params":{{"accepted_denoms":[{{"native":"uatom"}}],"take_rate_bps":250,
            "heartbeat_interval":60,"slash":{{"fixed":{{"amount":"1"}}}},"a_future_field":7}}}}"#,
        addr("owner"),
        addr("escrow"),
        addr("fee_collector"),
    );
    let staking_answer = format!(
        r#"{{"owner":"{}","marketplace":"{}","stake_denom":{{"cw20":"{}"}},
            "reward_denoms":[{{"native":"ugrid"}},{{"native":"uusdc"}}],
            "compensation_ratio":"0.5","emission_per_epoch":"1","a_future_field":[]}}"#,
        addr("owner"),
        addr("marketplace"),
        addr("token"),
    );

    let mut suite = Suite::new();
    let owner = suite.owner.clone();
    let (marketplace, fee_collector) = (suite.marketplace.clone(), suite.fee_collector.clone());
    answer_configs(
        &mut suite.chain.deps,
        vec![(marketplace, Binary::from(marketplace_answer.into_bytes()))],
    );
    assert_eq!(
        suite.exec_err(
            &owner,
            &[],
            update(None, None, Some(unchecked(&[native(UUSDC)])))
        ),
        not_in_escrow(&native("uatom"))
    );
    answer_configs(
        &mut suite.chain.deps,
        vec![(fee_collector, Binary::from(staking_answer.into_bytes()))],
    );
    assert_eq!(
        suite.exec_err(
            &owner,
            &[],
            update(None, None, Some(unchecked(&escrow_denoms())))
        ),
        not_a_reward(&token())
    );
}
