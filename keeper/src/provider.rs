//! Brings a provider to the state its config describes: bonded, registered, offering its GPUs.
//! Every step checks the chain first, so restarting a keeper changes nothing that is already so.

use crate::chain::{Any, ChainClient, ChainError, SignerHandle};
use crate::config::{OfferSection, ProviderSection};
use crate::deploy::{Contracts, CPU_DEV_MODEL};
use crate::executor::{DeviceInfo, ExecutorKind};
use crate::msgs::{self, MsgError};
use cosmwasm_std::{to_json_binary, Uint128};
use gridshare_types::marketplace::{ExecuteMsg, OffersResponse, ProviderResponse, QueryMsg};
use gridshare_types::staking::{
    QueryMsg as StakingQuery, ReceiveMsg as StakingReceive, StakerResponse,
};
use gridshare_types::{Denom, UncheckedDenom};

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
    let missing = u128::from(section.bond).saturating_sub(staker.bonded.u128());
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
    match registered {
        Ok(p) => tracing::info!(provider = p.id, name = %p.name, "already registered"),
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

    let live: OffersResponse = client
        .query(
            &contracts.marketplace,
            &QueryMsg::OffersByProvider {
                provider: me.clone(),
                start_after: None,
                limit: Some(100),
            },
        )
        .await
        .unwrap_or(OffersResponse { offers: vec![] });
    for offer in offers {
        let listed = live.offers.iter().any(|o| {
            !o.withdrawn && o.model == offer.model && o.denom == Denom::Native(offer.denom.clone())
        });
        if listed {
            continue;
        }
        batch.push(msgs::execute(
            &me,
            &contracts.marketplace,
            &ExecuteMsg::PostOffer {
                model: offer.model.clone(),
                units: offer.units,
                price: Uint128::from(offer.price),
                denom: UncheckedDenom::Native(offer.denom.clone()),
                min_duration: section.min_duration,
                max_duration: section.max_duration,
            },
            vec![],
        )?);
        println!(
            "offering {} × {} at {}{} per GPU-hour",
            offer.units, offer.model, offer.price, offer.denom
        );
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

#[cfg(test)]
mod tests {
    use super::*;

    fn section() -> ProviderSection {
        toml::from_str("name = \"p\"").unwrap()
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
}
