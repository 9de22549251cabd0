//! UpdateConfig and UpdateOwner: the owner's levers.

use super::helpers::*;
use crate::msg::{ConfigResponse, ExecuteMsg, Rate};
use crate::{ContractError, MAX_ACCEPTED_DENOMS};
use gridshare_types::{Denom, DenomError, UncheckedDenom};

fn update(
    marketplace: Option<&str>,
    fee_collector: Option<&str>,
    accepted_denoms: Option<Vec<UncheckedDenom>>,
) -> ExecuteMsg {
    ExecuteMsg::UpdateConfig {
        marketplace: marketplace.map(str::to_string),
        fee_collector: fee_collector.map(str::to_string),
        accepted_denoms,
    }
}

fn unauthorized_owner(sender: &cosmwasm_std::Addr) -> ContractError {
    ContractError::Unauthorized {
        sender: sender.to_string(),
        role: "owner",
    }
}

#[test]
fn the_owner_updates_the_config() {
    let mut suite = Suite::new();
    let owner = suite.owner.clone();
    let (marketplace, fee_collector) = (addr("marketplace_v2"), addr("staking_v2"));
    let res = suite.exec(
        &owner,
        &[],
        update(
            Some(marketplace.as_str()),
            Some(fee_collector.as_str()),
            Some(vec![
                UncheckedDenom::Native("uatom".into()),
                UncheckedDenom::Native(UGRID.into()),
            ]),
        ),
    );
    assert!(res.messages.is_empty());
    assert_eq!(
        res.attributes,
        attrs(&[
            ("action", "update_config"),
            ("marketplace", marketplace.as_str()),
            ("fee_collector", fee_collector.as_str()),
        ])
    );
    assert_eq!(
        suite.config(),
        ConfigResponse {
            owner,
            marketplace,
            fee_collector,
            accepted_denoms: vec![native("uatom"), native(UGRID)],
        }
    );
}

#[test]
fn fields_left_out_are_kept() {
    let mut suite = Suite::new();
    let owner = suite.owner.clone();
    let before = suite.config();
    suite.exec(&owner, &[], update(None, None, None));
    assert_eq!(suite.config(), before);

    let fee_collector = addr("staking_v2");
    suite.exec(
        &owner,
        &[],
        update(None, Some(fee_collector.as_str()), None),
    );
    assert_eq!(
        suite.config(),
        ConfigResponse {
            fee_collector,
            ..before
        }
    );
}

#[test]
fn only_the_owner_updates_the_config() {
    let mut suite = Suite::new();
    for sender in [
        suite.marketplace.clone(),
        suite.renter.clone(),
        suite.fee_collector.clone(),
    ] {
        let msg = update(Some(sender.as_str()), None, None);
        assert_eq!(
            suite.exec_err(&sender, &[], msg),
            unauthorized_owner(&sender)
        );
    }
}

#[test]
fn a_bad_update_changes_nothing() {
    let mut suite = Suite::new();
    let owner = suite.owner.clone();
    let good = addr("marketplace_v2").to_string();

    assert_eq!(
        suite.exec_err(&owner, &[], update(Some(&good), None, Some(vec![]))),
        ContractError::InvalidAcceptedDenoms {
            got: 0,
            max: MAX_ACCEPTED_DENOMS,
        }
    );
    let many = (0..=MAX_ACCEPTED_DENOMS)
        .map(|i| UncheckedDenom::Native(format!("denom{i:02}")))
        .collect();
    assert_eq!(
        suite.exec_err(&owner, &[], update(None, None, Some(many))),
        ContractError::InvalidAcceptedDenoms {
            got: MAX_ACCEPTED_DENOMS + 1,
            max: MAX_ACCEPTED_DENOMS,
        }
    );
    assert_eq!(
        suite.exec_err(
            &owner,
            &[],
            update(None, None, Some(vec![UncheckedDenom::Native("x".into())]))
        ),
        ContractError::Denom(DenomError::InvalidNative {
            denom: "x".into(),
            reason: "length must be between 3 and 128",
        })
    );
    assert_eq!(
        suite.exec_err(&owner, &[], update(Some("marketplace"), None, None)),
        invalid_address("marketplace")
    );
    assert_eq!(
        suite.exec_err(&owner, &[], update(Some(&good), Some("staking"), None)),
        invalid_address("staking")
    );
    assert_eq!(
        suite.exec_err(&owner, &[coin(1, UGRID)], update(None, None, None)),
        ContractError::UnexpectedFunds {
            funds: "1ugrid".to_string(),
        }
    );
}

#[test]
fn a_new_marketplace_takes_over_and_the_old_one_loses_its_rights() {
    let mut suite = Suite::new();
    let (owner, old, renter) = (
        suite.owner.clone(),
        suite.marketplace.clone(),
        suite.renter.clone(),
    );
    suite.open_account(1, 1_000);
    let new = addr("marketplace_v2");
    suite.exec(&owner, &[], update(Some(new.as_str()), None, None));

    let open = ExecuteMsg::OpenAccount {
        account_id: 2,
        depositor: renter.to_string(),
    };
    assert_eq!(
        suite.exec_err(&old, &[coin(10, UGRID)], open.clone()),
        ContractError::Unauthorized {
            sender: old.to_string(),
            role: "marketplace",
        }
    );
    assert_eq!(
        suite.exec_err(
            &old,
            &[],
            ExecuteMsg::CloseAccount {
                account_id: 1,
                until: None,
            }
        ),
        ContractError::Unauthorized {
            sender: old.to_string(),
            role: "marketplace",
        }
    );
    suite.exec(&new, &[coin(10, UGRID)], open);
    // Accounts opened under the old marketplace are managed by the new one.
    suite.exec(
        &new,
        &[],
        ExecuteMsg::CloseAccount {
            account_id: 1,
            until: None,
        },
    );
}

#[test]
fn fees_follow_the_new_fee_collector() {
    let mut suite = Suite::new();
    let owner = suite.owner.clone();
    suite.open_account(1, 10_000);
    let payment = NewPayment {
        rate: Rate::per_second(100u128),
        cap: 5_000,
        fee_bps: 1_000,
        ..suite.new_payment(1, 1)
    };
    suite.open_payment(&payment);
    suite.advance(1);
    assert_eq!(
        suite.release(1, None).messages,
        vec![native_fee(&suite.fee_collector, 10, UGRID)]
    );

    let staking_v2 = addr("staking_v2");
    suite.exec(&owner, &[], update(None, Some(staking_v2.as_str()), None));
    suite.advance(1);
    assert_eq!(
        suite.release(1, None).messages,
        vec![native_fee(&staking_v2, 10, UGRID)]
    );
}

#[test]
fn a_removed_denom_opens_no_new_accounts_but_old_ones_carry_on() {
    let mut suite = Suite::new();
    let (owner, renter, token, marketplace) = (
        suite.owner.clone(),
        suite.renter.clone(),
        suite.token.clone(),
        suite.marketplace.clone(),
    );
    suite.open_account(1, 1_000);
    suite.exec(
        &owner,
        &[],
        update(None, None, Some(vec![UncheckedDenom::Native(UUSDC.into())])),
    );
    assert_eq!(suite.config().accepted_denoms, vec![native(UUSDC)]);

    assert_eq!(
        suite.exec_err(
            &marketplace,
            &[coin(10, UGRID)],
            ExecuteMsg::OpenAccount {
                account_id: 2,
                depositor: renter.to_string(),
            }
        ),
        ContractError::DenomNotAccepted {
            denom: "native:ugrid".to_string(),
        }
    );
    assert_eq!(
        suite
            .try_receive(
                &token,
                &marketplace,
                10,
                &crate::msg::ReceiveMsg::OpenAccount {
                    account_id: 2,
                    depositor: renter.to_string(),
                }
            )
            .unwrap_err(),
        ContractError::DenomNotAccepted {
            denom: format!("cw20:{token}"),
        }
    );
    // The existing ugrid account is still topped up, spent and closed normally.
    suite.exec(
        &renter,
        &[coin(10, UGRID)],
        ExecuteMsg::TopUp { account_id: 1 },
    );
    let payment = suite.new_payment(1, 1);
    suite.open_payment(&payment);
    suite.advance(5);
    let res = suite.close_account(1, None);
    assert_eq!(
        res.messages,
        vec![
            bank_send(&suite.provider, 5, UGRID),
            bank_send(&renter, 1_005, UGRID),
        ]
    );
    // A newly accepted cw20 is trusted.
    let token2 = addr("token2");
    suite.exec(
        &owner,
        &[],
        update(
            None,
            None,
            Some(vec![UncheckedDenom::Cw20(token2.to_string())]),
        ),
    );
    suite
        .try_receive(
            &token2,
            &marketplace,
            10,
            &crate::msg::ReceiveMsg::OpenAccount {
                account_id: 2,
                depositor: renter.to_string(),
            },
        )
        .unwrap();
    assert_eq!(suite.account(2).denom, Denom::Cw20(token2));
}

#[test]
fn a_new_owner_takes_over_and_the_old_one_loses_its_rights() {
    let mut suite = Suite::new();
    let (old, governance) = (suite.owner.clone(), addr("governance"));

    let res = suite.exec(
        &old,
        &[],
        ExecuteMsg::UpdateOwner {
            owner: governance.to_string(),
        },
    );
    assert_eq!(
        res.attributes,
        attrs(&[("action", "update_owner"), ("owner", governance.as_str())])
    );
    assert_eq!(suite.config().owner, governance);

    assert_eq!(
        suite.exec_err(&old, &[], update(None, None, None)),
        unauthorized_owner(&old)
    );
    assert_eq!(
        suite.exec_err(
            &old,
            &[],
            ExecuteMsg::UpdateOwner {
                owner: old.to_string(),
            }
        ),
        unauthorized_owner(&old)
    );

    let fee_collector = addr("staking_v2");
    suite.exec(
        &governance,
        &[],
        update(None, Some(fee_collector.as_str()), None),
    );
    assert_eq!(suite.config().fee_collector, fee_collector);
}

#[test]
fn update_owner_errors() {
    let mut suite = Suite::new();
    let (owner, marketplace) = (suite.owner.clone(), suite.marketplace.clone());
    assert_eq!(
        suite.exec_err(
            &marketplace,
            &[],
            ExecuteMsg::UpdateOwner {
                owner: marketplace.to_string(),
            }
        ),
        unauthorized_owner(&marketplace)
    );
    assert_eq!(
        suite.exec_err(
            &owner,
            &[],
            ExecuteMsg::UpdateOwner {
                owner: "governance".to_string(),
            }
        ),
        invalid_address("governance")
    );
    assert_eq!(
        suite.exec_err(
            &owner,
            &[coin(2, UUSDC)],
            ExecuteMsg::UpdateOwner {
                owner: addr("governance").to_string(),
            }
        ),
        ContractError::UnexpectedFunds {
            funds: "2uusdc".to_string(),
        }
    );
    assert_eq!(suite.config().owner, owner);
}
