//! The keeper's own health: its store takes writes and its work dir's disk has room. `/health`
//! reports it, and [`Watch`] takes the provider's offers off the market while the keeper is
//! degraded (a lease it could not store or run would expire and be slashed) and lists them again
//! once it is healthy.

use crate::chain::{ChainClient, SignerHandle};
use crate::config::{OfferSection, ProviderSection};
use crate::deploy::Contracts;
use crate::metrics::{unix_now, Metrics};
use crate::provider;
use crate::store::Store;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// Default free space under the work dir below which the keeper is degraded
/// (`[keeper] min_free_mib`).
pub const MIN_FREE_DISK_BYTES: u64 = 1 << 30;
/// The chain unread for this long, or its latest block this old, is a degraded keeper: leases
/// it cannot see or answer would expire on it.
pub const CHAIN_STALE_SECS: u64 = 120;

/// What the keeper checks about itself.
#[derive(Clone, Debug)]
pub struct HealthCheck {
    /// Free bytes the work dir's disk must keep.
    pub min_free_bytes: u64,
    /// The GPUs the CUDA executor started with (0 for the CPU executor).
    pub gpus_expected: usize,
    /// Bytes the kept outputs may take in all (`None`: no quota).
    pub output_quota_bytes: Option<u64>,
}

impl Default for HealthCheck {
    fn default() -> Self {
        HealthCheck {
            min_free_bytes: MIN_FREE_DISK_BYTES,
            gpus_expected: 0,
            output_quota_bytes: None,
        }
    }
}

impl HealthCheck {
    /// What is wrong, in words; empty when healthy. `metrics` carries what the keeper's tasks
    /// last saw of the chain and the GPUs.
    pub fn problems(&self, store: &Store, metrics: &Metrics) -> Vec<String> {
        let mut problems = vec![];
        if let Err(e) = store.len() {
            problems.push(format!("store unreadable: {e}"));
        }
        if let Err(e) = store.check_writable() {
            problems.push(format!("store unwritable: {e}"));
        }
        match free_disk_bytes(store.dir()) {
            Some(free) if free < self.min_free_bytes => problems.push(format!(
                "{free} bytes free on the work dir's disk (at least {} wanted)",
                self.min_free_bytes
            )),
            Some(_) => {}
            None => problems.push("the work dir's disk cannot be measured".into()),
        }
        if let Some(quota) = self.output_quota_bytes {
            let kept = store.outputs_bytes();
            if kept > quota {
                problems.push(format!(
                    "outputs take {kept} bytes, over the {quota}-byte quota (retention frees them)"
                ));
            }
        }
        let seen = metrics.chain_seen_unix.load(Ordering::Relaxed);
        let unread = unix_now().saturating_sub(seen);
        if seen > 0 && unread > CHAIN_STALE_SECS {
            problems.push(format!("the chain has not answered for {unread} s"));
        }
        let lag = metrics.chain_lag_secs.load(Ordering::Relaxed);
        if lag > CHAIN_STALE_SECS {
            problems.push(format!("the chain's latest block is {lag} s old"));
        }
        let gpus = metrics.gpus.lock().map(|g| g.len()).unwrap_or(0);
        let sampled = metrics.gpus_sampled.load(Ordering::Relaxed) > 0;
        if self.gpus_expected > 0 && sampled && gpus < self.gpus_expected {
            problems.push(format!(
                "{gpus} of the {} GPUs the executor started with answer",
                self.gpus_expected
            ));
        }
        problems
    }
}

/// Bytes available to this process on the filesystem holding `path`.
pub fn free_disk_bytes(path: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let c_path = std::ffi::CString::new(path.as_os_str().as_bytes()).ok()?;
    // SAFETY: statvfs writes into the zeroed struct we own; the path is a valid C string.
    let mut stat: libc::statvfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statvfs(c_path.as_ptr(), &mut stat) } != 0 {
        return None;
    }
    Some((stat.f_bavail as u64).saturating_mul(stat.f_frsize as u64))
}

/// Checks health every interval and keeps the offers in step with it.
pub struct Watch {
    pub check: HealthCheck,
    pub store: Arc<Store>,
    pub metrics: Arc<Metrics>,
    pub client: ChainClient,
    pub signer: SignerHandle,
    pub contracts: Contracts,
    pub section: ProviderSection,
    pub endpoint: String,
    pub offers: Vec<OfferSection>,
}

impl Watch {
    pub async fn run(self, interval: Duration, mut shutdown: watch::Receiver<bool>) {
        let mut withdrawn = false;
        loop {
            if let Some(free) = free_disk_bytes(self.store.dir()) {
                self.metrics.disk_free_bytes.store(free, Ordering::Relaxed);
            }
            self.metrics
                .outputs_bytes
                .store(self.store.outputs_bytes(), Ordering::Relaxed);
            if self.check.gpus_expected > 0 {
                if let Some(gpus) = crate::gpu_stats::sample().await {
                    self.metrics.set_gpus(gpus);
                    Metrics::inc(&self.metrics.gpus_sampled);
                }
            }
            let problems = self.check.problems(&self.store, &self.metrics);
            if !problems.is_empty() && !withdrawn {
                tracing::error!(?problems, "keeper degraded: withdrawing its offers");
                match provider::withdraw_all(&self.client, &self.signer, &self.contracts).await {
                    Ok(n) => {
                        withdrawn = true;
                        tracing::warn!(offers = n, "offers withdrawn until the keeper is healthy");
                    }
                    Err(e) => tracing::warn!(error = %e, "withdrawing offers failed; will retry"),
                }
            } else if problems.is_empty() && withdrawn {
                match provider::ensure(
                    &self.client,
                    &self.signer,
                    &self.contracts,
                    &self.section,
                    &self.endpoint,
                    &self.offers,
                )
                .await
                {
                    Ok(()) => {
                        withdrawn = false;
                        tracing::info!("keeper healthy again: offers listed");
                    }
                    Err(e) => tracing::warn!(error = %e, "listing offers again failed; will retry"),
                }
            }
            tokio::select! {
                _ = tokio::time::sleep(interval) => {}
                _ = shutdown.changed() => return,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::GpuSample;

    fn fresh() -> (tempfile::TempDir, Store, Metrics) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        (dir, store, Metrics::default())
    }

    #[test]
    fn a_healthy_keeper_has_no_problems() {
        let (_dir, store, metrics) = fresh();
        let check = HealthCheck {
            min_free_bytes: 1,
            gpus_expected: 0,
            output_quota_bytes: Some(1 << 20),
        };
        assert_eq!(check.problems(&store, &metrics), Vec::<String>::new());
        metrics.chain_seen(10, unix_now());
        assert_eq!(check.problems(&store, &metrics), Vec::<String>::new());
    }

    #[test]
    fn too_little_disk_a_silent_or_stale_chain_and_a_lost_gpu_are_each_reported() {
        let (_dir, store, metrics) = fresh();
        let check = HealthCheck {
            min_free_bytes: u64::MAX,
            gpus_expected: 2,
            output_quota_bytes: None,
        };
        metrics
            .chain_seen_unix
            .store(unix_now() - 600, Ordering::Relaxed);
        metrics.chain_lag_secs.store(300, Ordering::Relaxed);
        // Before the first sample, GPUs are not judged.
        assert_eq!(check.problems(&store, &metrics).len(), 3);
        metrics.set_gpus(vec![GpuSample {
            index: 0,
            utilization_pct: 0,
            memory_used_bytes: 0,
            memory_total_bytes: 1,
        }]);
        Metrics::inc(&metrics.gpus_sampled);
        let problems = check.problems(&store, &metrics);
        assert_eq!(problems.len(), 4, "{problems:?}");
        assert!(problems[0].contains("bytes free"), "{problems:?}");
        assert!(problems[1].contains("has not answered for"), "{problems:?}");
        assert!(
            problems[2].contains("latest block is 300 s old"),
            "{problems:?}"
        );
        assert!(problems[3].contains("1 of the 2 GPUs"), "{problems:?}");
    }

    #[test]
    fn outputs_over_their_quota_degrade_the_keeper_until_retention_frees_them() {
        let (_dir, store, metrics) = fresh();
        let check = HealthCheck {
            min_free_bytes: 1,
            gpus_expected: 0,
            output_quota_bytes: Some(1000),
        };
        store.save_output(16, &[7u8; 600]).unwrap();
        assert!(check.problems(&store, &metrics).is_empty());
        store.save_output(17, &[7u8; 600]).unwrap();
        let problems = check.problems(&store, &metrics);
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].contains("over the 1000-byte quota"),
            "{problems:?}"
        );
        std::fs::remove_file(store.output_path(16)).unwrap();
        assert!(check.problems(&store, &metrics).is_empty());
    }

    #[test]
    fn outputs_on_disk_are_measured() {
        let (_dir, store, _) = fresh();
        assert_eq!(store.outputs_bytes(), 0);
        store.save_output(16, &[7u8; 1000]).unwrap();
        store.save_output(17, &[7u8; 24]).unwrap();
        assert_eq!(store.outputs_bytes(), 1024);
    }
}
