//! Offers: posting against collateral, updating, withdrawing, and the ask-side queries.

use super::helpers::*;
use crate::msg::*;
use crate::{ContractError, MAX_OFFERS_PER_PROVIDER};
use cosmwasm_std::Uint128;
use gridshare_types::UncheckedDenom;

#[test]
fn posting_an_offer_locks_collateral_for_all_listed_units() {
    let mut suite = Suite::new();
    let alice = suite.provider("alice", 6);
    let res = suite.exec(&alice, &[], offer_msg("rtx-4090", 4, 900));
    assert_eq!(
        res.messages,
        vec![set_locked(&alice, 4 * MIN_STAKE_PER_GPU)]
    );
    assert_eq!(attr(&res, "offer_id"), "1");
    let res = suite.exec(&alice, &[], offer_msg("t4", 2, 300));
    assert_eq!(
        res.messages,
        vec![set_locked(&alice, 6 * MIN_STAKE_PER_GPU)]
    );
    // A seventh GPU is not covered by the bond.
    assert_eq!(
        suite.exec_err(&alice, &[], offer_msg("t4", 1, 300)),
        ContractError::InsufficientCollateral {
            bonded: Uint128::new(6_000),
            required: Uint128::new(7_000),
            gpus: 7,
        }
    );
    let offer = suite.offer_info(1);
    assert_eq!(
        offer,
        OfferResponse {
            offer_id: 1,
            provider: alice.clone(),
            model: "rtx-4090".into(),
            denom: gridshare_types::Denom::Native(USDC.into()),
            price: Uint128::new(900),
            units: 4,
            free_units: 4,
            min_duration: 60,
            max_duration: 24 * HOUR,
            withdrawn: false,
            created_at: GENESIS,
        }
    );
    let info = suite.provider_info(&alice);
    assert_eq!((info.listed_units, info.offers), (6, 2));
    assert_eq!(suite.stats("rtx-4090").listed_units, 4);
}

#[test]
fn offers_are_validated() {
    let mut suite = Suite::new();
    let alice = suite.provider("alice", 4);
    let stranger = suite.stranger.clone();
    assert_eq!(
        suite.exec_err(&stranger, &[], offer_msg("t4", 1, 300)),
        ContractError::NotProvider {
            address: stranger.to_string()
        }
    );
    assert_eq!(
        suite.exec_err(&alice, &[], offer_msg("t4", 0, 300)),
        ContractError::ZeroUnits
    );
    assert_eq!(
        suite.exec_err(&alice, &[], offer_msg("t4", 1, 0)),
        ContractError::ZeroPrice
    );
    assert_eq!(
        suite.exec_err(&alice, &[], offer_msg("h100", 1, 300)),
        ContractError::UnknownModel { id: "h100".into() }
    );
    let wrong_denom = ExecuteMsg::PostOffer {
        model: "t4".into(),
        units: 1,
        price: Uint128::new(300),
        denom: native("uatom"),
        min_duration: 60,
        max_duration: HOUR,
    };
    assert_eq!(
        suite.exec_err(&alice, &[], wrong_denom),
        ContractError::DenomNotAccepted {
            denom: "native:uatom".into()
        }
    );
    let bad_denom = ExecuteMsg::PostOffer {
        model: "t4".into(),
        units: 1,
        price: Uint128::new(300),
        denom: UncheckedDenom::Cw20("bad".into()),
        min_duration: 60,
        max_duration: HOUR,
    };
    assert!(matches!(
        suite.exec_err(&alice, &[], bad_denom),
        ContractError::Denom(_)
    ));
    for (min_duration, max_duration) in [(0, HOUR), (2 * HOUR, HOUR)] {
        assert_eq!(
            suite.exec_err(
                &alice,
                &[],
                ExecuteMsg::PostOffer {
                    model: "t4".into(),
                    units: 1,
                    price: Uint128::new(300),
                    denom: native(USDC),
                    min_duration,
                    max_duration,
                }
            ),
            ContractError::InvalidDurations {
                min_duration,
                max_duration
            }
        );
    }
}

#[test]
fn a_provider_has_a_bounded_number_of_offers() {
    let mut suite = Suite::new();
    let alice = suite.provider("alice", 100);
    for _ in 0..MAX_OFFERS_PER_PROVIDER {
        suite.offer(&alice, "t4", 1, 300);
    }
    assert_eq!(
        suite.exec_err(&alice, &[], offer_msg("t4", 1, 300)),
        ContractError::TooManyOffers {
            max: MAX_OFFERS_PER_PROVIDER
        }
    );
    // Withdrawing one (nothing leased) makes room.
    suite.exec(&alice, &[], ExecuteMsg::WithdrawOffer { offer_id: 1 });
    suite.offer(&alice, "t4", 1, 300);
    // The provider's listing is clamped at 100 per page like every list.
    let page: OffersResponse = suite
        .query(QueryMsg::OffersByProvider {
            provider: alice.to_string(),
            start_after: None,
            limit: Some(500),
        })
        .unwrap();
    assert_eq!(page.offers.len(), MAX_OFFERS_PER_PROVIDER as usize);
    assert_eq!(page.offers[0].offer_id, 2);
}

#[test]
fn updating_an_offer_moves_it_in_the_book_and_relocks() {
    let mut suite = Suite::new();
    let alice = suite.provider("alice", 8);
    let bob = suite.provider("bob", 8);
    let offer = suite.offer(&alice, "rtx-4090", 4, 900);
    suite.post_order(NewOrder {
        gpu_count: 3,
        max_price: Uint128::new(1_000),
        ..new_order()
    });
    assert_eq!(suite.offer_info(offer).free_units, 1);

    let update = |price: Option<u128>, units: Option<u32>| ExecuteMsg::UpdateOffer {
        offer_id: offer,
        price: price.map(Uint128::new),
        units,
    };
    assert_eq!(
        suite.exec_err(&bob, &[], update(Some(1), None)),
        ContractError::NotOfferOwner {
            sender: bob.to_string(),
            offer_id: offer
        }
    );
    assert_eq!(
        suite.exec_err(&alice, &[], update(None, None)),
        ContractError::NothingToUpdate
    );
    assert_eq!(
        suite.exec_err(&alice, &[], update(Some(0), None)),
        ContractError::ZeroPrice
    );
    assert_eq!(
        suite.exec_err(&alice, &[], update(None, Some(0))),
        ContractError::ZeroUnits
    );
    assert_eq!(
        suite.exec_err(&alice, &[], update(None, Some(2))),
        ContractError::UnitsBelowLeased {
            offer_id: offer,
            leased: 3,
            requested: 2
        }
    );
    assert_eq!(
        suite.exec_err(&alice, &[], update(None, Some(9))),
        ContractError::InsufficientCollateral {
            bonded: Uint128::new(8_000),
            required: Uint128::new(9_000),
            gpus: 9
        }
    );
    assert_eq!(
        suite.exec_err(
            &alice,
            &[],
            ExecuteMsg::UpdateOffer {
                offer_id: 99,
                price: Some(Uint128::one()),
                units: None
            }
        ),
        ContractError::OfferNotFound { offer_id: 99 }
    );

    // Price only: no lock change.
    let res = suite.exec(&alice, &[], update(Some(700), None));
    assert!(res.messages.is_empty());
    assert_eq!(suite.stats("rtx-4090").best_ask, Some(Uint128::new(700)));
    // More units: the lock follows.
    let res = suite.exec(&alice, &[], update(None, Some(6)));
    assert_eq!(res.messages, vec![set_locked(&alice, 6_000)]);
    let info = suite.offer_info(offer);
    assert_eq!(
        (info.units, info.free_units, info.price.u128()),
        (6, 3, 700)
    );
    assert_eq!(suite.stats("rtx-4090").listed_units, 6);
    // The lease keeps its agreed price.
    assert_eq!(suite.lease(16).price, Uint128::new(900));
}

#[test]
fn withdrawing_keeps_leased_units_until_their_leases_close() {
    let mut suite = Suite::new();
    let alice = suite.provider("alice", 8);
    let offer = suite.offer(&alice, "rtx-4090", 4, 900);
    suite.post_order(NewOrder {
        gpu_count: 3,
        ..new_order()
    });
    let bob = suite.provider("bob", 1);
    assert_eq!(
        suite.exec_err(&bob, &[], ExecuteMsg::WithdrawOffer { offer_id: offer }),
        ContractError::NotOfferOwner {
            sender: bob.to_string(),
            offer_id: offer
        }
    );
    let res = suite.exec(&alice, &[], ExecuteMsg::WithdrawOffer { offer_id: offer });
    // The 3 leased GPUs stay locked.
    assert_eq!(res.messages, vec![set_locked(&alice, 3_000)]);
    assert_eq!(attr(&res, "withdrawn_units"), "1");
    let info = suite.offer_info(offer);
    assert!(info.withdrawn);
    assert_eq!((info.units, info.free_units), (3, 0));
    assert_eq!(
        suite.exec_err(&alice, &[], ExecuteMsg::WithdrawOffer { offer_id: offer }),
        ContractError::OfferWithdrawn { offer_id: offer }
    );
    let stats = suite.stats("rtx-4090");
    assert_eq!(
        (stats.listed_units, stats.leased_units, stats.free_units),
        (3, 3, 0)
    );

    // The lease ends: its units leave the listing and the lock drops to zero.
    suite.advance(600);
    let renter = suite.renter.clone();
    let res = suite.exec(&renter, &[], close(16));
    assert!(res.messages.contains(&set_locked(&alice, 0)));
    let info = suite.offer_info(offer);
    assert_eq!((info.units, info.free_units), (0, 0));
    assert_eq!(suite.provider_info(&alice).offers, 0);
    let stats = suite.stats("rtx-4090");
    assert_eq!((stats.listed_units, stats.leased_units), (0, 0));
}

#[test]
fn the_ask_side_lists_the_cheapest_first() {
    let mut suite = Suite::new();
    let mut prices = vec![];
    for i in 0..4u32 {
        let p = suite.provider(&format!("p{i}"), 32);
        for j in 0..30u128 {
            let price = 1_000 + (u128::from(i) * 37 + j * 11) % 500;
            suite.offer(&p, "a100", 1, price);
            prices.push(price);
        }
    }
    prices.sort();
    let page: OffersResponse = suite
        .query(QueryMsg::OffersByModel {
            model: "a100".into(),
            denom: native(USDC),
            start_after: None,
            limit: Some(1_000),
        })
        .unwrap();
    assert_eq!(page.offers.len(), 100);
    let listed: Vec<u128> = page.offers.iter().map(|o| o.price.u128()).collect();
    assert_eq!(listed, prices[..100]);
    let last = page.offers.last().unwrap();
    let rest: OffersResponse = suite
        .query(QueryMsg::OffersByModel {
            model: "a100".into(),
            denom: native(USDC),
            start_after: Some(PriceCursor {
                price: last.price,
                offer_id: last.offer_id,
            }),
            limit: Some(1_000),
        })
        .unwrap();
    assert_eq!(rest.offers.len(), 20);
    assert!(suite
        .query::<OffersResponse>(QueryMsg::OffersByModel {
            model: "h100".into(),
            denom: native(USDC),
            start_after: None,
            limit: None,
        })
        .is_err());
}

#[test]
fn lowering_a_listing_never_asks_staking_to_lock_more_than_is_locked() {
    let mut suite = Suite::new();
    let alice = suite.provider("alice", 4);
    suite.offer(&alice, "rtx-4090", 2, 900);
    let second = suite.offer(&alice, "t4", 2, 300);
    suite.post_order(new_order());
    assert_eq!(suite.world.borrow().lock_of(&alice), 4_000);
    // Governance raises the stake per GPU far above alice's bond.
    suite.world.borrow_mut().min_stake_per_gpu = Some(5_000);

    // Withdrawing leaves 3 units listed (1 leased + 2 of the other offer): 15 000 required, but
    // the lock only ever goes down; staking would refuse 15 000 against a 4 000 bond.
    let res = suite.exec(&alice, &[], ExecuteMsg::WithdrawOffer { offer_id: 1 });
    assert_eq!(res.messages, vec![set_locked(&alice, 4_000)]);
    // Lowering the other offer: 2 units listed, 10 000 required, the lock stays at most 4 000.
    let res = suite.exec(
        &alice,
        &[],
        ExecuteMsg::UpdateOffer {
            offer_id: second,
            price: None,
            units: Some(1),
        },
    );
    assert_eq!(res.messages, vec![set_locked(&alice, 4_000)]);
    // Raising it is a new commitment: it must be covered.
    assert_eq!(
        suite.exec_err(
            &alice,
            &[],
            ExecuteMsg::UpdateOffer {
                offer_id: second,
                price: None,
                units: Some(2),
            }
        ),
        ContractError::InsufficientCollateral {
            bonded: Uint128::new(4_000),
            required: Uint128::new(15_000),
            gpus: 3,
        }
    );
    // The lease ends: its unit leaves the listing, the lock still never rises.
    suite.advance(60);
    let renter = suite.renter.clone();
    let res = suite.exec(&renter, &[], close(16));
    assert!(
        res.messages.contains(&set_locked(&alice, 4_000)),
        "{:?}",
        res.messages
    );
    // Back to the old stake per GPU: now the requirement is below the lock and the lock follows.
    suite.world.borrow_mut().min_stake_per_gpu = None;
    let res = suite.exec(&alice, &[], ExecuteMsg::WithdrawOffer { offer_id: second });
    assert_eq!(res.messages, vec![set_locked(&alice, 0)]);
    assert_eq!(suite.world.borrow().lock_of(&alice), 0);
}
