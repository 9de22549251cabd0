//! The CPU reference executor. Its output bytes define the right answer for every deterministic
//! workload; the CUDA kernels are written to reproduce them exactly.

use gridshare_types::marketplace::Workload;
use sha2::{Digest, Sha256};

use super::{validate, DeviceInfo, ExecError, Executor, ExecutorKind, MatShape, Plan};

/// Side of the benchmark's square matrices.
pub const BENCHMARK_SIZE: u32 = 256;
/// Seed of the LCG that generates the benchmark's matrices.
pub const BENCHMARK_SEED: u32 = 0x4752_4944;

/// The bit pattern every NaN in an f32 product is written as. x86 and NVIDIA GPUs propagate
/// different NaN payloads (x86 even makes `inf - inf` negative), so the bytes only agree once
/// NaNs are made canonical.
pub const CANONICAL_NAN_BITS: u32 = 0x7FC0_0000;

/// Below this many multiply-adds a product runs on one thread: spawning costs more than it saves.
const PARALLEL_MIN_MACS: usize = 1 << 20;

/// The CPU executor: the reference implementation of every workload but custom kernels.
#[derive(Clone, Copy, Debug, Default)]
pub struct CpuExecutor;

impl CpuExecutor {
    pub fn new() -> Self {
        CpuExecutor
    }
}

impl Executor for CpuExecutor {
    fn kind(&self) -> ExecutorKind {
        ExecutorKind::Cpu
    }

    fn devices(&self) -> &[DeviceInfo] {
        &[]
    }

    fn execute(&self, workload: &Workload, input: &[u8]) -> Result<Vec<u8>, ExecError> {
        match validate(workload, input)? {
            Plan::Benchmark => self.execute(&benchmark_workload(), &benchmark_inputs()),
            Plan::MatMulInt(shape) => Ok(matmul_i32(shape, input)),
            Plan::MatMulF32(shape) => Ok(matmul_f32(shape, input)),
            Plan::Sha256 => Ok(Sha256::digest(input).to_vec()),
            Plan::CustomKernel(_) => Err(ExecError::Unsupported {
                workload: "custom_kernel",
                executor: ExecutorKind::Cpu,
            }),
        }
    }
}

/// The product the benchmark runs: `MatMulInt` of two [`BENCHMARK_SIZE`]-square matrices.
pub fn benchmark_workload() -> Workload {
    Workload::MatMulInt {
        m: BENCHMARK_SIZE,
        n: BENCHMARK_SIZE,
        k: BENCHMARK_SIZE,
    }
}

/// The benchmark's fixed input: A then B, each [`BENCHMARK_SIZE`]² i32 row-major little-endian,
/// taken in order from the LCG `x ← x·1664525 + 1013904223 (mod 2³²)` started at
/// [`BENCHMARK_SEED`] (the first value is one step after the seed; each i32 is `x`'s bits).
///
/// The benchmark's output is the `MatMulInt` product C = A·B of these matrices
/// ([`benchmark_workload`]): 256×256 i32 row-major little-endian, 262 144 bytes, the same on
/// every executor. Its full-range values make nearly every multiply-add wrap.
pub fn benchmark_inputs() -> Vec<u8> {
    let side = BENCHMARK_SIZE as usize;
    lcg_bytes(BENCHMARK_SEED, 2 * side * side)
}

/// `words` i32 values from the benchmark's LCG, as little-endian bytes.
pub(crate) fn lcg_bytes(seed: u32, words: usize) -> Vec<u8> {
    let mut state = seed;
    let mut out = Vec::with_capacity(words.saturating_mul(4));
    for _ in 0..words {
        state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        out.extend_from_slice(&state.to_le_bytes());
    }
    out
}

fn words(bytes: &[u8]) -> impl Iterator<Item = [u8; 4]> + '_ {
    bytes.as_chunks::<4>().0.iter().copied()
}

/// `C[i][j] = Σ_p A[i][p]·B[p][j]` with wrapping i32 arithmetic, p ascending.
fn matmul_i32(shape: MatShape, input: &[u8]) -> Vec<u8> {
    let values: Vec<i32> = words(input).map(i32::from_le_bytes).collect();
    let (a, b) = values.split_at(shape.a_elems().min(values.len()));
    let c = matmul(shape, a, b, 0i32, |acc, x, y| {
        acc.wrapping_add(x.wrapping_mul(y))
    });
    c.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// `C[i][j] = Σ_p A[i][p]·B[p][j]` in f32 from 0.0, p ascending, each step `acc + a·b` rounded
/// twice (never fused), NaNs canonical.
fn matmul_f32(shape: MatShape, input: &[u8]) -> Vec<u8> {
    let values: Vec<f32> = words(input).map(f32::from_le_bytes).collect();
    let (a, b) = values.split_at(shape.a_elems().min(values.len()));
    // Rust never contracts `acc + x * y` into a fused multiply-add.
    let c = matmul(shape, a, b, 0.0f32, |acc, x, y| acc + x * y);
    c.iter()
        .flat_map(|v| {
            let bits = if v.is_nan() {
                CANONICAL_NAN_BITS
            } else {
                v.to_bits()
            };
            bits.to_le_bytes()
        })
        .collect()
}

/// The product loop in i-p-j order: each C element still sees its terms with p ascending,
/// starting from `zero`, while B is read row by row.
fn matmul<T, F>(shape: MatShape, a: &[T], b: &[T], zero: T, mac: F) -> Vec<T>
where
    T: Copy + Send + Sync,
    F: Fn(T, T, T) -> T + Sync,
{
    let (n, k) = (shape.n, shape.k);
    let mut c = vec![zero; shape.c_elems()];
    let rows = |c_rows: &mut [T], a_rows: &[T]| {
        for (c_row, a_row) in c_rows.chunks_mut(n).zip(a_rows.chunks_exact(k)) {
            for (&a_ip, b_row) in a_row.iter().zip(b.chunks_exact(n)) {
                for (c_ij, &b_pj) in c_row.iter_mut().zip(b_row) {
                    *c_ij = mac(*c_ij, a_ip, b_pj);
                }
            }
        }
    };
    let macs = shape.c_elems().saturating_mul(k);
    let threads = std::thread::available_parallelism().map_or(1, |t| t.get());
    if threads < 2 || shape.m < 2 || macs < PARALLEL_MIN_MACS {
        rows(&mut c, a);
        return c;
    }
    let rows_per_thread = shape.m.div_ceil(threads);
    let rows = &rows;
    std::thread::scope(|scope| {
        for (c_rows, a_rows) in c
            .chunks_mut(rows_per_thread.saturating_mul(n))
            .zip(a.chunks(rows_per_thread.saturating_mul(k)))
        {
            scope.spawn(move || rows(c_rows, a_rows));
        }
    });
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    fn le_i32(values: &[i32]) -> Vec<u8> {
        values.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    fn le_f32(values: &[f32]) -> Vec<u8> {
        values.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    fn run(workload: &Workload, input: &[u8]) -> Result<Vec<u8>, ExecError> {
        CpuExecutor::new().execute(workload, input)
    }

    /// The textbook triple loop, for comparison with the blocked, threaded one.
    fn naive_i32(m: usize, n: usize, k: usize, a: &[i32], b: &[i32]) -> Vec<i32> {
        let mut c = vec![0i32; m * n];
        for i in 0..m {
            for j in 0..n {
                let mut acc = 0i32;
                for p in 0..k {
                    acc = acc.wrapping_add(a[i * k + p].wrapping_mul(b[p * n + j]));
                }
                c[i * n + j] = acc;
            }
        }
        c
    }

    #[test]
    fn matmul_int_by_hand() {
        // [1 2 3; 4 5 6] · [7 8; 9 10; 11 12] = [58 64; 139 154]
        let input = le_i32(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        let out = run(&Workload::MatMulInt { m: 2, n: 2, k: 3 }, &input).unwrap();
        assert_eq!(out, le_i32(&[58, 64, 139, 154]));
    }

    #[test]
    fn matmul_f32_by_hand() {
        let input = le_f32(&[
            1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 0.5, -1.0, 0.25, 2.0, -0.125, 4.0,
        ]);
        let out = run(&Workload::MatMulF32 { m: 2, n: 2, k: 3 }, &input).unwrap();
        // Row 1: 0.5 + 0.5 - 0.375 = 0.625, -1 + 4 + 12 = 15; row 2: 2 + 1.25 - 0.75 = 2.5, -4 + 10 + 24 = 30.
        assert_eq!(out, le_f32(&[0.625, 15.0, 2.5, 30.0]));
    }

    #[test]
    fn matmul_int_wraps() {
        // i32::MAX·2 + i32::MIN·(-1): 2·(2³¹-1) wraps to -2, then -2 + 2³¹ (wrapped: -2³¹·-1 = -2³¹) wraps to 2³¹-2.
        let input = le_i32(&[i32::MAX, i32::MIN, 2, -1]);
        let out = run(&Workload::MatMulInt { m: 1, n: 1, k: 2 }, &input).unwrap();
        let expected = i32::MAX
            .wrapping_mul(2)
            .wrapping_add(i32::MIN.wrapping_mul(-1));
        assert_eq!(expected, i32::MAX - 1);
        assert_eq!(out, le_i32(&[expected]));
    }

    #[test]
    fn matmul_f32_is_sequential_and_unfused() {
        // (1e8·1 + 1·1) - 1e8 is 0 in f32 summed left to right, 1 with another order.
        let input = le_f32(&[1e8, 1.0, -1e8, 1.0, 1.0, 1.0]);
        let out = run(&Workload::MatMulF32 { m: 1, n: 1, k: 3 }, &input).unwrap();
        assert_eq!(out, le_f32(&[0.0]));
        // 0.1·10 rounded then added to -1 differs from the fused result.
        let (x, y) = (0.1f32, 10.0f32);
        let input = le_f32(&[-1.0, x, 1.0, y]);
        let out = run(&Workload::MatMulF32 { m: 1, n: 1, k: 2 }, &input).unwrap();
        assert_eq!(out, le_f32(&[-1.0 + x * y]));
        assert_ne!((-1.0f32 + x * y).to_bits(), x.mul_add(y, -1.0).to_bits());
    }

    #[test]
    fn matmul_f32_nans_are_canonical() {
        let input = le_f32(&[
            f32::INFINITY,
            f32::from_bits(0xFFC0_1234),
            1.0,
            2.0,
            // B (2×2)
            1.0,
            -1.0,
            0.0,
            0.0,
        ]);
        let out = run(&Workload::MatMulF32 { m: 2, n: 2, k: 2 }, &input).unwrap();
        let bits: Vec<u32> = out
            .as_chunks::<4>()
            .0
            .iter()
            .map(|w| u32::from_le_bytes(*w))
            .collect();
        // inf·1 + NaN·0 = NaN; inf·-1 + NaN·0 = NaN; 1·1 + 0 = 1; -1 + 0 = -1.
        assert_eq!(
            bits,
            vec![
                CANONICAL_NAN_BITS,
                CANONICAL_NAN_BITS,
                1.0f32.to_bits(),
                (-1.0f32).to_bits()
            ]
        );
    }

    #[test]
    fn threaded_matmul_matches_the_triple_loop() {
        let (m, n, k) = (67usize, 45usize, 389usize);
        let values: Vec<i32> = lcg_bytes(7, m * k + k * n)
            .as_chunks::<4>()
            .0
            .iter()
            .map(|w| i32::from_le_bytes(*w))
            .collect();
        assert!(m * n * k >= PARALLEL_MIN_MACS);
        let (a, b) = values.split_at(m * k);
        let out = run(
            &Workload::MatMulInt {
                m: m as u32,
                n: n as u32,
                k: k as u32,
            },
            &le_i32(&values),
        )
        .unwrap();
        assert_eq!(out, le_i32(&naive_i32(m, n, k, a, b)));
    }

    #[test]
    fn sha256_known_vectors() {
        let abc = run(&Workload::Sha256 {}, b"abc").unwrap();
        assert_eq!(
            hex::encode(abc),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let empty = run(&Workload::Sha256 {}, b"").unwrap();
        assert_eq!(
            hex::encode(empty),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn benchmark_is_deterministic_and_pinned() {
        let inputs = benchmark_inputs();
        assert_eq!(inputs.len(), 2 * 256 * 256 * 4);
        assert_eq!(inputs, benchmark_inputs());
        // The first LCG step from the seed.
        let first = BENCHMARK_SEED
            .wrapping_mul(1_664_525)
            .wrapping_add(1_013_904_223);
        assert_eq!(inputs[..4], first.to_le_bytes());

        let out = run(&Workload::Benchmark {}, &[]).unwrap();
        assert_eq!(out.len(), 256 * 256 * 4);
        assert_eq!(out, run(&Workload::Benchmark {}, &[]).unwrap());
        assert_eq!(out, run(&benchmark_workload(), &inputs).unwrap());
        // Pinned: every provider's benchmark must hash to this, so the definition must not drift.
        assert_eq!(hex::encode(Sha256::digest(&out)), BENCHMARK_OUTPUT_SHA256);
    }

    /// Checked against an independent Python model of the LCG and product.
    const BENCHMARK_OUTPUT_SHA256: &str =
        "86bbb8a2b6147bfa9ca20d917429bdc4870d04d2595a7b4c8d148d1bb7093c1d";

    #[test]
    fn custom_kernels_are_unsupported() {
        let w = Workload::CustomKernel {
            source: "extern \"C\" __global__ void k() {}".into(),
            entry: "k".into(),
            grid: [1, 1, 1],
            block: [1, 1, 1],
            buffers: vec![],
        };
        assert_eq!(
            run(&w, &[]),
            Err(ExecError::Unsupported {
                workload: "custom_kernel",
                executor: ExecutorKind::Cpu
            })
        );
    }

    #[test]
    fn shape_errors_come_from_validate() {
        let w = Workload::MatMulInt { m: 3, n: 3, k: 3 };
        assert_eq!(run(&w, &[0; 8]), validate(&w, &[0; 8]).map(|_| vec![]));
    }
}
