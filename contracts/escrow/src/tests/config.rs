//! UpdateConfig: the owner's levers, and the rule that the marketplace changes only while no
//! account is open. (Ownership: `ownership.rs`; the denom chain: `denom_chain.rs`.)

use super::helpers::*;
use crate::msg::{ConfigResponse, ExecuteMsg, Rate};
use crate::{ContractError, MAX_ACCEPTED_DENOMS};
use gridshare_plumbing::{DenomListError, FundsError, OwnerError};
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

pub(super) fn unauthorized_owner(sender: &cosmwasm_std::Addr) -> ContractError {
    ContractError::Owner(OwnerError::NotOwner {
        sender: sender.to_string(),
    })
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
            // Neither counterpart is a contract here: the denom chain cannot be checked.
            ("marketplace_denoms", "skipped"),
            ("fee_collector_denoms", "skipped"),
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
        ContractError::DenomList(DenomListError::Count {
            got: 0,
            max: MAX_ACCEPTED_DENOMS,
        })
    );
    let many = (0..=MAX_ACCEPTED_DENOMS)
        .map(|i| UncheckedDenom::Native(format!("denom{i:02}")))
        .collect();
    assert_eq!(
        suite.exec_err(&owner, &[], update(None, None, Some(many))),
        ContractError::DenomList(DenomListError::Count {
            got: MAX_ACCEPTED_DENOMS + 1,
            max: MAX_ACCEPTED_DENOMS,
        })
    );
    assert_eq!(
        suite.exec_err(
            &owner,
            &[],
            update(None, None, Some(vec![UncheckedDenom::Native("x".into())]))
        ),
        ContractError::DenomList(DenomListError::Denom(DenomError::InvalidNative {
            denom: "x".into(),
            reason: "length must be between 3 and 128",
        }))
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
        ContractError::Funds(FundsError::UnexpectedFunds {
            funds: "1ugrid".to_string(),
        })
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
    // An account opened and closed under the old marketplace: none is open any more.
    suite.open_account(1, 1_000);
    suite.close_account(1, None);
    let new = addr("marketplace_v2");
    suite.exec(&owner, &[], update(Some(new.as_str()), None, None));
    assert_eq!(suite.config().marketplace, new);

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
    suite.exec(&new, &[coin(10, UGRID)], open);
    assert_eq!(
        suite.exec_err(
            &old,
            &[],
            ExecuteMsg::CloseAccount {
                account_id: 2,
                until: None,
            }
        ),
        ContractError::Unauthorized {
            sender: old.to_string(),
            role: "marketplace",
        }
    );
    suite.exec(
        &new,
        &[],
        ExecuteMsg::CloseAccount {
            account_id: 2,
            until: None,
        },
    );
}

/// The attack this rule closes: before handing the contract to governance, the owner points
/// `marketplace` at itself and, as the marketplace, refunds, closes or pays out every account to
/// addresses of its choosing. While any account is open, the marketplace does not change.
#[test]
fn the_owner_cannot_take_the_marketplaces_place_while_accounts_are_open() {
    let mut suite = Suite::new();
    let (owner, marketplace) = (suite.owner.clone(), suite.marketplace.clone());
    suite.open_account(1, 5_000);
    suite.open_account_with(2, &suite.renter.clone(), coin(7_000, UUSDC));
    let payment = suite.new_payment(1, 1);
    suite.open_payment(&payment);
    suite.advance(10);

    let hijack = update(Some(owner.as_str()), None, None);
    assert_eq!(
        suite.exec_err(&owner, &[], hijack.clone()),
        ContractError::MarketplaceHasOpenAccounts { open_accounts: 2 }
    );
    // Bundled with harmless changes, it is refused all the same, and nothing changes.
    let bundled = update(
        Some(owner.as_str()),
        Some(addr("staking_v2").as_str()),
        Some(vec![UncheckedDenom::Native(UGRID.into())]),
    );
    assert_eq!(
        suite.exec_err(&owner, &[], bundled),
        ContractError::MarketplaceHasOpenAccounts { open_accounts: 2 }
    );
    assert_eq!(suite.config().marketplace, marketplace);

    // So the owner has none of the marketplace's powers over the escrowed coins.
    for msg in [
        ExecuteMsg::Refund {
            account_id: 1,
            amount: cosmwasm_std::Uint128::new(4_000),
        },
        ExecuteMsg::CloseAccount {
            account_id: 2,
            until: None,
        },
        ExecuteMsg::Release {
            lease_id: 1,
            until: None,
        },
    ] {
        assert_eq!(
            suite.exec_err(&owner, &[], msg),
            ContractError::Unauthorized {
                sender: owner.to_string(),
                role: "marketplace",
            }
        );
    }
    assert!(suite.ledger.sent.is_empty(), "not one coin left escrow");
    assert_eq!(suite.total(&native(UGRID)), 5_000);
    assert_eq!(suite.total(&native(UUSDC)), 7_000);

    // Naming the current marketplace again is no change, and allowed.
    suite.exec(&owner, &[], update(Some(marketplace.as_str()), None, None));

    // The count follows every close: one open account still blocks the change…
    suite.close_account(1, None);
    assert_eq!(
        suite.exec_err(&owner, &[], hijack.clone()),
        ContractError::MarketplaceHasOpenAccounts { open_accounts: 1 }
    );
    // …and once escrow holds no account's coins, the marketplace may change.
    suite.close_account(2, None);
    suite.exec(&owner, &[], hijack);
    assert_eq!(suite.config().marketplace, owner);
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
