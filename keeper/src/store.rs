//! The keeper's memory across crashes: every lease it has seen and every result it has produced,
//! in redb (copy-on-write B-trees, fsync on commit). A keeper killed at any point reopens this and
//! knows, per lease, whether to run it, resubmit a finished result, or leave it alone.

use redb::{Database, ReadableTable, ReadableTableMetadata, TableDefinition};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};

const LEASES: TableDefinition<u64, &[u8]> = TableDefinition::new("leases");

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("store {path}: {reason}")]
    Db { path: PathBuf, reason: String },
    #[error("output file {path}: {reason}")]
    Output { path: PathBuf, reason: String },
    #[error("record of lease {lease_id} is corrupt: {reason}")]
    Corrupt { lease_id: u64, reason: String },
}

/// Where a lease stands from the keeper's side.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub enum Stage {
    /// Seen on chain; execution started (a crash here means: run it again).
    Running,
    /// Output stored and hashed; the commitment is not on chain yet.
    Executed,
    /// The chain holds the commitment.
    Submitted,
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
    pub submit_tx: Option<String>,
    pub error: Option<String>,
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
            submit_tx: None,
            error: None,
        }
    }
}

pub struct Store {
    db: Database,
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
        let db = Database::create(&path).map_err(|e| StoreError::Db {
            path: path.clone(),
            reason: e.to_string(),
        })?;
        let store = Store { db, path, outputs };
        // Create the table up front so readers never meet a missing table.
        let txn = store.db.begin_write().map_err(|e| store.err(e))?;
        txn.open_table(LEASES).map_err(|e| store.err(e))?;
        txn.commit().map_err(|e| store.err(e))?;
        Ok(store)
    }

    fn err(&self, e: impl std::fmt::Display) -> StoreError {
        StoreError::Db {
            path: self.path.clone(),
            reason: e.to_string(),
        }
    }

    pub fn get(&self, lease_id: u64) -> Result<Option<LeaseRecord>, StoreError> {
        let txn = self.db.begin_read().map_err(|e| self.err(e))?;
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
        let txn = self.db.begin_write().map_err(|e| self.err(e))?;
        {
            let mut table = txn.open_table(LEASES).map_err(|e| self.err(e))?;
            table
                .insert(record.lease_id, bytes.as_slice())
                .map_err(|e| self.err(e))?;
        }
        txn.commit().map_err(|e| self.err(e))
    }

    /// Records not yet `Finished` or `Abandoned`, at most `limit`, by ascending lease id.
    pub fn unfinished(&self, limit: usize) -> Result<Vec<LeaseRecord>, StoreError> {
        let txn = self.db.begin_read().map_err(|e| self.err(e))?;
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
        let txn = self.db.begin_read().map_err(|e| self.err(e))?;
        let table = txn.open_table(LEASES).map_err(|e| self.err(e))?;
        table.len().map_err(|e| self.err(e))
    }

    pub fn is_empty(&self) -> Result<bool, StoreError> {
        Ok(self.len()? == 0)
    }

    pub fn output_path(&self, lease_id: u64) -> PathBuf {
        self.outputs.join(format!("{lease_id}.bin"))
    }

    /// Writes the output so that it is either absent or complete: temp file, fsync, rename.
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

    #[test]
    fn unfinished_is_capped() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        for id in 0..5 {
            store.put(&LeaseRecord::new(id, 0)).unwrap();
        }
        assert_eq!(store.unfinished(3).unwrap().len(), 3);
    }
}
