//! `claim`: takes the matured unbonding claims of this account back from staking.

use super::{connect, contracts, send};
use crate::config::Config;
use anyhow::Result;
use gridshare_types::staking::ExecuteMsg;

pub async fn run(config: &Config) -> Result<()> {
    let contracts = contracts(config)?;
    let (_, signer) = connect(config).await?;
    let outcome = send(&signer, &contracts.staking, &ExecuteMsg::Claim {}, "claim").await?;
    println!(
        "matured claims taken: tx {} at height {}",
        outcome.hash, outcome.height
    );
    Ok(())
}
