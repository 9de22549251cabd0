//! Renters' jobs run in a child process of their own: the keeper binary in its `job-exec` mode.
//!
//! The keeper writes the job and its input into a private work dir and starts the child with a
//! cleared environment, that dir as its current directory, and kernel resource limits (memory,
//! CPU time, output file size, no core dumps; [`limits`]). The child gives up the keeper's user
//! and every file outside its dir before it reads the job ([`confine`]), so neither a kernel's
//! source nor the compiler can reach the provider's key or config. The keeper kills it when its
//! time is up, when its lease closes, and when the keeper stops (the child also dies with the
//! keeper), and reads back the output or a classified reason ([`child`]).

pub mod child;
pub mod confine;
pub mod limits;

use crate::executor::{ExecutorKind, MAX_OUTPUT_BYTES};
use confine::Policy;
use gridshare_types::marketplace::{RenterFault, Workload};
use limits::Limits;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;
use tokio::sync::watch;

const REQUEST_FILE: &str = "job.json";
const INPUT_FILE: &str = "input.bin";
const OUTPUT_FILE: &str = "output.bin";
const ERROR_FILE: &str = "error.json";
/// A private job's plaintext output hash (hex), beside its sealed output.
const OUTPUT_SHA256_FILE: &str = "output.sha256";

/// Time a job process gets beyond the job's own runtime to start (a CUDA context, the built-in
/// kernels) and to write its output.
pub const STARTUP_GRACE: Duration = Duration::from_secs(10);

/// The user jobs run as when the keeper runs as root: `nobody`.
pub const DEFAULT_JOB_UID: u32 = 65_534;

/// Environment a job process keeps: what the CUDA driver and NVRTC need to be found.
const KEPT_ENV: &[&str] = &[
    "LD_LIBRARY_PATH",
    "CUDA_VISIBLE_DEVICES",
    "CUDA_HOME",
    "CUDA_PATH",
];

/// Where the CUDA driver and NVRTC live on common installs; jobs may read (not write) them.
const CUDA_READ_PATHS: &[&str] = &[
    "/usr/lib",
    "/usr/lib64",
    "/usr/lib32",
    "/lib",
    "/lib64",
    "/usr/local/cuda",
    "/opt/cuda",
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/proc",
    "/sys",
    "/dev/null",
    "/dev/urandom",
];

/// What the job process is asked to do.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct JobRequest {
    pub policy: Policy,
    pub task: Task,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Task {
    /// Run a workload on the input file.
    Run {
        workload: Workload,
        executor: ExecutorKind,
        /// A private job: the input is opened, and the output sealed, in the job process.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        privacy: Option<JobPrivacy>,
    },
    /// Confine, then report whether `path` can be read (the keeper's start-up check that its
    /// key is out of a job's reach).
    Probe { path: PathBuf },
}

/// What a private job's process needs (`crate::privacy`): the order's secret (hex; the job's
/// own key, never the provider's), the renter's key and the lease the output is sealed for.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct JobPrivacy {
    pub order_secret: String,
    pub output_key: String,
    pub lease_id: u64,
}

/// A job's output file, and for a private job the hash of the plaintext it seals.
#[derive(Debug)]
pub struct JobOutput {
    pub path: PathBuf,
    pub plaintext_sha256: Option<String>,
}

/// Why a job produced no output, as the job process reports it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct Failure {
    pub class: FailureClass,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureClass {
    /// The job itself is invalid (shape, size, a refused kernel source): the renter's doing.
    Rejected,
    /// The executor could not run a valid job (GPU or driver failure): the provider's side.
    Executor,
    /// A private job's input does not open with the order's key: the renter's doing.
    Sealed,
    /// The sandbox could not be set up.
    Sandbox,
}

/// How a sandboxed job ended without an output.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum JobError {
    #[error("job refused: {0}")]
    Rejected(String),
    #[error("executor failed: {0}")]
    Executor(String),
    #[error("sandbox failed: {0}")]
    Sandbox(String),
    #[error("the job ran past its limit of {0:?} and was killed")]
    TimedOut(Duration),
    #[error("the job was stopped: its lease is no longer open")]
    Cancelled,
    /// Killed by the kernel (memory, CPU time or output size limit) or crashed.
    #[error("the job process died: {0}")]
    Died(String),
    #[error("the output is larger than {max} bytes")]
    OutputTooLarge { max: u64 },
    #[error("the private input does not open: {0}")]
    Sealed(String),
}

impl JobError {
    /// The renter's fault when its job, not this machine, is the cause: such a job fails the same
    /// way on any provider and is not worth retrying.
    pub fn renter_fault(&self) -> Option<RenterFault> {
        match self {
            JobError::Rejected(_) => Some(RenterFault::JobRefused),
            JobError::Sealed(_) => Some(RenterFault::InputMismatch),
            JobError::TimedOut(_) | JobError::Died(_) | JobError::OutputTooLarge { .. } => {
                Some(RenterFault::JobFailed)
            }
            _ => None,
        }
    }
}

/// The keeper's side: starts job processes and collects what they leave.
#[derive(Clone, Debug)]
pub struct Sandbox {
    /// The keeper binary (re-executed in job mode).
    pub exe: PathBuf,
    /// Job work dirs are created beneath it, one per lease.
    pub root: PathBuf,
    pub executor: ExecutorKind,
    /// Private writable memory per job, bytes.
    pub memory_bytes: u64,
    /// Time a job process gets beyond its runtime ([`STARTUP_GRACE`]).
    pub grace: Duration,
    pub policy: Policy,
}

impl Sandbox {
    /// A sandbox for `executor` whose jobs may read only what that executor needs, plus
    /// `extra_read` (the provider's choice, e.g. a CUDA install elsewhere).
    pub fn new(
        exe: PathBuf,
        root: PathBuf,
        executor: ExecutorKind,
        memory_bytes: u64,
        uid: u32,
        extra_read: Vec<PathBuf>,
        required: bool,
    ) -> Self {
        let mut read = extra_read;
        let mut read_write = vec![];
        if executor == ExecutorKind::Cuda {
            read.extend(CUDA_READ_PATHS.iter().map(PathBuf::from));
            for var in ["LD_LIBRARY_PATH", "CUDA_HOME", "CUDA_PATH"] {
                if let Some(value) = std::env::var_os(var) {
                    read.extend(std::env::split_paths(&value).filter(|p| p.is_absolute()));
                }
            }
            read_write.extend(nvidia_devices());
        }
        Sandbox {
            exe,
            root,
            executor,
            memory_bytes,
            grace: STARTUP_GRACE,
            policy: Policy {
                uid,
                read,
                read_write,
                required,
            },
        }
    }

    /// Paths a job may read that contain `path` (the key must be in none of them).
    pub fn readable_parents(&self, path: &Path) -> Vec<PathBuf> {
        self.policy
            .read
            .iter()
            .chain(&self.policy.read_write)
            .filter(|p| path.starts_with(p))
            .cloned()
            .collect()
    }

    /// Runs `workload` on `input` in a job process, for at most `runtime` (plus the start-up
    /// grace), until `cancel` turns true.
    pub async fn run(
        &self,
        name: &str,
        workload: &Workload,
        input: &[u8],
        runtime: Duration,
        cancel: watch::Receiver<bool>,
    ) -> Result<Vec<u8>, JobError> {
        let output = self
            .run_on(name, workload, input, runtime, cancel, None, None)
            .await?;
        read_and_remove(&output.path)
    }

    /// [`run`](Self::run) on the given devices (the job process's `CUDA_VISIBLE_DEVICES`, so a
    /// lease's job sees exactly the GPUs it was granted: `crate::slots`), leaving the output in a
    /// file: its path is returned and the caller owns the file. The keeper never holds a job's
    /// output in memory, however large.
    #[allow(clippy::too_many_arguments)]
    pub async fn run_on(
        &self,
        name: &str,
        workload: &Workload,
        input: &[u8],
        runtime: Duration,
        cancel: watch::Receiver<bool>,
        devices: Option<String>,
        privacy: Option<JobPrivacy>,
    ) -> Result<JobOutput, JobError> {
        let task = Task::Run {
            workload: workload.clone(),
            executor: self.executor,
            privacy,
        };
        self.spawn(name, task, Some(input), runtime, cancel, devices)
            .await
    }

    /// Confirms, in a real job process, that `path` cannot be read from a job.
    pub async fn probe(&self, path: &Path) -> Result<child::ProbeReport, JobError> {
        let (_keep, cancel) = watch::channel(false);
        let task = Task::Probe {
            path: path.to_path_buf(),
        };
        let output = self
            .spawn("probe", task, None, Duration::from_secs(5), cancel, None)
            .await?;
        serde_json::from_slice(&read_and_remove(&output.path)?)
            .map_err(|e| JobError::Sandbox(e.to_string()))
    }

    async fn spawn(
        &self,
        name: &str,
        task: Task,
        input: Option<&[u8]>,
        runtime: Duration,
        mut cancel: watch::Receiver<bool>,
        devices: Option<String>,
    ) -> Result<JobOutput, JobError> {
        let dir = self.root.join(name);
        let result = async {
            self.prepare(&dir, task, input)?;
            let limit = runtime.saturating_add(self.grace);
            let mut cmd = tokio::process::Command::new(&self.exe);
            cmd.arg("job-exec")
                .env_clear()
                .envs(
                    KEPT_ENV
                        .iter()
                        .filter_map(|k| Some((k, std::env::var_os(k)?))),
                )
                .env("HOME", &dir)
                // NVRTC and the driver would otherwise cache compiled kernels under $HOME.
                .env("CUDA_CACHE_DISABLE", "1")
                .envs(devices.iter().map(|d| ("CUDA_VISIBLE_DEVICES", d)))
                .current_dir(&dir)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .kill_on_drop(true);
            let limits = self.limits(limit);
            // SAFETY: `Limits::apply` makes only async-signal-safe system calls.
            unsafe {
                cmd.pre_exec(move || limits.apply());
            }
            let mut child = cmd
                .spawn()
                .map_err(|e| JobError::Sandbox(format!("starting the job process: {e}")))?;
            let status = tokio::select! {
                status = child.wait() => status.map_err(|e| JobError::Sandbox(e.to_string()))?,
                () = tokio::time::sleep(limit) => {
                    kill_group(&mut child).await;
                    return Err(JobError::TimedOut(limit));
                }
                () = cancelled(&mut cancel) => {
                    kill_group(&mut child).await;
                    return Err(JobError::Cancelled);
                }
            };
            self.collect(&dir, status, &self.root.join(format!("{name}.out")))
        }
        .await;
        // Nothing of a job outlives it here: the output now lives in the keeper's store.
        let _ = std::fs::remove_dir_all(&dir);
        result
    }

    fn prepare(&self, dir: &Path, task: Task, input: Option<&[u8]>) -> Result<(), JobError> {
        use std::os::unix::fs::PermissionsExt;
        let io = |what: &str, e: std::io::Error| JobError::Sandbox(format!("{what}: {e}"));
        // A dir left by a crashed run holds nothing worth keeping.
        let _ = std::fs::remove_dir_all(dir);
        std::fs::create_dir_all(dir).map_err(|e| io("creating the job dir", e))?;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| io("job dir permissions", e))?;
        let mut policy = self.policy.clone();
        // The job's own dir, resolved as the child will see it (its current directory).
        policy.read_write.push(PathBuf::from("."));
        let request = JobRequest { policy, task };
        let json = serde_json::to_vec(&request).map_err(|e| JobError::Sandbox(e.to_string()))?;
        std::fs::write(dir.join(REQUEST_FILE), json).map_err(|e| io("writing the job", e))?;
        if let Some(input) = input {
            std::fs::write(dir.join(INPUT_FILE), input).map_err(|e| io("writing the input", e))?;
        }
        // As root the job runs as another user, which must own its dir.
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } == 0 {
            let uid = Some(self.policy.uid);
            for path in [
                dir.to_path_buf(),
                dir.join(REQUEST_FILE),
                dir.join(INPUT_FILE),
            ] {
                if path.exists() {
                    std::os::unix::fs::chown(&path, uid, uid)
                        .map_err(|e| io("handing the job dir to the job's user", e))?;
                }
            }
        }
        Ok(())
    }

    fn limits(&self, wall: Duration) -> Limits {
        Limits {
            // CUDA reserves address space it never backs; `data` bounds its memory instead.
            address_space: (self.executor == ExecutorKind::Cpu)
                .then_some(self.memory_bytes.saturating_add(256 << 20)),
            data: self.memory_bytes,
            cpu_seconds: wall.as_secs().saturating_add(1),
            // The output file plus a little for the error report.
            file_size: MAX_OUTPUT_BYTES.saturating_add(1 << 20),
            open_files: 256,
        }
    }

    /// The job's verdict; on success its output moves to `out` (out of the job dir, which is
    /// removed).
    fn collect(
        &self,
        dir: &Path,
        status: std::process::ExitStatus,
        out: &Path,
    ) -> Result<JobOutput, JobError> {
        use std::os::unix::process::ExitStatusExt;
        if status.success() {
            let output = dir.join(OUTPUT_FILE);
            let len = std::fs::metadata(&output)
                .map_err(|e| JobError::Sandbox(format!("the job left no output: {e}")))?
                .len();
            if len > MAX_OUTPUT_BYTES {
                return Err(JobError::OutputTooLarge {
                    max: MAX_OUTPUT_BYTES,
                });
            }
            // 64 hex digits when present; anything else is not a hash this job could have made.
            let plaintext_sha256 = std::fs::read_to_string(dir.join(OUTPUT_SHA256_FILE))
                .ok()
                .map(|s| s.trim().to_string())
                .filter(|s| s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()));
            std::fs::rename(&output, out)
                .map_err(|e| JobError::Sandbox(format!("keeping the output: {e}")))?;
            return Ok(JobOutput {
                path: out.to_path_buf(),
                plaintext_sha256,
            });
        }
        if status.code() == Some(i32::from(child::EXIT_FAILED)) {
            let failure: Failure = std::fs::read(dir.join(ERROR_FILE))
                .ok()
                .and_then(|b| serde_json::from_slice(&b).ok())
                .ok_or_else(|| JobError::Died("failed without a readable reason".into()))?;
            return Err(match failure.class {
                FailureClass::Rejected => JobError::Rejected(failure.message),
                FailureClass::Executor => JobError::Executor(failure.message),
                FailureClass::Sealed => JobError::Sealed(failure.message),
                FailureClass::Sandbox => JobError::Sandbox(failure.message),
            });
        }
        Err(JobError::Died(match status.signal() {
            Some(libc::SIGKILL) => "killed (SIGKILL: a memory or CPU limit)".into(),
            Some(libc::SIGXCPU) => "its CPU time limit was reached".into(),
            Some(libc::SIGXFSZ) => "its output exceeded the file size limit".into(),
            Some(libc::SIGABRT) => "aborted (out of memory, or a failed check)".into(),
            Some(libc::SIGSEGV) => "crashed (SIGSEGV)".into(),
            Some(sig) => format!("signal {sig}"),
            None => format!("exit status {}", status.code().unwrap_or(-1)),
        }))
    }
}

/// A small output (a probe's report, a test's result) read into memory, its file removed.
fn read_and_remove(path: &Path) -> Result<Vec<u8>, JobError> {
    let bytes = std::fs::read(path).map_err(|e| JobError::Sandbox(e.to_string()));
    let _ = std::fs::remove_file(path);
    bytes
}

/// The GPU device nodes a CUDA job opens.
fn nvidia_devices() -> Vec<PathBuf> {
    std::fs::read_dir("/dev")
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with("nvidia"))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Resolves once `cancel` is true, or never if its sender is gone.
pub(crate) async fn cancelled(cancel: &mut watch::Receiver<bool>) {
    loop {
        if *cancel.borrow_and_update() {
            return;
        }
        if cancel.changed().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

/// Kills the job process and anything it started (its session's process group), and reaps it.
async fn kill_group(child: &mut tokio::process::Child) {
    if let Some(pid) = child.id() {
        if let Ok(pid) = i32::try_from(pid) {
            // SAFETY: signalling a process group we created; a stale id fails harmlessly.
            unsafe {
                libc::kill(-pid, libc::SIGKILL);
            }
        }
    }
    let _ = child.start_kill();
    let _ = child.wait().await;
}
