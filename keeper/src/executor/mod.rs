//! Executors run a job's workload: the CPU reference everywhere, CUDA where a GPU is present.
//!
//! Every deterministic workload produces the same bytes on both executors; that is what lets a
//! quorum of providers (or a renter on a laptop) check a result by hash. Both executors pass
//! their input through [`validate`] first, so they also reject the same inputs with the same
//! error.

pub mod bench;
pub mod cpu;
pub mod cuda;
pub mod kernel_source;

use std::fmt;
use std::str::FromStr;

use gridshare_types::marketplace::{BufferKind, KernelBuffer, Workload};
use serde::{Deserialize, Serialize};

pub use cpu::CpuExecutor;
pub use cuda::CudaExecutor;

/// Largest job input an executor accepts, in bytes.
pub const MAX_INPUT_BYTES: u64 = 1 << 30;
/// Largest output an executor produces, in bytes.
pub const MAX_OUTPUT_BYTES: u64 = 1 << 30;
/// Largest total size of a custom kernel's buffers, in bytes.
pub const MAX_KERNEL_BUFFER_BYTES: u64 = 1 << 30;
/// Most buffers a custom kernel may take. Each is one 8-byte kernel parameter, and the driver's
/// parameter space is 4 KiB on the oldest GPUs we support.
pub const MAX_KERNEL_BUFFERS: usize = 256;
/// Largest custom kernel source, in bytes.
pub const MAX_KERNEL_SOURCE_BYTES: u64 = 1 << 20;
/// Most threads in one block on every GPU since compute capability 2.0.
pub const MAX_BLOCK_THREADS: u64 = 1024;

/// Runs workloads. Implementations are shared between the keeper's job tasks.
pub trait Executor: Send + Sync {
    fn kind(&self) -> ExecutorKind;
    /// The GPUs it runs on (empty for the CPU executor).
    fn devices(&self) -> &[DeviceInfo];
    /// Blocking; the caller runs it on a blocking thread.
    fn execute(&self, workload: &Workload, input: &[u8]) -> Result<Vec<u8>, ExecError>;
}

/// Which executor the keeper's configuration asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ExecutorChoice {
    /// CUDA when a driver and a device are present, else the CPU.
    Auto,
    Cpu,
    Cuda,
}

impl fmt::Display for ExecutorChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ExecutorChoice::Auto => "auto",
            ExecutorChoice::Cpu => "cpu",
            ExecutorChoice::Cuda => "cuda",
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown executor `{0}` (expected auto, cpu or cuda)")]
pub struct ParseExecutorChoiceError(pub String);

impl FromStr for ExecutorChoice {
    type Err = ParseExecutorChoiceError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(ExecutorChoice::Auto),
            "cpu" => Ok(ExecutorChoice::Cpu),
            "cuda" => Ok(ExecutorChoice::Cuda),
            _ => Err(ParseExecutorChoiceError(s.to_owned())),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExecutorKind {
    Cpu,
    Cuda,
}

impl fmt::Display for ExecutorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ExecutorKind::Cpu => "cpu",
            ExecutorKind::Cuda => "cuda",
        })
    }
}

/// One GPU an executor runs on.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct DeviceInfo {
    /// CUDA device ordinal.
    pub ordinal: usize,
    pub name: String,
    /// Total device memory, in MiB.
    pub vram_mib: u32,
    pub compute_capability: (u8, u8),
}

impl fmt::Display for DeviceInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "#{} {} ({} MiB, compute capability {}.{})",
            self.ordinal,
            self.name,
            self.vram_mib,
            self.compute_capability.0,
            self.compute_capability.1
        )
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ExecError {
    #[error("{workload}: the input is {got} bytes, expected {expected}")]
    InputSize {
        workload: &'static str,
        expected: u64,
        got: u64,
    },
    /// `bytes` is `u64::MAX` when computing the size overflowed.
    #[error("{what} is too large: {bytes} bytes (at most {max})")]
    TooLarge {
        what: &'static str,
        bytes: u64,
        max: u64,
    },
    #[error("{workload}: {reason}")]
    BadShape {
        workload: &'static str,
        reason: String,
    },
    #[error("the {executor} executor cannot run {workload}")]
    Unsupported {
        workload: &'static str,
        executor: ExecutorKind,
    },
    #[error("CUDA is not available: {reason}")]
    NoCuda { reason: String },
    /// The compiler's log is never passed on: it can quote what the source tried to reach.
    #[error("kernel compilation failed with {errors} error(s) (the compiler's log is withheld)")]
    Compile { errors: usize },
    #[error("kernel source refused: {0}")]
    SourceRefused(#[from] kernel_source::SourceRefused),
    #[error("CUDA {op} failed: {message}")]
    Cuda { op: &'static str, message: String },
    #[error("bad kernel launch: {reason}")]
    BadLaunch { reason: String },
}

/// Builds the executor the configuration asks for.
///
/// `Auto` never fails: without a usable GPU it falls back to the CPU (and logs why), so a keeper
/// on a GPU-less machine still serves CPU-runnable jobs.
pub fn select(choice: ExecutorChoice) -> Result<Box<dyn Executor>, ExecError> {
    match choice {
        ExecutorChoice::Cpu => Ok(Box::new(CpuExecutor::new())),
        ExecutorChoice::Cuda => Ok(Box::new(CudaExecutor::new()?)),
        ExecutorChoice::Auto => match CudaExecutor::new() {
            Ok(cuda) => Ok(Box::new(cuda)),
            Err(err) => {
                tracing::info!(%err, "CUDA unavailable; using the CPU executor");
                Ok(Box::new(CpuExecutor::new()))
            }
        },
    }
}

/// The workload's name as it appears in a job spec's JSON.
pub fn workload_name(workload: &Workload) -> &'static str {
    match workload {
        Workload::Benchmark {} => "benchmark",
        Workload::MatMulInt { .. } => "mat_mul_int",
        Workload::MatMulF32 { .. } => "mat_mul_f32",
        Workload::Sha256 {} => "sha256",
        Workload::CustomKernel { .. } => "custom_kernel",
    }
}

/// The shape of an `m × k` by `k × n` product, checked by [`validate`]: every element count
/// below fits in `usize` and every byte count within the executors' caps, so executors can index
/// with plain arithmetic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MatShape {
    pub m: usize,
    pub n: usize,
    pub k: usize,
    a_elems: usize,
    b_elems: usize,
    c_elems: usize,
}

impl MatShape {
    /// Elements of A (`m·k`).
    pub fn a_elems(&self) -> usize {
        self.a_elems
    }
    /// Elements of B (`k·n`).
    pub fn b_elems(&self) -> usize {
        self.b_elems
    }
    /// Elements of C (`m·n`).
    pub fn c_elems(&self) -> usize {
        self.c_elems
    }
}

/// A custom kernel launch, checked by [`validate`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct KernelPlan<'w> {
    pub source: &'w str,
    pub entry: &'w str,
    pub grid: (u32, u32, u32),
    pub block: (u32, u32, u32),
    pub buffers: &'w [KernelBuffer],
    /// Sum of the `Input` and `InOut` buffer sizes (the job input's length).
    pub input_bytes: u64,
    /// Sum of the `Output` and `InOut` buffer sizes (the output's length).
    pub output_bytes: u64,
}

/// A workload whose input has been checked.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Plan<'w> {
    Benchmark,
    MatMulInt(MatShape),
    MatMulF32(MatShape),
    Sha256,
    CustomKernel(KernelPlan<'w>),
}

/// Checks a workload against its input: the one place shapes, sizes and launch parameters are
/// judged, so every executor rejects the same inputs with the same error.
pub fn validate<'w>(workload: &'w Workload, input: &[u8]) -> Result<Plan<'w>, ExecError> {
    let name = workload_name(workload);
    let got = len_u64(input);
    match workload {
        Workload::Benchmark {} => {
            if got != 0 {
                return Err(ExecError::InputSize {
                    workload: name,
                    expected: 0,
                    got,
                });
            }
            Ok(Plan::Benchmark)
        }
        Workload::MatMulInt { m, n, k } => Ok(Plan::MatMulInt(mat_shape(name, *m, *n, *k, got)?)),
        Workload::MatMulF32 { m, n, k } => Ok(Plan::MatMulF32(mat_shape(name, *m, *n, *k, got)?)),
        Workload::Sha256 {} => {
            if got > MAX_INPUT_BYTES {
                return Err(ExecError::TooLarge {
                    what: "input",
                    bytes: got,
                    max: MAX_INPUT_BYTES,
                });
            }
            Ok(Plan::Sha256)
        }
        Workload::CustomKernel {
            source,
            entry,
            grid,
            block,
            buffers,
        } => Ok(Plan::CustomKernel(kernel_plan(
            source, entry, *grid, *block, buffers, got,
        )?)),
    }
}

fn len_u64(bytes: &[u8]) -> u64 {
    // usize is at most 64 bits on every target Rust supports.
    u64::try_from(bytes.len()).unwrap_or(u64::MAX)
}

fn too_large(what: &'static str, bytes: Option<u64>, max: u64) -> Result<u64, ExecError> {
    match bytes {
        Some(bytes) if bytes <= max => Ok(bytes),
        _ => Err(ExecError::TooLarge {
            what,
            bytes: bytes.unwrap_or(u64::MAX),
            max,
        }),
    }
}

fn to_usize(what: &'static str, value: u64, max: u64) -> Result<usize, ExecError> {
    usize::try_from(value).map_err(|_| ExecError::TooLarge {
        what,
        bytes: value,
        max,
    })
}

fn mat_shape(name: &'static str, m: u32, n: u32, k: u32, got: u64) -> Result<MatShape, ExecError> {
    if m == 0 || n == 0 || k == 0 {
        return Err(ExecError::BadShape {
            workload: name,
            reason: format!("every dimension must be at least 1 (m={m}, n={n}, k={k})"),
        });
    }
    let (m64, n64, k64) = (u64::from(m), u64::from(n), u64::from(k));
    let c_elems = m64.checked_mul(n64);
    let out_bytes = too_large(
        "output",
        c_elems.and_then(|c| c.checked_mul(4)),
        MAX_OUTPUT_BYTES,
    )?;
    let a_elems = m64.checked_mul(k64);
    let b_elems = k64.checked_mul(n64);
    let in_bytes = a_elems
        .zip(b_elems)
        .and_then(|(a, b)| a.checked_add(b))
        .and_then(|e| e.checked_mul(4));
    let in_bytes = too_large("input", in_bytes, MAX_INPUT_BYTES)?;
    if got != in_bytes {
        return Err(ExecError::InputSize {
            workload: name,
            expected: in_bytes,
            got,
        });
    }
    // Both byte counts are within the caps, so the element counts are too.
    Ok(MatShape {
        m: to_usize("m", m64, MAX_OUTPUT_BYTES)?,
        n: to_usize("n", n64, MAX_OUTPUT_BYTES)?,
        k: to_usize("k", k64, MAX_INPUT_BYTES)?,
        a_elems: to_usize("input", m64 * k64, MAX_INPUT_BYTES)?,
        b_elems: to_usize("input", k64 * n64, MAX_INPUT_BYTES)?,
        c_elems: to_usize("output", out_bytes / 4, MAX_OUTPUT_BYTES)?,
    })
}

fn bad_launch(reason: String) -> ExecError {
    ExecError::BadLaunch { reason }
}

fn is_c_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

fn kernel_plan<'w>(
    source: &'w str,
    entry: &'w str,
    grid: [u32; 3],
    block: [u32; 3],
    buffers: &'w [KernelBuffer],
    got: u64,
) -> Result<KernelPlan<'w>, ExecError> {
    too_large(
        "kernel source",
        Some(len_u64(source.as_bytes())),
        MAX_KERNEL_SOURCE_BYTES,
    )?;
    // NVRTC takes C strings: cudarc panics on an interior NUL rather than returning an error.
    if source.contains('\0') {
        return Err(bad_launch("the kernel source contains a NUL byte".into()));
    }
    kernel_source::screen(source)?;
    // The entry is looked up by its unmangled name, so it must be an `extern "C"` identifier.
    if !is_c_identifier(entry) {
        return Err(bad_launch(format!(
            "entry `{}` is not a C identifier (declare the kernel `extern \"C\" __global__`)",
            entry.escape_debug()
        )));
    }
    // Limits common to every GPU since compute capability 3.0.
    let grid_max = [i32::MAX as u32, 65_535, 65_535];
    let block_max = [1024, 1024, 64];
    for (axis, ((g, b), (gmax, bmax))) in ["x", "y", "z"].iter().zip(
        grid.iter()
            .zip(block.iter())
            .zip(grid_max.iter().zip(block_max.iter())),
    ) {
        if *g == 0 || g > gmax {
            return Err(bad_launch(format!(
                "grid.{axis} is {g}, must be between 1 and {gmax}"
            )));
        }
        if *b == 0 || b > bmax {
            return Err(bad_launch(format!(
                "block.{axis} is {b}, must be between 1 and {bmax}"
            )));
        }
    }
    let threads = block.iter().map(|b| u64::from(*b)).product::<u64>();
    if threads > MAX_BLOCK_THREADS {
        return Err(bad_launch(format!(
            "a block of {}×{}×{} is {threads} threads, at most {MAX_BLOCK_THREADS}",
            block[0], block[1], block[2]
        )));
    }
    if buffers.len() > MAX_KERNEL_BUFFERS {
        return Err(bad_launch(format!(
            "{} buffers, at most {MAX_KERNEL_BUFFERS}",
            buffers.len()
        )));
    }
    let mut total = Some(0u64);
    let mut input_bytes = 0u64;
    let mut output_bytes = 0u64;
    for (i, buffer) in buffers.iter().enumerate() {
        // CUDA cannot allocate an empty buffer, and an empty one carries nothing.
        if buffer.bytes == 0 {
            return Err(bad_launch(format!("buffer {i} has size 0")));
        }
        total = total.and_then(|t| t.checked_add(buffer.bytes));
        too_large("kernel buffers", total, MAX_KERNEL_BUFFER_BYTES)?;
        // Each partial sum is bounded by the total, itself within the cap.
        match buffer.kind {
            BufferKind::Input => input_bytes = input_bytes.saturating_add(buffer.bytes),
            BufferKind::Output => output_bytes = output_bytes.saturating_add(buffer.bytes),
            BufferKind::InOut => {
                input_bytes = input_bytes.saturating_add(buffer.bytes);
                output_bytes = output_bytes.saturating_add(buffer.bytes);
            }
        }
    }
    if got != input_bytes {
        return Err(ExecError::InputSize {
            workload: "custom_kernel",
            expected: input_bytes,
            got,
        });
    }
    Ok(KernelPlan {
        source,
        entry,
        grid: (grid[0], grid[1], grid[2]),
        block: (block[0], block[1], block[2]),
        buffers,
        input_bytes,
        output_bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kernel(grid: [u32; 3], block: [u32; 3], buffers: Vec<KernelBuffer>) -> Workload {
        Workload::CustomKernel {
            source: "extern \"C\" __global__ void k(float* a) {}".into(),
            entry: "k".into(),
            grid,
            block,
            buffers,
        }
    }

    fn buf(bytes: u64, kind: BufferKind) -> KernelBuffer {
        KernelBuffer { bytes, kind }
    }

    #[test]
    fn executor_choice_parses_and_prints() {
        for (text, choice) in [
            ("auto", ExecutorChoice::Auto),
            ("cpu", ExecutorChoice::Cpu),
            ("cuda", ExecutorChoice::Cuda),
        ] {
            assert_eq!(text.parse::<ExecutorChoice>(), Ok(choice));
            assert_eq!(choice.to_string(), text);
            let json = serde_json::to_string(&choice).unwrap();
            assert_eq!(json, format!("\"{text}\""));
            assert_eq!(
                serde_json::from_str::<ExecutorChoice>(&json).unwrap(),
                choice
            );
        }
        assert_eq!(" CUDA ".parse::<ExecutorChoice>(), Ok(ExecutorChoice::Cuda));
        assert_eq!(
            "gpu".parse::<ExecutorChoice>(),
            Err(ParseExecutorChoiceError("gpu".into()))
        );
        assert_eq!(ExecutorKind::Cpu.to_string(), "cpu");
        assert_eq!(ExecutorKind::Cuda.to_string(), "cuda");
    }

    #[test]
    fn matmul_shapes_are_checked() {
        let w = Workload::MatMulInt { m: 2, n: 2, k: 3 };
        let Plan::MatMulInt(shape) = validate(&w, &[0; 48]).unwrap() else {
            panic!("wrong plan");
        };
        assert_eq!(
            (shape.a_elems(), shape.b_elems(), shape.c_elems()),
            (6, 6, 4)
        );

        assert_eq!(
            validate(&w, &[0; 47]),
            Err(ExecError::InputSize {
                workload: "mat_mul_int",
                expected: 48,
                got: 47
            })
        );
        assert_eq!(
            validate(&Workload::MatMulF32 { m: 2, n: 2, k: 3 }, &[0; 52]),
            Err(ExecError::InputSize {
                workload: "mat_mul_f32",
                expected: 48,
                got: 52
            })
        );
        for (m, n, k) in [(0, 1, 1), (1, 0, 1), (1, 1, 0)] {
            assert!(matches!(
                validate(&Workload::MatMulF32 { m, n, k }, &[]),
                Err(ExecError::BadShape {
                    workload: "mat_mul_f32",
                    ..
                })
            ));
        }
    }

    #[test]
    fn matmul_caps_and_overflow() {
        // m·n·4 overflows u64.
        let w = Workload::MatMulInt {
            m: u32::MAX,
            n: u32::MAX,
            k: 1,
        };
        assert_eq!(
            validate(&w, &[]),
            Err(ExecError::TooLarge {
                what: "output",
                bytes: u64::MAX,
                max: MAX_OUTPUT_BYTES
            })
        );
        // Output just over the cap.
        let w = Workload::MatMulInt {
            m: 1 << 14,
            n: (1 << 14) + 1,
            k: 1,
        };
        assert!(matches!(
            validate(&w, &[]),
            Err(ExecError::TooLarge { what: "output", bytes, .. }) if bytes == 4 * (1 << 14) * ((1 << 14) + 1)
        ));
        // Small output, huge input: 4·(k + k) with k = u32::MAX exceeds the cap but not u64.
        let w = Workload::MatMulF32 {
            m: 1,
            n: 1,
            k: u32::MAX,
        };
        assert_eq!(
            validate(&w, &[]),
            Err(ExecError::TooLarge {
                what: "input",
                bytes: 8 * u64::from(u32::MAX),
                max: MAX_INPUT_BYTES
            })
        );
    }

    #[test]
    fn benchmark_and_sha256_inputs() {
        assert_eq!(validate(&Workload::Benchmark {}, &[]), Ok(Plan::Benchmark));
        assert_eq!(
            validate(&Workload::Benchmark {}, &[1]),
            Err(ExecError::InputSize {
                workload: "benchmark",
                expected: 0,
                got: 1
            })
        );
        assert_eq!(validate(&Workload::Sha256 {}, &[]), Ok(Plan::Sha256));
    }

    #[test]
    fn kernel_plan_sums_buffers() {
        let w = kernel(
            [4, 1, 1],
            [256, 1, 1],
            vec![
                buf(16, BufferKind::Input),
                buf(8, BufferKind::InOut),
                buf(32, BufferKind::Output),
            ],
        );
        let Plan::CustomKernel(plan) = validate(&w, &[0; 24]).unwrap() else {
            panic!("wrong plan");
        };
        assert_eq!((plan.input_bytes, plan.output_bytes), (24, 40));
        assert_eq!(plan.grid, (4, 1, 1));
        assert_eq!(plan.block, (256, 1, 1));
        assert_eq!(
            validate(&w, &[0; 23]),
            Err(ExecError::InputSize {
                workload: "custom_kernel",
                expected: 24,
                got: 23
            })
        );
    }

    #[test]
    fn kernel_launch_shapes_are_checked() {
        let out = || vec![buf(4, BufferKind::Output)];
        let bad = |w: Workload| matches!(validate(&w, &[]), Err(ExecError::BadLaunch { .. }));
        assert!(validate(&kernel([1, 1, 1], [1, 1, 1], out()), &[]).is_ok());
        assert!(validate(&kernel([1, 1, 1], [1024, 1, 1], out()), &[]).is_ok());
        assert!(bad(kernel([0, 1, 1], [1, 1, 1], out())));
        assert!(bad(kernel([1, 0, 1], [1, 1, 1], out())));
        assert!(bad(kernel([1, 1, 0], [1, 1, 1], out())));
        assert!(bad(kernel([1, 65_536, 1], [1, 1, 1], out())));
        assert!(bad(kernel([1 << 31, 1, 1], [1, 1, 1], out())));
        assert!(bad(kernel([1, 1, 1], [0, 1, 1], out())));
        assert!(bad(kernel([1, 1, 1], [1, 1, 0], out())));
        assert!(bad(kernel([1, 1, 1], [1025, 1, 1], out())));
        assert!(bad(kernel([1, 1, 1], [1, 1, 65], out())));
        assert!(bad(kernel([1, 1, 1], [64, 32, 1], out())));
        assert!(bad(kernel(
            [1, 1, 1],
            [1, 1, 1],
            vec![buf(0, BufferKind::Output)]
        )));
        assert!(bad(kernel(
            [1, 1, 1],
            [1, 1, 1],
            vec![buf(1, BufferKind::Output); MAX_KERNEL_BUFFERS + 1]
        )));
    }

    #[test]
    fn kernel_names_and_sources_are_checked() {
        let with = |source: &str, entry: &str| Workload::CustomKernel {
            source: source.into(),
            entry: entry.into(),
            grid: [1, 1, 1],
            block: [1, 1, 1],
            buffers: vec![],
        };
        assert!(validate(&with("x", "_add2"), &[]).is_ok());
        for entry in ["", "2add", "add(", "a b", "a\0"] {
            assert!(
                matches!(
                    validate(&with("x", entry), &[]),
                    Err(ExecError::BadLaunch { .. })
                ),
                "{entry:?}"
            );
        }
        assert!(matches!(
            validate(&with("a\0b", "k"), &[]),
            Err(ExecError::BadLaunch { .. })
        ));
        let huge = "x".repeat(MAX_KERNEL_SOURCE_BYTES as usize + 1);
        assert!(matches!(
            validate(&with(&huge, "k"), &[]),
            Err(ExecError::TooLarge {
                what: "kernel source",
                ..
            })
        ));
    }

    #[test]
    fn kernel_buffer_totals_are_capped() {
        let w = kernel(
            [1, 1, 1],
            [1, 1, 1],
            vec![
                buf(MAX_KERNEL_BUFFER_BYTES, BufferKind::Output),
                buf(1, BufferKind::Output),
            ],
        );
        assert_eq!(
            validate(&w, &[]),
            Err(ExecError::TooLarge {
                what: "kernel buffers",
                bytes: MAX_KERNEL_BUFFER_BYTES + 1,
                max: MAX_KERNEL_BUFFER_BYTES
            })
        );
        let w = kernel(
            [1, 1, 1],
            [1, 1, 1],
            vec![
                buf(u64::MAX, BufferKind::Output),
                buf(2, BufferKind::Output),
            ],
        );
        assert!(matches!(
            validate(&w, &[]),
            Err(ExecError::TooLarge {
                what: "kernel buffers",
                ..
            })
        ));
    }

    #[test]
    fn select_cpu_and_auto_without_a_gpu() {
        let cpu = select(ExecutorChoice::Cpu).unwrap();
        assert_eq!(cpu.kind(), ExecutorKind::Cpu);
        assert!(cpu.devices().is_empty());

        let auto = select(ExecutorChoice::Auto).unwrap();
        let cuda = select(ExecutorChoice::Cuda);
        if cuda::driver_present() {
            eprintln!("a CUDA driver is present: select(Auto) may pick CUDA here");
            if let Ok(cuda) = cuda {
                assert_eq!(auto.kind(), ExecutorKind::Cuda);
                assert!(!cuda.devices().is_empty());
            }
            return;
        }
        assert_eq!(auto.kind(), ExecutorKind::Cpu);
        match cuda {
            Err(ExecError::NoCuda { reason }) => assert!(reason.contains("libcuda"), "{reason}"),
            Err(other) => panic!("expected NoCuda, got {other}"),
            Ok(_) => panic!("expected NoCuda, got a CUDA executor"),
        }
    }
}
