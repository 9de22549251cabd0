//! `gridshare-vm check <wasm>...`: validates optimized contracts exactly as a chain does on
//! `StoreCode` (cosmwasm-vm's static checks, then a full compile), and prints each one's size,
//! checksum, entry points and required capabilities.

use anyhow::{bail, Result};
use gridshare_vm::validate::Validator;
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str =
    "usage: gridshare-vm check <contract.wasm>...\n       gridshare-vm bench <artifacts-dir>";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<()> {
    let mut args = std::env::args().skip(1);
    match args.next().as_deref() {
        Some("check") => {
            let files: Vec<PathBuf> = args.map(PathBuf::from).collect();
            if files.is_empty() {
                bail!(USAGE);
            }
            check(&files)
        }
        Some("bench") => {
            let dir = PathBuf::from(args.next().unwrap_or_else(|| "artifacts".into()));
            gridshare_vm::bench::run(&dir)
        }
        _ => bail!(USAGE),
    }
}

fn check(files: &[PathBuf]) -> Result<()> {
    let validator = Validator::new()?;
    let mut failures = 0;
    for file in files {
        match validator.validate_file(file) {
            Ok(report) => println!("ok   {}  {report}", file.display()),
            Err(e) => {
                failures += 1;
                println!("FAIL {}: {e:#}", file.display());
            }
        }
    }
    if failures > 0 {
        bail!("{failures} of {} contracts failed validation", files.len());
    }
    Ok(())
}
