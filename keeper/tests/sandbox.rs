//! Renters' jobs in the sandbox, as a hostile renter would write them: the job process cannot
//! read the provider's key, cannot outrun its time or memory, stops when its lease closes, and
//! a refused or crashing job leaves the keeper able to run the next one.

use gridshare_keeper::executor::{CpuExecutor, Executor, ExecutorKind};
use gridshare_keeper::sandbox::{JobError, Sandbox, DEFAULT_JOB_UID};
use gridshare_types::marketplace::{BufferKind, KernelBuffer, RenterFault, Workload};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::{Duration, Instant};
use tokio::sync::watch;

const KEEPER: &str = env!("CARGO_BIN_EXE_gridshare-keeper");

fn sandbox(root: &Path, memory_mib: u64) -> Sandbox {
    Sandbox::new(
        KEEPER.into(),
        root.join("jobs"),
        ExecutorKind::Cpu,
        memory_mib << 20,
        DEFAULT_JOB_UID,
        vec![],
        true,
    )
}

fn never() -> watch::Receiver<bool> {
    let (tx, rx) = watch::channel(false);
    std::mem::forget(tx);
    rx
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// A workload that keeps a CPU busy for many seconds: a 2048³ f32 product.
fn slow() -> (Workload, Vec<u8>) {
    let n = 2048u32;
    let w = Workload::MatMulF32 { m: n, n, k: n };
    (w, vec![0u8; 2 * (n as usize) * (n as usize) * 4])
}

#[test]
fn a_job_gives_the_reference_output_and_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = sandbox(dir.path(), 512);
    let input = b"hello gridshare".to_vec();
    let out = runtime()
        .block_on(sandbox.run(
            "1",
            &Workload::Sha256 {},
            &input,
            Duration::from_secs(30),
            never(),
        ))
        .unwrap();
    assert_eq!(
        out,
        CpuExecutor::new()
            .execute(&Workload::Sha256 {}, &input)
            .unwrap()
    );
    assert!(
        !dir.path().join("jobs/1").exists(),
        "the job dir is removed"
    );
}

#[test]
fn the_key_file_is_out_of_a_jobs_reach() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("keeper.mnemonic");
    std::fs::write(&key, "abandon abandon abandon").unwrap();
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
    let sandbox = sandbox(dir.path(), 256);
    let report = runtime().block_on(sandbox.probe(&key)).unwrap();
    eprintln!("confinement: {report:?}");
    assert!(!report.readable, "a job read the key: {report:?}");
    assert!(report.confinement.is_confined(), "{report:?}");
    // A file the job is meant to read is readable, so the probe itself can see files.
    let inside = runtime()
        .block_on(sandbox.probe(Path::new("job.json")))
        .unwrap();
    assert!(inside.readable, "{inside:?}");
    // Where the kernel enforces Landlock, even world-readable files outside the job dir are
    // out of reach of a CPU job.
    if report.confinement.landlock == "full" {
        let world = runtime()
            .block_on(sandbox.probe(Path::new("/etc/passwd")))
            .unwrap();
        assert!(!world.readable, "{world:?}");
    }
}

#[test]
fn a_kernel_that_includes_the_key_is_refused_before_compiling() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = sandbox(dir.path(), 256);
    let source = format!(
        "#include \"{}\"\nextern \"C\" __global__ void k(char *out) {{ }}\n",
        dir.path().join("keeper.mnemonic").display()
    );
    let w = Workload::CustomKernel {
        source,
        entry: "k".into(),
        grid: [1, 1, 1],
        block: [1, 1, 1],
        buffers: vec![KernelBuffer {
            bytes: 64,
            kind: BufferKind::Output,
        }],
    };
    let err = runtime()
        .block_on(sandbox.run("2", &w, &[], Duration::from_secs(30), never()))
        .unwrap_err();
    match &err {
        JobError::Rejected(reason) => assert!(reason.contains("#include"), "{reason}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(err.renter_fault(), Some(RenterFault::JobRefused));
}

#[test]
fn a_job_past_its_time_is_killed() {
    let dir = tempfile::tempdir().unwrap();
    let mut sandbox = sandbox(dir.path(), 1024);
    sandbox.grace = Duration::from_millis(500);
    let (w, input) = slow();
    let started = Instant::now();
    // The runtime is 0 s: only the start-up grace is left.
    let err = runtime()
        .block_on(sandbox.run("3", &w, &input, Duration::ZERO, never()))
        .unwrap_err();
    assert!(matches!(err, JobError::TimedOut(_)), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_job_whose_lease_closes_is_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = sandbox(dir.path(), 1024);
    let (w, input) = slow();
    let (stop, stopped) = watch::channel(false);
    let rt = runtime();
    let started = Instant::now();
    let err = rt
        .block_on(async {
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(500)).await;
                let _ = stop.send(true);
            });
            sandbox
                .run("4", &w, &input, Duration::from_secs(120), stopped)
                .await
        })
        .unwrap_err();
    assert_eq!(err, JobError::Cancelled);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_memory_bomb_dies_alone() {
    let dir = tempfile::tempdir().unwrap();
    // 64 MiB for a job whose input is 32 MiB and whose product needs well over as much again.
    let sandbox = sandbox(dir.path(), 64);
    let n = 2048u32;
    let w = Workload::MatMulInt { m: n, n, k: n };
    let input = vec![1u8; 2 * (n as usize) * (n as usize) * 4];
    let rt = runtime();
    let err = rt
        .block_on(sandbox.run("5", &w, &input, Duration::from_secs(60), never()))
        .unwrap_err();
    eprintln!("memory bomb: {err}");
    assert!(matches!(err, JobError::Died(_)), "{err:?}");
    // The keeper (this process) is fine and runs the next job.
    let out = rt
        .block_on(sandbox.run(
            "6",
            &Workload::Sha256 {},
            b"x",
            Duration::from_secs(30),
            never(),
        ))
        .unwrap();
    assert_eq!(out.len(), 32);
}
