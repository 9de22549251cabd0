//! The CUDA executor against the CPU reference, byte for byte. On a machine without a usable CUDA
//! driver every test is reported "skipped" with the reason (never "passed"); the harness is this
//! file's `main`, because the standard one can only pass a test that did not run.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::process::ExitCode;

use gridshare_keeper::executor::{
    bench, select, CpuExecutor, CudaExecutor, ExecError, Executor, ExecutorChoice, ExecutorKind,
};
use gridshare_types::marketplace::{BufferKind, KernelBuffer, Workload};

/// Words from a 64-bit LCG (its high half), independent of the executors' own generator.
fn random_words(seed: u64, count: usize) -> Vec<u32> {
    let mut state = seed;
    (0..count)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 32) as u32
        })
        .collect()
}

fn le_u32(words: &[u32]) -> Vec<u8> {
    words.iter().flat_map(|w| w.to_le_bytes()).collect()
}

fn le_f32(values: &[f32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// Runs on both executors and insists on identical bytes.
fn same_on_both(gpu: &CudaExecutor, workload: &Workload, input: &[u8]) -> Vec<u8> {
    let cpu = CpuExecutor::new().execute(workload, input).unwrap();
    let cuda = gpu.execute(workload, input).unwrap();
    if cpu != cuda {
        let first = cpu.iter().zip(&cuda).position(|(a, b)| a != b);
        panic!(
            "{workload:?}: CPU and CUDA differ ({} vs {} bytes, first difference at byte {first:?})",
            cpu.len(),
            cuda.len()
        );
    }
    cuda
}

fn kernel(
    source: &str,
    entry: &str,
    grid: u32,
    block: u32,
    buffers: &[(u64, BufferKind)],
) -> Workload {
    Workload::CustomKernel {
        source: source.into(),
        entry: entry.into(),
        grid: [grid, 1, 1],
        block: [block, 1, 1],
        buffers: buffers
            .iter()
            .map(|&(bytes, kind)| KernelBuffer { bytes, kind })
            .collect(),
    }
}

fn devices_are_listed(gpu: &CudaExecutor) {
    assert_eq!(gpu.kind(), ExecutorKind::Cuda);
    assert!(!gpu.devices().is_empty());
    for device in gpu.devices() {
        eprintln!("CUDA device {device}");
        assert!(!device.name.is_empty());
        assert!(device.vram_mib > 0);
        assert!(device.compute_capability.0 >= 3);
    }
    let selected = select(ExecutorChoice::Cuda).unwrap();
    assert_eq!(selected.kind(), ExecutorKind::Cuda);
    assert_eq!(selected.devices(), gpu.devices());
    assert_eq!(
        select(ExecutorChoice::Auto).unwrap().kind(),
        ExecutorKind::Cuda
    );
}

fn benchmark_matches_cpu(gpu: &CudaExecutor) {
    let out = same_on_both(gpu, &Workload::Benchmark {}, &[]);
    assert_eq!(out.len(), 256 * 256 * 4);
}

fn matmul_int_matches_cpu(gpu: &CudaExecutor) {
    // By hand: [1 2 3; 4 5 6] · [7 8; 9 10; 11 12].
    let out = same_on_both(
        gpu,
        &Workload::MatMulInt { m: 2, n: 2, k: 3 },
        &le_u32(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]),
    );
    assert_eq!(out, le_u32(&[58, 64, 139, 154]));
    // Full-range values: nearly every multiply and add wraps.
    for (seed, (m, n, k)) in [
        (1, (1, 1, 1)),
        (2, (37, 29, 53)),
        (3, (1, 1000, 7)),
        (4, (513, 3, 1025)),
        (5, (200, 300, 150)),
    ] {
        let words = random_words(seed, (m * k + k * n) as usize);
        same_on_both(gpu, &Workload::MatMulInt { m, n, k }, &le_u32(&words));
    }
    let extremes = le_u32(&[i32::MAX as u32, i32::MIN as u32, i32::MIN as u32, u32::MAX]);
    same_on_both(gpu, &Workload::MatMulInt { m: 1, n: 1, k: 2 }, &extremes);
}

fn matmul_f32_matches_cpu(gpu: &CudaExecutor) {
    for (seed, (m, n, k)) in [(10, (37, 29, 53)), (11, (64, 64, 64)), (12, (129, 31, 517))] {
        let count = (m * k + k * n) as usize;
        // Values in [-1, 1).
        let unit: Vec<f32> = random_words(seed, count)
            .iter()
            .map(|w| (w >> 8) as f32 / (1 << 23) as f32 - 1.0)
            .collect();
        same_on_both(gpu, &Workload::MatMulF32 { m, n, k }, &le_f32(&unit));
        // Random finite bit patterns: every magnitude, subnormals and overflow to infinity.
        let wide: Vec<f32> = random_words(seed + 100, count)
            .iter()
            .map(|&w| {
                let x = f32::from_bits(w);
                if x.is_finite() {
                    x
                } else {
                    1.5
                }
            })
            .collect();
        same_on_both(gpu, &Workload::MatMulF32 { m, n, k }, &le_f32(&wide));
    }
    // NaNs with payloads, infinities that cancel, signed zeros, subnormals.
    let specials = [
        f32::NAN,
        f32::from_bits(0xFFC0_1234),
        f32::INFINITY,
        f32::NEG_INFINITY,
        0.0,
        -0.0,
        f32::from_bits(1),
        f32::MIN_POSITIVE,
        1.0,
        -1.0,
        f32::MAX,
        3.0,
    ];
    let mut values = Vec::new();
    for i in 0..specials.len() {
        for j in 0..specials.len() {
            values.push(specials[(i * 7 + j) % specials.len()]);
        }
    }
    let n = specials.len() as u32;
    let input: Vec<f32> = values.iter().chain(values.iter().rev()).copied().collect();
    same_on_both(gpu, &Workload::MatMulF32 { m: n, n, k: n }, &le_f32(&input));
}

fn sha256_matches_cpu(gpu: &CudaExecutor) {
    let data: Vec<u8> = le_u32(&random_words(20, (1 << 20) / 4 + 1));
    for len in [
        0,
        1,
        3,
        55,
        56,
        57,
        63,
        64,
        65,
        119,
        120,
        128,
        1000,
        1 << 20,
    ] {
        let out = same_on_both(gpu, &Workload::Sha256 {}, &data[..len]);
        assert_eq!(out.len(), 32);
    }
    let abc = gpu.execute(&Workload::Sha256 {}, b"abc").unwrap();
    assert_eq!(
        abc.iter().map(|b| format!("{b:02x}")).collect::<String>(),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

const ADD: &str = r#"
extern "C" __global__ void add(const float* a, const float* b, float* out) {
    unsigned int i = blockIdx.x * blockDim.x + threadIdx.x;
    out[i] = a[i] + b[i];
}
"#;

fn custom_kernel_adds(gpu: &CudaExecutor) {
    let n = 1024usize;
    let a: Vec<f32> = (0..n).map(|i| i as f32 * 0.5).collect();
    let b: Vec<f32> = (0..n).map(|i| 1000.0 - i as f32).collect();
    let input = [le_f32(&a), le_f32(&b)].concat();
    let bytes = (n * 4) as u64;
    let w = kernel(
        ADD,
        "add",
        4,
        256,
        &[
            (bytes, BufferKind::Input),
            (bytes, BufferKind::Input),
            (bytes, BufferKind::Output),
        ],
    );
    let out = gpu.execute(&w, &input).unwrap();
    let expected: Vec<f32> = a.iter().zip(&b).map(|(x, y)| x + y).collect();
    assert_eq!(out, le_f32(&expected));
    // The CPU cannot run it, with the error the executors agree on.
    assert!(matches!(
        CpuExecutor::new().execute(&w, &input),
        Err(ExecError::Unsupported { .. })
    ));
}

fn custom_kernel_outputs_follow_buffer_order(gpu: &CudaExecutor) {
    let source = r#"
extern "C" __global__ void mix(int* io, const int* in, int* out) {
    int i = threadIdx.x;
    out[i] = in[i] * 2;
    io[i] += in[i];
}
"#;
    let io: Vec<u32> = (0..32).collect();
    let input_words: Vec<u32> = (0..32).map(|i| 100 + i).collect();
    let input = [le_u32(&io), le_u32(&input_words)].concat();
    let w = kernel(
        source,
        "mix",
        1,
        32,
        &[
            (128, BufferKind::InOut),
            (128, BufferKind::Input),
            (128, BufferKind::Output),
        ],
    );
    let out = gpu.execute(&w, &input).unwrap();
    let sums: Vec<u32> = io.iter().zip(&input_words).map(|(a, b)| a + b).collect();
    let doubled: Vec<u32> = input_words.iter().map(|x| x * 2).collect();
    assert_eq!(out, [le_u32(&sums), le_u32(&doubled)].concat());
}

fn custom_kernel_compile_error_withholds_its_log(gpu: &CudaExecutor) {
    let w = kernel(
        "extern \"C\" __global__ void broken(float* out) { out[0] = ; }",
        "broken",
        1,
        1,
        &[(4, BufferKind::Output)],
    );
    match gpu.execute(&w, &[]) {
        Err(ExecError::Compile { errors }) => assert!(errors >= 1),
        other => panic!("expected a compile error, got {other:?}"),
    }
}

fn custom_kernel_signature_must_match_buffers(gpu: &CudaExecutor) {
    let two = [(4, BufferKind::Input), (4, BufferKind::Output)];
    let three = [
        (4, BufferKind::Input),
        (4, BufferKind::Input),
        (4, BufferKind::Output),
    ];
    // Too few buffers for the kernel: the driver would read past the arguments.
    let err = gpu.execute(&kernel(ADD, "add", 1, 1, &two), &[0; 4]);
    assert!(matches!(err, Err(ExecError::BadLaunch { .. })), "{err:?}");
    // Too many.
    let one_param = "extern \"C\" __global__ void k(float* out) { out[0] = 1.0f; }";
    let err = gpu.execute(&kernel(one_param, "k", 1, 1, &two), &[0; 4]);
    assert!(matches!(err, Err(ExecError::BadLaunch { .. })), "{err:?}");
    // A parameter that is not a pointer.
    let scalar =
        "extern \"C\" __global__ void k(const float* a, int n, float* out) { out[0] = a[0] + n; }";
    let err = gpu.execute(&kernel(scalar, "k", 1, 1, &three), &[0; 8]);
    assert!(matches!(err, Err(ExecError::BadLaunch { .. })), "{err:?}");
    // No such entry (C++ linkage mangles the name).
    let mangled = "__global__ void k(float* out) { out[0] = 1.0f; }";
    let err = gpu.execute(&kernel(mangled, "k", 1, 1, &[(4, BufferKind::Output)]), &[]);
    assert!(matches!(err, Err(ExecError::BadLaunch { .. })), "{err:?}");
}

fn faulting_kernel_leaves_the_executor_usable(gpu: &CudaExecutor) {
    let source = r#"
extern "C" __global__ void crash(int* out) {
    volatile int* nowhere = (volatile int*)(((unsigned long long)out) ^ 0x7f0000000000ull);
    *nowhere = 1;
    out[0] = 1;
}
"#;
    let err = gpu.execute(
        &kernel(source, "crash", 1, 1, &[(4, BufferKind::Output)]),
        &[],
    );
    eprintln!("faulting kernel: {err:?}");
    assert!(matches!(err, Err(ExecError::Cuda { .. })), "{err:?}");
    // The built-in kernels and later custom kernels still run.
    same_on_both(gpu, &Workload::Benchmark {}, &[]);
    let ok = "extern \"C\" __global__ void k(int* out) { out[threadIdx.x] = threadIdx.x; }";
    let out = gpu
        .execute(&kernel(ok, "k", 1, 4, &[(16, BufferKind::Output)]), &[])
        .unwrap();
    assert_eq!(out, le_u32(&[0, 1, 2, 3]));
}

/// NVML measures a GPU job's energy: a few seconds of matrix products on device 0 used some.
fn energy_is_measured_by_nvml(gpu: &CudaExecutor) {
    let meter = gridshare_keeper::energy::EnergyMeter::open(ExecutorKind::Cuda);
    assert_eq!(meter.describe(), "nvml", "a CUDA host without NVML");
    let running = meter
        .start(Some("0"))
        .expect("device 0 reports energy or power");
    let words = random_words(30, 2 * 1024 * 1024);
    let started = std::time::Instant::now();
    while started.elapsed() < std::time::Duration::from_secs(3) {
        gpu.execute(
            &Workload::MatMulF32 {
                m: 1024,
                n: 1024,
                k: 1024,
            },
            &le_u32(&words),
        )
        .unwrap();
    }
    let mwh = meter.finish(running, Some("0"));
    eprintln!("3 s of 1024³ f32 products on device 0: {mwh:?} mWh");
    // Even idle, a datacenter GPU draws tens of watts: 3 s is well over 1 mWh.
    assert!(mwh.is_some_and(|e| e >= 1), "{mwh:?}");
}

/// `cargo test -p gridshare-keeper --test cuda -- --ignored --nocapture` prints the GPU's bench table.
fn bench_table(gpu: &CudaExecutor) {
    let rows = bench::run(gpu, &[256, 1024, 2048]).unwrap();
    eprintln!("{}", bench::Table(&rows));
}

/// Every check: (name, test, run only with `--ignored`).
type Check = (&'static str, fn(&CudaExecutor), bool);
const CHECKS: &[Check] = &[
    ("devices_are_listed", devices_are_listed, false),
    ("benchmark_matches_cpu", benchmark_matches_cpu, false),
    ("matmul_int_matches_cpu", matmul_int_matches_cpu, false),
    ("matmul_f32_matches_cpu", matmul_f32_matches_cpu, false),
    ("sha256_matches_cpu", sha256_matches_cpu, false),
    ("custom_kernel_adds", custom_kernel_adds, false),
    (
        "custom_kernel_outputs_follow_buffer_order",
        custom_kernel_outputs_follow_buffer_order,
        false,
    ),
    (
        "custom_kernel_compile_error_withholds_its_log",
        custom_kernel_compile_error_withholds_its_log,
        false,
    ),
    (
        "custom_kernel_signature_must_match_buffers",
        custom_kernel_signature_must_match_buffers,
        false,
    ),
    (
        "faulting_kernel_leaves_the_executor_usable",
        faulting_kernel_leaves_the_executor_usable,
        false,
    ),
    (
        "energy_is_measured_by_nvml",
        energy_is_measured_by_nvml,
        false,
    ),
    ("bench_table", bench_table, true),
];

/// `cargo test --test cuda [-- FILTER] [--ignored]`: one executor for all checks (starting one
/// compiles the built-in kernels).
fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let ignored = args.iter().any(|a| a == "--ignored");
    let filter = args.iter().find(|a| !a.starts_with('-'));
    let selected: Vec<&Check> = CHECKS
        .iter()
        .filter(|(name, _, is_ignored)| {
            *is_ignored == ignored && filter.is_none_or(|f| name.contains(f.as_str()))
        })
        .collect();
    let gpu = match CudaExecutor::new() {
        Ok(gpu) => gpu,
        Err(ExecError::NoCuda { reason }) => {
            for (name, _, _) in &selected {
                println!("test {name} ... skipped");
            }
            println!(
                "\ntest result: skipped. 0 passed; 0 failed; {} skipped: {reason}",
                selected.len()
            );
            return ExitCode::SUCCESS;
        }
        Err(other) => {
            println!("a CUDA driver is present but the executor did not start: {other}");
            return ExitCode::FAILURE;
        }
    };
    let mut failed = vec![];
    for (name, check, _) in &selected {
        let outcome = catch_unwind(AssertUnwindSafe(|| check(&gpu)));
        println!(
            "test {name} ... {}",
            if outcome.is_ok() { "ok" } else { "FAILED" }
        );
        if outcome.is_err() {
            failed.push(*name);
        }
    }
    println!(
        "\ntest result: {}. {} passed; {} failed; 0 skipped",
        if failed.is_empty() { "ok" } else { "FAILED" },
        selected.len() - failed.len(),
        failed.len()
    );
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
