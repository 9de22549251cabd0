//! The CUDA executor, on cudarc's driver API with run-time loading: the keeper builds and runs
//! without CUDA installed, and finds the driver (and NVRTC) when it starts.
//!
//! Every built-in kernel reproduces the CPU reference's bytes: integer products wrap the same
//! way, f32 products accumulate in the same order with separately rounded multiplies and adds
//! (`--fmad=false`) and canonical NaNs, and SHA-256 is the standard algorithm run by one thread.

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use cudarc::driver::{
    sys, CudaContext, CudaFunction, CudaSlice, DriverError, LaunchConfig, PushKernelArg,
};
use cudarc::nvrtc::{compile_ptx_with_opts, CompileError, CompileOptions, Ptx};
use gridshare_types::marketplace::{BufferKind, Workload};

use super::cpu::{benchmark_inputs, benchmark_workload};
use super::{
    validate, DeviceInfo, ExecError, Executor, ExecutorKind, KernelPlan, MatShape, Plan,
    MAX_OUTPUT_BYTES,
};

/// Threads per block of the built-in matrix kernels.
const MATMUL_BLOCK: u32 = 256;

/// The SHA-256 kernel's launch: one message is one chain of compressions.
const ONE_THREAD: LaunchConfig = LaunchConfig {
    grid_dim: (1, 1, 1),
    block_dim: (1, 1, 1),
    shared_mem_bytes: 0,
};

/// The built-in kernels, compiled once per executor.
const BUILTIN_KERNELS: &str = r#"
typedef unsigned int u32;
typedef unsigned long long u64;

// Unsigned arithmetic: its wrap-around is defined, and bit for bit the same as wrapping i32.
extern "C" __global__ void matmul_i32(const u32* ab, u32* c, u64 m, u64 n, u64 k) {
    u64 idx = (u64)blockIdx.x * blockDim.x + threadIdx.x;
    if (idx >= m * n) return;
    u64 i = idx / n, j = idx % n;
    const u32* a = ab + i * k;
    const u32* b = ab + m * k + j;
    u32 acc = 0u;
    for (u64 p = 0; p < k; ++p) acc += a[p] * b[p * n];
    c[idx] = acc;
}

// With --fmad=false each step is a rounded multiply then a rounded add, as on the CPU.
extern "C" __global__ void matmul_f32(const float* ab, u32* c, u64 m, u64 n, u64 k) {
    u64 idx = (u64)blockIdx.x * blockDim.x + threadIdx.x;
    if (idx >= m * n) return;
    u64 i = idx / n, j = idx % n;
    const float* a = ab + i * k;
    const float* b = ab + m * k + j;
    float acc = 0.0f;
    for (u64 p = 0; p < k; ++p) acc = acc + a[p] * b[p * n];
    c[idx] = (acc != acc) ? 0x7fc00000u : __float_as_uint(acc);
}

__constant__ u32 SHA256_K[64] = {
    0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u, 0x923f82a4u, 0xab1c5ed5u,
    0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u, 0xc19bf174u,
    0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau,
    0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u, 0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u,
    0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu, 0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u,
    0xa2bfe8a1u, 0xa81a664bu, 0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u,
    0x19a4c116u, 0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
    0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u, 0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u
};

__device__ __forceinline__ u32 rotr(u32 x, u32 n) { return (x >> n) | (x << (32u - n)); }

// SHA-256 over a message the host has already padded (0x80, zeros, 64-bit big-endian bit
// length) to whole 64-byte blocks. One message is one chain of compressions, so one thread.
extern "C" __global__ void sha256_padded(const u32* msg, u64 blocks, unsigned char* digest) {
    if (blockIdx.x != 0 || threadIdx.x != 0) return;
    u32 h[8] = {0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au,
                0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u};
    u32 w[64];
    for (u64 blk = 0; blk < blocks; ++blk) {
        const u32* words = msg + blk * 16;
        #pragma unroll
        for (int t = 0; t < 16; ++t) w[t] = __byte_perm(words[t], 0u, 0x0123u);
        #pragma unroll
        for (int t = 16; t < 64; ++t) {
            u32 s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
            u32 s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
            w[t] = w[t - 16] + s0 + w[t - 7] + s1;
        }
        u32 a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
        #pragma unroll
        for (int t = 0; t < 64; ++t) {
            u32 t1 = hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g))
                   + SHA256_K[t] + w[t];
            u32 t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
            hh = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
        }
        h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
    }
    for (int i = 0; i < 8; ++i) {
        digest[4 * i] = (unsigned char)(h[i] >> 24);
        digest[4 * i + 1] = (unsigned char)(h[i] >> 16);
        digest[4 * i + 2] = (unsigned char)(h[i] >> 8);
        digest[4 * i + 3] = (unsigned char)h[i];
    }
}
"#;

/// Whether the CUDA driver library (libcuda) can be loaded.
pub fn driver_present() -> bool {
    // SAFETY: only tries to dlopen the driver under its usual names; nothing is called.
    unsafe { sys::is_culib_present() }
}

/// Whether the NVRTC library can be loaded.
pub fn nvrtc_present() -> bool {
    // SAFETY: as for `driver_present`.
    unsafe { cudarc::nvrtc::sys::is_culib_present() }
}

/// cudarc resolves driver functions on first use and panics when one is missing (an old
/// driver), so functions newer than the basics are looked up before they are called.
fn driver_has(symbol: &str) -> bool {
    // SAFETY: only called once `driver_present()` held, so `culib()` finds the library instead of
    // panicking; looking a symbol up calls nothing.
    driver_present()
        && unsafe { sys::culib().get::<unsafe extern "C" fn()>(symbol.as_bytes()) }.is_ok()
}

fn cuda(op: &'static str) -> impl FnOnce(DriverError) -> ExecError {
    move |err| ExecError::Cuda {
        op,
        message: err.to_string(),
    }
}

fn panic_message(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned())
}

/// cudarc panics on some failures instead of returning errors; in builds that unwind, turn those
/// into errors too. (Builds with `panic = "abort"` rely on the checks made before each call.)
fn guarded<T>(
    on_panic: impl FnOnce(String) -> ExecError,
    f: impl FnOnce() -> Result<T, ExecError>,
) -> Result<T, ExecError> {
    catch_unwind(AssertUnwindSafe(f))
        .unwrap_or_else(|payload| Err(on_panic(panic_message(&*payload))))
}

/// Compiles CUDA C++ with the options every kernel here shares: no contraction of multiplies
/// and adds, no flushing of subnormals, IEEE division and square root. Custom kernels get them
/// too, so providers with different GPUs agree on a kernel's floating-point results.
///
/// The code is compiled for the device's own architecture (`sm_XY` from its compute capability)
/// into a CUBIN, machine code the driver loads as it is: PTX from an NVRTC newer than the driver
/// would be refused by the driver's JIT ("unsupported PTX version"). An architecture this NVRTC
/// does not know (a device newer than the toolkit) falls back to PTX for the driver to JIT.
fn compile(source: &str, name: &str, capability: (u8, u8)) -> Result<Ptx, ExecError> {
    let mut options: Vec<String> = SHARED_OPTIONS.iter().map(|o| o.to_string()).collect();
    options.push(arch_option(capability));
    match compile_cubin(source, name, &options) {
        Ok(cubin) => return Ok(Ptx::from_binary(cubin)),
        Err(CubinError::Compile(err)) => return Err(compile_error(err)),
        Err(CubinError::Arch(reason)) => {
            tracing::warn!(?capability, %reason, "NVRTC cannot build for this device; the driver compiles PTX instead");
        }
    }
    let opts = CompileOptions {
        name: Some(name.to_owned()),
        options: SHARED_OPTIONS.iter().map(|o| o.to_string()).collect(),
        ..Default::default()
    };
    compile_ptx_with_opts(source, opts).map_err(compile_error)
}

/// The floating-point rules every kernel is compiled with (see [`compile`]).
const SHARED_OPTIONS: [&str; 4] = [
    "--fmad=false",
    "--ftz=false",
    "--prec-div=true",
    "--prec-sqrt=true",
];

/// NVRTC's flag for a device of compute capability `major.minor`.
fn arch_option((major, minor): (u8, u8)) -> String {
    format!("--gpu-architecture=sm_{major}{minor}")
}

enum CubinError {
    /// The source does not compile.
    Compile(CompileError),
    /// NVRTC refused the architecture option, or cannot hand out a CUBIN.
    Arch(String),
}

/// NVRTC to a CUBIN (cudarc's safe API returns PTX only).
fn compile_cubin(source: &str, name: &str, options: &[String]) -> Result<Vec<u8>, CubinError> {
    use cudarc::nvrtc::{result, sys};
    let arch = |what: &str, e: &dyn std::fmt::Display| CubinError::Arch(format!("{what}: {e}"));
    // The source screen refuses NUL bytes; check anyway rather than let cudarc panic.
    let src = std::ffi::CString::new(source).map_err(|e| arch("source", &e))?;
    let name = std::ffi::CString::new(name).map_err(|e| arch("name", &e))?;
    let prog = result::create_program(&src, Some(&name)).map_err(|e| arch("create", &e))?;
    let options = options.to_vec();
    // SAFETY: `prog` is a live program until destroyed below; the buffers are sized by NVRTC.
    let outcome = unsafe {
        match result::compile_program(prog, &options) {
            Err(e) => {
                let log = result::get_program_log(prog)
                    .map(|raw| std::ffi::CStr::from_ptr(raw.as_ptr()).to_owned())
                    .unwrap_or_default();
                if log.to_string_lossy().contains("gpu-architecture") {
                    Err(arch("architecture", &e))
                } else {
                    Err(CubinError::Compile(CompileError::CompileError {
                        nvrtc: e,
                        options,
                        log,
                    }))
                }
            }
            Ok(()) => {
                let mut size = 0usize;
                if sys::nvrtcGetCUBINSize(prog, &mut size) != sys::nvrtcResult::NVRTC_SUCCESS
                    || size == 0
                {
                    Err(CubinError::Arch("no CUBIN for this architecture".into()))
                } else {
                    let mut cubin = vec![0u8; size];
                    if sys::nvrtcGetCUBIN(prog, cubin.as_mut_ptr().cast())
                        != sys::nvrtcResult::NVRTC_SUCCESS
                    {
                        Err(CubinError::Arch("reading the CUBIN failed".into()))
                    } else {
                        Ok(cubin)
                    }
                }
            }
        }
    };
    // SAFETY: created above and not used after this.
    let _ = unsafe { result::destroy_program(prog) };
    outcome
}

/// A compiler error becomes a count of errors only: the log may quote whatever the source
/// reached for, so it is never kept.
fn compile_error(err: CompileError) -> ExecError {
    match err {
        CompileError::CompileError { log, .. } => ExecError::Compile {
            errors: log
                .to_string_lossy()
                .lines()
                .filter(|l| l.contains("error"))
                .count()
                .max(1),
        },
        other => ExecError::Cuda {
            op: "NVRTC",
            message: other.to_string(),
        },
    }
}

fn blocks_for(elems: usize, threads: u32) -> Result<u32, ExecError> {
    let blocks = elems.div_ceil(threads as usize);
    u32::try_from(blocks).map_err(|_| ExecError::TooLarge {
        what: "output",
        bytes: (elems as u64).saturating_mul(4),
        max: MAX_OUTPUT_BYTES,
    })
}

/// Pads a message as SHA-256 does: 0x80, zeros, then the length in bits as a big-endian u64,
/// to a whole number of 64-byte blocks.
fn sha256_pad(input: &[u8]) -> Vec<u8> {
    let padded_len = input
        .len()
        .saturating_add(9)
        .div_ceil(64)
        .saturating_mul(64);
    let bits = (input.len() as u64).wrapping_mul(8);
    let mut msg = Vec::with_capacity(padded_len);
    msg.extend_from_slice(input);
    msg.push(0x80);
    msg.resize(padded_len.saturating_sub(8), 0);
    msg.extend_from_slice(&bits.to_be_bytes());
    msg
}

/// One GPU, with the built-in kernels loaded into its primary context.
struct Gpu {
    ordinal: usize,
    /// Compute capability (major, minor): what its kernels are compiled for.
    capability: (u8, u8),
    ctx: Arc<CudaContext>,
    matmul_i32: CudaFunction,
    matmul_f32: CudaFunction,
    sha256: CudaFunction,
}

/// Runs workloads on every CUDA device of the machine, taking them in turn job by job.
pub struct CudaExecutor {
    devices: Vec<DeviceInfo>,
    gpus: Vec<Gpu>,
    next: AtomicUsize,
}

impl CudaExecutor {
    /// Finds the driver, NVRTC and the devices, and compiles and loads the built-in kernels.
    ///
    /// Errors with [`ExecError::NoCuda`] when the driver, NVRTC or any device is missing.
    pub fn new() -> Result<Self, ExecError> {
        // Without its library cudarc panics rather than returning an error.
        if !driver_present() {
            return Err(ExecError::NoCuda {
                reason: "no CUDA driver (libcuda) found".into(),
            });
        }
        // Every kernel, the built-in ones included, is compiled at run time.
        if !nvrtc_present() {
            return Err(ExecError::NoCuda {
                reason:
                    "no NVRTC library (libnvrtc) found: the CUDA executor compiles its kernels \
                         at run time, so the CUDA toolkit's libnvrtc must be on the library path"
                        .into(),
            });
        }
        guarded(
            |message| ExecError::NoCuda {
                reason: format!("the CUDA library failed while starting: {message}"),
            },
            Self::start,
        )
    }

    fn start() -> Result<Self, ExecError> {
        let count = CudaContext::device_count().map_err(|err| ExecError::NoCuda {
            reason: format!("the CUDA driver did not start: {err}"),
        })?;
        let count = usize::try_from(count).unwrap_or(0);
        if count == 0 {
            return Err(ExecError::NoCuda {
                reason: "the CUDA driver found no devices".into(),
            });
        }
        let mut devices = Vec::with_capacity(count);
        let mut gpus = Vec::with_capacity(count);
        for ordinal in 0..count {
            let ctx = CudaContext::new(ordinal).map_err(cuda("create a context"))?;
            let name = ctx.name().map_err(cuda("query the device name"))?;
            let total = ctx.total_mem().map_err(cuda("query the device memory"))?;
            let (major, minor) = ctx
                .compute_capability()
                .map_err(cuda("query the compute capability"))?;
            let capability = (
                u8::try_from(major).unwrap_or(u8::MAX),
                u8::try_from(minor).unwrap_or(u8::MAX),
            );
            devices.push(DeviceInfo {
                ordinal,
                name,
                vram_mib: u32::try_from(total >> 20).unwrap_or(u32::MAX),
                compute_capability: capability,
            });
            let module = ctx
                .load_module(compile(
                    BUILTIN_KERNELS,
                    "gridshare_builtin.cu",
                    capability,
                )?)
                .map_err(cuda("load the built-in kernels"))?;
            let function = |name: &str| {
                module
                    .load_function(name)
                    .map_err(cuda("load a built-in kernel"))
            };
            gpus.push(Gpu {
                ordinal,
                capability,
                matmul_i32: function("matmul_i32")?,
                matmul_f32: function("matmul_f32")?,
                sha256: function("sha256_padded")?,
                ctx,
            });
        }
        Ok(CudaExecutor {
            devices,
            gpus,
            next: AtomicUsize::new(0),
        })
    }

    fn pick(&self) -> Result<&Gpu, ExecError> {
        let turn = self.next.fetch_add(1, Ordering::Relaxed);
        self.gpus
            .get(turn % self.gpus.len().max(1))
            .ok_or_else(|| ExecError::NoCuda {
                reason: "the executor has no devices".into(),
            })
    }

    fn run(&self, workload: &Workload, input: &[u8]) -> Result<Vec<u8>, ExecError> {
        match validate(workload, input)? {
            Plan::Benchmark => self.run(&benchmark_workload(), &benchmark_inputs()),
            Plan::MatMulInt(shape) => {
                let gpu = self.pick()?;
                matmul(gpu, &gpu.matmul_i32, shape, input)
            }
            Plan::MatMulF32(shape) => {
                let gpu = self.pick()?;
                matmul(gpu, &gpu.matmul_f32, shape, input)
            }
            Plan::Sha256 => sha256(self.pick()?, input),
            Plan::CustomKernel(plan) => custom_kernel(self.pick()?, &plan, input),
        }
    }
}

impl Executor for CudaExecutor {
    fn kind(&self) -> ExecutorKind {
        ExecutorKind::Cuda
    }

    fn devices(&self) -> &[DeviceInfo] {
        &self.devices
    }

    fn execute(&self, workload: &Workload, input: &[u8]) -> Result<Vec<u8>, ExecError> {
        guarded(
            |message| ExecError::Cuda {
                op: "execute",
                message: format!("the CUDA library panicked: {message}"),
            },
            || self.run(workload, input),
        )
    }
}

fn matmul(
    gpu: &Gpu,
    func: &CudaFunction,
    shape: MatShape,
    input: &[u8],
) -> Result<Vec<u8>, ExecError> {
    // A stream per job: jobs on the same GPU from different threads neither wait for nor
    // disturb each other.
    let stream = gpu.ctx.new_stream().map_err(cuda("create a stream"))?;
    let ab = stream
        .clone_htod(input)
        .map_err(cuda("copy the input to the device"))?;
    let mut c = stream
        .alloc_zeros::<u8>(shape.c_elems().saturating_mul(4))
        .map_err(cuda("allocate the output"))?;
    let (m, n, k) = (shape.m as u64, shape.n as u64, shape.k as u64);
    let cfg = LaunchConfig {
        grid_dim: (blocks_for(shape.c_elems(), MATMUL_BLOCK)?, 1, 1),
        block_dim: (MATMUL_BLOCK, 1, 1),
        shared_mem_bytes: 0,
    };
    let mut launch = stream.launch_builder(func);
    launch.arg(&ab).arg(&mut c).arg(&m).arg(&n).arg(&k);
    // SAFETY: the arguments match the kernels' (const T* ab, u32* c, u64 m, u64 n, u64 k); `ab`
    // holds exactly m·k + k·n 4-byte elements (checked by `validate`) and `c` m·n, and the
    // kernel only touches elements below those bounds.
    unsafe { launch.launch(cfg) }.map_err(cuda("launch the matrix product"))?;
    let out = stream
        .clone_dtoh(&c)
        .map_err(cuda("copy the output to the host"))?;
    stream
        .synchronize()
        .map_err(cuda("run the matrix product"))?;
    Ok(out)
}

fn sha256(gpu: &Gpu, input: &[u8]) -> Result<Vec<u8>, ExecError> {
    let msg = sha256_pad(input);
    let blocks = (msg.len() / 64) as u64;
    let stream = gpu.ctx.new_stream().map_err(cuda("create a stream"))?;
    let dev_msg = stream
        .clone_htod(&msg)
        .map_err(cuda("copy the input to the device"))?;
    let mut digest = stream
        .alloc_zeros::<u8>(32)
        .map_err(cuda("allocate the output"))?;
    let mut launch = stream.launch_builder(&gpu.sha256);
    launch.arg(&dev_msg).arg(&blocks).arg(&mut digest);
    // SAFETY: the arguments match (const u32* msg, u64 blocks, u8* digest); `msg` holds exactly
    // `blocks` 64-byte blocks and `digest` 32 bytes.
    unsafe { launch.launch(ONE_THREAD) }.map_err(cuda("launch SHA-256"))?;
    let out = stream
        .clone_dtoh(&digest)
        .map_err(cuda("copy the output to the host"))?;
    stream.synchronize().map_err(cuda("run SHA-256"))?;
    Ok(out)
}

/// Checks that `func` takes exactly `count` parameters, each pointer-sized. The driver reads as
/// many arguments as the kernel declares from the array it is given, so a mismatch would make it
/// read past our arguments.
fn check_params(func: &CudaFunction, entry: &str, count: usize) -> Result<(), ExecError> {
    let pointer = std::mem::size_of::<sys::CUdeviceptr>();
    for index in 0..=count {
        let (mut offset, mut size) = (0usize, 0usize);
        // SAFETY: `func` keeps its module loaded, so the handle is valid; the out-pointers are
        // live locals. `driver_has` was checked by the caller.
        let result =
            unsafe { sys::cuFuncGetParamInfo(func.cu_function(), index, &mut offset, &mut size) };
        let found = match result {
            sys::CUresult::CUDA_SUCCESS => true,
            // The index is past the last parameter.
            sys::CUresult::CUDA_ERROR_INVALID_VALUE => false,
            other => return Err(cuda("list the kernel's parameters")(DriverError(other))),
        };
        match (index < count, found) {
            (true, true) if size == pointer => {}
            (true, true) => {
                return Err(ExecError::BadLaunch {
                    reason: format!(
                        "parameter {index} of `{entry}` is {size} bytes: every parameter must be \
                         a pointer to one of the spec's buffers"
                    ),
                })
            }
            (true, false) => {
                return Err(ExecError::BadLaunch {
                    reason: format!(
                        "`{entry}` takes {index} parameters but the spec declares {count} buffers"
                    ),
                })
            }
            (false, true) => {
                return Err(ExecError::BadLaunch {
                    reason: format!(
                        "`{entry}` takes more than the {count} buffers the spec declares"
                    ),
                })
            }
            (false, false) => {}
        }
    }
    Ok(())
}

fn custom_kernel(gpu: &Gpu, plan: &KernelPlan<'_>, input: &[u8]) -> Result<Vec<u8>, ExecError> {
    for symbol in ["cuCtxCreate_v4", "cuFuncGetParamInfo"] {
        if !driver_has(symbol) {
            return Err(ExecError::Cuda {
                op: "run a custom kernel",
                message: format!(
                    "the CUDA driver has no {symbol}: custom kernels need 12.5 or newer"
                ),
            });
        }
    }
    let ptx = compile(plan.source, "job.cu", gpu.capability)?;
    // A renter's kernel that faults leaves its context unusable for good. In a context of its
    // own, that context is thrown away with the job and the built-in kernels' stays healthy.
    let ctx = CudaContext::new_non_primary(gpu.ordinal, 0).map_err(cuda("create a context"))?;
    let module = ctx
        .load_module(ptx)
        .map_err(cuda("load the compiled kernel"))?;
    let func = module
        .load_function(plan.entry)
        .map_err(|err| ExecError::BadLaunch {
            reason: format!(
                "no kernel `{}` in the compiled source (declare it `extern \"C\" __global__`): {err}",
                plan.entry
            ),
        })?;
    check_params(&func, plan.entry, plan.buffers.len())?;

    let stream = ctx.default_stream();
    let mut buffers: Vec<CudaSlice<u8>> = Vec::with_capacity(plan.buffers.len());
    let mut rest = input;
    for spec in plan.buffers {
        let len = usize::try_from(spec.bytes).map_err(|_| ExecError::TooLarge {
            what: "kernel buffer",
            bytes: spec.bytes,
            max: super::MAX_KERNEL_BUFFER_BYTES,
        })?;
        let buffer = match spec.kind {
            BufferKind::Input | BufferKind::InOut => {
                let (head, tail) = rest.split_at_checked(len).ok_or(ExecError::InputSize {
                    workload: "custom_kernel",
                    expected: plan.input_bytes,
                    got: input.len() as u64,
                })?;
                rest = tail;
                stream.clone_htod(head)
            }
            BufferKind::Output => stream.alloc_zeros::<u8>(len),
        }
        .map_err(cuda("allocate a kernel buffer"))?;
        buffers.push(buffer);
    }

    let cfg = LaunchConfig {
        grid_dim: plan.grid,
        block_dim: plan.block,
        shared_mem_bytes: 0,
    };
    let mut launch = stream.launch_builder(&func);
    for buffer in buffers.iter_mut() {
        launch.arg(buffer);
    }
    // SAFETY: `check_params` established that the kernel takes exactly one pointer per buffer,
    // which is what is passed. What the kernel does with them is the renter's business: a stray
    // access faults its own context, which is reported below and then destroyed.
    unsafe { launch.launch(cfg) }.map_err(cuda("launch the kernel"))?;
    stream.synchronize().map_err(cuda("run the kernel"))?;

    let mut out = Vec::with_capacity(usize::try_from(plan.output_bytes).unwrap_or(0));
    for (spec, buffer) in plan.buffers.iter().zip(&buffers) {
        if matches!(spec.kind, BufferKind::Output | BufferKind::InOut) {
            let bytes = stream
                .clone_dtoh(buffer)
                .map_err(cuda("copy a kernel buffer to the host"))?;
            out.extend_from_slice(&bytes);
        }
    }
    stream
        .synchronize()
        .map_err(cuda("copy the kernel's buffers"))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::executor::cpu::CANONICAL_NAN_BITS;
    use sha2::{Digest, Sha256};

    #[test]
    fn without_a_driver_it_is_no_cuda() {
        if driver_present() {
            eprintln!("SKIPPED: a CUDA driver is present (tests/cuda.rs covers this machine)");
            return;
        }
        eprintln!("SKIPPED: no CUDA driver (libcuda) found");
        match CudaExecutor::new() {
            Err(ExecError::NoCuda { reason }) => {
                assert_eq!(reason, "no CUDA driver (libcuda) found")
            }
            Err(other) => panic!("expected NoCuda, got {other}"),
            Ok(_) => panic!("expected NoCuda, got an executor"),
        }
        assert!(!driver_has("cuInit"));
    }

    #[test]
    fn kernels_are_built_for_the_devices_own_architecture() {
        assert_eq!(arch_option((9, 0)), "--gpu-architecture=sm_90");
        assert_eq!(arch_option((8, 6)), "--gpu-architecture=sm_86");
        assert_eq!(arch_option((10, 0)), "--gpu-architecture=sm_100");
    }

    #[test]
    fn padding_edges() {
        for (len, blocks) in [
            (0, 1),
            (55, 1),
            (56, 2),
            (63, 2),
            (64, 2),
            (119, 2),
            (120, 3),
        ] {
            let msg = sha256_pad(&vec![0xAB; len]);
            assert_eq!(msg.len(), 64 * blocks, "len {len}");
            assert_eq!(msg[len], 0x80);
            assert!(msg[len + 1..msg.len() - 8].iter().all(|b| *b == 0));
            assert_eq!(msg[msg.len() - 8..], ((len as u64) * 8).to_be_bytes());
        }
    }

    /// A host model of the kernel's block loop over the padded message, so the padding and the
    /// word order the kernel sees are checked against sha2 without a GPU.
    #[test]
    fn padded_message_hashes_like_sha2() {
        for len in [0usize, 3, 55, 56, 64, 1000] {
            let input: Vec<u8> = (0..len).map(|i| (i * 31 % 251) as u8).collect();
            let msg = sha256_pad(&input);
            let mut state = [
                0x6a09e667u32,
                0xbb67ae85,
                0x3c6ef372,
                0xa54ff53a,
                0x510e527f,
                0x9b05688c,
                0x1f83d9ab,
                0x5be0cd19,
            ];
            for block in msg.chunks_exact(64) {
                compress(&mut state, block);
            }
            let digest: Vec<u8> = state.iter().flat_map(|w| w.to_be_bytes()).collect();
            assert_eq!(digest, Sha256::digest(&input).to_vec(), "len {len}");
        }
    }

    /// The kernel's compression function, transcribed (constants parsed from the kernel source).
    fn compress(h: &mut [u32; 8], block: &[u8]) {
        let k = kernel_constants();
        let mut w = [0u32; 64];
        for (t, word) in block.chunks_exact(4).enumerate() {
            // `__byte_perm(x, 0, 0x0123)` on a little-endian load is a big-endian read.
            w[t] = u32::from_le_bytes([word[0], word[1], word[2], word[3]]).swap_bytes();
        }
        for t in 16..64 {
            let s0 = w[t - 15].rotate_right(7) ^ w[t - 15].rotate_right(18) ^ (w[t - 15] >> 3);
            let s1 = w[t - 2].rotate_right(17) ^ w[t - 2].rotate_right(19) ^ (w[t - 2] >> 10);
            w[t] = w[t - 16]
                .wrapping_add(s0)
                .wrapping_add(w[t - 7])
                .wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = *h;
        for t in 0..64 {
            let t1 = hh
                .wrapping_add(e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25))
                .wrapping_add((e & f) ^ (!e & g))
                .wrapping_add(k[t])
                .wrapping_add(w[t]);
            let t2 = (a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22))
                .wrapping_add((a & b) ^ (a & c) ^ (b & c));
            (hh, g, f, e, d, c, b, a) = (g, f, e, d.wrapping_add(t1), c, b, a, t1.wrapping_add(t2));
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
            *x = x.wrapping_add(y);
        }
    }

    fn kernel_constants() -> Vec<u32> {
        let table = BUILTIN_KERNELS
            .split("SHA256_K[64] = {")
            .nth(1)
            .and_then(|rest| rest.split('}').next())
            .unwrap();
        let k: Vec<u32> = table
            .split(',')
            .map(|v| {
                u32::from_str_radix(v.trim().trim_start_matches("0x").trim_end_matches('u'), 16)
                    .unwrap()
            })
            .collect();
        assert_eq!(k.len(), 64);
        k
    }

    #[test]
    fn kernel_nan_matches_the_cpu() {
        assert!(BUILTIN_KERNELS.contains(&format!("0x{CANONICAL_NAN_BITS:08x}u")));
    }
}
