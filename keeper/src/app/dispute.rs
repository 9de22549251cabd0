//! `job dispute <lease>`: the renter disputes a single-replica result with the salt `job submit`
//! stored for its order and the bond the order asks for.

use super::{connect, contracts};
use crate::cli::DisputeArgs;
use crate::config::Config;
use crate::renter;
use anyhow::Result;
use gridshare_types::marketplace::order_of_lease;

/// A private order's referee needs the input's key like any replica: sealed to it and sent
/// (its keeper may need a moment to see the lease).
async fn deliver_to_referee(
    config: &Config,
    client: &crate::chain::ChainClient,
    contracts: &crate::deploy::Contracts,
    order_id: u64,
    referee: u64,
) -> Result<()> {
    if renter::order(client, contracts, order_id)
        .await?
        .spec
        .output_key
        .is_none()
    {
        return Ok(());
    }
    for _ in 0..10 {
        if super::keys::deliver(config, client, contracts, order_id)
            .await?
            .contains(&referee)
        {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    }
    anyhow::bail!(
        "the referee's keeper did not take the input's key: run `job keys --order {order_id}`"
    )
}

pub async fn run(config: &Config, args: DisputeArgs) -> Result<()> {
    let contracts = contracts(config)?;
    let order_id = order_of_lease(args.lease_id);
    // Read the salt first: without it nothing can be sent, so no connection is needed to fail.
    let salt = match &args.salt_file {
        Some(path) => renter::read_salt(path)?,
        None => renter::load_dispute_salt(&renter::salts_dir(&config.keeper.work_dir), order_id)?,
    };
    let (client, signer) = connect(config).await?;
    let disputed = renter::dispute(&client, &signer, &contracts, args.lease_id, salt).await?;
    println!(
        "lease {} of order {} disputed at height {} (tx {}): bond {}{} attached",
        args.lease_id,
        disputed.order_id,
        disputed.height,
        disputed.hash,
        disputed.bond,
        disputed.denom
    );
    match disputed.referee_lease {
        Some(referee) => {
            println!(
                "referee lease {referee} re-runs the job; follow it with `job status --order {}`",
                disputed.order_id
            );
            deliver_to_referee(config, &client, &contracts, disputed.order_id, referee).await?;
        }
        None => println!(
            "follow the referee with `job status --order {}`",
            disputed.order_id
        ),
    }
    Ok(())
}
