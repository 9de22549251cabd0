//! `offer list | update <id> [--price] [--units] | withdraw <id>`: this provider's offers by
//! hand (the daemon keeps them in step with the config at start-up).

use super::{connect, contracts, send};
use crate::cli::OfferCommand;
use crate::config::Config;
use crate::provider;
use anyhow::{bail, Result};
use cosmwasm_std::Uint128;
use gridshare_types::marketplace::ExecuteMsg;

pub async fn run(config: &Config, command: OfferCommand) -> Result<()> {
    let contracts = contracts(config)?;
    let (client, signer) = connect(config).await?;
    let msg = match command {
        OfferCommand::List => {
            let live = provider::live_offers(&client, &contracts, signer.address()).await?;
            if live.is_empty() {
                println!("no offers listed");
            }
            for o in live {
                println!(
                    "offer {:>4}  {:<10} {} units ({} free) at {} {:?} per GPU-hour, {}–{} s",
                    o.offer_id,
                    o.model,
                    o.units,
                    o.free_units,
                    o.price,
                    o.denom,
                    o.min_duration,
                    o.max_duration
                );
            }
            return Ok(());
        }
        OfferCommand::Update {
            offer_id,
            price,
            units,
        } => {
            if price.is_none() && units.is_none() {
                bail!("give --price, --units or both");
            }
            ExecuteMsg::UpdateOffer {
                offer_id,
                price: price.map(Uint128::new),
                units,
            }
        }
        OfferCommand::Withdraw { offer_id } => ExecuteMsg::WithdrawOffer { offer_id },
    };
    let outcome = send(&signer, &contracts.marketplace, &msg, "offer").await?;
    println!("done: tx {} at height {}", outcome.hash, outcome.height);
    Ok(())
}
