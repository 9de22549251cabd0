//! Prometheus metrics, rendered in the text exposition format by hand: a handful of counters and
//! gauges do not need a registry crate.

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};

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
}

impl Metrics {
    pub fn inc(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    pub fn render(&self) -> String {
        let rows: [(&str, &str, &str, &AtomicU64); 23] = [
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
        ];
        let mut out = String::new();
        for (name, kind, help, value) in rows {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {}",
                value.load(Ordering::Relaxed)
            );
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
        assert_eq!(text.lines().filter(|l| !l.starts_with('#')).count(), 23);
    }
}
