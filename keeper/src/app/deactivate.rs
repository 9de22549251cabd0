//! `deactivate`: takes this provider off the market for good — every offer withdrawn and the
//! provider marked inactive, so nothing new is matched; open leases run to their end.

use super::{connect, contracts, send};
use crate::config::Config;
use crate::provider;
use anyhow::Result;
use gridshare_types::marketplace::ExecuteMsg;

pub async fn run(config: &Config) -> Result<()> {
    let contracts = contracts(config)?;
    let (client, signer) = connect(config).await?;
    let withdrawn = provider::withdraw_all(&client, &signer, &contracts).await?;
    let outcome = send(
        &signer,
        &contracts.marketplace,
        &ExecuteMsg::DeactivateProvider {},
        "deactivate",
    )
    .await?;
    println!(
        "{withdrawn} offer(s) withdrawn and the provider deactivated: tx {} at height {}",
        outcome.hash, outcome.height
    );
    Ok(())
}
