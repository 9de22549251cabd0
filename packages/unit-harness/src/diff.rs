//! What changed in storage between two snapshots, said key by key.
//!
//! "The storage changed" is not enough to find the write that should not have happened; the
//! keys and their values before and after are.

use crate::snapshot::{readable, Snapshot};
use std::collections::BTreeSet;
use std::fmt;

/// One key that differs between two snapshots.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// The key was not there before.
    Added { key: Vec<u8>, value: Vec<u8> },
    /// The key holds another value.
    Changed {
        key: Vec<u8>,
        before: Vec<u8>,
        after: Vec<u8>,
    },
    /// The key is gone.
    Removed { key: Vec<u8>, value: Vec<u8> },
}

impl Change {
    /// The key that changed.
    pub fn key(&self) -> &[u8] {
        match self {
            Change::Added { key, .. }
            | Change::Changed { key, .. }
            | Change::Removed { key, .. } => key,
        }
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::Added { key, value } => write!(f, "+ {}: {}", readable(key), readable(value)),
            Change::Changed { key, before, after } => write!(
                f,
                "~ {}: {} -> {}",
                readable(key),
                readable(before),
                readable(after)
            ),
            Change::Removed { key, value } => {
                write!(f, "- {}: {}", readable(key), readable(value))
            }
        }
    }
}

/// Every key that differs between two snapshots, in key order. Empty when they are equal.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StorageDiff {
    pub changes: Vec<Change>,
}

impl StorageDiff {
    /// Whether the two snapshots are equal.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The number of keys that differ.
    pub fn len(&self) -> usize {
        self.changes.len()
    }

    /// The change at `key`, if it changed.
    pub fn at(&self, key: &[u8]) -> Option<&Change> {
        self.changes.iter().find(|c| c.key() == key)
    }
}

/// One line per change: `+ key: value`, `~ key: before -> after`, `- key: value`.
impl fmt::Display for StorageDiff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("no change");
        }
        for (i, change) in self.changes.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{change}")?;
        }
        Ok(())
    }
}

/// The keys added, changed and removed from `before` to `after`.
pub fn storage_diff(before: &Snapshot, after: &Snapshot) -> StorageDiff {
    let keys: BTreeSet<&[u8]> = before.iter().chain(after.iter()).map(|(k, _)| k).collect();
    let changes = keys
        .into_iter()
        .filter_map(|key| match (before.get(key), after.get(key)) {
            (None, Some(value)) => Some(Change::Added {
                key: key.to_vec(),
                value: value.to_vec(),
            }),
            (Some(old), Some(new)) if old != new => Some(Change::Changed {
                key: key.to_vec(),
                before: old.to_vec(),
                after: new.to_vec(),
            }),
            (Some(value), None) => Some(Change::Removed {
                key: key.to_vec(),
                value: value.to_vec(),
            }),
            _ => None,
        })
        .collect();
    StorageDiff { changes }
}
