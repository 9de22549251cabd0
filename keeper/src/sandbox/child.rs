//! `gridshare-keeper job-exec`: the job process. It confines itself, then reads the job from its
//! work dir (the current directory), runs it and writes the output or a classified error there.
//! It never sees the keeper's config, key, store or environment.

use super::confine::{confine, Confinement};
use super::REQUEST_FILE;
use super::{
    Failure, FailureClass, JobPrivacy, JobRequest, Task, ERROR_FILE, INPUT_FILE, OUTPUT_FILE,
    OUTPUT_SHA256_FILE,
};
use crate::executor::{CpuExecutor, CudaExecutor, ExecError, Executor, ExecutorKind};
use crate::privacy::{open_input as open_sealed_input, output_info, PublicKey, SecretKey};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::process::ExitCode;

/// Exit codes the keeper reads besides 0 (output written).
pub const EXIT_FAILED: u8 = 10;

pub fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            // Best effort: if even this fails, the keeper sees the exit code without a reason.
            if let Ok(json) = serde_json::to_vec(&failure) {
                let _ = std::fs::write(ERROR_FILE, json);
            }
            ExitCode::from(EXIT_FAILED)
        }
    }
}

fn run() -> Result<(), Failure> {
    let request: JobRequest = std::fs::read(REQUEST_FILE)
        .map_err(|e| sandbox_failure(format!("reading the job: {e}")))
        .and_then(|bytes| {
            serde_json::from_slice(&bytes)
                .map_err(|e| sandbox_failure(format!("parsing the job: {e}")))
        })?;
    let confinement = confine(&request.policy).map_err(|e| sandbox_failure(e.to_string()))?;
    match request.task {
        Task::Probe { path } => {
            let readable = std::fs::read(&path).is_ok();
            write_output(
                &serde_json::to_vec(&ProbeReport {
                    confinement,
                    readable,
                })
                .map_err(|e| sandbox_failure(e.to_string()))?,
            )
        }
        Task::Run {
            workload,
            executor,
            privacy,
        } => {
            let input =
                std::fs::read(INPUT_FILE).map_err(|e| sandbox_failure(format!("input: {e}")))?;
            let input = match &privacy {
                Some(p) => open_input(p, &input)?,
                None => input,
            };
            let executor: Box<dyn Executor> = match executor {
                ExecutorKind::Cpu => Box::new(CpuExecutor::new()),
                ExecutorKind::Cuda => Box::new(CudaExecutor::new().map_err(classify)?),
            };
            let output = executor.execute(&workload, &input).map_err(classify)?;
            match &privacy {
                Some(p) => seal_output(p, &output),
                None => write_output(&output),
            }
        }
    }
}

/// What a probe found: the confinement in force and whether the probed path could be read.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ProbeReport {
    pub confinement: Confinement,
    pub readable: bool,
}

/// A private job's input, opened with the order's secret: a failure is the renter's (the
/// keeper checked the secret against this very ciphertext when it was delivered).
fn open_input(privacy: &JobPrivacy, sealed: &[u8]) -> Result<Vec<u8>, Failure> {
    let sealed_failure = |message: String| Failure {
        class: FailureClass::Sealed,
        message,
    };
    let secret = hex::decode(&privacy.order_secret)
        .ok()
        .and_then(|b| SecretKey::from_bytes(&b).ok())
        .ok_or_else(|| sealed_failure("the order secret is not a key".into()))?;
    open_sealed_input(&secret, sealed).map_err(|e| sealed_failure(e.to_string()))
}

/// The output sealed to the renter's key, and beside it the plaintext's hash (what the
/// commitment is made over, so replicas agree though their ciphertexts differ).
fn seal_output(privacy: &JobPrivacy, output: &[u8]) -> Result<(), Failure> {
    let key =
        PublicKey::parse(&privacy.output_key, "the renter's output key").map_err(|e| Failure {
            class: FailureClass::Rejected,
            message: e.to_string(),
        })?;
    let sealed = key
        .seal(&output_info(privacy.lease_id), output)
        .map_err(|e| sandbox_failure(e.to_string()))?;
    std::fs::write(OUTPUT_SHA256_FILE, hex::encode(Sha256::digest(output)))
        .map_err(|e| sandbox_failure(format!("writing the output hash: {e}")))?;
    write_output(&sealed)
}

fn write_output(bytes: &[u8]) -> Result<(), Failure> {
    let mut file =
        std::fs::File::create(OUTPUT_FILE).map_err(|e| sandbox_failure(format!("output: {e}")))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| sandbox_failure(format!("writing the output: {e}")))
}

fn sandbox_failure(message: String) -> Failure {
    Failure {
        class: FailureClass::Sandbox,
        message,
    }
}

/// A job the renter got wrong versus a machine that failed to run a valid one.
fn classify(err: ExecError) -> Failure {
    let class = match &err {
        ExecError::InputSize { .. }
        | ExecError::TooLarge { .. }
        | ExecError::BadShape { .. }
        | ExecError::Unsupported { .. }
        | ExecError::Compile { .. }
        | ExecError::SourceRefused(_)
        | ExecError::BadLaunch { .. } => FailureClass::Rejected,
        ExecError::NoCuda { .. } | ExecError::Cuda { .. } => FailureClass::Executor,
    };
    Failure {
        class,
        message: err.to_string(),
    }
}
