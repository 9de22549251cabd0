//! `gridshare-vm check <wasm>...`: validates optimized contracts exactly as a chain does on
//! `StoreCode` (cosmwasm-vm's static checks, then a full compile), prints each one's size,
//! checksum, entry points and required capabilities, and then every size against the budget
//! (`SIZE_BUDGET_KIB`, default 560; goal `SIZE_GOAL_KIB`, default 400): a contract over the
//! budget fails the check, unless `SIZE_ALLOWANCES` (`name=KiB,…`) holds it to a limit of its own.

use anyhow::{bail, Result};
use gridshare_vm::budget::{Budget, Verdict};
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

fn kib_from_env(name: &str, default: usize) -> Result<usize> {
    match std::env::var(name) {
        Ok(value) => value
            .parse()
            .map_err(|_| anyhow::anyhow!("{name}={value:?} is not a whole number of KiB")),
        Err(_) => Ok(default),
    }
}

fn check(files: &[PathBuf]) -> Result<()> {
    let budget = Budget {
        limit_kib: kib_from_env("SIZE_BUDGET_KIB", 560)?,
        goal_kib: kib_from_env("SIZE_GOAL_KIB", 400)?,
        allowances: Budget::parse_allowances(&std::env::var("SIZE_ALLOWANCES").unwrap_or_default())
            .map_err(|e| anyhow::anyhow!("SIZE_ALLOWANCES: {e}"))?,
    };
    let validator = Validator::new()?;
    let mut failures = 0;
    let mut sizes = vec![];
    for file in files {
        match validator.validate_file(file) {
            Ok(report) => {
                println!("ok   {}  {report}", file.display());
                let name = file.file_stem().map_or_else(
                    || file.display().to_string(),
                    |s| s.to_string_lossy().into(),
                );
                sizes.push((name, report.size));
            }
            Err(e) => {
                failures += 1;
                println!("FAIL {}: {e:#}", file.display());
            }
        }
    }
    println!();
    print!("{}", budget.table(&sizes));
    let over: Vec<&str> = sizes
        .iter()
        .filter(|(name, size)| budget.verdict(name, *size) == Verdict::Over)
        .map(|(name, _)| name.as_str())
        .collect();
    if failures > 0 {
        bail!("{failures} of {} contracts failed validation", files.len());
    }
    if !over.is_empty() {
        bail!(
            "over the {} KiB size budget: {}",
            budget.limit_kib,
            over.join(", ")
        );
    }
    Ok(())
}
