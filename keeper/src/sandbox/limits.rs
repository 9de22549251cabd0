//! Kernel resource limits for a job process, applied between `fork` and `exec`.

use std::io;

/// What one job process may use. `None` leaves a limit as the keeper's own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Virtual address space, bytes. Not set for CUDA jobs: the driver reserves far more
    /// address space than it ever backs, so `data` bounds their memory instead.
    pub address_space: Option<u64>,
    /// Private writable memory (heap and anonymous mappings), bytes.
    pub data: u64,
    /// CPU seconds; the kernel sends SIGXCPU at the limit and SIGKILL a few seconds later.
    pub cpu_seconds: u64,
    /// Largest file the job may write, bytes (its output).
    pub file_size: u64,
    /// Open file descriptors.
    pub open_files: u64,
}

/// Seconds between the CPU limit's SIGXCPU and its SIGKILL.
const CPU_GRACE_SECONDS: u64 = 2;

impl Limits {
    /// Runs in the forked child before `exec`: only async-signal-safe system calls, no
    /// allocation. The child gets its own session (so the whole group can be killed), dies with
    /// the keeper, and never writes a core file (which could hold the job's input or output).
    pub fn apply(&self) -> io::Result<()> {
        set(libc::RLIMIT_CORE, 0, 0)?;
        set(libc::RLIMIT_DATA, self.data, self.data)?;
        if let Some(bytes) = self.address_space {
            set(libc::RLIMIT_AS, bytes, bytes)?;
        }
        set(
            libc::RLIMIT_CPU,
            self.cpu_seconds,
            self.cpu_seconds.saturating_add(CPU_GRACE_SECONDS),
        )?;
        set(libc::RLIMIT_FSIZE, self.file_size, self.file_size)?;
        set(libc::RLIMIT_NOFILE, self.open_files, self.open_files)?;
        // SAFETY: plain system calls with constant arguments.
        unsafe {
            if libc::setsid() < 0 {
                return Err(io::Error::last_os_error());
            }
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                return Err(io::Error::last_os_error());
            }
            // Not dumpable: other processes of the sandbox user cannot ptrace it or read its
            // memory through /proc.
            if libc::prctl(libc::PR_SET_DUMPABLE, 0) != 0 {
                return Err(io::Error::last_os_error());
            }
        }
        Ok(())
    }
}

/// Lowers a limit; never tries to raise the keeper's own hard limit (which needs a capability).
fn set(resource: libc::__rlimit_resource_t, soft: u64, hard: u64) -> io::Result<()> {
    let mut current = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `current` is a valid, writable rlimit.
    if unsafe { libc::getrlimit(resource, &mut current) } != 0 {
        return Err(io::Error::last_os_error());
    }
    let max = current.rlim_max;
    let hard = (hard as libc::rlim_t).min(max);
    let limit = libc::rlimit {
        rlim_cur: (soft as libc::rlim_t).min(hard),
        rlim_max: hard,
    };
    // SAFETY: `limit` is a valid rlimit that outlives the call.
    if unsafe { libc::setrlimit(resource, &limit) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}
