//! Storage priced the way a Cosmos SDK chain prices it.
//!
//! cosmwasm-vm's `MockStorage` charges almost nothing for storage, while on chain every read and
//! write costs SDK gas (the store's `KVGasConfig`). This wrapper charges those SDK costs, converted
//! to CosmWasm gas with wasmd's multiplier, so a benchmark's total is what a transaction pays.

use cosmwasm_std::{Order, Record};
use cosmwasm_vm::testing::MockStorage;
use cosmwasm_vm::{BackendResult, GasInfo, Storage};

/// CosmWasm gas per SDK gas (wasmd's `DefaultGasMultiplier`).
pub const WASMD_GAS_MULTIPLIER: u64 = 140_000;

// Cosmos SDK `storetypes.KVGasConfig()`.
const HAS_COST: u64 = 1_000;
const DELETE_COST: u64 = 1_000;
const READ_COST_FLAT: u64 = 1_000;
const READ_COST_PER_BYTE: u64 = 3;
const WRITE_COST_FLAT: u64 = 2_000;
const WRITE_COST_PER_BYTE: u64 = 30;
const ITER_NEXT_COST_FLAT: u64 = 30;

#[derive(Default)]
pub struct ChainStorage {
    inner: MockStorage,
}

fn sdk(gas: u64) -> GasInfo {
    GasInfo::with_externally_used(gas * WASMD_GAS_MULTIPLIER)
}

fn with_sdk_gas<T>(result: BackendResult<T>, sdk_gas: u64) -> BackendResult<T> {
    let (value, mut info) = result;
    info.externally_used = sdk(sdk_gas).externally_used;
    (value, info)
}

impl Storage for ChainStorage {
    fn get(&self, key: &[u8]) -> BackendResult<Option<Vec<u8>>> {
        let (value, info) = self.inner.get(key);
        let len = value
            .as_ref()
            .ok()
            .and_then(|v| v.as_ref())
            .map_or(0, Vec::len);
        let gas = READ_COST_FLAT + READ_COST_PER_BYTE * (key.len() + len) as u64;
        with_sdk_gas((value, info), gas)
    }

    fn scan(
        &mut self,
        start: Option<&[u8]>,
        end: Option<&[u8]>,
        order: Order,
    ) -> BackendResult<u32> {
        // The SDK charges an iterator by its steps (below), plus the `Has`-like seek.
        with_sdk_gas(self.inner.scan(start, end, order), HAS_COST)
    }

    fn next(&mut self, iterator_id: u32) -> BackendResult<Option<Record>> {
        let (record, info) = self.inner.next(iterator_id);
        let len = record
            .as_ref()
            .ok()
            .and_then(|r| r.as_ref())
            .map_or(0, |(k, v)| k.len() + v.len());
        let gas = ITER_NEXT_COST_FLAT + READ_COST_PER_BYTE * len as u64;
        with_sdk_gas((record, info), gas)
    }

    fn set(&mut self, key: &[u8], value: &[u8]) -> BackendResult<()> {
        let gas = WRITE_COST_FLAT + WRITE_COST_PER_BYTE * (key.len() + value.len()) as u64;
        with_sdk_gas(self.inner.set(key, value), gas)
    }

    fn remove(&mut self, key: &[u8]) -> BackendResult<()> {
        with_sdk_gas(self.inner.remove(key), DELETE_COST)
    }
}
