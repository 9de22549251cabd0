//! `gridshare-vm check <wasm>...`: validates optimized contracts exactly as a chain does on
//! `StoreCode` (cosmwasm-vm's static checks, then a full compile), and prints each one's size,
//! checksum, entry points and required capabilities.

use anyhow::{bail, Context, Result};
use cosmwasm_vm::testing::{MockApi, MockQuerier, MockStorage};
use cosmwasm_vm::{capabilities_from_csv, Cache, CacheOptions, Size};
use std::path::PathBuf;

/// The capabilities of wasmd v0.61 (wasmvm 3) as far as cosmwasm-vm 2.3 knows them; the same list
/// `cosmwasm-check` 2.3.5 assumes by default.
const CHAIN_CAPABILITIES: &str = "iterator,staking,stargate,cosmwasm_1_1,cosmwasm_1_2,cosmwasm_1_3,cosmwasm_1_4,cosmwasm_2_0,cosmwasm_2_1,cosmwasm_2_2";

/// wasmd's default upper bound on stored code (`MaxWasmSize`, 800 KiB).
const MAX_WASM_SIZE: usize = 800 * 1024;

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    match args.next().as_deref() {
        Some("check") => {
            let files: Vec<PathBuf> = args.map(PathBuf::from).collect();
            if files.is_empty() {
                bail!("usage: gridshare-vm check <contract.wasm>...");
            }
            check(&files)
        }
        _ => bail!("usage: gridshare-vm check <contract.wasm>..."),
    }
}

fn check(files: &[PathBuf]) -> Result<()> {
    let cache_dir = tempdir()?;
    let options = CacheOptions::new(
        &cache_dir,
        capabilities_from_csv(CHAIN_CAPABILITIES),
        Size::mebi(64),
        Size::mebi(32),
    );
    // SAFETY: the cache directory is ours alone and lives until this function returns.
    let cache: Cache<MockApi, MockStorage, MockQuerier> =
        unsafe { Cache::new(options) }.context("creating the VM cache")?;

    let mut failures = 0;
    for file in files {
        let wasm = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
        let result = if wasm.len() > MAX_WASM_SIZE {
            Err(anyhow::anyhow!(
                "{} bytes exceeds the chain's limit of {MAX_WASM_SIZE}",
                wasm.len()
            ))
        } else {
            cache
                .save_wasm(&wasm)
                .map_err(anyhow::Error::from)
                .and_then(|checksum| Ok((checksum, cache.analyze(&checksum)?)))
        };
        match result {
            Ok((checksum, report)) => {
                let entrypoints: Vec<String> =
                    report.entrypoints.iter().map(|e| e.to_string()).collect();
                let capabilities: Vec<&str> = report
                    .required_capabilities
                    .iter()
                    .map(String::as_str)
                    .collect();
                println!(
                    "ok   {:<28} {:>8} bytes ({:.1} KiB)  sha256 {}  entry points [{}]  capabilities [{}]",
                    file.display(),
                    wasm.len(),
                    wasm.len() as f64 / 1024.0,
                    checksum,
                    entrypoints.join(","),
                    capabilities.join(",")
                );
            }
            Err(e) => {
                failures += 1;
                println!("FAIL {}: {e:#}", file.display());
            }
        }
    }
    let _ = std::fs::remove_dir_all(&cache_dir);
    if failures > 0 {
        bail!("{failures} of {} contracts failed validation", files.len());
    }
    Ok(())
}

fn tempdir() -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("gridshare-vm-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    Ok(dir)
}
