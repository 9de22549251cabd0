//! `claim`: takes the matured unbonding claims of this account back from staking.

use super::{connect, contracts};
use crate::config::Config;
use anyhow::Result;
use gridshare_types::staking::ExecuteMsg;

pub async fn run(config: &Config) -> Result<()> {
    let contracts = contracts(config)?;
    let (_, signer) = connect(config).await?;
    let msg = crate::msgs::execute(
        signer.address(),
        &contracts.staking,
        &ExecuteMsg::Claim {},
        vec![],
    )?;
    let outcome = signer.submit(vec![msg], "claim").await?;
    println!(
        "matured claims taken: tx {} at height {}",
        outcome.hash, outcome.height
    );
    Ok(())
}
