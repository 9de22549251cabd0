//! The keeper's memory across crashes: every lease it has seen and every result it has produced,
//! in redb (copy-on-write B-trees, fsync on commit). A keeper killed at any point reopens this and
//! knows, per lease, whether to run it, commit a finished result (with the salt it already chose),
//! reveal a committed one, or leave it alone.

use gridshare_types::verification::result_commitment;
use redb::{Database, ReadableTable, ReadableTableMetadata, TableDefinition};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::RwLock;

const LEASES: TableDefinition<u64, &[u8]> = TableDefinition::new("leases");
/// Private jobs' key envelopes from their renters, by lease (checked before they are stored).
const ENVELOPES: TableDefinition<u64, &[u8]> = TableDefinition::new("envelopes");

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("store {path}: {reason}")]
    Db { path: PathBuf, reason: String },
    #[error("output file {path}: {reason}")]
    Output { path: PathBuf, reason: String },
    #[error("record of lease {lease_id} is corrupt: {reason}")]
    Corrupt { lease_id: u64, reason: String },
    #[error("lease {lease_id}: no commitment can be made: {reason}")]
    Commitment { lease_id: u64, reason: String },
}

/// Where a lease stands from the keeper's side.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub enum Stage {
    /// Seen on chain; execution started (a crash here means: run it again).
    Running,
    /// Output stored and hashed; the commitment is not on chain yet (its salt may already be
    /// chosen and stored: then every retry commits that same salt).
    Executed,
    /// The chain holds the commitment; the reveal waits for the order's reveals to open.
    /// (`Submitted` is how keepers before commit–reveal wrote this stage.)
    #[serde(alias = "Submitted")]
    Committed,
    /// The chain holds the revealed hash; awaiting the verdict.
    Revealed,
    /// The lease is final on chain and nothing is left to withdraw.
    Finished,
    /// The job cannot run here (bad input, unsupported workload): the lease was handed back.
    Abandoned,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct LeaseRecord {
    pub lease_id: u64,
    pub order_id: u64,
    pub stage: Stage,
    /// Executions started (more than one only after a crash or a retry).
    pub attempts: u32,
    pub sha256: Option<String>,
    pub output_bytes: Option<u64>,
    pub runtime_ms: Option<u64>,
    /// The job's energy as this host measured it (mWh); `None`: unmeasured.
    #[serde(default)]
    pub energy_mwh: Option<u64>,
    /// The hash of the `CommitResult` transaction (`submit_tx` in older records).
    #[serde(default, alias = "submit_tx")]
    pub commit_tx: Option<String>,
    pub error: Option<String>,
    /// The commitment's secret salt (hex). Stored and fsynced before `CommitResult` is built, so
    /// a keeper killed after broadcasting still holds what opens its commitment.
    #[serde(default)]
    pub salt: Option<String>,
    /// The commitment made from `sha256` and `salt`, as sent.
    #[serde(default)]
    pub commitment: Option<String>,
    #[serde(default)]
    pub reveal_tx: Option<String>,
    /// The output's hash is public on chain. Until then the output is not served: another
    /// replica could commit its hash without running the job.
    #[serde(default)]
    pub revealed: bool,
    /// When the keeper saw the lease final (unix seconds, this machine's clock): its output is
    /// deleted a retention period later.
    #[serde(default)]
    pub finished_at: Option<u64>,
    /// Why a handed-back lease is the renter's fault, as sent with `CloseLease` (kept so a
    /// restarted keeper sends the same hand-back).
    #[serde(default)]
    pub renter_fault: Option<gridshare_types::marketplace::RenterFault>,
}

impl LeaseRecord {
    pub fn new(lease_id: u64, order_id: u64) -> Self {
        LeaseRecord {
            lease_id,
            order_id,
            stage: Stage::Running,
            attempts: 0,
            sha256: None,
            output_bytes: None,
            runtime_ms: None,
            energy_mwh: None,
            commit_tx: None,
            error: None,
            salt: None,
            commitment: None,
            reveal_tx: None,
            revealed: false,
            finished_at: None,
            renter_fault: None,
        }
    }

    /// The stored output may be served: its hash is already public on chain.
    pub fn output_is_public(&self) -> bool {
        self.revealed || self.stage == Stage::Revealed
    }
}

pub struct Store {
    /// `None` only between closing a poisoned database and opening it again.
    db: RwLock<Option<Database>>,
    path: PathBuf,
    outputs: PathBuf,
}

impl Store {
    /// Opens (or creates) the store in `work_dir`.
    pub fn open(work_dir: &Path) -> Result<Self, StoreError> {
        let path = work_dir.join("keeper.redb");
        let outputs = work_dir.join("outputs");
        std::fs::create_dir_all(&outputs).map_err(|e| StoreError::Output {
            path: outputs.clone(),
            reason: e.to_string(),
        })?;
        let store = Store {
            db: RwLock::new(Some(Self::open_db(&path)?)),
            path,
            outputs,
        };
        // Create the table up front so readers never meet a missing table.
        store.write_probe()?;
        Ok(store)
    }

    fn open_db(path: &Path) -> Result<Database, StoreError> {
        Database::create(path).map_err(|e| StoreError::Db {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })
    }

    /// The error of an operation that found the database closed (its reopening failed).
    fn closed(&self) -> StoreError {
        self.err("closed after an I/O error; reopened at the next health check")
    }

    /// A write transaction that creates the table and commits.
    fn write_probe(&self) -> Result<(), StoreError> {
        let guard = self.db.read().unwrap_or_else(|e| e.into_inner());
        let db = guard.as_ref().ok_or_else(|| self.closed())?;
        let txn = db.begin_write().map_err(|e| self.err(e))?;
        txn.open_table(LEASES).map_err(|e| self.err(e))?;
        txn.open_table(ENVELOPES).map_err(|e| self.err(e))?;
        txn.commit().map_err(|e| self.err(e))
    }

    /// Closes and reopens the database: after an I/O error (a full disk) redb refuses every
    /// later transaction until it is reopened, and reopening recovers the last committed state.
    fn reopen(&self) -> Result<(), StoreError> {
        let mut slot = self.db.write().unwrap_or_else(|e| e.into_inner());
        // The old handle must be gone before the file can be opened again.
        drop(slot.take());
        *slot = Some(Self::open_db(&self.path)?);
        tracing::warn!(path = %self.path.display(), "store reopened after an I/O error");
        Ok(())
    }

    fn err(&self, e: impl std::fmt::Display) -> StoreError {
        StoreError::Db {
            path: self.path.clone(),
            reason: e.to_string(),
        }
    }

    pub fn get(&self, lease_id: u64) -> Result<Option<LeaseRecord>, StoreError> {
        let guard = self.db.read().unwrap_or_else(|e| e.into_inner());
        let db = guard.as_ref().ok_or_else(|| self.closed())?;
        let txn = db.begin_read().map_err(|e| self.err(e))?;
        let table = txn.open_table(LEASES).map_err(|e| self.err(e))?;
        let Some(bytes) = table.get(lease_id).map_err(|e| self.err(e))? else {
            return Ok(None);
        };
        serde_json::from_slice(bytes.value())
            .map(Some)
            .map_err(|e| StoreError::Corrupt {
                lease_id,
                reason: e.to_string(),
            })
    }

    /// Durable once this returns.
    pub fn put(&self, record: &LeaseRecord) -> Result<(), StoreError> {
        let bytes = serde_json::to_vec(record).map_err(|e| self.err(e))?;
        let guard = self.db.read().unwrap_or_else(|e| e.into_inner());
        let db = guard.as_ref().ok_or_else(|| self.closed())?;
        let txn = db.begin_write().map_err(|e| self.err(e))?;
        {
            let mut table = txn.open_table(LEASES).map_err(|e| self.err(e))?;
            table
                .insert(record.lease_id, bytes.as_slice())
                .map_err(|e| self.err(e))?;
        }
        txn.commit().map_err(|e| self.err(e))
    }

    /// Keeps a private job's key envelope (the latest valid one wins). Durable once this returns.
    pub fn put_envelope(&self, lease_id: u64, envelope: &[u8]) -> Result<(), StoreError> {
        let guard = self.db.read().unwrap_or_else(|e| e.into_inner());
        let db = guard.as_ref().ok_or_else(|| self.closed())?;
        let txn = db.begin_write().map_err(|e| self.err(e))?;
        {
            let mut table = txn.open_table(ENVELOPES).map_err(|e| self.err(e))?;
            table.insert(lease_id, envelope).map_err(|e| self.err(e))?;
        }
        txn.commit().map_err(|e| self.err(e))
    }

    pub fn envelope(&self, lease_id: u64) -> Result<Option<Vec<u8>>, StoreError> {
        let guard = self.db.read().unwrap_or_else(|e| e.into_inner());
        let db = guard.as_ref().ok_or_else(|| self.closed())?;
        let txn = db.begin_read().map_err(|e| self.err(e))?;
        let table = txn.open_table(ENVELOPES).map_err(|e| self.err(e))?;
        Ok(table
            .get(lease_id)
            .map_err(|e| self.err(e))?
            .map(|v| v.value().to_vec()))
    }

    /// Records not yet `Finished` or `Abandoned`, at most `limit`, by ascending lease id.
    pub fn unfinished(&self, limit: usize) -> Result<Vec<LeaseRecord>, StoreError> {
        let guard = self.db.read().unwrap_or_else(|e| e.into_inner());
        let db = guard.as_ref().ok_or_else(|| self.closed())?;
        let txn = db.begin_read().map_err(|e| self.err(e))?;
        let table = txn.open_table(LEASES).map_err(|e| self.err(e))?;
        let mut out = vec![];
        for entry in table.iter().map_err(|e| self.err(e))? {
            let (key, value) = entry.map_err(|e| self.err(e))?;
            let record: LeaseRecord =
                serde_json::from_slice(value.value()).map_err(|e| StoreError::Corrupt {
                    lease_id: key.value(),
                    reason: e.to_string(),
                })?;
            if !matches!(record.stage, Stage::Finished | Stage::Abandoned) {
                out.push(record);
                if out.len() >= limit {
                    break;
                }
            }
        }
        Ok(out)
    }

    pub fn len(&self) -> Result<u64, StoreError> {
        let guard = self.db.read().unwrap_or_else(|e| e.into_inner());
        let db = guard.as_ref().ok_or_else(|| self.closed())?;
        let txn = db.begin_read().map_err(|e| self.err(e))?;
        let table = txn.open_table(LEASES).map_err(|e| self.err(e))?;
        table.len().map_err(|e| self.err(e))
    }

    pub fn is_empty(&self) -> Result<bool, StoreError> {
        Ok(self.len()? == 0)
    }

    /// The commitment to `record`'s output by `provider`. The first call draws a salt from
    /// `fresh_salt` and makes the record durable with salt and commitment before returning, so
    /// that nothing is broadcast that the keeper could not open after a crash; later calls (a
    /// retry, a restart) return the stored commitment and never draw another salt.
    pub fn prepare_commitment(
        &self,
        record: &mut LeaseRecord,
        provider: &str,
        fresh_salt: impl FnOnce() -> Result<String, String>,
    ) -> Result<String, StoreError> {
        let lease_id = record.lease_id;
        let fail = |reason: String| StoreError::Commitment { lease_id, reason };
        let sha256 = record
            .sha256
            .clone()
            .ok_or_else(|| fail("the output has not been hashed".into()))?;
        if let (Some(_), Some(commitment)) = (&record.salt, &record.commitment) {
            return Ok(commitment.clone());
        }
        let salt = match record.salt.clone() {
            Some(salt) => salt,
            None => fresh_salt().map_err(fail)?,
        };
        let commitment = result_commitment(&sha256, lease_id, provider, &salt)
            .ok_or_else(|| fail(format!("sha256 {sha256:?} or the salt is malformed")))?;
        record.salt = Some(salt);
        record.commitment = Some(commitment.clone());
        self.put(record)?;
        Ok(commitment)
    }

    /// The outputs' directory (on the disk the keeper fills).
    pub fn dir(&self) -> &Path {
        &self.outputs
    }

    /// Proves the store and the outputs' disk still take writes: a write transaction commits and
    /// a probe file is written, synced and removed. A poisoned database or a full or read-only
    /// disk fails here first. A database that failed is reopened and tried once more, so a
    /// disk that had filled up is usable again as soon as it has room.
    pub fn check_writable(&self) -> Result<(), StoreError> {
        if self.write_probe().is_err() {
            self.reopen()?;
            self.write_probe()?;
        }
        let probe = self.outputs.join(".health-probe");
        let err = |e: std::io::Error| StoreError::Output {
            path: probe.clone(),
            reason: e.to_string(),
        };
        let mut file = std::fs::File::create(&probe).map_err(err)?;
        file.write_all(b"ok").map_err(err)?;
        file.sync_all().map_err(err)?;
        std::fs::remove_file(&probe).map_err(err)?;
        Ok(())
    }

    /// Bytes of the output files on disk (what retention keeps; unreadable entries count 0).
    pub fn outputs_bytes(&self) -> u64 {
        std::fs::read_dir(&self.outputs)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter_map(|e| e.metadata().ok())
                    .filter(|m| m.is_file())
                    .map(|m| m.len())
                    .fold(0u64, u64::saturating_add)
            })
            .unwrap_or(0)
    }

    /// Deletes the outputs of leases final for `retention_secs` or more at `now` (unix
    /// seconds), looking at no more than `limit` output files per call. Returns how many went.
    pub fn prune_outputs(
        &self,
        now: u64,
        retention_secs: u64,
        limit: usize,
    ) -> Result<usize, StoreError> {
        let entries = std::fs::read_dir(&self.outputs).map_err(|e| StoreError::Output {
            path: self.outputs.clone(),
            reason: e.to_string(),
        })?;
        let mut removed = 0;
        for entry in entries.filter_map(Result::ok).take(limit) {
            let path = entry.path();
            let Some(lease_id) = path
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_suffix(".bin"))
                .and_then(|id| id.parse::<u64>().ok())
            else {
                continue;
            };
            let expired = self.get(lease_id)?.is_some_and(|r| {
                r.stage == Stage::Finished
                    && r.finished_at
                        .is_some_and(|t| t.saturating_add(retention_secs) <= now)
            });
            if expired && std::fs::remove_file(&path).is_ok() {
                removed += 1;
            }
        }
        Ok(removed)
    }

    pub fn output_path(&self, lease_id: u64) -> PathBuf {
        self.outputs.join(format!("{lease_id}.bin"))
    }

    /// Writes the output so that it is either absent or complete: temp file, fsync, rename.
    /// Takes a finished job's output file as the lease's output: made durable, then moved in
    /// (renamed on the same disk, copied across disks), owned by the keeper and readable only
    /// by it. The file is gone from `from` afterwards either way.
    pub fn adopt_output(&self, lease_id: u64, from: &Path) -> Result<PathBuf, StoreError> {
        let path = self.output_path(lease_id);
        let tmp = path.with_extension("tmp");
        let err = |e: std::io::Error| StoreError::Output {
            path: path.clone(),
            reason: e.to_string(),
        };
        let moved = (|| {
            std::fs::File::open(from).and_then(|f| f.sync_all())?;
            if std::fs::rename(from, &tmp).is_err() {
                std::fs::copy(from, &tmp)?;
                std::fs::File::open(&tmp).and_then(|f| f.sync_all())?;
            }
            // A job process under its own user wrote it: it becomes the keeper's.
            use std::os::unix::fs::PermissionsExt;
            // SAFETY: getuid/getgid cannot fail.
            let (uid, gid) = unsafe { (libc::getuid(), libc::getgid()) };
            std::os::unix::fs::chown(&tmp, Some(uid), Some(gid))?;
            std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o600))?;
            std::fs::rename(&tmp, &path)
        })();
        let _ = std::fs::remove_file(from);
        if moved.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        moved.map_err(err)?;
        Ok(path)
    }

    pub fn save_output(&self, lease_id: u64, bytes: &[u8]) -> Result<PathBuf, StoreError> {
        let path = self.output_path(lease_id);
        let tmp = path.with_extension("tmp");
        let err = |e: std::io::Error| StoreError::Output {
            path: path.clone(),
            reason: e.to_string(),
        };
        let mut file = std::fs::File::create(&tmp).map_err(err)?;
        file.write_all(bytes).map_err(err)?;
        file.sync_all().map_err(err)?;
        std::fs::rename(&tmp, &path).map_err(err)?;
        Ok(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_survive_reopening() {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = Store::open(dir.path()).unwrap();
            let mut r = LeaseRecord::new(17, 1);
            store.put(&r).unwrap();
            r.stage = Stage::Executed;
            r.sha256 = Some("ab".into());
            store.put(&r).unwrap();
            store
                .put(&LeaseRecord {
                    stage: Stage::Finished,
                    ..LeaseRecord::new(18, 1)
                })
                .unwrap();
            store.save_output(17, b"out").unwrap();
        }
        let store = Store::open(dir.path()).unwrap();
        let r = store.get(17).unwrap().unwrap();
        assert_eq!(r.stage, Stage::Executed);
        assert_eq!(r.sha256.as_deref(), Some("ab"));
        assert_eq!(store.len().unwrap(), 2);
        let open = store.unfinished(10).unwrap();
        assert_eq!(
            open.iter().map(|r| r.lease_id).collect::<Vec<_>>(),
            vec![17]
        );
        assert_eq!(std::fs::read(store.output_path(17)).unwrap(), b"out");
        assert!(store.get(99).unwrap().is_none());
    }

    const OUT: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    const SALT: &str = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    fn executed(lease_id: u64) -> LeaseRecord {
        LeaseRecord {
            stage: Stage::Executed,
            sha256: Some(OUT.into()),
            ..LeaseRecord::new(lease_id, 1)
        }
    }

    #[test]
    fn the_salt_is_durable_before_the_commitment_is_returned() {
        let dir = tempfile::tempdir().unwrap();
        let commitment = {
            let store = Store::open(dir.path()).unwrap();
            let mut r = executed(17);
            store.put(&r).unwrap();
            let c = store
                .prepare_commitment(&mut r, "wasm1p", || Ok(SALT.into()))
                .unwrap();
            assert_eq!(r.salt.as_deref(), Some(SALT));
            c
            // The store is dropped here, as a crash right after broadcasting would.
        };
        let store = Store::open(dir.path()).unwrap();
        let r = store.get(17).unwrap().unwrap();
        assert_eq!(r.salt.as_deref(), Some(SALT));
        assert_eq!(r.commitment.as_deref(), Some(commitment.as_str()));
        assert_eq!(
            result_commitment(OUT, 17, "wasm1p", SALT).as_deref(),
            Some(commitment.as_str())
        );
        assert_eq!(r.stage, Stage::Executed);
    }

    #[test]
    fn a_restart_reuses_the_stored_salt() {
        let dir = tempfile::tempdir().unwrap();
        let first = {
            let store = Store::open(dir.path()).unwrap();
            let mut r = executed(17);
            store
                .prepare_commitment(&mut r, "wasm1p", || Ok(SALT.into()))
                .unwrap()
        };
        let store = Store::open(dir.path()).unwrap();
        let mut r = store.get(17).unwrap().unwrap();
        let drawn = std::cell::Cell::new(false);
        let again = store
            .prepare_commitment(&mut r, "wasm1p", || {
                drawn.set(true);
                Ok("ff".repeat(32))
            })
            .unwrap();
        assert_eq!(again, first);
        assert!(!drawn.get(), "a second salt was drawn");
        assert_eq!(store.get(17).unwrap().unwrap().salt.as_deref(), Some(SALT));

        // A salt stored without its commitment (never written so, but cheap to honour) is
        // completed from the same salt.
        let mut partial = executed(18);
        partial.salt = Some(SALT.into());
        let c = store
            .prepare_commitment(&mut partial, "wasm1p", || Err("must not be drawn".into()))
            .unwrap();
        assert_eq!(result_commitment(OUT, 18, "wasm1p", SALT), Some(c));
    }

    #[test]
    fn no_commitment_without_a_hashed_output_or_a_valid_salt() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let mut r = LeaseRecord::new(17, 1);
        assert!(matches!(
            store.prepare_commitment(&mut r, "wasm1p", || Ok(SALT.into())),
            Err(StoreError::Commitment { lease_id: 17, .. })
        ));
        let mut r = executed(18);
        assert!(store
            .prepare_commitment(&mut r, "wasm1p", || Err("no entropy".into()))
            .is_err());
        assert!(store
            .prepare_commitment(&mut r, "wasm1p", || Ok("00".into()))
            .is_err());
        // Nothing half-made was stored.
        assert!(r.salt.is_none() && r.commitment.is_none());
        assert!(store.get(17).unwrap().is_none() && store.get(18).unwrap().is_none());
    }

    #[test]
    fn records_written_before_commit_reveal_still_load() {
        let old = r#"{"lease_id":17,"order_id":1,"stage":"Submitted","attempts":1,"sha256":"ab","output_bytes":3,"runtime_ms":5,"submit_tx":"F00D","error":null}"#;
        let r: LeaseRecord = serde_json::from_str(old).unwrap();
        assert_eq!(r.stage, Stage::Committed);
        assert_eq!(r.commit_tx.as_deref(), Some("F00D"));
        assert!(r.salt.is_none() && r.commitment.is_none() && !r.revealed);
        let new: LeaseRecord = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
        assert_eq!(new, r);
    }

    #[test]
    fn outputs_are_public_only_once_revealed() {
        let mut r = executed(17);
        assert!(!r.output_is_public());
        r.stage = Stage::Committed;
        assert!(!r.output_is_public());
        r.stage = Stage::Revealed;
        assert!(r.output_is_public());
        // A final lease keeps what it had: public if it revealed, private if it never did.
        r.stage = Stage::Finished;
        assert!(!r.output_is_public());
        r.revealed = true;
        assert!(r.output_is_public());
    }

    #[test]
    fn unfinished_is_capped() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        for id in 0..5 {
            store.put(&LeaseRecord::new(id, 0)).unwrap();
        }
        assert_eq!(store.unfinished(3).unwrap().len(), 3);
    }

    #[test]
    fn outputs_go_a_retention_period_after_their_lease_is_final() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let finished = |id, at| LeaseRecord {
            stage: Stage::Finished,
            finished_at: Some(at),
            ..LeaseRecord::new(id, 1)
        };
        store.put(&finished(1, 1_000)).unwrap();
        store.put(&finished(2, 5_000)).unwrap();
        store
            .put(&LeaseRecord {
                stage: Stage::Revealed,
                ..LeaseRecord::new(3, 1)
            })
            .unwrap();
        for id in [1, 2, 3] {
            store.save_output(id, b"out").unwrap();
        }
        assert_eq!(store.prune_outputs(4_000, 3_000, 100).unwrap(), 1);
        assert!(!store.output_path(1).exists());
        assert!(
            store.output_path(2).exists(),
            "final for less than the retention"
        );
        assert!(
            store.output_path(3).exists(),
            "not final: still owed to the renter"
        );
        store.check_writable().unwrap();
    }

    #[test]
    fn an_adopted_output_moves_in_private_and_leaves_nothing_behind() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let job_out = dir.path().join("16.out");
        std::fs::write(&job_out, b"result").unwrap();
        let path = store.adopt_output(16, &job_out).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"result");
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert!(!job_out.exists());
        assert!(store.adopt_output(17, &job_out).is_err());
        assert_eq!(store.outputs_bytes(), 6);
    }

    /// A small filesystem of its own (tmpfs), unmounted on drop; `None` where this process may
    /// not mount (not root, or no CAP_SYS_ADMIN).
    struct SmallDisk(tempfile::TempDir);

    impl SmallDisk {
        fn mount(mib: u32) -> Option<SmallDisk> {
            let dir = tempfile::tempdir().ok()?;
            let status = std::process::Command::new("mount")
                .args(["-t", "tmpfs", "-o", &format!("size={mib}m"), "tmpfs"])
                .arg(dir.path())
                .stderr(std::process::Stdio::null())
                .status()
                .ok()?;
            status.success().then_some(SmallDisk(dir))
        }
    }

    impl Drop for SmallDisk {
        fn drop(&mut self) {
            let _ = std::process::Command::new("umount")
                .arg(self.0.path())
                .status();
        }
    }

    /// Issue 16: a full disk used to poison the store for good ("Previous I/O error"), so no
    /// later lease ever ran. The health check now reopens it once there is room again.
    #[test]
    fn a_full_disk_fails_writes_and_the_store_recovers_when_room_returns() {
        let Some(disk) = SmallDisk::mount(4) else {
            println!("skipped: cannot mount a tmpfs here (needs root)");
            return;
        };
        let store = Store::open(disk.0.path()).unwrap();
        store.put(&LeaseRecord::new(16, 1)).unwrap();
        let filler = disk.0.path().join("filler");
        let _ = std::fs::write(&filler, vec![0u8; 8 << 20]);
        let big = LeaseRecord {
            error: Some("x".repeat(64 << 10)),
            ..LeaseRecord::new(17, 1)
        };
        let failed = (0..64).any(|i| {
            store
                .put(&LeaseRecord {
                    lease_id: 100 + i,
                    ..big.clone()
                })
                .is_err()
        });
        assert!(failed, "the disk never filled");
        assert!(store.check_writable().is_err());
        std::fs::remove_file(&filler).unwrap();
        store.check_writable().unwrap();
        store.put(&LeaseRecord::new(18, 1)).unwrap();
        assert_eq!(store.get(16).unwrap().map(|r| r.order_id), Some(1));
        assert!(store.get(18).unwrap().is_some());
    }
}
