//! What a job process gives up before it looks at a renter's job: the keeper's user (when the
//! keeper runs as root) and every file outside its own work dir and the libraries the GPU
//! driver loads (Landlock, where the kernel has it).

use landlock::{
    path_beneath_rules, Access, AccessFs, Ruleset, RulesetAttr, RulesetCreatedAttr, RulesetStatus,
    ABI,
};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Landlock ABI the rules are written for; older kernels enforce what they know of it.
const LANDLOCK_ABI: ABI = ABI::V5;

/// The confinement the keeper asks of a job process.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    /// The user the job runs as when the keeper runs as root.
    pub uid: u32,
    /// Paths the job may read and execute beneath (libraries for the CUDA driver).
    pub read: Vec<PathBuf>,
    /// Paths the job may read and write (its work dir, the GPU device nodes).
    pub read_write: Vec<PathBuf>,
    /// Refuse to run unless the job is confined (a separate user or Landlock fully enforced).
    pub required: bool,
}

/// What was actually enforced.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Confinement {
    /// The job runs as another user than the keeper.
    pub separate_user: bool,
    /// "full", "partial" or "none" (the kernel has no Landlock).
    pub landlock: String,
}

impl Confinement {
    /// Whether the keeper's files are out of the job's reach.
    pub fn is_confined(&self) -> bool {
        self.separate_user || self.landlock == "full"
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfineError {
    #[error("cannot switch to uid {uid}: {reason}")]
    User { uid: u32, reason: String },
    #[error("landlock: {0}")]
    Landlock(String),
    #[error(
        "the job would not be confined (runs as the keeper's user and the kernel has no \
         Landlock): run the keeper as root (jobs then run as another user) or on Linux 5.13+, \
         or set [sandbox] required = false to accept the risk"
    )]
    Unconfined,
}

/// Applies `policy` to the calling process. Call it single-threaded, before any untrusted input
/// is read: Landlock binds the calling thread and the threads it starts afterwards.
pub fn confine(policy: &Policy) -> Result<Confinement, ConfineError> {
    let separate_user = drop_root(policy.uid)?;
    let landlock = restrict_files(policy)?;
    let confinement = Confinement {
        separate_user,
        landlock: match landlock {
            RulesetStatus::FullyEnforced => "full",
            RulesetStatus::PartiallyEnforced => "partial",
            RulesetStatus::NotEnforced => "none",
        }
        .to_owned(),
    };
    if policy.required && !confinement.is_confined() {
        return Err(ConfineError::Unconfined);
    }
    Ok(confinement)
}

/// As root, becomes `uid` (its own group, no supplementary groups) for good.
fn drop_root(uid: u32) -> Result<bool, ConfineError> {
    // SAFETY: plain system calls; the process is single-threaded here.
    unsafe {
        if libc::geteuid() != 0 {
            return Ok(false);
        }
        let fail = |step: &str| ConfineError::User {
            uid,
            reason: format!("{step}: {}", std::io::Error::last_os_error()),
        };
        if libc::setgroups(0, std::ptr::null()) != 0 {
            return Err(fail("setgroups"));
        }
        if libc::setgid(uid) != 0 {
            return Err(fail("setgid"));
        }
        if libc::setuid(uid) != 0 {
            return Err(fail("setuid"));
        }
        // setuid from root drops every id; make sure it cannot be regained.
        if libc::setuid(0) == 0 || libc::geteuid() != uid {
            return Err(fail("verifying the switch"));
        }
    }
    Ok(true)
}

fn restrict_files(policy: &Policy) -> Result<RulesetStatus, ConfineError> {
    let err = |e: landlock::RulesetError| ConfineError::Landlock(e.to_string());
    let existing = |paths: &[PathBuf]| -> Vec<PathBuf> {
        paths.iter().filter(|p| p.exists()).cloned().collect()
    };
    let status = Ruleset::default()
        .handle_access(AccessFs::from_all(LANDLOCK_ABI))
        .map_err(err)?
        .create()
        .map_err(err)?
        .add_rules(path_beneath_rules(
            existing(&policy.read),
            AccessFs::from_read(LANDLOCK_ABI),
        ))
        .map_err(err)?
        .add_rules(path_beneath_rules(
            existing(&policy.read_write),
            AccessFs::from_all(LANDLOCK_ABI),
        ))
        .map_err(err)?
        .restrict_self()
        .map_err(err)?;
    Ok(status.ruleset)
}
