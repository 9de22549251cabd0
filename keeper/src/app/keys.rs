//! `job keys --order N`: hands a private order's key (the one `job submit --private` kept) to the
//! keeper of each of its replicas that is matched and not yet running, sealed to that provider.
//! `job submit --private --wait` and `job dispute` do this by themselves; this serves a renter
//! that did not wait, or came back.

use super::contracts;
use crate::chain::ChainClient;
use crate::config::Config;
use crate::deploy::Contracts;
use crate::renter;
use anyhow::{bail, Result};
use gridshare_types::marketplace::LeaseState;

/// Delivers the order's key to every active lease of `order_id`; returns the leases served.
pub async fn deliver(
    config: &Config,
    client: &ChainClient,
    contracts: &Contracts,
    order_id: u64,
) -> Result<Vec<u64>> {
    let order = renter::order(client, contracts, order_id).await?;
    if order.spec.output_key.is_none() {
        bail!("order {order_id} is not a private job: it has no key to deliver");
    }
    let order_secret =
        renter::load_order_secret(&renter::salts_dir(&config.keeper.work_dir), order_id)?;
    let mut served = vec![];
    for lease in renter::leases(client, contracts, order_id).await? {
        if lease.state != LeaseState::Active {
            continue;
        }
        match renter::deliver_order_key(client, contracts, &lease, &order_secret).await {
            Ok(()) => {
                println!(
                    "lease {}: the input's key sealed to provider {} and delivered",
                    lease.lease_id, lease.provider
                );
                served.push(lease.lease_id);
            }
            Err(e) => println!("lease {}: not delivered yet: {e}", lease.lease_id),
        }
    }
    Ok(served)
}

pub async fn run(config: &Config, order_id: u64) -> Result<()> {
    let contracts = contracts(config)?;
    let client = ChainClient::new(config.chain_config()?)?;
    client.check_chain().await?;
    if deliver(config, &client, &contracts, order_id)
        .await?
        .is_empty()
    {
        println!("order {order_id}: no matched replica is waiting for its key");
    }
    Ok(())
}
