//! `gridshare-keeper run`: the provider daemon. Tasks, each with one job, joined by a shutdown
//! signal:
//! - reconcile: reads this provider's open leases from the marketplace (woken by events, and on
//!   a timer so a missed event costs at most one interval) and drives each lease forward;
//! - jobs: fetch inputs, execute, store the output, commit its hash on chain;
//! - heartbeat: one per interval for all leases;
//! - events: the websocket subscription that wakes reconcile;
//! - http: outputs, metrics, health.
//!
//! The store records each step before the chain is told, so after a crash a lease is either run
//! again (no output yet), or its stored result is submitted (output exists, not on chain), or it
//! is left alone (on chain): nothing is lost and nothing is submitted twice.

use crate::chain::{events, Any, ChainClient, ChainError, SignerHandle};
use crate::deploy::Contracts;
use crate::executor::Executor;
use crate::inputs;
use crate::metrics::Metrics;
use crate::msgs;
use crate::store::{LeaseRecord, Stage, Store};
use gridshare_types::escrow::{
    ExecuteMsg as EscrowExecute, PaymentResponse, QueryMsg as EscrowQuery,
};
use gridshare_types::marketplace::{
    ConfigResponse, ExecuteMsg, LeaseResponse, LeaseState, LeasesResponse, OrderResponse, QueryMsg,
};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{watch, Notify, Semaphore};

/// Open leases read per page, and pages per reconcile.
const LEASE_PAGE: u32 = 30;
const MAX_LEASE_PAGES: usize = 20;
/// Local records revisited per reconcile (those the chain no longer lists as open).
const MAX_SETTLE_PER_RECONCILE: usize = 64;
/// Escrow's withdraw batch limit.
const WITHDRAW_BATCH: usize = 30;

pub struct Keeper {
    pub client: ChainClient,
    pub signer: SignerHandle,
    pub contracts: Contracts,
    pub store: Arc<Store>,
    pub metrics: Arc<Metrics>,
    pub executor: Arc<dyn Executor>,
    pub http: reqwest::Client,
    pub public_url: String,
    pub max_input_bytes: u64,
    pub jobs: Arc<Semaphore>,
    in_flight: Mutex<HashSet<u64>>,
}

impl Keeper {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        client: ChainClient,
        signer: SignerHandle,
        contracts: Contracts,
        store: Arc<Store>,
        metrics: Arc<Metrics>,
        executor: Arc<dyn Executor>,
        public_url: String,
        max_input_bytes: u64,
        max_jobs: usize,
    ) -> Arc<Self> {
        Arc::new(Keeper {
            client,
            signer,
            contracts,
            store,
            metrics,
            executor,
            http: reqwest::Client::new(),
            public_url,
            max_input_bytes,
            jobs: Arc::new(Semaphore::new(max_jobs)),
            in_flight: Mutex::new(HashSet::new()),
        })
    }

    fn me(&self) -> &str {
        self.signer.address()
    }

    async fn execute(
        &self,
        msg: &ExecuteMsg,
        memo: &str,
    ) -> Result<crate::chain::TxOutcome, ChainError> {
        let any: Any =
            msgs::execute(self.me(), &self.contracts.marketplace, msg, vec![]).map_err(|e| {
                ChainError::Build {
                    reason: e.to_string(),
                }
            })?;
        let result = self.signer.submit(vec![any], memo).await;
        if result.is_err() {
            Metrics::inc(&self.metrics.tx_failures);
        }
        result
    }

    pub async fn market_config(&self) -> Result<ConfigResponse, ChainError> {
        self.client
            .query(&self.contracts.marketplace, &QueryMsg::Config {})
            .await
    }

    /// One heartbeat per interval until shutdown.
    pub async fn heartbeat_loop(
        self: Arc<Self>,
        interval: Duration,
        mut shutdown: watch::Receiver<bool>,
    ) {
        loop {
            match self
                .execute(&ExecuteMsg::Heartbeat { telemetry: None }, "heartbeat")
                .await
            {
                Ok(outcome) => {
                    Metrics::inc(&self.metrics.heartbeats_sent);
                    let now = std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map(|d| d.as_secs())
                        .unwrap_or(0);
                    self.metrics
                        .last_heartbeat_unix
                        .store(now, std::sync::atomic::Ordering::Relaxed);
                    tracing::debug!(height = outcome.height, "heartbeat");
                }
                Err(e) => {
                    Metrics::inc(&self.metrics.heartbeat_failures);
                    tracing::warn!(error = %e, "heartbeat failed");
                }
            }
            tokio::select! {
                _ = tokio::time::sleep(interval) => {}
                _ = shutdown.changed() => return,
            }
        }
    }

    /// Reconciles on every wake-up and at least every `every` until shutdown.
    pub async fn reconcile_loop(
        self: Arc<Self>,
        wake: Arc<Notify>,
        every: Duration,
        dispute_window: u64,
        mut shutdown: watch::Receiver<bool>,
    ) {
        loop {
            if let Err(e) = self.clone().reconcile(dispute_window).await {
                tracing::warn!(error = %e, "reconcile failed; will retry");
            }
            tokio::select! {
                _ = wake.notified() => {}
                _ = tokio::time::sleep(every) => {}
                _ = shutdown.changed() => return,
            }
        }
    }

    async fn open_leases(&self) -> Result<Vec<LeaseResponse>, ChainError> {
        let mut out = vec![];
        let mut start_after = None;
        for _ in 0..MAX_LEASE_PAGES {
            let page: LeasesResponse = self
                .client
                .query(
                    &self.contracts.marketplace,
                    &QueryMsg::LeasesByProvider {
                        provider: self.me().to_string(),
                        start_after,
                        limit: Some(LEASE_PAGE),
                    },
                )
                .await?;
            let full = page.leases.len() as u32 == LEASE_PAGE;
            start_after = page.leases.last().map(|l| l.lease_id);
            out.extend(page.leases);
            if !full {
                break;
            }
        }
        Ok(out)
    }

    pub async fn reconcile(self: Arc<Self>, dispute_window: u64) -> Result<(), ChainError> {
        Metrics::inc(&self.metrics.reconciles);
        let leases = self.open_leases().await?;
        let (_, chain_now) = self.client.latest_block().await?;
        let mut open_ids = HashSet::new();
        let mut finalize = vec![];
        for lease in leases {
            open_ids.insert(lease.lease_id);
            let record = self.store.get(lease.lease_id).map_err(store_err)?;
            match lease.state {
                LeaseState::Active => {
                    if record.is_none() {
                        Metrics::inc(&self.metrics.leases_seen);
                        tracing::info!(lease = lease.lease_id, order = lease.order_id, units = lease.units, price = %lease.price, "new lease");
                    }
                    self.clone().spawn_job(lease.lease_id, lease.order_id);
                }
                LeaseState::Submitted => {
                    if let Some(mut r) = record {
                        if matches!(r.stage, Stage::Running | Stage::Executed) {
                            r.stage = Stage::Submitted;
                            self.store.put(&r).map_err(store_err)?;
                        }
                    }
                    // Single-replica results wait out the dispute window; then anyone may
                    // finalize, and the provider has the most reason to.
                    let submitted = lease
                        .result
                        .as_ref()
                        .map(|r| r.submitted_at.seconds())
                        .unwrap_or(u64::MAX);
                    if !lease.disputed && chain_now > submitted.saturating_add(dispute_window) {
                        finalize.push((lease.lease_id, lease.order_id));
                    }
                }
                _ => {}
            }
        }
        for (lease_id, order_id) in finalize {
            // Only single-replica orders have a window; replicated leases wait for their quorum,
            // which settles them in the transaction that completes it.
            let order: OrderResponse = self
                .client
                .query(&self.contracts.marketplace, &QueryMsg::Order { order_id })
                .await?;
            if order.replication > 1 {
                continue;
            }
            match self
                .execute(&ExecuteMsg::Finalize { lease_id }, "finalize")
                .await
            {
                Ok(_) => {
                    Metrics::inc(&self.metrics.leases_finalized);
                    tracing::info!(lease = lease_id, "finalized after the dispute window");
                }
                Err(e) => tracing::debug!(lease = lease_id, error = %e, "not finalized yet"),
            }
        }
        self.settle_closed(&open_ids).await
    }

    /// Local records whose leases the chain no longer lists as open: final now. Withdraws what
    /// escrow holds for them and marks them finished.
    async fn settle_closed(&self, open_ids: &HashSet<u64>) -> Result<(), ChainError> {
        let records = self
            .store
            .unfinished(MAX_SETTLE_PER_RECONCILE)
            .map_err(store_err)?;
        let mut withdraw = vec![];
        let mut finished = vec![];
        for record in records {
            if open_ids.contains(&record.lease_id) || self.is_in_flight(record.lease_id) {
                continue;
            }
            let lease: LeaseResponse = self
                .client
                .query(
                    &self.contracts.marketplace,
                    &QueryMsg::Lease {
                        lease_id: record.lease_id,
                    },
                )
                .await?;
            if matches!(lease.state, LeaseState::Active | LeaseState::Submitted) {
                continue;
            }
            let payment: Result<PaymentResponse, _> = self
                .client
                .query(
                    &self.contracts.escrow,
                    &EscrowQuery::Payment {
                        lease_id: record.lease_id,
                    },
                )
                .await;
            if let Ok(p) = payment {
                if !p.withdrawable.is_zero() {
                    withdraw.push(record.lease_id);
                }
            }
            tracing::info!(lease = record.lease_id, state = ?lease.state, reason = ?lease.close_reason, "lease closed");
            finished.push(record);
        }
        for chunk in withdraw.chunks(WITHDRAW_BATCH) {
            let msg = msgs::execute(
                self.me(),
                &self.contracts.escrow,
                &EscrowExecute::Withdraw {
                    lease_ids: chunk.to_vec(),
                },
                vec![],
            )
            .map_err(|e| ChainError::Build {
                reason: e.to_string(),
            })?;
            let outcome = self.signer.submit(vec![msg], "withdraw").await?;
            Metrics::inc(&self.metrics.withdrawals);
            tracing::info!(leases = ?chunk, hash = %outcome.hash, "withdrew earnings");
        }
        for mut record in finished {
            record.stage = Stage::Finished;
            self.store.put(&record).map_err(store_err)?;
        }
        Ok(())
    }

    fn is_in_flight(&self, lease_id: u64) -> bool {
        self.in_flight
            .lock()
            .map(|s| s.contains(&lease_id))
            .unwrap_or(true)
    }

    /// Starts the lease's pipeline unless it is already running.
    fn spawn_job(self: Arc<Self>, lease_id: u64, order_id: u64) {
        match self.in_flight.lock() {
            Ok(mut set) => {
                if !set.insert(lease_id) {
                    return;
                }
            }
            Err(_) => return,
        }
        tokio::spawn(async move {
            let result = self.clone().drive(lease_id, order_id).await;
            if let Err(e) = result {
                tracing::warn!(lease = lease_id, error = %e, "lease pipeline stopped; the next reconcile resumes it");
            }
            if let Ok(mut set) = self.in_flight.lock() {
                set.remove(&lease_id);
            }
        });
    }

    /// Moves one active lease forward from wherever the store says it stands.
    async fn drive(self: Arc<Self>, lease_id: u64, order_id: u64) -> Result<(), ChainError> {
        let mut record = self
            .store
            .get(lease_id)
            .map_err(store_err)?
            .unwrap_or_else(|| LeaseRecord::new(lease_id, order_id));
        match record.stage {
            Stage::Running => {
                let _permit = self
                    .jobs
                    .clone()
                    .acquire_owned()
                    .await
                    .map_err(|_| ChainError::SignerGone)?;
                record.attempts += 1;
                self.store.put(&record).map_err(store_err)?;
                match self.run_job(&record).await {
                    Ok((sha256, bytes, runtime)) => {
                        record.stage = Stage::Executed;
                        record.sha256 = Some(sha256);
                        record.output_bytes = Some(bytes);
                        record.runtime_ms = Some(runtime.as_millis() as u64);
                        record.error = None;
                        self.store.put(&record).map_err(store_err)?;
                    }
                    Err(reason) => {
                        tracing::error!(lease = lease_id, %reason, "job cannot run here; handing the lease back");
                        record.stage = Stage::Abandoned;
                        record.error = Some(reason);
                        self.store.put(&record).map_err(store_err)?;
                        self.execute(&ExecuteMsg::CloseLease { lease_id }, "hand back")
                            .await?;
                        return Ok(());
                    }
                }
                self.submit(&mut record).await
            }
            Stage::Executed | Stage::Submitted => self.submit(&mut record).await,
            Stage::Abandoned => {
                self.execute(&ExecuteMsg::CloseLease { lease_id }, "hand back")
                    .await?;
                Ok(())
            }
            Stage::Finished => Ok(()),
        }
    }

    /// Fetches, executes and stores; the error is the reason the job cannot run here.
    async fn run_job(&self, record: &LeaseRecord) -> Result<(String, u64, Duration), String> {
        let order: OrderResponse = self
            .client
            .query(
                &self.contracts.marketplace,
                &QueryMsg::Order {
                    order_id: record.order_id,
                },
            )
            .await
            .map_err(|e| format!("reading order {}: {e}", record.order_id))?;
        let input = inputs::fetch(&order.spec.inputs, self.max_input_bytes, &self.http)
            .await
            .map_err(|e| e.to_string())?;
        Metrics::inc(&self.metrics.jobs_started);
        self.metrics
            .jobs_running
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        tracing::info!(lease = record.lease_id, workload = ?workload_name(&order), input_bytes = input.len(), executor = %self.executor.kind(), attempt = record.attempts, "executing");
        let started = Instant::now();
        let executor = self.executor.clone();
        let workload = order.spec.workload.clone();
        let limit = Duration::from_secs(order.spec.max_runtime_seconds.max(1));
        let run = tokio::task::spawn_blocking(move || executor.execute(&workload, &input));
        let outcome = tokio::time::timeout(limit, run).await;
        self.metrics
            .jobs_running
            .fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
        let elapsed = started.elapsed();
        self.metrics.job_millis_total.fetch_add(
            elapsed.as_millis() as u64,
            std::sync::atomic::Ordering::Relaxed,
        );
        let output = match outcome {
            Err(_) => Err(format!("exceeded the job's max runtime of {limit:?}")),
            Ok(Err(join)) => Err(format!("executor crashed: {join}")),
            Ok(Ok(Err(e))) => Err(e.to_string()),
            Ok(Ok(Ok(bytes))) => Ok(bytes),
        };
        let output = match output {
            Ok(bytes) => bytes,
            Err(e) => {
                Metrics::inc(&self.metrics.jobs_failed);
                return Err(e);
            }
        };
        Metrics::inc(&self.metrics.jobs_succeeded);
        self.store
            .save_output(record.lease_id, &output)
            .map_err(|e| e.to_string())?;
        let sha256 = hex::encode(Sha256::digest(&output));
        tracing::info!(lease = record.lease_id, %sha256, bytes = output.len(), ms = elapsed.as_millis() as u64, "executed");
        Ok((sha256, output.len() as u64, elapsed))
    }

    /// Commits the stored result. A chain that already holds it (a resubmission after a crash)
    /// answers with an error and the lease's state shows it: both end in `Submitted`.
    async fn submit(&self, record: &mut LeaseRecord) -> Result<(), ChainError> {
        let Some(sha256) = record.sha256.clone() else {
            record.stage = Stage::Running;
            self.store.put(record).map_err(store_err)?;
            return Ok(());
        };
        let lease_id = record.lease_id;
        let runtime_seconds = record.runtime_ms.unwrap_or(0).div_ceil(1000);
        let msg = ExecuteMsg::SubmitResult {
            lease_id,
            sha256: sha256.clone(),
            output_uri: format!("{}/outputs/{lease_id}", self.public_url),
            runtime_seconds,
            energy_wh: 0,
        };
        match self.execute(&msg, "result").await {
            Ok(outcome) => {
                Metrics::inc(&self.metrics.results_submitted);
                record.stage = Stage::Submitted;
                record.submit_tx = Some(outcome.hash.clone());
                self.store.put(record).map_err(store_err)?;
                tracing::info!(lease = lease_id, %sha256, hash = %outcome.hash, height = outcome.height, "result submitted");
                Ok(())
            }
            Err(e) => {
                let lease: LeaseResponse = self
                    .client
                    .query(&self.contracts.marketplace, &QueryMsg::Lease { lease_id })
                    .await?;
                if lease.result.is_some() || !matches!(lease.state, LeaseState::Active) {
                    record.stage = Stage::Submitted;
                    self.store.put(record).map_err(store_err)?;
                    Ok(())
                } else {
                    Err(e)
                }
            }
        }
    }
}

fn workload_name(order: &OrderResponse) -> &'static str {
    use gridshare_types::marketplace::Workload::*;
    match order.spec.workload {
        Benchmark {} => "benchmark",
        MatMulInt { .. } => "matmul-int",
        MatMulF32 { .. } => "matmul-f32",
        Sha256 {} => "sha256",
        CustomKernel { .. } => "custom-kernel",
    }
}

fn store_err(e: crate::store::StoreError) -> ChainError {
    ChainError::Build {
        reason: format!("local store: {e}"),
    }
}

/// Waits for SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = ctrl_c => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = ctrl_c.await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}

/// Starts the event subscription task.
pub fn spawn_events(
    rpc: String,
    marketplace: String,
    wake: Arc<Notify>,
    shutdown: watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(events::watch_contract(rpc, marketplace, wake, shutdown))
}
