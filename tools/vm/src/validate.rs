//! Chain-equivalent validation: what wasmd's `StoreCode` does to an upload.

use anyhow::{bail, Context, Result};
use cosmwasm_vm::testing::{MockApi, MockQuerier, MockStorage};
use cosmwasm_vm::{capabilities_from_csv, Cache, CacheOptions, Size};
use std::fmt;
use std::path::{Path, PathBuf};

/// The capabilities of wasmd v0.61 (wasmvm 3) as far as cosmwasm-vm 2.3 knows them; the list
/// `cosmwasm-check` 2.3.5 assumes by default.
pub const CHAIN_CAPABILITIES: &str = "iterator,staking,stargate,cosmwasm_1_1,cosmwasm_1_2,cosmwasm_1_3,cosmwasm_1_4,cosmwasm_2_0,cosmwasm_2_1,cosmwasm_2_2";

/// wasmd's default upper bound on an uploaded code (`MaxWasmSize`, 800 KiB).
pub const MAX_WASM_SIZE: usize = 800 * 1024;

#[derive(Debug)]
pub struct Report {
    pub size: usize,
    pub checksum: String,
    pub entrypoints: Vec<String>,
    pub capabilities: Vec<String>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} bytes ({:.1} KiB)  sha256 {}  entry points [{}]  capabilities [{}]",
            self.size,
            self.size as f64 / 1024.0,
            self.checksum,
            self.entrypoints.join(","),
            self.capabilities.join(",")
        )
    }
}

/// A VM cache in a private temporary directory, removed on drop.
pub struct Validator {
    cache: Cache<MockApi, MockStorage, MockQuerier>,
    dir: PathBuf,
}

impl Validator {
    pub fn new() -> Result<Self> {
        let dir = std::env::temp_dir().join(format!(
            "gridshare-vm-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or_default()
        ));
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let options = CacheOptions::new(
            &dir,
            capabilities_from_csv(CHAIN_CAPABILITIES),
            Size::mebi(64),
            Size::mebi(32),
        );
        // SAFETY: the directory is created for this cache alone and outlives it.
        let cache = unsafe { Cache::new(options) }.context("creating the VM cache")?;
        Ok(Validator { cache, dir })
    }

    pub fn validate_file(&self, path: &Path) -> Result<Report> {
        let wasm = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        self.validate(&wasm)
    }

    /// Static checks (imports, exports, capabilities, limits), then a full compile.
    pub fn validate(&self, wasm: &[u8]) -> Result<Report> {
        if wasm.len() > MAX_WASM_SIZE {
            bail!(
                "{} bytes exceeds the chain's limit of {MAX_WASM_SIZE}",
                wasm.len()
            );
        }
        let checksum = self.cache.store_code(wasm, true, true)?;
        let report = self.cache.analyze(&checksum)?;
        Ok(Report {
            size: wasm.len(),
            checksum: checksum.to_hex(),
            entrypoints: report.entrypoints.iter().map(|e| e.to_string()).collect(),
            capabilities: report.required_capabilities.into_iter().collect(),
        })
    }
}

impl Drop for Validator {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_bytes_that_are_not_a_contract() {
        let validator = Validator::new().unwrap();
        assert!(validator.validate(b"definitely not wasm").is_err());
        // A valid, empty module: no interface version, no memory, no entry points.
        let empty_module = b"\0asm\x01\0\0\0";
        let err = validator.validate(empty_module).unwrap_err().to_string();
        assert!(err.contains("Wasm"), "{err}");
    }

    #[test]
    fn rejects_oversized_uploads() {
        let validator = Validator::new().unwrap();
        let err = validator
            .validate(&vec![0u8; MAX_WASM_SIZE + 1])
            .unwrap_err()
            .to_string();
        assert!(err.contains("exceeds"), "{err}");
    }
}
