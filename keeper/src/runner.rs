//! `gridshare-keeper run`: the provider daemon. Tasks, each with one job, joined by a shutdown
//! signal:
//! - reconcile: reads this provider's open leases from the marketplace (woken by events, and on
//!   a timer so a missed event costs at most one interval) and drives each lease forward;
//! - jobs: fetch inputs, execute, store the output, commit to its hash on chain, and reveal the
//!   hash once the order's reveals open;
//! - heartbeat: one per interval for all leases;
//! - events: the websocket subscription that wakes reconcile;
//! - http: outputs (once revealed), metrics, health.
//!
//! The store records each step before the chain is told, so after a crash a lease is either run
//! again (no output yet), or its stored result is committed with the salt already stored (output
//! exists, not on chain), or revealed with that salt (committed), or left alone: nothing is lost,
//! no second salt is ever drawn, and nothing is committed twice.
//!
//! Every deadline is the contract's: the keeper reads `reveals_open_at` and `finalizable_at` from
//! the lease and compares them with the chain's latest block time, never with its own rules.

use crate::chain::{events, Any, ChainClient, ChainError, SignerHandle};
use crate::deploy::Contracts;
use crate::executor::ExecutorKind;
use crate::inputs;
use crate::metrics::Metrics;
use crate::msgs;
use crate::sandbox::{JobError, Sandbox};
use crate::slots::Slots;
use crate::store::{LeaseRecord, Stage, Store};
use gridshare_types::escrow::{
    ExecuteMsg as EscrowExecute, PaymentResponse, QueryMsg as EscrowQuery,
};
use gridshare_types::marketplace::{
    ConfigResponse, ExecuteMsg, LeaseResponse, LeaseState, LeasesResponse, OrderResponse, QueryMsg,
    RenterFault,
};
use gridshare_types::verification::result_commitment;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
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
/// Executions a lease gets (each recorded before it starts, so a crash counts) before it is
/// handed back.
pub const MAX_JOB_ATTEMPTS: u32 = 3;
/// Gas the fee balance should still pay for (tens of heartbeats and results) before the keeper
/// warns.
const LOW_GAS_UNITS: u64 = 20_000_000;
/// Output files looked at per reconcile for deletion.
const PRUNE_PER_RECONCILE: usize = 256;
/// Time kept free after a job for its commitment to land before the commit deadline.
const COMMIT_MARGIN_SECONDS: u64 = 30;

/// A job that ran: its output's hash and size, how long it took, the energy it used.
struct Executed {
    sha256: String,
    bytes: u64,
    runtime: Duration,
    energy_mwh: Option<u64>,
}

pub struct Keeper {
    pub client: ChainClient,
    pub signer: SignerHandle,
    pub contracts: Contracts,
    pub store: Arc<Store>,
    pub metrics: Arc<Metrics>,
    pub sandbox: Sandbox,
    pub http: reqwest::Client,
    pub public_url: String,
    pub max_input_bytes: u64,
    /// Fetch inputs from loopback and private addresses too (tests, a provider's own mirror).
    pub allow_private_inputs: bool,
    /// Seconds an output is kept after its lease is final.
    pub output_retention_secs: u64,
    /// Longest an input fetch may take, whatever the lease's deadline leaves.
    pub max_fetch: Duration,
    pub jobs: Arc<Semaphore>,
    /// The offered units (GPUs, or CPU job slots) jobs run on.
    pub slots: Arc<Slots>,
    /// Measures each job's energy for its commitment (NVML, RAPL, or nothing).
    pub energy: crate::energy::EnergyMeter,
    /// The provider's X25519 key: opens renters' envelopes of private jobs.
    pub privacy_key: Arc<crate::privacy::SecretKey>,
    /// Leases with a running pipeline, each with the switch that stops its job process.
    in_flight: Mutex<HashMap<u64, watch::Sender<bool>>>,
}

impl Keeper {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        client: ChainClient,
        signer: SignerHandle,
        contracts: Contracts,
        store: Arc<Store>,
        metrics: Arc<Metrics>,
        sandbox: Sandbox,
        public_url: String,
        max_input_bytes: u64,
        allow_private_inputs: bool,
        output_retention_secs: u64,
        max_fetch: Duration,
        max_jobs: usize,
        slots: Arc<Slots>,
        privacy_key: Arc<crate::privacy::SecretKey>,
    ) -> Arc<Self> {
        let energy = crate::energy::EnergyMeter::open(sandbox.executor);
        tracing::info!(meter = energy.describe(), "job energy");
        Arc::new(Keeper {
            client,
            signer,
            contracts,
            store,
            metrics,
            sandbox,
            http: inputs::client(),
            public_url,
            max_input_bytes,
            allow_private_inputs,
            output_retention_secs,
            max_fetch,
            jobs: Arc::new(Semaphore::new(max_jobs)),
            energy,
            privacy_key,
            slots,
            in_flight: Mutex::new(HashMap::new()),
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
        let any = self.marketplace_msg(msg)?;
        let started = Instant::now();
        let result = self.signer.submit(vec![any], memo).await;
        self.metrics.signed(started.elapsed());
        if result.is_err() {
            Metrics::inc(&self.metrics.tx_failures);
        }
        result
    }

    /// A store failure, counted: the caller stops this lease's step and the next reconcile
    /// tries again (and `/health` reports an unwritable store).
    fn store_err(&self, e: crate::store::StoreError) -> ChainError {
        Metrics::inc(&self.metrics.store_errors);
        tracing::error!(error = %e, "local store failed");
        ChainError::Build {
            reason: format!("local store: {e}"),
        }
    }

    fn marketplace_msg(&self, msg: &ExecuteMsg) -> Result<Any, ChainError> {
        msgs::execute(self.me(), &self.contracts.marketplace, msg, vec![]).map_err(|e| {
            ChainError::Build {
                reason: e.to_string(),
            }
        })
    }

    /// A heartbeat, on the signer's heartbeat lane.
    async fn send_heartbeat(&self) -> Result<crate::chain::TxOutcome, ChainError> {
        let any = self.marketplace_msg(&ExecuteMsg::Heartbeat { telemetry: None })?;
        let started = Instant::now();
        let result = self.signer.heartbeat(vec![any], "heartbeat").await;
        self.metrics.signed(started.elapsed());
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
            match self.send_heartbeat().await {
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
            self.check_gas_balance().await;
            tokio::select! {
                _ = tokio::time::sleep(interval) => {}
                _ = shutdown.changed() => return,
            }
        }
    }

    /// Records the fee balance and warns while it would pay for less than [`LOW_GAS_UNITS`] of
    /// gas: a keeper that cannot pay for heartbeats and commitments is reaped and slashed.
    async fn check_gas_balance(&self) {
        let price = &self.client.config.gas_price;
        match self.client.balance(self.me(), &price.denom).await {
            Ok(balance) => {
                self.metrics.gas_balance.store(
                    u64::try_from(balance).unwrap_or(u64::MAX),
                    std::sync::atomic::Ordering::Relaxed,
                );
                let low = price.fee_for(LOW_GAS_UNITS);
                if balance < low {
                    tracing::warn!(balance, denom = %price.denom, low, "fee balance is low: top it up or the keeper stops paying for heartbeats and results");
                }
            }
            Err(e) => tracing::debug!(error = %e, "reading the fee balance failed"),
        }
    }

    /// Reconciles on every wake-up and at least every `every` until shutdown.
    pub async fn reconcile_loop(
        self: Arc<Self>,
        wake: Arc<Notify>,
        every: Duration,
        mut shutdown: watch::Receiver<bool>,
    ) {
        loop {
            if let Err(e) = self.clone().reconcile().await {
                tracing::warn!(error = %e, "reconcile failed; will retry");
            }
            tokio::select! {
                _ = wake.notified() => {}
                _ = tokio::time::sleep(every) => {}
                _ = shutdown.changed() => return,
            }
        }
    }

    /// This provider's open leases; `false` when there were more than one reconcile reads.
    async fn open_leases(&self) -> Result<(Vec<LeaseResponse>, bool), ChainError> {
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
                return Ok((out, true));
            }
        }
        Ok((out, false))
    }

    pub async fn reconcile(self: Arc<Self>) -> Result<(), ChainError> {
        Metrics::inc(&self.metrics.reconciles);
        let (leases, leases_complete) = self.open_leases().await?;
        // The contract's times are block times: compare them with the chain's clock, not ours.
        let (height, chain_now) = self.client.latest_block().await?;
        self.metrics.chain_seen(height, chain_now);
        let mut open_ids = HashSet::new();
        let mut finalize = vec![];
        for lease in leases {
            open_ids.insert(lease.lease_id);
            if finalize_due(&lease, chain_now) {
                finalize.push(lease.lease_id);
            }
            let record = self
                .store
                .get(lease.lease_id)
                .map_err(|e| self.store_err(e))?;
            match lease.state {
                LeaseState::Active => {
                    // Counted once: a lease queued for a job slot has no record yet.
                    if record.is_none() && !self.is_in_flight(lease.lease_id) {
                        Metrics::inc(&self.metrics.leases_seen);
                        // A referee lease is an ordinary lease of its order: it runs the same way.
                        tracing::info!(lease = lease.lease_id, order = lease.order_id, units = lease.units, price = %lease.price, referee = lease.referee, "new lease");
                    }
                    self.clone().spawn_job(lease.lease_id, lease.order_id);
                }
                LeaseState::Committed => {
                    let Some(mut r) = record else {
                        tracing::warn!(lease = lease.lease_id, "committed lease unknown to the local store: its salt is lost and it cannot be revealed");
                        continue;
                    };
                    // A running pipeline owns its record; it reads the chain itself.
                    if self.is_in_flight(lease.lease_id) {
                        continue;
                    }
                    if matches!(r.stage, Stage::Running | Stage::Executed) {
                        // The commit landed but the keeper stopped before recording it.
                        r.stage = Stage::Committed;
                        self.store.put(&r).map_err(|e| self.store_err(e))?;
                    }
                    if reveals_due(&lease, chain_now) && r.stage == Stage::Committed {
                        self.clone().spawn_job(lease.lease_id, lease.order_id);
                    }
                }
                LeaseState::Revealed => {
                    if let Some(mut r) = record {
                        if !self.is_in_flight(lease.lease_id) && mark_revealed(&mut r) {
                            self.store.put(&r).map_err(|e| self.store_err(e))?;
                        }
                    }
                }
                _ => {}
            }
        }
        // Whatever deadline passed (a commit or reveal deadline, the dispute window, a verdict
        // waiting on them), `Finalize` applies it; anyone may send it, and the provider has the
        // most reason to. Someone else may have been first: that error changes nothing.
        for lease_id in finalize {
            match self
                .execute(&ExecuteMsg::Finalize { lease_id }, "finalize")
                .await
            {
                Ok(outcome) => {
                    Metrics::inc(&self.metrics.leases_finalized);
                    tracing::info!(lease = lease_id, hash = %outcome.hash, "finalized: a deadline had passed");
                }
                Err(e) => {
                    tracing::debug!(lease = lease_id, error = %e, "not finalized (already done, or not due yet)")
                }
            }
        }
        if leases_complete {
            self.stop_closed(&open_ids);
        }
        self.settle_closed(&open_ids).await?;
        match self
            .store
            .prune_outputs(unix_now(), self.output_retention_secs, PRUNE_PER_RECONCILE)
        {
            Ok(0) => {}
            Ok(n) => tracing::info!(outputs = n, "deleted outputs past their retention"),
            Err(e) => tracing::warn!(error = %e, "pruning outputs failed"),
        }
        Ok(())
    }

    /// Local records whose leases the chain no longer lists as open: final now. Withdraws what
    /// escrow holds for them and marks them finished.
    async fn settle_closed(&self, open_ids: &HashSet<u64>) -> Result<(), ChainError> {
        let records = self
            .store
            .unfinished(MAX_SETTLE_PER_RECONCILE)
            .map_err(|e| self.store_err(e))?;
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
            if matches!(
                lease.state,
                LeaseState::Active | LeaseState::Committed | LeaseState::Revealed
            ) {
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
            let revealed = lease.result.as_ref().is_some_and(|r| r.sha256.is_some());
            finished.push((record, revealed));
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
        for (mut record, revealed) in finished {
            // A reveal the keeper did not record (it stopped right after) still counts: the
            // hash is on chain, so the output may be served.
            record.revealed |= revealed;
            record.stage = Stage::Finished;
            record.finished_at = Some(unix_now());
            self.store.put(&record).map_err(|e| self.store_err(e))?;
        }
        Ok(())
    }

    fn is_in_flight(&self, lease_id: u64) -> bool {
        self.in_flight
            .lock()
            .map(|s| s.contains_key(&lease_id))
            .unwrap_or(true)
    }

    /// Starts the lease's pipeline unless it is already running.
    fn spawn_job(self: Arc<Self>, lease_id: u64, order_id: u64) {
        let (stop, stopped) = watch::channel(false);
        match self.in_flight.lock() {
            Ok(mut running) => {
                if running.contains_key(&lease_id) {
                    return;
                }
                running.insert(lease_id, stop);
            }
            Err(_) => return,
        }
        tokio::spawn(async move {
            let result = self.clone().drive(lease_id, order_id, stopped).await;
            if let Err(e) = result {
                tracing::warn!(lease = lease_id, error = %e, "lease pipeline stopped; the next reconcile resumes it");
            }
            if let Ok(mut running) = self.in_flight.lock() {
                running.remove(&lease_id);
            }
        });
    }

    /// Stops the job processes of leases the chain no longer lists as open (cancelled, expired,
    /// closed by someone else): their work would never be paid.
    fn stop_closed(&self, open_ids: &HashSet<u64>) {
        if let Ok(running) = self.in_flight.lock() {
            for (lease_id, stop) in running.iter() {
                if !open_ids.contains(lease_id) {
                    let _ = stop.send(true);
                }
            }
        }
    }

    /// Moves one lease forward from wherever the store says it stands: run, commit, reveal.
    async fn drive(
        self: Arc<Self>,
        lease_id: u64,
        order_id: u64,
        stopped: watch::Receiver<bool>,
    ) -> Result<(), ChainError> {
        let mut record = self
            .store
            .get(lease_id)
            .map_err(|e| self.store_err(e))?
            .unwrap_or_else(|| LeaseRecord::new(lease_id, order_id));
        match record.stage {
            Stage::Running => {
                if record.attempts >= MAX_JOB_ATTEMPTS {
                    let reason = format!(
                        "gave up after {} attempts (last: {})",
                        record.attempts,
                        record
                            .error
                            .as_deref()
                            .unwrap_or("the keeper stopped during the job")
                    );
                    // This machine could not run it: an honest withdrawal, not the renter's fault.
                    return self.hand_back(&mut record, reason, None).await;
                }
                self.metrics
                    .jobs_queued
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let permit = self.jobs.clone().acquire_owned().await;
                self.metrics
                    .jobs_queued
                    .fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
                let _permit = permit.map_err(|_| ChainError::SignerGone)?;
                record.attempts += 1;
                self.store.put(&record).map_err(|e| self.store_err(e))?;
                let outcome = self.run_job(&record, stopped).await;
                // The GPU slot is free once the job ran; committing and revealing need none.
                drop(_permit);
                match outcome {
                    Ok(done) => {
                        record.stage = Stage::Executed;
                        record.sha256 = Some(done.sha256);
                        record.output_bytes = Some(done.bytes);
                        record.runtime_ms = Some(done.runtime.as_millis() as u64);
                        record.energy_mwh = done.energy_mwh;
                        record.error = None;
                        self.store.put(&record).map_err(|e| self.store_err(e))?;
                    }
                    Err(JobFailure::HandBack { reason, fault }) => {
                        Metrics::inc(&self.metrics.jobs_handed_back);
                        return self.hand_back(&mut record, reason, fault).await;
                    }
                    Err(JobFailure::Retry(reason)) => {
                        Metrics::inc(&self.metrics.jobs_retried);
                        // Not the job's fault and maybe not lasting: the attempt is spent, the
                        // lease stays, and the next reconcile tries again.
                        tracing::warn!(lease = lease_id, attempt = record.attempts, %reason, "job failed on this side; will retry");
                        record.error = Some(reason);
                        self.store.put(&record).map_err(|e| self.store_err(e))?;
                        return Ok(());
                    }
                    Err(JobFailure::Stopped) => {
                        tracing::info!(
                            lease = lease_id,
                            "lease closed while its job ran; job stopped"
                        );
                        return Ok(());
                    }
                }
                if self.commit(&mut record).await? {
                    self.reveal_when_open(&mut record).await?;
                }
                Ok(())
            }
            Stage::Executed => {
                if self.commit(&mut record).await? {
                    self.reveal_when_open(&mut record).await?;
                }
                Ok(())
            }
            Stage::Committed => self.reveal_when_open(&mut record).await,
            Stage::Revealed => Ok(()),
            Stage::Abandoned => self.send_hand_back(&record).await,
            Stage::Finished => Ok(()),
        }
    }

    /// Records why the lease cannot be served here and closes it: unpaid, but no commitment
    /// is missed. `fault`: the renter's job is the cause, which costs this provider no
    /// reputation; otherwise it is an ordinary withdrawal.
    async fn hand_back(
        &self,
        record: &mut LeaseRecord,
        reason: String,
        fault: Option<RenterFault>,
    ) -> Result<(), ChainError> {
        tracing::error!(lease = record.lease_id, %reason, ?fault, "job cannot run here; handing the lease back");
        record.stage = Stage::Abandoned;
        record.error = Some(reason);
        record.renter_fault = fault;
        self.store.put(record).map_err(|e| self.store_err(e))?;
        self.send_hand_back(record).await
    }

    /// Sends a recorded hand-back. The contract refuses a renter fault once another replica
    /// committed (the job evidently ran there); the lease is then closed as a plain withdrawal.
    async fn send_hand_back(&self, record: &LeaseRecord) -> Result<(), ChainError> {
        let close = |renter_fault| ExecuteMsg::CloseLease {
            lease_id: record.lease_id,
            renter_fault,
        };
        match self.execute(&close(record.renter_fault), "hand back").await {
            Err(ChainError::Simulation { ref log })
                if record.renter_fault.is_some() && log.contains("only its provider may blame") =>
            {
                self.execute(&close(None), "hand back").await?;
            }
            other => {
                other?;
            }
        }
        Ok(())
    }

    /// Fetches, executes in the sandbox and stores. A job that cannot finish before the lease's
    /// commit deadline is not started.
    async fn run_job(
        &self,
        record: &LeaseRecord,
        stopped: watch::Receiver<bool>,
    ) -> Result<Executed, JobFailure> {
        let order: OrderResponse = self
            .client
            .query(
                &self.contracts.marketplace,
                &QueryMsg::Order {
                    order_id: record.order_id,
                },
            )
            .await
            .map_err(|e| JobFailure::Retry(format!("reading order {}: {e}", record.order_id)))?;
        let lease = self
            .lease(record.lease_id)
            .await
            .map_err(|e| JobFailure::Retry(format!("reading the lease: {e}")))?;
        let (_, chain_now) = self
            .client
            .latest_block()
            .await
            .map_err(|e| JobFailure::Retry(format!("reading the chain's time: {e}")))?;
        let deadline = lease.commit_deadline;
        let left = job_time_left(deadline, chain_now).ok_or_else(|| {
            // Its time went in this keeper's queue: not the renter's fault.
            JobFailure::HandBack {
                reason: "too little time is left before the commit deadline".into(),
                fault: None,
            }
        })?;
        let fetch_started = Instant::now();
        let fetched = tokio::time::timeout(
            left.min(self.max_fetch),
            inputs::fetch(
                &order.spec.inputs,
                self.max_input_bytes,
                &self.http,
                self.allow_private_inputs,
            ),
        )
        .await;
        let input = match fetched {
            Err(_) => {
                return Err(JobFailure::HandBack {
                    reason: format!(
                        "the input did not arrive within {:?}",
                        left.min(self.max_fetch)
                    ),
                    fault: Some(RenterFault::InputUnavailable),
                })
            }
            Ok(Err(e)) => {
                return Err(match e.renter_fault() {
                    Some(fault) => JobFailure::HandBack {
                        reason: e.to_string(),
                        fault: Some(fault),
                    },
                    None => JobFailure::Retry(e.to_string()),
                })
            }
            Ok(Ok(input)) => input,
        };
        self.metrics
            .input_bytes_total
            .fetch_add(input.len() as u64, std::sync::atomic::Ordering::Relaxed);
        self.metrics.input_millis_total.fetch_add(
            fetch_started.elapsed().as_millis() as u64,
            std::sync::atomic::Ordering::Relaxed,
        );
        // A private job waits (within half its time) for the renter's key to its input.
        let privacy = match &order.spec.output_key {
            None => None,
            Some(output_key) => Some(crate::sandbox::JobPrivacy {
                order_secret: hex::encode(
                    self.order_secret(record.lease_id, left / 2, &stopped)
                        .await?,
                ),
                output_key: output_key.clone(),
                lease_id: record.lease_id,
            }),
        };
        // The lease's units are taken only to run (a fetch holds none), all of them at once;
        // waiting for them counts against the lease's time like the fetch.
        let mut stop = stopped.clone();
        let grant = tokio::select! {
            grant = self.slots.acquire(lease.units) => grant.map_err(|e| JobFailure::HandBack {
                // This keeper offered units it cannot run together: its own fault.
                reason: e.to_string(),
                fault: None,
            })?,
            () = crate::sandbox::cancelled(&mut stop) => return Err(JobFailure::Stopped),
        };
        let devices =
            (self.sandbox.executor == ExecutorKind::Cuda).then(|| grant.cuda_visible_devices());
        // The job may run for its own limit, but never past the commit deadline: work that
        // cannot be committed in time is never paid.
        let runtime = left
            .saturating_sub(fetch_started.elapsed())
            .saturating_sub(crate::sandbox::STARTUP_GRACE)
            .min(Duration::from_secs(order.spec.max_runtime_seconds.max(1)));
        if runtime.is_zero() {
            return Err(JobFailure::HandBack {
                reason: "no time is left to run the job before the commit deadline".into(),
                fault: None,
            });
        }
        Metrics::inc(&self.metrics.jobs_started);
        self.metrics
            .jobs_running
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        tracing::info!(lease = record.lease_id, workload = ?workload_name(&order), input_bytes = input.len(), executor = ?self.sandbox.executor, units = lease.units, devices = ?devices, attempt = record.attempts, "executing");
        let started = Instant::now();
        let metering = self.energy.start(devices.as_deref());
        let outcome = self
            .sandbox
            .run_on(
                &record.lease_id.to_string(),
                &order.spec.workload,
                &input,
                runtime,
                stopped,
                devices.clone(),
                privacy,
            )
            .await;
        let energy_mwh = metering.and_then(|m| self.energy.finish(m, devices.as_deref()));
        drop(grant);
        self.metrics
            .jobs_running
            .fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
        let elapsed = started.elapsed();
        self.metrics.job_millis_total.fetch_add(
            elapsed.as_millis() as u64,
            std::sync::atomic::Ordering::Relaxed,
        );
        let output = match outcome {
            Ok(output) => output,
            Err(e) => {
                Metrics::inc(&self.metrics.jobs_failed);
                return Err(match e {
                    JobError::Cancelled => JobFailure::Stopped,
                    e => match e.renter_fault() {
                        Some(fault) => JobFailure::HandBack {
                            reason: e.to_string(),
                            fault: Some(fault),
                        },
                        None => JobFailure::Retry(e.to_string()),
                    },
                });
            }
        };
        // Streamed from disk (a large output never sits in the keeper's memory), on a blocking
        // thread.
        let store = self.store.clone();
        let lease_id = record.lease_id;
        let private = order.spec.output_key.is_some();
        let (hashed, stored) = tokio::task::spawn_blocking(move || {
            let hashed = sha256_file(&output.path);
            (
                hashed.map(|(sha, bytes)| (output.plaintext_sha256, sha, bytes)),
                store.adopt_output(lease_id, &output.path),
            )
        })
        .await
        .map_err(|e| JobFailure::Retry(format!("storing the output: {e}")))?;
        let (plaintext_sha256, file_sha256, bytes) =
            hashed.map_err(|e| JobFailure::Retry(format!("reading the output: {e}")))?;
        // A private job commits to its plaintext (what every replica agrees on); the file kept
        // and served is the output sealed to the renter.
        let sha256 = match (private, plaintext_sha256) {
            (false, _) => file_sha256,
            (true, Some(sha)) => sha.to_ascii_lowercase(),
            (true, None) => {
                return Err(JobFailure::Retry(
                    "the job process sealed no plaintext hash".into(),
                ))
            }
        };
        stored.map_err(|e| JobFailure::Retry(format!("saving the output: {e}")))?;
        Metrics::inc(&self.metrics.jobs_succeeded);
        tracing::info!(lease = record.lease_id, %sha256, bytes, ms = elapsed.as_millis() as u64, energy_mwh = ?energy_mwh, "executed");
        Ok(Executed {
            sha256,
            bytes,
            runtime: elapsed,
            energy_mwh,
        })
    }

    /// A private job's order secret, opened from the envelope its renter delivered (checked
    /// against the order's input when it arrived, `crate::http`); waits up to `wait` for it.
    async fn order_secret(
        &self,
        lease_id: u64,
        wait: Duration,
        stopped: &watch::Receiver<bool>,
    ) -> Result<Vec<u8>, JobFailure> {
        let until = Instant::now() + wait;
        loop {
            if let Some(envelope) = self
                .store
                .envelope(lease_id)
                .map_err(|e| JobFailure::Retry(e.to_string()))?
            {
                return self
                    .privacy_key
                    .open(
                        &crate::privacy::key_info(lease_id),
                        &envelope,
                        "the renter's envelope",
                    )
                    .map_err(|e| JobFailure::Retry(e.to_string()));
            }
            if *stopped.borrow() {
                return Err(JobFailure::Stopped);
            }
            if Instant::now() >= until {
                return Err(JobFailure::HandBack {
                    reason: "the renter never delivered the key to its private input".into(),
                    fault: Some(RenterFault::InputUnavailable),
                });
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }

    /// Commits to the stored result; `true` once the chain holds the commitment. The salt is
    /// drawn and stored durably before the message exists, and a retry (after an error or a
    /// restart) sends the same commitment again: a chain that already holds it answers with an
    /// error, and the lease's state then shows the commitment landed.
    async fn commit(&self, record: &mut LeaseRecord) -> Result<bool, ChainError> {
        if record.sha256.is_none() {
            // Nothing to commit to: run it again.
            record.stage = Stage::Running;
            self.store.put(record).map_err(|e| self.store_err(e))?;
            return Ok(false);
        }
        self.store
            .prepare_commitment(record, self.me(), || {
                crate::salt::fresh().map_err(|e| e.to_string())
            })
            .map_err(|e| self.store_err(e))?;
        let lease_id = record.lease_id;
        let Some(msg) = commit_message(record, self.me(), &self.public_url) else {
            return Err(self.store_err(crate::store::StoreError::Commitment {
                lease_id,
                reason: "the stored salt does not open the stored commitment".into(),
            }));
        };
        match self.execute(&msg, "commit result").await {
            Ok(outcome) => {
                Metrics::inc(&self.metrics.results_submitted);
                record.stage = Stage::Committed;
                record.commit_tx = Some(outcome.hash.clone());
                self.store.put(record).map_err(|e| self.store_err(e))?;
                tracing::info!(lease = lease_id, commitment = record.commitment.as_deref().unwrap_or_default(), hash = %outcome.hash, height = outcome.height, "result committed");
                Ok(true)
            }
            Err(e) => {
                let lease = self.lease(lease_id).await?;
                if lease.result.is_some() {
                    record.stage = Stage::Committed;
                    self.store.put(record).map_err(|e| self.store_err(e))?;
                    Ok(true)
                } else if lease.state != LeaseState::Active {
                    // Closed without a commitment (expired, cancelled, reaped): settle_closed
                    // finishes the record.
                    tracing::warn!(lease = lease_id, state = ?lease.state, error = %e, "the lease closed before its result was committed");
                    Ok(false)
                } else {
                    Err(e)
                }
            }
        }
    }

    /// Reveals the committed result once the contract says the order's reveals are open (never
    /// before: the hash would reach replicas that have not committed yet).
    async fn reveal_when_open(&self, record: &mut LeaseRecord) -> Result<(), ChainError> {
        let lease_id = record.lease_id;
        let lease = self.lease(lease_id).await?;
        if lease.result.is_none() {
            if lease.state == LeaseState::Active {
                // The chain does not hold the commitment after all: send the same one again.
                tracing::warn!(
                    lease = lease_id,
                    "commitment not on chain; committing it again"
                );
                record.stage = Stage::Executed;
                self.store.put(record).map_err(|e| self.store_err(e))?;
                self.commit(record).await?;
            }
            return Ok(());
        }
        if revealed_on_chain(&lease) {
            if mark_revealed(record) {
                self.store.put(record).map_err(|e| self.store_err(e))?;
            }
            return Ok(());
        }
        let (_, chain_now) = self.client.latest_block().await?;
        if !reveals_due(&lease, chain_now) {
            tracing::debug!(lease = lease_id, state = ?lease.state, reveals_open_at = ?lease.reveals_open_at, "committed; no reveal due");
            return Ok(());
        }
        let Some(msg) = reveal_message(record) else {
            tracing::error!(
                lease = lease_id,
                "committed, but the local record has no salt or hash to reveal with"
            );
            return Ok(());
        };
        match self.execute(&msg, "reveal result").await {
            Ok(outcome) => {
                Metrics::inc(&self.metrics.results_revealed);
                record.stage = Stage::Revealed;
                record.revealed = true;
                record.reveal_tx = Some(outcome.hash.clone());
                self.store.put(record).map_err(|e| self.store_err(e))?;
                tracing::info!(lease = lease_id, sha256 = record.sha256.as_deref().unwrap_or_default(), hash = %outcome.hash, height = outcome.height, "result revealed");
                Ok(())
            }
            Err(e) => {
                // Revealed by an earlier try whose answer was lost?
                let lease = self.lease(lease_id).await?;
                if revealed_on_chain(&lease) {
                    if mark_revealed(record) {
                        self.store.put(record).map_err(|e| self.store_err(e))?;
                    }
                    Ok(())
                } else {
                    Err(e)
                }
            }
        }
    }

    async fn lease(&self, lease_id: u64) -> Result<LeaseResponse, ChainError> {
        self.client
            .query(&self.contracts.marketplace, &QueryMsg::Lease { lease_id })
            .await
    }
}

/// `CommitResult` for a record whose salt and commitment are stored, `None` otherwise (so that a
/// commitment can only be sent once what opens it is on disk). The commitment is checked
/// against the stored hash and salt: a record that could not be revealed is never committed.
/// Why a job attempt produced no result.
#[derive(Debug)]
enum JobFailure {
    /// The job cannot be served here: the lease goes back, as the renter's fault when its input
    /// or workload is the cause (`fault`), as a withdrawal when this keeper's time ran out.
    HandBack {
        reason: String,
        fault: Option<RenterFault>,
    },
    /// This machine failed (RPC, disk, GPU): the attempt counts, the lease stays.
    Retry(String),
    /// The lease closed while the job ran.
    Stopped,
}

/// How long a job started at `chain_now` has (its input fetch included) for its commitment to
/// land by `commit_deadline`; `None` when no time is left.
pub fn job_time_left(commit_deadline: u64, chain_now: u64) -> Option<Duration> {
    let left = commit_deadline
        .checked_sub(chain_now)?
        .checked_sub(COMMIT_MARGIN_SECONDS)?;
    (left > 0).then(|| Duration::from_secs(left))
}

/// This machine's clock, unix seconds (local bookkeeping only; the contract's times are the
/// chain's).
fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

pub fn commit_message(
    record: &LeaseRecord,
    provider: &str,
    public_url: &str,
) -> Option<ExecuteMsg> {
    let sha256 = record.sha256.as_deref()?;
    let salt = record.salt.as_deref()?;
    let commitment = record.commitment.clone()?;
    if result_commitment(sha256, record.lease_id, provider, salt).as_ref() != Some(&commitment) {
        return None;
    }
    let lease_id = record.lease_id;
    Some(ExecuteMsg::CommitResult {
        lease_id,
        commitment,
        output_uri: format!("{public_url}/outputs/{lease_id}"),
        runtime_seconds: record.runtime_ms.unwrap_or(0).div_ceil(1000),
        energy_mwh: record.energy_mwh,
    })
}

/// `RevealResult` from the stored hash and salt.
pub fn reveal_message(record: &LeaseRecord) -> Option<ExecuteMsg> {
    Some(ExecuteMsg::RevealResult {
        lease_id: record.lease_id,
        sha256: record.sha256.clone()?,
        salt: record.salt.clone()?,
    })
}

/// The lease is committed and the contract opened its order's reveals at or before `chain_now`
/// (contract times are whole seconds of block time, so the next block is past them too).
pub fn reveals_due(lease: &LeaseResponse, chain_now: u64) -> bool {
    lease.state == LeaseState::Committed && lease.reveals_open_at.is_some_and(|t| t <= chain_now)
}

/// The contract says `Finalize` moves the lease on at `chain_now`.
pub fn finalize_due(lease: &LeaseResponse, chain_now: u64) -> bool {
    lease.finalizable_at.is_some_and(|t| t <= chain_now)
}

/// Records that the chain holds the record's revealed hash; `true` when the record changed.
fn mark_revealed(record: &mut LeaseRecord) -> bool {
    let before = (record.stage, record.revealed);
    record.revealed = true;
    if matches!(
        record.stage,
        Stage::Running | Stage::Executed | Stage::Committed
    ) {
        record.stage = Stage::Revealed;
    }
    before != (record.stage, record.revealed)
}

/// The chain holds the lease's revealed hash.
fn revealed_on_chain(lease: &LeaseResponse) -> bool {
    lease.result.as_ref().is_some_and(|r| r.sha256.is_some())
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

/// The file's sha256 (hex) and length, read in 1 MiB pieces.
fn sha256_file(path: &std::path::Path) -> std::io::Result<(String, u64)> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut len = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok((hex::encode(hasher.finalize()), len));
        }
        hasher.update(&buf[..n]);
        len += n as u64;
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

#[cfg(test)]
mod tests {
    use super::*;
    use cosmwasm_std::{Addr, Uint128};
    use gridshare_types::marketplace::LeaseResult;

    const OUT: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    const SALT: &str = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    const ME: &str = "wasm1provider";

    fn lease(state: LeaseState) -> LeaseResponse {
        LeaseResponse {
            lease_id: 17,
            order_id: 1,
            offer_id: 1,
            provider: Addr::unchecked(ME),
            units: 1,
            price: Uint128::new(1),
            start: 100,
            state,
            result: None,
            disputed: false,
            referee: false,
            commit_deadline: 700,
            reveals_open_at: None,
            reveal_deadline: None,
            finalizable_at: None,
            dispute_deadline: None,
            close_reason: None,
            closed_at: None,
            paid_until: None,
        }
    }

    fn executed() -> LeaseRecord {
        LeaseRecord {
            stage: Stage::Executed,
            sha256: Some(OUT.into()),
            runtime_ms: Some(1_500),
            energy_mwh: Some(42),
            ..LeaseRecord::new(17, 1)
        }
    }

    #[test]
    fn no_commit_message_before_the_salt_is_stored() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let mut record = executed();
        assert!(commit_message(&record, ME, "http://k").is_none());

        store
            .prepare_commitment(&mut record, ME, || Ok(SALT.into()))
            .unwrap();
        // What the message is built from is what the store holds.
        let stored = store.get(17).unwrap().unwrap();
        assert_eq!(stored.salt.as_deref(), Some(SALT));
        let msg = commit_message(&stored, ME, "http://k").unwrap();
        let ExecuteMsg::CommitResult {
            lease_id,
            commitment,
            output_uri,
            runtime_seconds,
            energy_mwh,
        } = msg
        else {
            panic!("not a commit: {msg:?}");
        };
        // The stored measurement, kept through a restart; unmeasured would be `None`.
        assert_eq!(energy_mwh, Some(42));
        assert_eq!(lease_id, 17);
        assert_eq!(Some(commitment), result_commitment(OUT, 17, ME, SALT));
        assert_eq!(output_uri, "http://k/outputs/17");
        assert_eq!(runtime_seconds, 2);

        // A commitment the stored salt does not open is never sent.
        let mut tampered = stored.clone();
        tampered.salt = Some("ff".repeat(32));
        assert!(commit_message(&tampered, ME, "http://k").is_none());
        assert!(commit_message(&stored, "wasm1other", "http://k").is_none());
    }

    #[test]
    fn a_restarted_keeper_commits_the_same_commitment_and_reveals_with_its_salt() {
        let dir = tempfile::tempdir().unwrap();
        let first = {
            let store = Store::open(dir.path()).unwrap();
            let mut record = executed();
            store
                .prepare_commitment(&mut record, ME, || Ok(SALT.into()))
                .unwrap();
            commit_message(&record, ME, "http://k").unwrap()
        };
        // The keeper died before the commit's answer; the chain still shows the lease active.
        let store = Store::open(dir.path()).unwrap();
        let mut record = store.get(17).unwrap().unwrap();
        assert_eq!(record.stage, Stage::Executed);
        store
            .prepare_commitment(&mut record, ME, || {
                crate::salt::fresh().map_err(|e| e.to_string())
            })
            .unwrap();
        assert_eq!(commit_message(&record, ME, "http://k"), Some(first));
        assert_eq!(
            reveal_message(&record),
            Some(ExecuteMsg::RevealResult {
                lease_id: 17,
                sha256: OUT.into(),
                salt: SALT.into(),
            })
        );
        assert!(reveal_message(&LeaseRecord::new(18, 1)).is_none());
    }

    #[test]
    fn reveals_wait_for_the_contract_to_open_them() {
        let mut l = lease(LeaseState::Committed);
        assert!(!reveals_due(&l, 1_000), "reveals not opened yet");
        l.reveals_open_at = Some(500);
        assert!(!reveals_due(&l, 499));
        assert!(reveals_due(&l, 500));
        assert!(reveals_due(&l, 501));
        // Only a committed lease reveals.
        l.state = LeaseState::Revealed;
        assert!(!reveals_due(&l, 501));
        l.state = LeaseState::Active;
        assert!(!reveals_due(&l, 501));
    }

    #[test]
    fn finalize_follows_the_contracts_time() {
        let mut l = lease(LeaseState::Revealed);
        assert!(!finalize_due(&l, u64::MAX));
        l.finalizable_at = Some(600);
        assert!(!finalize_due(&l, 599));
        assert!(finalize_due(&l, 600));
        // Whatever the state: an uncommitted lease past its deadline is finalized too.
        l.state = LeaseState::Active;
        assert!(finalize_due(&l, 601));
    }

    #[test]
    fn stages_follow_the_chain_forward_only() {
        let mut r = executed();
        assert!(mark_revealed(&mut r));
        assert_eq!(r.stage, Stage::Revealed);
        assert!(r.revealed && r.output_is_public());
        assert!(!mark_revealed(&mut r), "nothing changes twice");
        let mut done = LeaseRecord {
            stage: Stage::Finished,
            ..executed()
        };
        assert!(mark_revealed(&mut done));
        assert_eq!(done.stage, Stage::Finished);

        let mut l = lease(LeaseState::Committed);
        assert!(!revealed_on_chain(&l));
        l.result = Some(LeaseResult {
            commitment: "ab".repeat(32),
            output_uri: "http://k/outputs/17".into(),
            runtime_seconds: 2,
            energy_mwh: None,
            committed_at: 200,
            sha256: None,
            revealed_at: None,
        });
        assert!(!revealed_on_chain(&l));
        if let Some(r) = l.result.as_mut() {
            r.sha256 = Some(OUT.into());
        }
        assert!(revealed_on_chain(&l));
    }
}
