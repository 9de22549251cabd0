use super::helpers::*;
use crate::contract::instantiate;
use crate::msg::{ConfigResponse, InstantiateMsg};
use crate::state::{CONFIG, OPEN_ACCOUNTS};
use crate::{ContractError, CONTRACT_NAME, CONTRACT_VERSION, MAX_ACCEPTED_DENOMS};
use cosmwasm_std::testing::{message_info, mock_dependencies};
use cosmwasm_std::{Addr, Coin, Response};
use gridshare_plumbing::{DenomListError, FundsError};
use gridshare_types::{Denom, DenomError, UncheckedDenom};

/// Instantiates a fresh contract; on error, checks that nothing at all was stored.
fn try_instantiate(
    sender: &Addr,
    funds: &[Coin],
    msg: InstantiateMsg,
) -> (MockDeps, Result<Response, ContractError>) {
    let mut deps = mock_dependencies();
    let result = instantiate(
        deps.as_mut(),
        env_at(GENESIS),
        message_info(sender, funds),
        msg,
    );
    if result.is_err() {
        assert!(
            snapshot(&deps.storage).is_empty(),
            "a failed instantiate stored something"
        );
    }
    (deps, result)
}

fn instantiate_err(msg: InstantiateMsg) -> ContractError {
    try_instantiate(&addr("creator"), &[], msg).1.unwrap_err()
}

fn with_denoms(denoms: Vec<UncheckedDenom>) -> InstantiateMsg {
    InstantiateMsg {
        accepted_denoms: denoms,
        ..instantiate_msg()
    }
}

fn natives(n: usize) -> Vec<UncheckedDenom> {
    (0..n)
        .map(|i| UncheckedDenom::Native(format!("denom{i:02}")))
        .collect()
}

#[test]
fn the_owner_defaults_to_the_sender() {
    let creator = addr("creator");
    let (deps, result) = try_instantiate(&creator, &[], instantiate_msg());
    let res = result.unwrap();
    assert!(res.messages.is_empty());
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "instantiate"),
            ("owner", creator.as_str()),
            ("marketplace", addr("marketplace").as_str()),
            ("fee_collector", addr("fee_collector").as_str()),
            // Neither counterpart is a contract yet: the denom chain is checked once they are.
            ("marketplace_denoms", "skipped"),
            ("fee_collector_denoms", "skipped"),
        ])
    );

    let config = CONFIG.load(&deps.storage).unwrap();
    assert_eq!(config.owner, creator);
    assert_eq!(config.marketplace, addr("marketplace"));
    assert_eq!(config.fee_collector, addr("fee_collector"));
    // Stored sorted: native denoms order before cw20 tokens.
    assert_eq!(
        config.accepted_denoms,
        vec![native(UGRID), native(UUSDC), Denom::Cw20(addr("token"))]
    );

    assert_eq!(OPEN_ACCOUNTS.load(&deps.storage).unwrap(), 0);

    let version = cw2::get_contract_version(&deps.storage).unwrap();
    assert_eq!(version.contract, CONTRACT_NAME);
    assert_eq!(version.version, CONTRACT_VERSION);
}

#[test]
fn an_explicit_owner_is_kept() {
    let governance = addr("governance");
    let msg = InstantiateMsg {
        owner: Some(governance.to_string()),
        ..instantiate_msg()
    };
    let (deps, result) = try_instantiate(&addr("creator"), &[], msg);
    assert_eq!(attr(&result.unwrap(), "owner"), governance.as_str());
    assert_eq!(CONFIG.load(&deps.storage).unwrap().owner, governance);
}

#[test]
fn the_config_query_shows_what_was_instantiated() {
    let suite = Suite::new();
    assert_eq!(
        suite.config(),
        ConfigResponse {
            owner: suite.owner.clone(),
            marketplace: suite.marketplace.clone(),
            fee_collector: suite.fee_collector.clone(),
            accepted_denoms: vec![
                native(UGRID),
                native(UUSDC),
                Denom::Cw20(suite.token.clone())
            ],
        }
    );
}

#[test]
fn duplicate_denoms_are_stored_once() {
    let msg = with_denoms(vec![
        UncheckedDenom::Native(UUSDC.into()),
        UncheckedDenom::Native(UGRID.into()),
        UncheckedDenom::Native(UUSDC.into()),
    ]);
    let (deps, result) = try_instantiate(&addr("creator"), &[], msg);
    result.unwrap();
    assert_eq!(
        CONFIG.load(&deps.storage).unwrap().accepted_denoms,
        vec![native(UGRID), native(UUSDC)]
    );
}

#[test]
fn bad_native_denoms_are_rejected() {
    for (denom, reason) in [
        ("", "length must be between 3 and 128"),
        ("ab", "length must be between 3 and 128"),
        ("1grid", "must start with a letter"),
        ("u grid", "may only contain letters, digits and /:._-"),
        ("ugrid!", "may only contain letters, digits and /:._-"),
    ] {
        let msg = with_denoms(vec![
            UncheckedDenom::Native(UGRID.into()),
            UncheckedDenom::Native(denom.into()),
        ]);
        assert_eq!(
            instantiate_err(msg),
            ContractError::DenomList(DenomListError::Denom(DenomError::InvalidNative {
                denom: denom.to_string(),
                reason,
            }))
        );
    }
}

#[test]
fn bad_cw20_addresses_are_rejected() {
    for address in ["not a token", "cosmwasm1xyz", "COSMWASM1"] {
        let reason = invalid_address(address).to_string();
        let msg = with_denoms(vec![UncheckedDenom::Cw20(address.into())]);
        assert_eq!(
            instantiate_err(msg),
            ContractError::DenomList(DenomListError::Denom(DenomError::InvalidCw20 {
                address: address.to_string(),
                reason,
            }))
        );
    }
}

#[test]
fn an_empty_denom_list_is_rejected() {
    assert_eq!(
        instantiate_err(with_denoms(vec![])),
        ContractError::DenomList(DenomListError::Count {
            got: 0,
            max: MAX_ACCEPTED_DENOMS,
        })
    );
}

#[test]
fn too_many_denoms_are_rejected_but_the_maximum_is_fine() {
    assert_eq!(
        instantiate_err(with_denoms(natives(MAX_ACCEPTED_DENOMS + 1))),
        ContractError::DenomList(DenomListError::Count {
            got: MAX_ACCEPTED_DENOMS + 1,
            max: MAX_ACCEPTED_DENOMS,
        })
    );

    let (deps, result) = try_instantiate(
        &addr("creator"),
        &[],
        with_denoms(natives(MAX_ACCEPTED_DENOMS)),
    );
    result.unwrap();
    assert_eq!(
        CONFIG.load(&deps.storage).unwrap().accepted_denoms.len(),
        MAX_ACCEPTED_DENOMS
    );
}

#[test]
fn funds_attached_to_instantiate_are_rejected() {
    let (_, result) = try_instantiate(
        &addr("creator"),
        &[coin(5, UGRID), coin(7, UUSDC)],
        instantiate_msg(),
    );
    assert_eq!(
        result.unwrap_err(),
        ContractError::Funds(FundsError::UnexpectedFunds {
            funds: "5ugrid,7uusdc".to_string(),
        })
    );
}

#[test]
fn invalid_addresses_are_rejected() {
    let bad = "Not-An-Address";
    assert_eq!(
        instantiate_err(InstantiateMsg {
            owner: Some(bad.into()),
            ..instantiate_msg()
        }),
        invalid_address(bad)
    );
    assert_eq!(
        instantiate_err(InstantiateMsg {
            marketplace: bad.into(),
            ..instantiate_msg()
        }),
        invalid_address(bad)
    );
    assert_eq!(
        instantiate_err(InstantiateMsg {
            fee_collector: bad.into(),
            ..instantiate_msg()
        }),
        invalid_address(bad)
    );
}
