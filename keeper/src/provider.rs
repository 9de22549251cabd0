//! Brings a provider to the state its config describes: bonded, registered, offering its GPUs.
//! Every step checks the chain first, so restarting a keeper changes nothing that is already so.

use crate::chain::{Any, ChainClient, ChainError, SignerHandle};
use crate::config::{OfferSection, ProviderSection};
use crate::deploy::{Contracts, CPU_DEV_MODEL};
use crate::executor::{DeviceInfo, ExecutorKind};
use crate::msgs::{self, MsgError};
use crate::slots::{SlotError, Slots};
use cosmwasm_std::{to_json_binary, Uint128};
use gridshare_types::marketplace::{
    ExecuteMsg, OfferResponse, OffersResponse, ProviderResponse, QueryMsg,
};
use gridshare_types::staking::{
    QueryMsg as StakingQuery, ReceiveMsg as StakingReceive, StakerResponse,
};
use gridshare_types::{Denom, UncheckedDenom};
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("{step}: {source}")]
    Chain {
        step: &'static str,
        #[source]
        source: ChainError,
    },
    #[error(transparent)]
    Msg(#[from] MsgError),
    #[error("message does not encode: {0}")]
    Encode(String),
    #[error(
        "{account} has {bonded} GRID bonded and the config wants {wanted}: bond the missing {missing} \
         from that (cold) account; this operator key cannot move its funds"
    )]
    BondFromColdAccount {
        account: String,
        bonded: u128,
        wanted: u64,
        missing: u128,
    },
}

fn chain(step: &'static str) -> impl FnOnce(ChainError) -> SetupError {
    move |source| SetupError::Chain { step, source }
}

/// The catalogue model a detected GPU is sold as, from its marketing name.
pub fn model_for_device(name: &str) -> Option<&'static str> {
    let name = name.to_ascii_lowercase();
    [
        ("h200", "h200"),
        ("h100", "h100"),
        ("a100", "a100"),
        ("l40s", "l40s"),
        ("4090", "rtx-4090"),
    ]
    .into_iter()
    .find(|(needle, _)| name.contains(needle))
    .map(|(_, model)| model)
}

/// What to list: the config's offers, or one per detected model.
pub fn desired_offers(
    section: &ProviderSection,
    kind: ExecutorKind,
    devices: &[DeviceInfo],
) -> Vec<OfferSection> {
    if !section.offers.is_empty() {
        return section.offers.clone();
    }
    let offer = |model: &str, units| OfferSection {
        model: model.to_string(),
        units,
        price: section.default_price,
        denom: section.default_denom.clone(),
    };
    match kind {
        ExecutorKind::Cpu => vec![offer(CPU_DEV_MODEL, 1)],
        ExecutorKind::Cuda => {
            let mut offers: Vec<OfferSection> = vec![];
            for device in devices {
                match model_for_device(&device.name) {
                    Some(model) => match offers.iter_mut().find(|o| o.model == model) {
                        Some(o) => o.units += 1,
                        None => offers.push(offer(model, 1)),
                    },
                    None => {
                        tracing::warn!(device = %device.name, "GPU matches no catalogue model; not offered (list it under [[provider.offers]])")
                    }
                }
            }
            offers
        }
    }
}

/// Most job slots a CPU keeper runs at once, whatever its offers list.
const MAX_CPU_SLOTS: u64 = 256;

/// The units jobs run on: concurrency follows the offered units. A CUDA keeper's units are its
/// devices, and it refuses to start when its offers list more GPUs than it has (a lease would
/// pay for GPUs it cannot get); a CPU keeper's are job slots, one per offered unit.
pub fn slots_for(
    offers: &[OfferSection],
    kind: ExecutorKind,
    devices: usize,
) -> Result<Arc<Slots>, SlotError> {
    let offered: u64 = offers.iter().map(|o| u64::from(o.units)).sum();
    match kind {
        ExecutorKind::Cuda => Slots::for_devices(offered, devices),
        // A CPU "unit" is a job slot; more than MAX_CPU_SLOTS would only thrash the machine.
        ExecutorKind::Cpu => Ok(Slots::new(
            usize::try_from(offered.clamp(1, MAX_CPU_SLOTS)).unwrap_or(1),
            None,
        )),
    }
}

/// Bonds the missing stake, registers and posts missing offers, in one transaction.
pub async fn ensure(
    client: &ChainClient,
    signer: &SignerHandle,
    contracts: &Contracts,
    section: &ProviderSection,
    endpoint: &str,
    offers: &[OfferSection],
) -> Result<(), SetupError> {
    let me = signer.address().to_string();
    let mut batch: Vec<Any> = vec![];

    let staker: StakerResponse = client
        .query(
            &contracts.staking,
            &StakingQuery::Staker {
                address: me.clone(),
            },
        )
        .await
        .map_err(chain("reading the bond"))?;
    let missing = bond_to_add(section, &staker);
    let short = u128::from(section.bond).saturating_sub(staker.bonded.u128());
    if missing == 0 && short > 0 {
        println!(
            "bonded {} GRID, below the configured {}: not topping up after a slash or an unbond \
             (set [provider] top_up_bond = true, or bond by hand)",
            staker.bonded, section.bond
        );
    }
    if missing > 0 && signer.operator().is_some() {
        return Err(SetupError::BondFromColdAccount {
            account: me,
            bonded: staker.bonded.u128(),
            wanted: section.bond,
            missing,
        });
    }
    if missing > 0 {
        let hook = to_json_binary(&StakingReceive::Bond {})
            .map_err(|e| SetupError::Encode(e.to_string()))?;
        batch.push(msgs::execute(
            &me,
            &contracts.grid,
            &cw20::Cw20ExecuteMsg::Send {
                contract: contracts.staking.clone(),
                amount: Uint128::new(missing),
                msg: hook,
            },
            vec![],
        )?);
        println!("bonding {missing} GRID");
    }

    let registered: Result<ProviderResponse, _> = client
        .query(
            &contracts.marketplace,
            &QueryMsg::Provider {
                address: me.clone(),
            },
        )
        .await;
    let is_registered = registered.is_ok();
    match registered {
        Ok(p) => {
            tracing::info!(provider = p.id, name = %p.name, "already registered");
            // Renters seal private jobs to the registered key: it must be this keeper's.
            if p.public_key != section.public_key {
                batch.push(msgs::execute(
                    &me,
                    &contracts.marketplace,
                    &ExecuteMsg::UpdateProvider {
                        name: None,
                        region: None,
                        endpoint: None,
                        public_key: Some(section.public_key.clone()),
                    },
                    vec![],
                )?);
                println!("registering this keeper's key for private jobs");
            }
        }
        Err(ChainError::Query { .. }) => {
            batch.push(msgs::execute(
                &me,
                &contracts.marketplace,
                &ExecuteMsg::RegisterProvider {
                    name: section.name.clone(),
                    region: section.region.clone(),
                    endpoint: endpoint.to_string(),
                    public_key: section.public_key.clone(),
                },
                vec![],
            )?);
            println!(
                "registering provider {:?} in {}",
                section.name, section.region
            );
        }
        Err(e) => return Err(chain("reading the provider")(e)),
    }

    // A failed read must not look like "no offers": that would post every offer again. An
    // unregistered provider has none (and the marketplace does not know it yet).
    let live = if is_registered {
        live_offers(client, contracts, &me).await?
    } else {
        vec![]
    };
    for change in sync_offers(&live, offers) {
        let msg = match change {
            OfferChange::Post(offer) => {
                println!(
                    "offering {} × {} at {}{} per GPU-hour",
                    offer.units, offer.model, offer.price, offer.denom
                );
                ExecuteMsg::PostOffer {
                    model: offer.model.clone(),
                    units: offer.units,
                    price: Uint128::from(offer.price),
                    denom: UncheckedDenom::Native(offer.denom.clone()),
                    min_duration: section.min_duration,
                    max_duration: section.max_duration,
                }
            }
            OfferChange::Update {
                offer_id,
                price,
                units,
            } => {
                println!("updating offer {offer_id}: {units} units at {price} per GPU-hour");
                ExecuteMsg::UpdateOffer {
                    offer_id,
                    price: Some(Uint128::from(price)),
                    units: Some(units),
                }
            }
            OfferChange::Withdraw { offer_id } => {
                println!("withdrawing offer {offer_id} (no longer in the config)");
                ExecuteMsg::WithdrawOffer { offer_id }
            }
        };
        batch.push(msgs::execute(&me, &contracts.marketplace, &msg, vec![])?);
    }

    if batch.is_empty() {
        return Ok(());
    }
    signer
        .submit(batch, "gridshare provider setup")
        .await
        .map_err(chain("provider setup (bond, register, offers)"))?;
    Ok(())
}

/// GRID to bond now: the whole configured bond for an account that never bonded; after that
/// (the bond fell through a slash or an unbond) only with `top_up_bond`.
pub fn bond_to_add(section: &ProviderSection, staker: &StakerResponse) -> u128 {
    let missing = u128::from(section.bond).saturating_sub(staker.bonded.u128());
    let never_bonded =
        staker.bonded.is_zero() && staker.unbonding.is_zero() && staker.locked.is_zero();
    if never_bonded || section.top_up_bond {
        missing
    } else {
        0
    }
}

/// Offers listed per page when reading this provider's offers, and pages read at most.
const OFFER_PAGE: u32 = 100;
const MAX_OFFER_PAGES: usize = 10;

/// This provider's offers that are still listed (not withdrawn).
pub async fn live_offers(
    client: &ChainClient,
    contracts: &Contracts,
    me: &str,
) -> Result<Vec<OfferResponse>, SetupError> {
    let mut out = vec![];
    let mut start_after = None;
    for _ in 0..MAX_OFFER_PAGES {
        let page: OffersResponse = client
            .query(
                &contracts.marketplace,
                &QueryMsg::OffersByProvider {
                    provider: me.to_string(),
                    start_after,
                    limit: Some(OFFER_PAGE),
                },
            )
            .await
            .map_err(chain("reading this provider's offers"))?;
        let full = page.offers.len() as u32 == OFFER_PAGE;
        start_after = page.offers.last().map(|o| o.offer_id);
        out.extend(page.offers.into_iter().filter(|o| !o.withdrawn));
        if !full {
            break;
        }
    }
    Ok(out)
}

/// What brings the listed offers to the configured ones.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OfferChange<'c> {
    Post(&'c OfferSection),
    Update {
        offer_id: u64,
        price: u64,
        units: u32,
    },
    Withdraw {
        offer_id: u64,
    },
}

/// One listed offer per configured (model, denom): missing ones are posted, ones whose price
/// or units differ are updated, and listed offers the config no longer names (or duplicates of
/// a configured one) are withdrawn.
pub fn sync_offers<'c>(live: &[OfferResponse], wanted: &'c [OfferSection]) -> Vec<OfferChange<'c>> {
    let mut changes = vec![];
    let mut kept = std::collections::HashSet::new();
    for offer in wanted {
        let denom = Denom::Native(offer.denom.clone());
        match live
            .iter()
            .find(|o| o.model == offer.model && o.denom == denom)
        {
            Some(listed) => {
                kept.insert(listed.offer_id);
                if listed.price.u128() != u128::from(offer.price) || listed.units != offer.units {
                    changes.push(OfferChange::Update {
                        offer_id: listed.offer_id,
                        price: offer.price,
                        units: offer.units,
                    });
                }
            }
            None => changes.push(OfferChange::Post(offer)),
        }
    }
    for listed in live {
        if !kept.contains(&listed.offer_id) {
            changes.push(OfferChange::Withdraw {
                offer_id: listed.offer_id,
            });
        }
    }
    changes
}

/// Withdraws every listed offer of this provider (a degraded keeper takes itself off the
/// market); returns how many.
pub async fn withdraw_all(
    client: &ChainClient,
    signer: &SignerHandle,
    contracts: &Contracts,
) -> Result<usize, SetupError> {
    let me = signer.address().to_string();
    let live = live_offers(client, contracts, &me).await?;
    let mut batch = vec![];
    for offer in &live {
        batch.push(msgs::execute(
            &me,
            &contracts.marketplace,
            &ExecuteMsg::WithdrawOffer {
                offer_id: offer.offer_id,
            },
            vec![],
        )?);
    }
    if !batch.is_empty() {
        signer
            .submit(batch, "gridshare: degraded, offers withdrawn")
            .await
            .map_err(chain("withdrawing offers"))?;
    }
    Ok(live.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section() -> ProviderSection {
        toml::from_str("name = \"p\"").unwrap()
    }

    #[test]
    fn concurrency_follows_the_offered_units() {
        let offer = |units| OfferSection {
            model: "h100".into(),
            units,
            price: 1,
            denom: "uusdc".into(),
        };
        let cuda = slots_for(&[offer(2), offer(1)], ExecutorKind::Cuda, 4).unwrap();
        assert_eq!(cuda.total(), 4);
        // Offers that promise more GPUs than the machine has are refused at start-up.
        assert_eq!(
            slots_for(&[offer(2), offer(3)], ExecutorKind::Cuda, 4).err(),
            Some(SlotError::OverOffered {
                offered: 5,
                devices: 4
            })
        );
        assert_eq!(
            slots_for(&[offer(3)], ExecutorKind::Cpu, 0)
                .unwrap()
                .total(),
            3
        );
        assert_eq!(slots_for(&[], ExecutorKind::Cpu, 0).unwrap().total(), 1);
        assert_eq!(
            slots_for(&[offer(u32::MAX)], ExecutorKind::Cpu, 0)
                .unwrap()
                .total(),
            MAX_CPU_SLOTS as usize
        );
    }

    #[test]
    fn devices_map_to_catalogue_models() {
        assert_eq!(model_for_device("NVIDIA H100 80GB HBM3"), Some("h100"));
        assert_eq!(
            model_for_device("NVIDIA GeForce RTX 4090"),
            Some("rtx-4090")
        );
        assert_eq!(model_for_device("NVIDIA H200"), Some("h200"));
        assert_eq!(model_for_device("Tesla T4"), None);
    }

    #[test]
    fn cpu_offers_the_dev_model_and_gpus_group_by_model() {
        let cpu = desired_offers(&section(), ExecutorKind::Cpu, &[]);
        assert_eq!(cpu.len(), 1);
        assert_eq!(cpu[0].model, CPU_DEV_MODEL);
        let gpu = |name: &str| DeviceInfo {
            ordinal: 0,
            name: name.into(),
            vram_mib: 80_000,
            compute_capability: (9, 0),
        };
        let offers = desired_offers(
            &section(),
            ExecutorKind::Cuda,
            &[gpu("NVIDIA H100"), gpu("NVIDIA H100"), gpu("Tesla T4")],
        );
        assert_eq!(offers.len(), 1);
        assert_eq!((offers[0].model.as_str(), offers[0].units), ("h100", 2));
    }

    #[test]
    fn offers_follow_the_config_without_duplicates() {
        let listed = |offer_id, model: &str, price: u128, units| OfferResponse {
            offer_id,
            provider: cosmwasm_std::Addr::unchecked("p"),
            model: model.into(),
            denom: Denom::Native("uusdc".into()),
            price: Uint128::new(price),
            units,
            free_units: units,
            min_duration: 1,
            max_duration: 3600,
            withdrawn: false,
            created_at: 0,
        };
        let wanted = |model: &str, price, units| OfferSection {
            model: model.into(),
            units,
            price,
            denom: "uusdc".into(),
        };
        let config = [
            wanted("h100", 10, 4),
            wanted("a100", 5, 2),
            wanted("l40s", 3, 1),
        ];
        let live = [
            listed(1, "h100", 10, 4),    // as configured
            listed(2, "a100", 7, 2),     // new price
            listed(3, "rtx-4090", 1, 1), // no longer configured
            listed(4, "h100", 10, 4),    // a duplicate of offer 1
        ];
        assert_eq!(
            sync_offers(&live, &config),
            vec![
                OfferChange::Update {
                    offer_id: 2,
                    price: 5,
                    units: 2
                },
                OfferChange::Post(&config[2]),
                OfferChange::Withdraw { offer_id: 3 },
                OfferChange::Withdraw { offer_id: 4 },
            ]
        );
        // Applied, nothing is left to do.
        let synced = [
            listed(1, "h100", 10, 4),
            listed(2, "a100", 5, 2),
            listed(5, "l40s", 3, 1),
        ];
        assert!(sync_offers(&synced, &config).is_empty());
    }

    #[test]
    fn a_slashed_provider_is_not_bonded_again_unless_configured() {
        let staker = |bonded: u128, unbonding: u128| StakerResponse {
            address: cosmwasm_std::Addr::unchecked("p"),
            bonded: Uint128::new(bonded),
            locked: Uint128::zero(),
            unbonding: Uint128::new(unbonding),
            claims: 0,
        };
        let mut section = section();
        section.bond = 1_000;
        assert_eq!(bond_to_add(&section, &staker(0, 0)), 1_000, "first bond");
        assert_eq!(bond_to_add(&section, &staker(700, 0)), 0, "after a slash");
        assert_eq!(bond_to_add(&section, &staker(0, 300)), 0, "after an unbond");
        section.top_up_bond = true;
        assert_eq!(bond_to_add(&section, &staker(700, 0)), 300);
        assert_eq!(bond_to_add(&section, &staker(1_200, 0)), 0);
    }
}
