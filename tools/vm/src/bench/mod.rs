//! `make bench`: the gas each GridShare operation costs, next to a cw20-base transfer.

pub mod chain;
pub mod cw20;
pub mod escrow;
pub mod marketplace;
pub mod storage;
pub mod table;

use anyhow::Result;
use chain::Chain;
use std::path::Path;
use table::Table;

/// Book sizes the marketplace is measured at.
pub const BOOK_SIZES: [u32; 3] = [10, 1_000, 10_000];

/// Runs every measurement against the artifacts in `dir` and prints the table.
pub fn run(dir: &Path) -> Result<()> {
    let mut chain = Chain::new()?;
    let baseline = cw20::transfer_gas(&mut chain, &dir.join("bench/cw20_base.wasm"))?;
    let mut table = Table::new(baseline);
    escrow::measure(&mut chain, &dir.join("escrow.wasm"), &mut table)?;

    // BENCH_SIZES=10,1000 measures other book sizes (a quicker run while iterating).
    let sizes: Vec<u32> = match std::env::var("BENCH_SIZES") {
        Ok(list) => list
            .split(',')
            .map(|s| s.trim().parse())
            .collect::<Result<_, _>>()?,
        Err(_) => BOOK_SIZES.to_vec(),
    };
    let mut markets = vec![];
    for size in sizes {
        eprintln!("measuring the marketplace with {size} resting offers…");
        markets.push(marketplace::measure(
            &dir.join("marketplace.wasm"),
            size,
            &mut table,
        )?);
    }

    println!();
    table.print();
    println!();
    println!(
        "VM gas is CosmWasm gas; storage is priced with the Cosmos SDK's KVGasConfig and converted"
    );
    println!("with wasmd's multiplier (140,000 VM gas per SDK gas). Each row is one contract's own call.");
    println!();
    targets(&table, baseline, &markets);
    Ok(())
}

/// The targets, judged on total gas (execution + storage) and on execution alone.
fn targets(table: &Table, baseline: chain::Gas, markets: &[marketplace::MarketGas]) {
    let exec_ratio = |g: chain::Gas| g.execution as f64 / baseline.execution.max(1) as f64;
    let verdict = |ok: bool| if ok { "met" } else { "NOT met" };
    for m in markets {
        let order = m.post_order_one_model;
        println!(
            "@ {:>6} offers: matching order {:.2}× cw20 total, {:.2}× execution (target ≤ 3×: {}); heartbeat {:.2}× total, {:.2}× execution (target ≤ 1×: {})",
            m.resting_offers,
            table.ratio(order),
            exec_ratio(order),
            verdict(table.ratio(order) <= 3.0),
            table.ratio(m.heartbeat),
            exec_ratio(m.heartbeat),
            verdict(table.ratio(m.heartbeat) <= 1.0),
        );
    }
    if let (Some(small), Some(large)) = (markets.first(), markets.last()) {
        let growth = |a: chain::Gas, b: chain::Gas| b.total() as f64 / a.total().max(1) as f64;
        let worst = [
            growth(small.register, large.register),
            growth(small.post_offer, large.post_offer),
            growth(small.post_order_one_model, large.post_order_one_model),
            growth(small.post_order_all_models, large.post_order_all_models),
            growth(small.heartbeat, large.heartbeat),
            growth(small.commit_result, large.commit_result),
            growth(small.reveal_result, large.reveal_result),
            growth(small.settle, large.settle),
            growth(small.dispute, large.dispute),
        ]
        .into_iter()
        .fold(0.0f64, f64::max);
        println!(
            "gas at {} offers / gas at {} offers, worst operation: {:.3}× (target ≤ 1.2×: {})",
            large.resting_offers,
            small.resting_offers,
            worst,
            verdict(worst <= 1.2)
        );
    }
}
