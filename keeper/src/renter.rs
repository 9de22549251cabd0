//! The renter's side of the CLI: post a job with its budget attached (and the hash of a secret
//! dispute salt, kept in a file), follow it to a revealed and accepted result, download the
//! output and check it against the hash on chain, and dispute a single-replica result.

use crate::chain::{ChainClient, ChainError, SignerHandle};
use crate::deploy::Contracts;
use crate::msgs;
use cosmwasm_std::{to_json_binary, Uint128};
use gridshare_types::escrow::{PaymentResponse, QueryMsg as EscrowQuery};
use gridshare_types::marketplace::{
    order_of_lease, required_budget, ExecuteMsg, JobSpec, LeaseResponse, LeaseState,
    LeasesResponse, MarketStatsListResponse, NewOrder, OrderResponse, QueryMsg, ReceiveMsg,
    Requirements,
};
use gridshare_types::verification::salt_hash;
use gridshare_types::Denom;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
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
    #[error("dispute salt {path}: {reason}")]
    Salt { path: PathBuf, reason: String },
    #[error("{0}")]
    Random(#[from] crate::salt::SaltError),
    #[error("{0}")]
    Msg(#[from] crate::msgs::MsgError),
    #[error("private job: {0}")]
    Privacy(#[from] crate::privacy::PrivacyError),
}

/// A private job's keys on the renter's side (`crate::privacy`): the order's secret, sealed to
/// each matched provider, and the renter's own key the outputs are sealed to.
pub struct PrivateJob {
    pub order_secret: crate::privacy::SecretKey,
    pub renter_key: crate::privacy::SecretKey,
}

/// Where a renter's X25519 key lives: created on first use, owner-only.
pub fn renter_key_path(work_dir: &Path) -> PathBuf {
    work_dir.join("renter.x25519")
}

/// Seals a private order's secret to `lease`'s provider (its registered key) and hands it to that
/// provider's keeper. An error leaves it for the next try.
pub async fn deliver_order_key(
    client: &ChainClient,
    contracts: &Contracts,
    lease: &LeaseResponse,
    order_secret: &crate::privacy::SecretKey,
) -> Result<(), String> {
    let provider: gridshare_types::marketplace::ProviderResponse = client
        .query(
            &contracts.marketplace,
            &QueryMsg::Provider {
                address: lease.provider.to_string(),
            },
        )
        .await
        .map_err(|e| format!("reading provider {}: {e}", lease.provider))?;
    let key = crate::privacy::PublicKey::parse(&provider.public_key, "the provider's key")
        .map_err(|e| e.to_string())?;
    let envelope = key
        .seal(
            &crate::privacy::key_info(lease.lease_id),
            &order_secret.to_bytes(),
        )
        .map_err(|e| e.to_string())?;
    let url = format!(
        "{}/leases/{}/key",
        provider.endpoint.trim_end_matches('/'),
        lease.lease_id
    );
    let response = reqwest::Client::new()
        .post(&url)
        .header("content-type", "application/octet-stream")
        .body(envelope)
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .map_err(|e| format!("{url}: {e}"))?;
    if response.status().is_success() {
        Ok(())
    } else {
        let status = response.status();
        Err(format!(
            "{url}: HTTP {status}: {}",
            response.text().await.unwrap_or_default().trim()
        ))
    }
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
    /// What the order must attach: the marketplace's own rule
    /// ([`gridshare_types::marketplace::required_budget`]), so the two can never disagree.
    pub fn budget(&self) -> Result<u128, RenterError> {
        required_budget(
            self.replication,
            self.gpu_count,
            Uint128::new(self.max_price),
            self.max_duration,
        )
        .map(|b| b.u128())
        .ok_or_else(|| RenterError::Budget(format!("{self:?}")))
    }
}

/// Where the renter's dispute salts live: `<work_dir>/orders/<order_id>.salt`.
pub fn salts_dir(work_dir: &Path) -> PathBuf {
    work_dir.join("orders")
}

/// A dispute salt written to disk before its order exists: its hash goes into the order, and the
/// file is renamed after the order's id once the order is posted.
#[derive(Debug)]
pub struct PendingSalt {
    pub salt: String,
    /// `sha256(salt)`, the order's `dispute_salt_hash`.
    pub hash: String,
    pub path: PathBuf,
}

/// Draws a dispute salt and stores it (owner-only, fsynced) under `dir` before anything is sent,
/// so that an order posted with its hash can always be disputed.
pub fn new_dispute_salt(dir: &Path) -> Result<PendingSalt, RenterError> {
    let salt = crate::salt::fresh()?;
    let hash = salt_hash(&salt).ok_or_else(|| RenterError::Salt {
        path: dir.to_path_buf(),
        reason: "a fresh salt did not hash".into(),
    })?;
    let path = dir.join(format!("pending-{}.salt", &hash[..16]));
    write_secret(&path, &salt)?;
    Ok(PendingSalt { salt, hash, path })
}

/// Renames a pending salt after the order it belongs to; returns where it now is.
pub fn keep_dispute_salt(pending: &PendingSalt, order_id: u64) -> Result<PathBuf, RenterError> {
    let path = pending.path.with_file_name(format!("{order_id}.salt"));
    std::fs::rename(&pending.path, &path).map_err(|e| RenterError::Salt {
        path: path.clone(),
        reason: format!("renaming {}: {e}", pending.path.display()),
    })?;
    Ok(path)
}

/// Stores a private order's secret (owner-only, fsynced) under `dir` before the order is sent,
/// as `pending-<key>.key`: a referee matched later needs it too (`job dispute`).
pub fn new_order_secret(
    dir: &Path,
    secret: &crate::privacy::SecretKey,
) -> Result<PathBuf, RenterError> {
    let public = secret.public().to_text();
    let path = dir.join(format!("pending-{}.key", &public[7..23]));
    write_secret(&path, &hex::encode(secret.to_bytes()))?;
    Ok(path)
}

/// Renames a pending order secret after its order.
pub fn keep_order_secret(pending: &Path, order_id: u64) -> Result<PathBuf, RenterError> {
    let path = pending.with_file_name(format!("{order_id}.key"));
    std::fs::rename(pending, &path).map_err(|e| RenterError::Salt {
        path: path.clone(),
        reason: format!("renaming {}: {e}", pending.display()),
    })?;
    Ok(path)
}

/// The secret of private order `order_id`, as `job submit --private` stored it under `dir`.
pub fn load_order_secret(
    dir: &Path,
    order_id: u64,
) -> Result<crate::privacy::SecretKey, RenterError> {
    let path = dir.join(format!("{order_id}.key"));
    let bad = |reason: String| RenterError::Salt {
        path: path.clone(),
        reason,
    };
    let text = std::fs::read_to_string(&path).map_err(|e| bad(e.to_string()))?;
    let bytes = hex::decode(text.trim()).map_err(|e| bad(e.to_string()))?;
    crate::privacy::SecretKey::from_bytes(&bytes).map_err(|e| bad(e.to_string()))
}

/// The dispute salt stored for `order_id` under `dir`, checked to be a valid salt.
pub fn load_dispute_salt(dir: &Path, order_id: u64) -> Result<String, RenterError> {
    read_salt(&dir.join(format!("{order_id}.salt")))
}

/// A salt file's content, checked to be hex of 16 to 32 bytes.
pub fn read_salt(path: &Path) -> Result<String, RenterError> {
    let bad = |reason: String| RenterError::Salt {
        path: path.to_path_buf(),
        reason,
    };
    let salt = std::fs::read_to_string(path)
        .map_err(|e| bad(e.to_string()))?
        .trim()
        .to_ascii_lowercase();
    if salt_hash(&salt).is_none() {
        return Err(bad("not hex of 16 to 32 bytes".into()));
    }
    Ok(salt)
}

/// Creates `path` readable by its owner only (0600 on Unix) with `text`, fsynced.
fn write_secret(path: &Path, text: &str) -> Result<(), RenterError> {
    let err = |e: std::io::Error| RenterError::Salt {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(err)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(err)?;
    file.write_all(text.as_bytes()).map_err(err)?;
    file.write_all(b"\n").map_err(err)?;
    file.sync_all().map_err(err)
}

pub struct Posted {
    pub order_id: u64,
    pub height: u64,
    pub budget: u128,
}

/// Posts `job`; `dispute_salt_hash` is `sha256` of the secret salt a dispute would reveal
/// (`None`: the order cannot be disputed).
pub async fn post(
    client: &ChainClient,
    signer: &SignerHandle,
    contracts: &Contracts,
    job: &JobRequest,
    dispute_salt_hash: Option<String>,
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
        deadline: now.saturating_add(job.deadline_seconds),
        dispute_salt_hash,
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
    private: Option<&PrivateJob>,
) -> Result<(OrderResponse, Vec<LeaseResponse>), RenterError> {
    let started = Instant::now();
    let mut seen: BTreeMap<u64, LeaseState> = BTreeMap::new();
    let mut delivered: std::collections::BTreeSet<u64> = Default::default();
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
        if let Some(private) = private {
            // Each matched replica's keeper gets the order's secret sealed to it, once.
            for lease in leases.iter().filter(|l| l.state == LeaseState::Active) {
                if delivered.contains(&lease.lease_id) {
                    continue;
                }
                match deliver_order_key(client, contracts, lease, &private.order_secret).await {
                    Ok(()) => {
                        println!(
                            "  [{:>5.1}s] lease {}: the input's key sealed to provider {} and delivered",
                            started.elapsed().as_secs_f64(),
                            lease.lease_id,
                            lease.provider
                        );
                        delivered.insert(lease.lease_id);
                    }
                    Err(e) => {
                        tracing::warn!(lease = lease.lease_id, error = %e, "delivering the key failed; retrying")
                    }
                }
            }
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
                LeaseState::Committed => {
                    if let Some(r) = &lease.result {
                        println!(
                            "  [{t:>5.1}s] lease {} result committed ({} s): commitment {}, waiting for the reveal",
                            lease.lease_id, r.runtime_seconds, r.commitment
                        );
                    }
                }
                LeaseState::Revealed => {
                    if let Some(sha256) = lease.result.as_ref().and_then(|r| r.sha256.as_ref()) {
                        println!(
                            "  [{t:>5.1}s] lease {} result revealed: sha256 {sha256}, waiting for verification",
                            lease.lease_id
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

/// Downloads an accepted lease's output and checks it against the hash revealed on chain; a
/// private job's output arrives sealed to `renter_key` and is opened first.
pub async fn fetch_verified(
    lease: &LeaseResponse,
    renter_key: Option<&crate::privacy::SecretKey>,
) -> Result<(Vec<u8>, String), RenterError> {
    let no_result = |what: &str| RenterError::NoResult {
        order_id: order_of_lease(lease.lease_id),
        status: format!("lease {} {what}", lease.lease_id),
    };
    let result = lease
        .result
        .as_ref()
        .ok_or_else(|| no_result("has no result"))?;
    let expected = result
        .sha256
        .clone()
        .ok_or_else(|| no_result("has not revealed its result"))?;
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
    let bytes = match renter_key {
        Some(key) => key.open(
            &crate::privacy::output_info(lease.lease_id),
            &bytes,
            "the sealed output",
        )?,
        None => bytes,
    };
    let actual = hex::encode(Sha256::digest(&bytes));
    if actual != expected {
        return Err(RenterError::HashMismatch {
            url,
            expected,
            actual,
        });
    }
    Ok((bytes, actual))
}

/// Waits until `lease_id`'s result is revealed on chain (the transaction the reveal landed in:
/// `wasm.action='reveal_result'`) and returns that height, or `None` after `timeout`.
pub async fn reveal_height(
    client: &ChainClient,
    lease_id: u64,
    timeout: Duration,
) -> Result<Option<u64>, RenterError> {
    let query = format!("wasm.action='reveal_result' AND wasm.lease_id='{lease_id}'");
    let started = Instant::now();
    loop {
        // Informational only: a node that indexes no transactions cannot answer, and the result
        // is verified from contract state either way.
        let heights = match client.tx_heights(&query).await {
            Ok(heights) => heights,
            Err(e) => {
                tracing::debug!(error = %e, "the node cannot search transactions");
                return Ok(None);
            }
        };
        if let Some(h) = heights.first() {
            return Ok(Some(*h));
        }
        if started.elapsed() > timeout {
            return Ok(None);
        }
        tokio::time::sleep(Duration::from_millis(400)).await;
    }
}

/// The message that disputes `lease_id` of `order` as `sender`, and the denom of its bond.
pub fn dispute_message(
    sender: &str,
    marketplace: &str,
    order: &OrderResponse,
    lease_id: u64,
    salt: String,
) -> Result<(crate::chain::Any, String), RenterError> {
    let bond = order.dispute_bond.u128();
    // The bond is one coin of the order's denom: attached natively, or sent through the cw20
    // with the dispute as the hook.
    Ok(match &order.denom {
        Denom::Native(denom) => (
            msgs::execute(
                sender,
                marketplace,
                &ExecuteMsg::Dispute { lease_id, salt },
                vec![msgs::coin(bond, denom)?],
            )?,
            denom.clone(),
        ),
        Denom::Cw20(token) => {
            let hook = to_json_binary(&ReceiveMsg::Dispute { lease_id, salt })
                .map_err(|e| msgs::MsgError::Encode(e.to_string()))?;
            (
                msgs::execute(
                    sender,
                    token.as_str(),
                    &cw20::Cw20ExecuteMsg::Send {
                        contract: marketplace.to_string(),
                        amount: order.dispute_bond,
                        msg: hook,
                    },
                    vec![],
                )?,
                token.to_string(),
            )
        }
    })
}

/// What a dispute sent.
pub struct Disputed {
    pub order_id: u64,
    pub bond: u128,
    pub denom: String,
    pub referee_lease: Option<u64>,
    pub hash: String,
    pub height: u64,
}

/// Disputes `lease_id`'s (single-replica) result: pays the order's `dispute_bond` in the order's
/// denom (a native coin, or a cw20 `Send`) and reveals `salt`, whose hash the order carries. The contract decides whether
/// the dispute stands (window open, right salt, a referee available).
pub async fn dispute(
    client: &ChainClient,
    signer: &SignerHandle,
    contracts: &Contracts,
    lease_id: u64,
    salt: String,
) -> Result<Disputed, RenterError> {
    let order_id = order_of_lease(lease_id);
    let order = order(client, contracts, order_id).await?;
    let (msg, denom) = dispute_message(
        signer.address(),
        &contracts.marketplace,
        &order,
        lease_id,
        salt,
    )?;
    let bond = order.dispute_bond.u128();
    let outcome = signer
        .submit(vec![msg], "dispute")
        .await
        .map_err(chain("disputing the result"))?;
    let referee_lease = outcome
        .attributes("wasm", "referee_lease")
        .find_map(|v| v.parse().ok());
    Ok(Disputed {
        order_id,
        bond,
        denom,
        referee_lease,
        hash: outcome.hash,
        height: outcome.height,
    })
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
                r.sha256.as_ref().is_some_and(|sha256| {
                    order.canonical_sha256.as_ref().is_none_or(|c| c == sha256)
                })
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
                output_key: None,
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
        // k = 2 funds a referee too: 3 × 3 600 000 × 600 / 3600.
        job.replication = 2;
        assert_eq!(job.budget().unwrap(), 1_800_000);
        job.replication = 1;
        assert_eq!(job.budget().unwrap(), 600_000);
        // Rounded up: one GPU-second at 1 per GPU-hour still costs 1.
        job.max_price = 1;
        job.max_duration = 1;
        job.replication = 3;
        assert_eq!(job.budget().unwrap(), 1);
        // Computed exactly (as the contract does), not refused for a large intermediate product.
        job.max_price = u128::MAX;
        job.max_duration = 600;
        assert_eq!(job.budget().unwrap(), (u128::MAX / 3) * 2);
        // Refused only when the budget itself does not fit.
        job.max_duration = 3_600;
        assert!(job.budget().is_err());
    }

    #[test]
    fn a_dispute_salt_is_stored_privately_before_posting_and_renamed_after() {
        let dir = tempfile::tempdir().unwrap();
        let salts = salts_dir(dir.path());
        let pending = new_dispute_salt(&salts).unwrap();
        assert_eq!(salt_hash(&pending.salt), Some(pending.hash.clone()));
        assert_eq!(read_salt(&pending.path).unwrap(), pending.salt);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&pending.path)
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let kept = keep_dispute_salt(&pending, 42).unwrap();
        assert_eq!(kept, salts.join("42.salt"));
        assert!(!pending.path.exists());
        assert_eq!(load_dispute_salt(&salts, 42).unwrap(), pending.salt);
        // Two orders never share a salt.
        let other = new_dispute_salt(&salts).unwrap();
        assert_ne!(other.salt, pending.salt);
    }

    fn order_in(denom: Denom) -> OrderResponse {
        OrderResponse {
            order_id: 3,
            renter: cosmwasm_std::Addr::unchecked("renter"),
            denom,
            budget: Uint128::new(1_000),
            committed: Uint128::new(1_000),
            spec: JobSpec {
                workload: Workload::Sha256 {},
                inputs: JobInputs::Inline {
                    data: vec![].into(),
                },
                deterministic: true,
                max_runtime_seconds: 60,
                output_key: None,
            },
            requirements: Requirements::default(),
            eligible_models: vec![],
            gpu_count: 1,
            max_price: Uint128::new(3_600),
            max_duration: 1_000,
            replication: 1,
            deadline: 1,
            created_at: 0,
            priority: 0,
            fee_bps: 250,
            status: gridshare_types::marketplace::OrderStatus::Filled,
            lease_ids: vec![48],
            open_leases: 1,
            canonical_sha256: None,
            dispute_bond: Uint128::new(1_000),
            disputed: false,
            referee_lease: None,
            reveals_open_at: None,
            closed: false,
        }
    }

    #[test]
    fn a_dispute_pays_the_bond_in_the_orders_denom_and_reveals_the_salt() {
        use cosmrs::cosmwasm::MsgExecuteContract;
        use cosmrs::tx::Msg;
        let address = |byte: u8, len: usize| {
            cosmrs::AccountId::new("wasm", &vec![byte; len])
                .unwrap()
                .to_string()
        };
        let (renter, market, token) = (address(1, 20), address(2, 32), address(3, 32));
        let salt = "ab".repeat(32);

        let (any, denom) = dispute_message(
            &renter,
            &market,
            &order_in(Denom::Native("uusdc".into())),
            48,
            salt.clone(),
        )
        .unwrap();
        assert_eq!(denom, "uusdc");
        let msg = MsgExecuteContract::from_any(&any).unwrap();
        assert_eq!(msg.contract.to_string(), market);
        assert_eq!(msg.funds.len(), 1);
        assert_eq!(msg.funds[0].amount, 1_000);
        assert_eq!(msg.funds[0].denom.to_string(), "uusdc");
        let sent: ExecuteMsg = serde_json::from_slice(&msg.msg).unwrap();
        assert_eq!(
            sent,
            ExecuteMsg::Dispute {
                lease_id: 48,
                salt: salt.clone()
            }
        );

        let cw20 = Denom::Cw20(cosmwasm_std::Addr::unchecked(token.clone()));
        let (any, denom) =
            dispute_message(&renter, &market, &order_in(cw20), 48, salt.clone()).unwrap();
        assert_eq!(denom, token);
        let msg = MsgExecuteContract::from_any(&any).unwrap();
        assert_eq!(msg.contract.to_string(), token);
        assert!(msg.funds.is_empty());
        let cw20::Cw20ExecuteMsg::Send {
            contract,
            amount,
            msg: hook,
        } = serde_json::from_slice(&msg.msg).unwrap()
        else {
            panic!("not a cw20 send");
        };
        assert_eq!((contract, amount), (market, Uint128::new(1_000)));
        assert_eq!(
            cosmwasm_std::from_json::<ReceiveMsg>(&hook).unwrap(),
            ReceiveMsg::Dispute { lease_id: 48, salt }
        );
    }

    #[test]
    fn a_salt_file_that_is_missing_or_malformed_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            load_dispute_salt(dir.path(), 7),
            Err(RenterError::Salt { .. })
        ));
        std::fs::write(dir.path().join("7.salt"), "00\n").unwrap();
        assert!(load_dispute_salt(dir.path(), 7).is_err());
        std::fs::write(dir.path().join("7.salt"), format!("{}\n", "AB".repeat(16))).unwrap();
        assert_eq!(load_dispute_salt(dir.path(), 7).unwrap(), "ab".repeat(16));
    }
}
