//! The energy a job used, measured where this host can, and reported as unmeasured (`None`)
//! where it cannot, never as 0.
//!
//! - CUDA jobs: NVML (loaded at run time, so the keeper starts without a driver), per GPU the
//!   job was given: the driver's cumulative energy counter (Volta and later) read before and
//!   after, or, where a board has no counter, its power sampled every 100 ms and integrated.
//!   A job's devices are its own (`crate::slots`), so the figure is the job's.
//! - CPU jobs: RAPL through Linux powercap (`/sys/class/powercap/intel-rapl:N`, Intel and AMD),
//!   every package's counter before and after, wraparound handled. RAPL measures whole sockets,
//!   so concurrent work on the host is included: an upper bound, said so in the README. The
//!   counters are often readable by root only; a keeper that cannot read them reports
//!   unmeasured.
//!
//! Figures are milliwatt-hours (1 mWh = 3.6 J), rounded to the nearest.

use crate::executor::ExecutorKind;
use nvml_wrapper::Nvml;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const POWERCAP: &str = "/sys/class/powercap";
const SAMPLE_EVERY: Duration = Duration::from_millis(100);
/// Microjoules in a milliwatt-hour.
const UJ_PER_MWH: u64 = 3_600_000;

/// How this host measures a job's energy.
pub enum EnergyMeter {
    Nvml(Arc<Nvml>),
    Rapl(Vec<RaplDomain>),
    Unmeasured,
}

/// One RAPL package counter.
#[derive(Clone, Debug)]
pub struct RaplDomain {
    energy: PathBuf,
    /// The counter wraps to 0 past this many microjoules.
    range_uj: u64,
}

impl RaplDomain {
    fn read(&self) -> Option<u64> {
        std::fs::read_to_string(&self.energy)
            .ok()?
            .trim()
            .parse()
            .ok()
    }
}

/// A measurement in progress.
pub enum Running {
    /// Counters at the start, microjoules.
    Counters(Vec<u64>),
    /// A sampler thread integrating power; its total (microjoules) once stopped.
    Sampled {
        stop: Arc<AtomicBool>,
        thread: std::thread::JoinHandle<Option<u64>>,
    },
}

/// The top-level RAPL domains (packages) under `root` whose counters this process can read.
pub fn rapl_domains(root: &Path) -> Vec<RaplDomain> {
    let Ok(entries) = std::fs::read_dir(root) else {
        return vec![];
    };
    let mut domains: Vec<RaplDomain> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                // `intel-rapl:0` is a package; `intel-rapl:0:1` one of its parts (counted in it).
                .is_some_and(|n| n.starts_with("intel-rapl:") && n.matches(':').count() == 1)
        })
        .filter_map(|dir| {
            let range_uj = std::fs::read_to_string(dir.join("max_energy_range_uj"))
                .ok()?
                .trim()
                .parse()
                .ok()?;
            let domain = RaplDomain {
                energy: dir.join("energy_uj"),
                range_uj,
            };
            domain.read().map(|_| domain)
        })
        .collect();
    domains.sort_by(|a, b| a.energy.cmp(&b.energy));
    domains
}

/// Microjoules between two readings of a counter that wraps past `range`.
fn delta(start: u64, end: u64, range: u64) -> u64 {
    if end >= start {
        end - start
    } else {
        range.saturating_sub(start).saturating_add(end)
    }
}

fn to_mwh(uj: u64) -> u64 {
    uj.saturating_add(UJ_PER_MWH / 2) / UJ_PER_MWH
}

fn open_nvml() -> Option<Nvml> {
    // Driver installs have `libnvidia-ml.so.1`; the unversioned name comes with dev packages.
    for lib in ["libnvidia-ml.so.1", "libnvidia-ml.so"] {
        if let Ok(nvml) = Nvml::builder().lib_path(std::ffi::OsStr::new(lib)).init() {
            return Some(nvml);
        }
    }
    None
}

impl EnergyMeter {
    /// The meter for jobs of this executor on this host.
    pub fn open(kind: ExecutorKind) -> EnergyMeter {
        match kind {
            ExecutorKind::Cuda => open_nvml()
                .map(|n| EnergyMeter::Nvml(Arc::new(n)))
                .unwrap_or(EnergyMeter::Unmeasured),
            ExecutorKind::Cpu => EnergyMeter::rapl_at(Path::new(POWERCAP)),
        }
    }

    /// RAPL under `root` (a powercap directory), or unmeasured when it has no readable counter.
    pub fn rapl_at(root: &Path) -> EnergyMeter {
        match rapl_domains(root) {
            d if d.is_empty() => EnergyMeter::Unmeasured,
            d => EnergyMeter::Rapl(d),
        }
    }

    pub fn describe(&self) -> &'static str {
        match self {
            EnergyMeter::Nvml(_) => "nvml",
            EnergyMeter::Rapl(_) => "rapl",
            EnergyMeter::Unmeasured => "unmeasured",
        }
    }

    /// Starts measuring a job on `devices` (its `CUDA_VISIBLE_DEVICES`: indices or UUIDs); `None`
    /// when it cannot be measured.
    pub fn start(&self, devices: Option<&str>) -> Option<Running> {
        match self {
            EnergyMeter::Unmeasured => None,
            EnergyMeter::Rapl(domains) => domains
                .iter()
                .map(RaplDomain::read)
                .collect::<Option<Vec<u64>>>()
                .map(Running::Counters),
            EnergyMeter::Nvml(nvml) => {
                let ids: Vec<String> = devices?
                    .split(',')
                    .map(|d| d.trim().to_string())
                    .filter(|d| !d.is_empty())
                    .collect();
                if ids.is_empty() {
                    return None;
                }
                // Counters in millijoules (kept as microjoules like RAPL's).
                let counters: Option<Vec<u64>> = ids
                    .iter()
                    .map(|id| {
                        nvml_device(nvml, id)?
                            .total_energy_consumption()
                            .ok()
                            .map(|mj| mj.saturating_mul(1000))
                    })
                    .collect();
                if let Some(c) = counters {
                    return Some(Running::Counters(c));
                }
                // Every device must at least report its power, or nothing is claimed.
                ids.iter()
                    .all(|id| nvml_device(nvml, id).is_some_and(|d| d.power_usage().is_ok()))
                    .then(|| sample_power(nvml.clone(), ids))
            }
        }
    }

    /// The energy since `start`, in mWh; `None` if a counter could not be read again.
    pub fn finish(&self, running: Running, devices: Option<&str>) -> Option<u64> {
        match running {
            Running::Sampled { stop, thread } => {
                stop.store(true, Ordering::Relaxed);
                thread.thread().unpark();
                thread.join().ok().flatten().map(to_mwh)
            }
            Running::Counters(before) => {
                let after: Vec<(u64, u64)> = match self {
                    EnergyMeter::Rapl(domains) => domains
                        .iter()
                        .map(|d| d.read().map(|v| (v, d.range_uj)))
                        .collect::<Option<_>>()?,
                    EnergyMeter::Nvml(nvml) => devices?
                        .split(',')
                        .map(|id| {
                            let mj = nvml_device(nvml, id.trim())?
                                .total_energy_consumption()
                                .ok()?;
                            // NVML's counter does not wrap within a job's lifetime.
                            Some((mj.saturating_mul(1000), u64::MAX))
                        })
                        .collect::<Option<_>>()?,
                    EnergyMeter::Unmeasured => return None,
                };
                if after.len() != before.len() {
                    return None;
                }
                let total = before
                    .iter()
                    .zip(&after)
                    .map(|(&b, &(a, range))| delta(b, a, range))
                    .fold(0u64, u64::saturating_add);
                Some(to_mwh(total))
            }
        }
    }
}

fn nvml_device<'n>(nvml: &'n Nvml, id: &str) -> Option<nvml_wrapper::Device<'n>> {
    match id.parse::<u32>() {
        Ok(index) => nvml.device_by_index(index).ok(),
        Err(_) if id.starts_with("GPU-") => nvml.device_by_uuid(id).ok(),
        // A MIG instance shares its board's counters: its own energy is not measurable.
        Err(_) => None,
    }
}

/// Integrates the devices' power (milliwatts) every [`SAMPLE_EVERY`] until stopped.
fn sample_power(nvml: Arc<Nvml>, ids: Vec<String>) -> Running {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let thread = std::thread::spawn(move || {
        let mut total_uj: u64 = 0;
        let mut last = Instant::now();
        loop {
            let stopping = flag.load(Ordering::Relaxed);
            let watts_mw: u64 = ids
                .iter()
                .map(|id| nvml_device(&nvml, id).and_then(|d| d.power_usage().ok()))
                .collect::<Option<Vec<u32>>>()?
                .into_iter()
                .map(u64::from)
                .sum();
            let now = Instant::now();
            let micros = u64::try_from(now.duration_since(last).as_micros()).unwrap_or(u64::MAX);
            last = now;
            // mW × µs = nJ; /1000 = µJ.
            total_uj = total_uj.saturating_add(watts_mw.saturating_mul(micros) / 1000);
            if stopping {
                return Some(total_uj);
            }
            std::thread::park_timeout(SAMPLE_EVERY);
        }
    });
    Running::Sampled { stop, thread }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package(root: &Path, name: &str, energy: u64, range: u64) {
        let dir = root.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("energy_uj"), format!("{energy}\n")).unwrap();
        std::fs::write(dir.join("max_energy_range_uj"), format!("{range}\n")).unwrap();
    }

    #[test]
    fn rapl_sums_packages_across_a_wraparound() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        package(root, "intel-rapl:0", 1_000_000, 262_143_328_850);
        package(root, "intel-rapl:1", 262_143_000_000, 262_143_328_850);
        // A part of package 0: already counted in it.
        package(root, "intel-rapl:0:0", 5, 10);
        let meter = EnergyMeter::rapl_at(root);
        assert_eq!(meter.describe(), "rapl");
        let running = meter.start(None).unwrap();
        // Package 0 used 7.2 J; package 1 wrapped and used 328,850 + 1,000,000 µJ.
        package(root, "intel-rapl:0", 8_200_000, 262_143_328_850);
        package(root, "intel-rapl:1", 1_000_000, 262_143_328_850);
        // 7,200,000 + 1,328,850 µJ = 8.52885 J = 2.369 mWh → 2.
        assert_eq!(meter.finish(running, None), Some(2));
    }

    #[test]
    fn no_readable_counter_means_unmeasured_never_zero() {
        let dir = tempfile::tempdir().unwrap();
        let meter = EnergyMeter::rapl_at(dir.path());
        assert_eq!(meter.describe(), "unmeasured");
        assert!(meter.start(None).is_none());
        // A counter that disappears mid-job gives no figure rather than a wrong one.
        package(dir.path(), "intel-rapl:0", 10, 100);
        let meter = EnergyMeter::rapl_at(dir.path());
        let running = meter.start(None).unwrap();
        std::fs::remove_file(dir.path().join("intel-rapl:0/energy_uj")).unwrap();
        assert_eq!(meter.finish(running, None), None);
    }

    #[test]
    fn milliwatt_hours_round_to_nearest() {
        assert_eq!(to_mwh(0), 0);
        assert_eq!(to_mwh(1_799_999), 0);
        assert_eq!(to_mwh(1_800_000), 1);
        assert_eq!(to_mwh(3_600_000), 1);
        assert_eq!(delta(90, 10, 100), 20);
        assert_eq!(delta(10, 90, 100), 80);
    }

    #[test]
    fn a_gpu_meter_needs_the_jobs_devices() {
        // Without a driver the CUDA meter is unmeasured; with one, a job without devices is.
        match EnergyMeter::open(ExecutorKind::Cuda) {
            EnergyMeter::Unmeasured => {}
            meter => assert!(meter.start(None).is_none()),
        }
    }
}
