//! The keeper's own health: its store takes writes and its work dir's disk has room. `/health`
//! reports it, and [`Watch`] takes the provider's offers off the market while the keeper is
//! degraded (a lease it could not store or run would expire and be slashed) and lists them again
//! once it is healthy.

use crate::chain::{ChainClient, SignerHandle};
use crate::config::{OfferSection, ProviderSection};
use crate::deploy::Contracts;
use crate::provider;
use crate::store::Store;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// Free space under the work dir below which the keeper is degraded.
pub const MIN_FREE_DISK_BYTES: u64 = 1 << 30;

/// What is wrong, in words; empty when healthy.
pub fn problems(store: &Store) -> Vec<String> {
    let mut problems = vec![];
    if let Err(e) = store.len() {
        problems.push(format!("store unreadable: {e}"));
    }
    if let Err(e) = store.check_writable() {
        problems.push(format!("store unwritable: {e}"));
    }
    match free_disk_bytes(store.dir()) {
        Some(free) if free < MIN_FREE_DISK_BYTES => {
            problems.push(format!("{free} bytes free on the work dir's disk"))
        }
        Some(_) => {}
        None => problems.push("the work dir's disk cannot be measured".into()),
    }
    problems
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
    pub store: Arc<Store>,
    pub metrics: Arc<crate::metrics::Metrics>,
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
            let problems = problems(&self.store);
            if let Some(free) = free_disk_bytes(self.store.dir()) {
                self.metrics
                    .disk_free_bytes
                    .store(free, std::sync::atomic::Ordering::Relaxed);
            }
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
