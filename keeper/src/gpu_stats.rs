//! GPU utilization and memory, as the NVIDIA driver's own `nvidia-smi` reports them. The tool
//! ships with every driver, so a keeper with a GPU has it and one without reports nothing; no
//! management library is linked into the keeper.

use crate::metrics::GpuSample;
use std::time::Duration;

const QUERY: &str = "--query-gpu=index,utilization.gpu,memory.used,memory.total";
/// A driver that hangs must not hold the health check.
const TIMEOUT: Duration = Duration::from_secs(5);

/// The GPUs now, or `None` when no `nvidia-smi` answers (no NVIDIA driver, or it failed).
pub async fn sample() -> Option<Vec<GpuSample>> {
    let run = tokio::process::Command::new("nvidia-smi")
        .args([QUERY, "--format=csv,noheader,nounits"])
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(TIMEOUT, run).await.ok()?.ok()?;
    if !output.status.success() {
        return None;
    }
    Some(parse(&String::from_utf8_lossy(&output.stdout)))
}

/// `index, utilization %, used MiB, total MiB` per line; lines that do not parse (a field
/// `[N/A]` on some boards) are left out.
pub fn parse(text: &str) -> Vec<GpuSample> {
    text.lines()
        .filter_map(|line| {
            let mut fields = line.split(',').map(|f| f.trim().parse::<u64>().ok());
            let index = u32::try_from(fields.next()??).ok()?;
            let utilization_pct = fields.next()??;
            let used_mib = fields.next()??;
            let total_mib = fields.next()??;
            Some(GpuSample {
                index,
                utilization_pct,
                memory_used_bytes: used_mib.saturating_mul(1 << 20),
                memory_total_bytes: total_mib.saturating_mul(1 << 20),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_csv_and_skips_unreadable_lines() {
        let text = "0, 37, 1024, 81559\n1, [N/A], 0, 81559\n2, 100, 81000, 81559\n\n";
        assert_eq!(
            parse(text),
            vec![
                GpuSample {
                    index: 0,
                    utilization_pct: 37,
                    memory_used_bytes: 1024 << 20,
                    memory_total_bytes: 81559 << 20,
                },
                GpuSample {
                    index: 2,
                    utilization_pct: 100,
                    memory_used_bytes: 81000 << 20,
                    memory_total_bytes: 81559 << 20,
                },
            ]
        );
        assert!(parse("").is_empty());
    }
}
