//! `make bench`: the gas each GridShare operation costs, next to a cw20-base transfer.

pub mod chain;
pub mod cw20;
pub mod escrow;
pub mod storage;
pub mod table;

use anyhow::Result;
use chain::Chain;
use std::path::Path;
use table::Table;

/// Runs every measurement against the artifacts in `dir` and prints the table.
pub fn run(dir: &Path) -> Result<()> {
    let mut chain = Chain::new()?;
    let baseline = cw20::transfer_gas(&mut chain, &dir.join("bench/cw20_base.wasm"))?;
    let mut table = Table::new(baseline);
    escrow::measure(&mut chain, &dir.join("escrow.wasm"), &mut table)?;
    println!();
    table.print();
    println!();
    println!(
        "VM gas is CosmWasm gas; storage is priced with the Cosmos SDK's KVGasConfig and converted"
    );
    println!("with wasmd's multiplier (140,000 VM gas per SDK gas). Each row is one contract's own call.");
    Ok(())
}
