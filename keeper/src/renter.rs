//! The renter's side of the CLI: post a job with its budget attached, follow it to a result,
//! download the output and check it against the commitment on chain.

use crate::chain::{ChainClient, ChainError, SignerHandle};
use crate::deploy::Contracts;
use crate::msgs;
use cosmwasm_std::{Timestamp, Uint128};
use gridshare_types::escrow::{PaymentResponse, QueryMsg as EscrowQuery};
use gridshare_types::marketplace::{
    ExecuteMsg, JobSpec, LeaseResponse, LeaseState, LeasesResponse, MarketStatsListResponse,
    NewOrder, OrderResponse, QueryMsg, Requirements,
};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[derive(Debug, thiserror::Error)]
pub enum RenterError {
    #[error("{step}: {source}")]
    Chain {
        step: &'static str,
        #[source]
        source: ChainError,
    },
    #[error("the budget overflows: {0}")]
    Budget(String),
    #[error("order {order_id}: no result after {waited:?} (status {status})")]
    Timeout {
        order_id: u64,
        waited: Duration,
        status: String,
    },
    #[error("order {order_id} ended without an accepted result ({status})")]
    NoResult { order_id: u64, status: String },
    #[error("downloading {url}: {reason}")]
    Download { url: String, reason: String },
    #[error("the output from {url} hashes to {actual}, but the chain commits to {expected}")]
    HashMismatch {
        url: String,
        expected: String,
        actual: String,
    },
    #[error("writing {path}: {reason}")]
    Write { path: PathBuf, reason: String },
    #[error("{0}")]
    Msg(#[from] crate::msgs::MsgError),
}

fn chain(step: &'static str) -> impl FnOnce(ChainError) -> RenterError {
    move |source| RenterError::Chain { step, source }
}

/// What a renter asks for.
#[derive(Clone, Debug)]
pub struct JobRequest {
    pub spec: JobSpec,
    pub requirements: Requirements,
    pub gpu_count: u32,
    pub max_price: u128,
    pub max_duration: u64,
    pub replication: u8,
    pub deadline_seconds: u64,
    pub denom: String,
}

impl JobRequest {
    /// The marketplace's rule: `replication × gpus × max_price × max_duration / 3600`, rounded up.
    pub fn budget(&self) -> Result<u128, RenterError> {
        u128::from(self.replication)
            .checked_mul(u128::from(self.gpu_count))
            .and_then(|v| v.checked_mul(self.max_price))
            .and_then(|v| v.checked_mul(u128::from(self.max_duration)))
            .map(|v| v.div_ceil(3600))
            .ok_or_else(|| RenterError::Budget(format!("{self:?}")))
    }
}

pub struct Posted {
    pub order_id: u64,
    pub height: u64,
    pub budget: u128,
}

pub async fn post(
    client: &ChainClient,
    signer: &SignerHandle,
    contracts: &Contracts,
    job: &JobRequest,
) -> Result<Posted, RenterError> {
    let budget = job.budget()?;
    let (_, now) = client
        .latest_block()
        .await
        .map_err(chain("reading the chain time"))?;
    let order = NewOrder {
        spec: job.spec.clone(),
        requirements: job.requirements.clone(),
        gpu_count: job.gpu_count,
        max_price: Uint128::new(job.max_price),
        max_duration: job.max_duration,
        replication: job.replication,
        deadline: Timestamp::from_seconds(now.saturating_add(job.deadline_seconds)),
    };
    let msg = msgs::execute(
        signer.address(),
        &contracts.marketplace,
        &ExecuteMsg::PostOrder(order),
        vec![msgs::coin(budget, &job.denom)?],
    )?;
    let outcome = signer
        .submit(vec![msg], "post order")
        .await
        .map_err(chain("posting the order"))?;
    let order_id = outcome
        .attributes("wasm", "order_id")
        .find_map(|v| v.parse().ok())
        .ok_or_else(|| RenterError::Chain {
            step: "posting the order",
            source: ChainError::Decode {
                what: "the order id",
                reason: "no wasm.order_id attribute".into(),
            },
        })?;
    Ok(Posted {
        order_id,
        height: outcome.height,
        budget,
    })
}

pub async fn order(
    client: &ChainClient,
    contracts: &Contracts,
    order_id: u64,
) -> Result<OrderResponse, RenterError> {
    client
        .query(&contracts.marketplace, &QueryMsg::Order { order_id })
        .await
        .map_err(chain("reading the order"))
}

pub async fn leases(
    client: &ChainClient,
    contracts: &Contracts,
    order_id: u64,
) -> Result<Vec<LeaseResponse>, RenterError> {
    let page: LeasesResponse = client
        .query(
            &contracts.marketplace,
            &QueryMsg::LeasesByOrder {
                order_id,
                start_after: None,
                limit: Some(16),
            },
        )
        .await
        .map_err(chain("reading the order's leases"))?;
    Ok(page.leases)
}

/// Polls the order, printing each change, until it is closed (every lease final, the rest
/// refunded) or `timeout` passes.
pub async fn wait(
    client: &ChainClient,
    contracts: &Contracts,
    order_id: u64,
    timeout: Duration,
) -> Result<(OrderResponse, Vec<LeaseResponse>), RenterError> {
    let started = Instant::now();
    let mut seen: BTreeMap<u64, LeaseState> = BTreeMap::new();
    let mut last_status = String::new();
    loop {
        let order = order(client, contracts, order_id).await?;
        let leases = leases(client, contracts, order_id).await?;
        let status = format!("{:?}", order.status);
        if status != last_status {
            println!(
                "  [{:>5.1}s] order {order_id}: {status}",
                started.elapsed().as_secs_f64()
            );
            last_status = status.clone();
        }
        for lease in &leases {
            if seen.get(&lease.lease_id) == Some(&lease.state) {
                continue;
            }
            let t = started.elapsed().as_secs_f64();
            match lease.state {
                LeaseState::Active => println!(
                    "  [{t:>5.1}s] lease {} matched: provider {} runs it on {} GPU(s) at {} per GPU-hour",
                    lease.lease_id, lease.provider, lease.units, lease.price
                ),
                LeaseState::Submitted => {
                    if let Some(r) = &lease.result {
                        println!(
                            "  [{t:>5.1}s] lease {} result committed: sha256 {} ({} s), waiting for verification",
                            lease.lease_id, r.sha256, r.runtime_seconds
                        );
                    }
                }
                state => println!(
                    "  [{t:>5.1}s] lease {} {:?} ({:?})",
                    lease.lease_id,
                    state,
                    lease.close_reason
                ),
            }
            seen.insert(lease.lease_id, lease.state);
        }
        if order.closed {
            return Ok((order, leases));
        }
        if started.elapsed() > timeout {
            return Err(RenterError::Timeout {
                order_id,
                waited: started.elapsed(),
                status,
            });
        }
        tokio::time::sleep(Duration::from_millis(400)).await;
    }
}

/// Downloads an accepted lease's output and checks it against the on-chain commitment.
pub async fn fetch_verified(lease: &LeaseResponse) -> Result<(Vec<u8>, String), RenterError> {
    let result = lease.result.as_ref().ok_or_else(|| RenterError::NoResult {
        order_id: gridshare_types::marketplace::order_of_lease(lease.lease_id),
        status: format!("lease {} has no result", lease.lease_id),
    })?;
    let url = result.output_uri.clone();
    let download = |reason: String| RenterError::Download {
        url: url.clone(),
        reason,
    };
    let response = reqwest::get(&url)
        .await
        .map_err(|e| download(e.to_string()))?;
    if !response.status().is_success() {
        return Err(download(format!("HTTP {}", response.status())));
    }
    let bytes = response
        .bytes()
        .await
        .map_err(|e| download(e.to_string()))?
        .to_vec();
    let actual = hex::encode(Sha256::digest(&bytes));
    if actual != result.sha256 {
        return Err(RenterError::HashMismatch {
            url,
            expected: result.sha256.clone(),
            actual,
        });
    }
    Ok((bytes, actual))
}

/// What an order cost, from escrow's records.
pub struct Settlement {
    pub paid_to_providers: u128,
    pub fees: u128,
    pub refunded: u128,
}

pub async fn settlement(
    client: &ChainClient,
    contracts: &Contracts,
    order: &OrderResponse,
    leases: &[LeaseResponse],
) -> Result<Settlement, RenterError> {
    let mut released = 0u128;
    let mut fees = 0u128;
    for lease in leases {
        let p: PaymentResponse = client
            .query(
                &contracts.escrow,
                &EscrowQuery::Payment {
                    lease_id: lease.lease_id,
                },
            )
            .await
            .map_err(chain("reading a payment"))?;
        released = released.saturating_add(p.released.u128());
        fees = fees.saturating_add(p.fees_paid.u128());
    }
    Ok(Settlement {
        paid_to_providers: released.saturating_sub(fees),
        fees,
        refunded: order.budget.u128().saturating_sub(released),
    })
}

pub async fn market(
    client: &ChainClient,
    contracts: &Contracts,
) -> Result<MarketStatsListResponse, RenterError> {
    client
        .query(
            &contracts.marketplace,
            &QueryMsg::AllMarketStats {
                start_after: None,
                limit: Some(50),
            },
        )
        .await
        .map_err(chain("reading market statistics"))
}

/// The lease whose result stands for the order: the accepted one with the canonical hash.
pub fn accepted_lease<'a>(
    order: &OrderResponse,
    leases: &'a [LeaseResponse],
) -> Option<&'a LeaseResponse> {
    leases.iter().find(|l| {
        l.state == LeaseState::Accepted
            && l.result.as_ref().is_some_and(|r| {
                order
                    .canonical_sha256
                    .as_ref()
                    .is_none_or(|c| *c == r.sha256)
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use gridshare_types::marketplace::{JobInputs, Workload};

    #[test]
    fn budget_rounds_up_and_refuses_overflow() {
        let mut job = JobRequest {
            spec: JobSpec {
                workload: Workload::Sha256 {},
                inputs: JobInputs::Inline {
                    data: vec![].into(),
                },
                deterministic: true,
                max_runtime_seconds: 60,
            },
            requirements: Requirements::default(),
            gpu_count: 1,
            max_price: 1,
            max_duration: 1,
            replication: 1,
            deadline_seconds: 60,
            denom: "uusdc".into(),
        };
        assert_eq!(job.budget().unwrap(), 1);
        job.max_price = 3_600_000;
        job.max_duration = 600;
        job.replication = 2;
        assert_eq!(job.budget().unwrap(), 1_200_000);
        job.max_price = u128::MAX;
        assert!(job.budget().is_err());
    }
}
