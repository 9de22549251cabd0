//! Times an executor on the deterministic workloads, for `gridshare-keeper bench`.
//!
//! Each figure is the fastest of a few runs of `Executor::execute`, end to end: a job sees the
//! host-to-device copies, the compile-free launch and the copy back, so the figures include them.

use std::fmt;
use std::time::{Duration, Instant};

use gridshare_types::marketplace::Workload;

use super::cpu::lcg_bytes;
use super::{validate, ExecError, Executor};

/// Bytes hashed by the SHA-256 row.
pub const SHA256_BYTES: usize = 64 << 20;
/// Matrix sides a plain `bench` runs.
pub const DEFAULT_SIZES: &[u32] = &[256, 1024];

/// Runs stop once their total passes this, or after `MAX_RUNS`.
const MIN_TOTAL: Duration = Duration::from_millis(500);
const MAX_RUNS: u32 = 10;

/// What one row measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BenchSize {
    /// An `n × n` by `n × n` product.
    Square(u32),
    /// Bytes of input.
    Bytes(u64),
}

impl fmt::Display for BenchSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BenchSize::Square(n) => write!(f, "{n}×{n}·{n}×{n}"),
            BenchSize::Bytes(b) if *b >= 1 << 20 && b % (1 << 20) == 0 => {
                write!(f, "{} MiB", b >> 20)
            }
            BenchSize::Bytes(b) => write!(f, "{b} B"),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct BenchRow {
    /// The workload's spec name (`mat_mul_int`, `mat_mul_f32`, `sha256`).
    pub workload: &'static str,
    pub size: BenchSize,
    /// The fastest run, in seconds.
    pub seconds: f64,
    /// Operations (a multiply-add is two) or bytes per second, in units of 10⁹: see `unit`.
    pub throughput: f64,
    /// `GOP/s` (integer products), `GFLOP/s` (f32 products) or `GB/s` (hashing).
    pub unit: &'static str,
    /// How many runs were timed.
    pub runs: u32,
}

impl fmt::Display for BenchRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:<12} {:>22} {:>12.6} s {:>10.3} {:<7} ({} run{})",
            self.workload,
            self.size.to_string(),
            self.seconds,
            self.throughput,
            self.unit,
            self.runs,
            if self.runs == 1 { "" } else { "s" }
        )
    }
}

/// The rows as a table with a header, one row per line.
pub struct Table<'a>(pub &'a [BenchRow]);

impl fmt::Display for Table<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:<12} {:>22} {:>14} {:>18}",
            "workload", "size", "time", "throughput"
        )?;
        for row in self.0 {
            writeln!(f, "{row}")?;
        }
        Ok(())
    }
}

/// Times `n×n` integer and f32 products for each of `sizes`, then SHA-256 of [`SHA256_BYTES`].
pub fn run(executor: &dyn Executor, sizes: &[u32]) -> Result<Vec<BenchRow>, ExecError> {
    let mut rows = Vec::with_capacity(sizes.len() * 2 + 1);
    for &n in sizes {
        let side = n as usize;
        let words = side.saturating_mul(side).saturating_mul(2);
        let ops = 2.0 * f64::from(n).powi(3);
        // Reject a size before generating gigabytes of input for it.
        precheck(&Workload::MatMulInt { m: n, n, k: n })?;

        let ints = lcg_bytes(0x1234_5678 ^ n, words);
        let (seconds, runs) = time(executor, &Workload::MatMulInt { m: n, n, k: n }, &ints)?;
        rows.push(BenchRow {
            workload: "mat_mul_int",
            size: BenchSize::Square(n),
            seconds,
            throughput: ops / seconds / 1e9,
            unit: "GOP/s",
            runs,
        });

        let floats = f32_bytes(0x9E37_79B9 ^ n, words);
        let (seconds, runs) = time(executor, &Workload::MatMulF32 { m: n, n, k: n }, &floats)?;
        rows.push(BenchRow {
            workload: "mat_mul_f32",
            size: BenchSize::Square(n),
            seconds,
            throughput: ops / seconds / 1e9,
            unit: "GFLOP/s",
            runs,
        });
    }
    let data = lcg_bytes(0x5EED, SHA256_BYTES / 4);
    let (seconds, runs) = time(executor, &Workload::Sha256 {}, &data)?;
    rows.push(BenchRow {
        workload: "sha256",
        size: BenchSize::Bytes(data.len() as u64),
        seconds,
        throughput: data.len() as f64 / seconds / 1e9,
        unit: "GB/s",
        runs,
    });
    Ok(rows)
}

/// The workload's shape errors, found without its input (whose length alone is then wrong).
fn precheck(workload: &Workload) -> Result<(), ExecError> {
    match validate(workload, &[]) {
        Ok(_) | Err(ExecError::InputSize { .. }) => Ok(()),
        Err(err) => Err(err),
    }
}

/// Uniform f32 in [-1, 1), from the benchmark's LCG: finite, so the timing is of ordinary math.
fn f32_bytes(seed: u32, words: usize) -> Vec<u8> {
    lcg_bytes(seed, words)
        .as_chunks::<4>()
        .0
        .iter()
        .flat_map(|w| {
            let x = u32::from_le_bytes(*w) >> 8;
            (x as f32 / (1u32 << 23) as f32 - 1.0).to_le_bytes()
        })
        .collect()
}

/// The fastest of up to `MAX_RUNS` runs, stopping once they total `MIN_TOTAL`.
fn time(
    executor: &dyn Executor,
    workload: &Workload,
    input: &[u8],
) -> Result<(f64, u32), ExecError> {
    let mut best = Duration::MAX;
    let mut total = Duration::ZERO;
    let mut runs = 0;
    while runs < MAX_RUNS && total < MIN_TOTAL {
        let start = Instant::now();
        executor.execute(workload, input)?;
        let took = start.elapsed();
        best = best.min(took);
        total += took;
        runs += 1;
    }
    // A timer too coarse to see the run must not make the throughput infinite.
    Ok((best.as_secs_f64().max(1e-9), runs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::executor::CpuExecutor;

    #[test]
    fn cpu_bench_produces_rows() {
        let rows = run(&CpuExecutor::new(), &[8, 16]).unwrap();
        let labels: Vec<_> = rows.iter().map(|r| (r.workload, r.size)).collect();
        assert_eq!(
            labels,
            vec![
                ("mat_mul_int", BenchSize::Square(8)),
                ("mat_mul_f32", BenchSize::Square(8)),
                ("mat_mul_int", BenchSize::Square(16)),
                ("mat_mul_f32", BenchSize::Square(16)),
                ("sha256", BenchSize::Bytes(64 << 20)),
            ]
        );
        assert!(rows
            .iter()
            .all(|r| r.seconds > 0.0 && r.throughput.is_finite() && r.runs >= 1));
        let table = Table(&rows).to_string();
        assert_eq!(table.lines().count(), 6);
        assert!(table.contains("64 MiB"));
        assert!(table.contains("16×16·16×16"));
    }

    #[test]
    fn oversized_bench_fails_cleanly() {
        assert!(matches!(
            run(&CpuExecutor::new(), &[1 << 15]),
            Err(ExecError::TooLarge { what: "output", .. })
        ));
    }

    #[test]
    fn f32_inputs_are_in_range() {
        let bytes = f32_bytes(1, 1000);
        assert!(bytes
            .as_chunks::<4>()
            .0
            .iter()
            .map(|w| f32::from_le_bytes(*w))
            .all(|x| (-1.0..1.0).contains(&x)));
    }
}
