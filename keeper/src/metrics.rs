//! Prometheus metrics, rendered in the text exposition format by hand: a handful of counters and
//! gauges do not need a registry crate.

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

#[derive(Default)]
pub struct Metrics {
    pub leases_seen: AtomicU64,
    pub jobs_started: AtomicU64,
    pub jobs_succeeded: AtomicU64,
    pub jobs_failed: AtomicU64,
    pub jobs_running: AtomicU64,
    pub job_millis_total: AtomicU64,
    /// `CommitResult`s confirmed on chain (the name, and the metric's, predate commit–reveal).
    pub results_submitted: AtomicU64,
    pub results_revealed: AtomicU64,
    pub leases_finalized: AtomicU64,
    pub withdrawals: AtomicU64,
    pub heartbeats_sent: AtomicU64,
    pub heartbeat_failures: AtomicU64,
    pub tx_failures: AtomicU64,
    pub reconciles: AtomicU64,
    pub last_heartbeat_unix: AtomicU64,
    pub jobs_queued: AtomicU64,
    pub jobs_handed_back: AtomicU64,
    pub jobs_retried: AtomicU64,
    pub input_bytes_total: AtomicU64,
    pub input_millis_total: AtomicU64,
    pub chain_height: AtomicU64,
    pub disk_free_bytes: AtomicU64,
    pub gas_balance: AtomicU64,
    /// Store operations that failed (a full or broken disk).
    pub store_errors: AtomicU64,
    /// Bytes of outputs on disk at the last health check.
    pub outputs_bytes: AtomicU64,
    /// Transactions through the signer (heartbeats included) and the time they took, from
    /// request to block or error.
    pub signer_requests: AtomicU64,
    pub signer_millis_total: AtomicU64,
    pub signer_last_millis: AtomicU64,
    /// When the keeper last read the chain (unix seconds, its own clock), and how far the
    /// chain's latest block time then lagged behind that clock.
    pub chain_seen_unix: AtomicU64,
    pub chain_lag_secs: AtomicU64,
    /// The GPUs as `nvidia-smi` last reported them; empty without one.
    pub gpus: Mutex<Vec<GpuSample>>,
    /// Times the GPUs were sampled (not rendered: `gpus` is meaningless until the first).
    pub gpus_sampled: AtomicU64,
}

/// One GPU's utilization and memory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GpuSample {
    pub index: u32,
    pub utilization_pct: u64,
    pub memory_used_bytes: u64,
    pub memory_total_bytes: u64,
}

/// Unix seconds by this machine's clock.
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

impl Metrics {
    pub fn inc(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// One transaction through the signer took `took`.
    pub fn signed(&self, took: Duration) {
        let ms = u64::try_from(took.as_millis()).unwrap_or(u64::MAX);
        Metrics::inc(&self.signer_requests);
        self.signer_millis_total.fetch_add(ms, Ordering::Relaxed);
        self.signer_last_millis.store(ms, Ordering::Relaxed);
    }

    /// The chain answered: its height and latest block time (unix seconds).
    pub fn chain_seen(&self, height: u64, block_time: u64) {
        let now = unix_now();
        self.chain_height.store(height, Ordering::Relaxed);
        self.chain_seen_unix.store(now, Ordering::Relaxed);
        self.chain_lag_secs
            .store(now.saturating_sub(block_time), Ordering::Relaxed);
    }

    pub fn set_gpus(&self, samples: Vec<GpuSample>) {
        *self.gpus.lock().unwrap_or_else(|e| e.into_inner()) = samples;
    }

    pub fn render(&self) -> String {
        let rows: [(&str, &str, &str, &AtomicU64); 30] = [
            (
                "gridshare_keeper_leases_seen_total",
                "counter",
                "Leases of this provider seen on chain.",
                &self.leases_seen,
            ),
            (
                "gridshare_keeper_jobs_started_total",
                "counter",
                "Job executions started.",
                &self.jobs_started,
            ),
            (
                "gridshare_keeper_jobs_succeeded_total",
                "counter",
                "Job executions that produced an output.",
                &self.jobs_succeeded,
            ),
            (
                "gridshare_keeper_jobs_failed_total",
                "counter",
                "Job executions that failed.",
                &self.jobs_failed,
            ),
            (
                "gridshare_keeper_jobs_running",
                "gauge",
                "Jobs executing now.",
                &self.jobs_running,
            ),
            (
                "gridshare_keeper_job_milliseconds_total",
                "counter",
                "Wall time spent executing jobs.",
                &self.job_millis_total,
            ),
            (
                "gridshare_keeper_results_submitted_total",
                "counter",
                "Result commitments confirmed on chain.",
                &self.results_submitted,
            ),
            (
                "gridshare_keeper_results_revealed_total",
                "counter",
                "Result reveals confirmed on chain.",
                &self.results_revealed,
            ),
            (
                "gridshare_keeper_leases_finalized_total",
                "counter",
                "Leases moved on by Finalize once a contract deadline had passed.",
                &self.leases_finalized,
            ),
            (
                "gridshare_keeper_withdrawals_total",
                "counter",
                "Escrow withdrawals confirmed on chain.",
                &self.withdrawals,
            ),
            (
                "gridshare_keeper_heartbeats_total",
                "counter",
                "Heartbeats confirmed on chain.",
                &self.heartbeats_sent,
            ),
            (
                "gridshare_keeper_heartbeat_failures_total",
                "counter",
                "Heartbeats that failed.",
                &self.heartbeat_failures,
            ),
            (
                "gridshare_keeper_tx_failures_total",
                "counter",
                "Transactions that failed after retries.",
                &self.tx_failures,
            ),
            (
                "gridshare_keeper_reconciles_total",
                "counter",
                "Reconciles of local state against the chain.",
                &self.reconciles,
            ),
            (
                "gridshare_keeper_last_heartbeat_timestamp_seconds",
                "gauge",
                "Unix time of the last confirmed heartbeat.",
                &self.last_heartbeat_unix,
            ),
            (
                "gridshare_keeper_jobs_queued",
                "gauge",
                "Leases waiting for a free job slot.",
                &self.jobs_queued,
            ),
            (
                "gridshare_keeper_jobs_handed_back_total",
                "counter",
                "Leases handed back because the renter's job cannot be served.",
                &self.jobs_handed_back,
            ),
            (
                "gridshare_keeper_jobs_retried_total",
                "counter",
                "Job attempts that failed on this side and will be retried.",
                &self.jobs_retried,
            ),
            (
                "gridshare_keeper_input_bytes_total",
                "counter",
                "Bytes of job inputs fetched or read inline.",
                &self.input_bytes_total,
            ),
            (
                "gridshare_keeper_input_milliseconds_total",
                "counter",
                "Wall time spent fetching job inputs.",
                &self.input_millis_total,
            ),
            (
                "gridshare_keeper_chain_height",
                "gauge",
                "Latest block height seen by the last reconcile.",
                &self.chain_height,
            ),
            (
                "gridshare_keeper_disk_free_bytes",
                "gauge",
                "Free bytes on the work dir's disk at the last health check.",
                &self.disk_free_bytes,
            ),
            (
                "gridshare_keeper_fee_balance",
                "gauge",
                "The account's balance of the fee denom, base units (saturating).",
                &self.gas_balance,
            ),
            (
                "gridshare_keeper_store_errors_total",
                "counter",
                "Store operations that failed.",
                &self.store_errors,
            ),
            (
                "gridshare_keeper_outputs_bytes",
                "gauge",
                "Bytes of job outputs kept on disk at the last health check.",
                &self.outputs_bytes,
            ),
            (
                "gridshare_keeper_signer_requests_total",
                "counter",
                "Transactions of the keeper through its signer (heartbeats included).",
                &self.signer_requests,
            ),
            (
                "gridshare_keeper_signer_milliseconds_total",
                "counter",
                "Time from a transaction's request to its block or error, summed.",
                &self.signer_millis_total,
            ),
            (
                "gridshare_keeper_signer_last_milliseconds",
                "gauge",
                "Time the last transaction took from request to block or error.",
                &self.signer_last_millis,
            ),
            (
                "gridshare_keeper_chain_seen_unix_seconds",
                "gauge",
                "When the keeper last read the chain's latest block (its own clock).",
                &self.chain_seen_unix,
            ),
            (
                "gridshare_keeper_chain_lag_seconds",
                "gauge",
                "How far the chain's latest block time lagged the keeper's clock at that read.",
                &self.chain_lag_secs,
            ),
        ];
        let mut out = String::new();
        for (name, kind, help, value) in rows {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {}",
                value.load(Ordering::Relaxed)
            );
        }
        let gpus = self.gpus.lock().unwrap_or_else(|e| e.into_inner()).clone();
        if !gpus.is_empty() {
            type Field = fn(&GpuSample) -> u64;
            let series: [(&str, &str, Field); 3] = [
                (
                    "gridshare_keeper_gpu_utilization_percent",
                    "GPU utilization over the driver's last sample period.",
                    |g| g.utilization_pct,
                ),
                (
                    "gridshare_keeper_gpu_memory_used_bytes",
                    "GPU memory in use.",
                    |g| g.memory_used_bytes,
                ),
                (
                    "gridshare_keeper_gpu_memory_total_bytes",
                    "GPU memory in all.",
                    |g| g.memory_total_bytes,
                ),
            ];
            for (name, help, field) in series {
                let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge");
                for g in &gpus {
                    let _ = writeln!(out, "{name}{{gpu=\"{}\"}} {}", g.index, field(g));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_the_exposition_format() {
        let m = Metrics::default();
        Metrics::inc(&m.heartbeats_sent);
        let text = m.render();
        assert!(text.contains("# TYPE gridshare_keeper_heartbeats_total counter\ngridshare_keeper_heartbeats_total 1\n"));
        assert_eq!(text.lines().filter(|l| !l.starts_with('#')).count(), 30);
        assert!(!text.contains("gpu_"), "no GPU series without a GPU");
    }

    #[test]
    fn gpu_series_are_labelled_per_device() {
        let m = Metrics::default();
        m.set_gpus(vec![
            GpuSample {
                index: 0,
                utilization_pct: 37,
                memory_used_bytes: 1 << 20,
                memory_total_bytes: 80 << 30,
            },
            GpuSample {
                index: 1,
                utilization_pct: 0,
                memory_used_bytes: 0,
                memory_total_bytes: 80 << 30,
            },
        ]);
        let text = m.render();
        assert!(text.contains("gridshare_keeper_gpu_utilization_percent{gpu=\"0\"} 37\n"));
        assert!(text.contains("gridshare_keeper_gpu_memory_used_bytes{gpu=\"0\"} 1048576\n"));
        assert!(text.contains("gridshare_keeper_gpu_memory_total_bytes{gpu=\"1\"} 85899345920\n"));
    }

    #[test]
    fn signer_latency_and_chain_lag_are_recorded() {
        let m = Metrics::default();
        m.signed(Duration::from_millis(1500));
        m.signed(Duration::from_millis(500));
        assert_eq!(m.signer_requests.load(Ordering::Relaxed), 2);
        assert_eq!(m.signer_millis_total.load(Ordering::Relaxed), 2000);
        assert_eq!(m.signer_last_millis.load(Ordering::Relaxed), 500);
        m.chain_seen(42, unix_now().saturating_sub(90));
        assert_eq!(m.chain_height.load(Ordering::Relaxed), 42);
        assert!((90..=92).contains(&m.chain_lag_secs.load(Ordering::Relaxed)));
    }
}
