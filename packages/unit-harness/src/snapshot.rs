//! A copy of everything a contract has stored, to compare before and after a message and to put
//! back when a message is reverted.

use cosmwasm_std::testing::MockStorage;
use cosmwasm_std::{Order, Record, Storage};
use std::collections::BTreeMap;
use std::fmt;

/// Every key and value in a contract's storage at one moment.
///
/// Equality is byte for byte; `Debug` prints keys and values readably (see [`readable`]) so that
/// a failed `assert_eq!` between two snapshots can be read.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Snapshot(BTreeMap<Vec<u8>, Vec<u8>>);

impl Snapshot {
    /// The number of keys.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The value stored under `key`.
    pub fn get(&self, key: &[u8]) -> Option<&[u8]> {
        self.0.get(key).map(Vec::as_slice)
    }

    /// Keys and values in ascending key order.
    pub fn iter(&self) -> impl Iterator<Item = (&[u8], &[u8])> {
        self.0.iter().map(|(k, v)| (k.as_slice(), v.as_slice()))
    }
}

impl From<BTreeMap<Vec<u8>, Vec<u8>>> for Snapshot {
    fn from(contents: BTreeMap<Vec<u8>, Vec<u8>>) -> Self {
        Snapshot(contents)
    }
}

impl FromIterator<Record> for Snapshot {
    fn from_iter<I: IntoIterator<Item = Record>>(records: I) -> Self {
        Snapshot(records.into_iter().collect())
    }
}

impl fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.iter().map(|(k, v)| (Readable(k), Readable(v))))
            .finish()
    }
}

/// Storage that can be copied and put back without side effects.
///
/// Reading a storage through [`Storage::range`] is not always free of them: a storage that
/// prices accesses in gas would charge the harness's own reads to the contract. Such a storage
/// implements this trait on its raw contents.
pub trait SnapshotStorage: Storage {
    /// Everything stored, read without side effects.
    fn snapshot(&self) -> Snapshot;

    /// Makes the contents exactly `snapshot`, as the chain does when it reverts a message.
    fn restore(&mut self, snapshot: &Snapshot);
}

impl SnapshotStorage for MockStorage {
    fn snapshot(&self) -> Snapshot {
        self.range(None, None, Order::Ascending).collect()
    }

    fn restore(&mut self, snapshot: &Snapshot) {
        let keys: Vec<Vec<u8>> = self.range_keys(None, None, Order::Ascending).collect();
        for key in keys {
            self.remove(&key);
        }
        for (key, value) in snapshot.iter() {
            self.set(key, value);
        }
    }
}

/// Everything in `storage`: a free function for tests that hold bare mock dependencies, such as
/// those checking that a refused `instantiate` stored nothing.
pub fn snapshot<S: SnapshotStorage>(storage: &S) -> Snapshot {
    storage.snapshot()
}

/// Bytes as a person reads them: text when they are printable UTF-8 (JSON values, string keys),
/// otherwise ASCII with escapes (storage keys, whose length prefixes and integer parts are
/// binary).
pub fn readable(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) if !text.chars().any(char::is_control) => text.to_string(),
        _ => bytes.escape_ascii().to_string(),
    }
}

/// Formats bytes with [`readable`] inside `Debug` output.
struct Readable<'a>(&'a [u8]);

impl fmt::Debug for Readable<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&readable(self.0))
    }
}
