//! Keeper processes, started from the real binary with a config written for them.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_gridshare-keeper");

/// A directory with a config and a key for one account.
pub struct Account {
    pub dir: PathBuf,
    pub config: PathBuf,
    pub address: String,
}

pub fn account(
    base: &Path,
    name: &str,
    mnemonic: &str,
    rpc: &str,
    chain_id: &str,
    deployment: &Path,
    provider: Option<u16>,
) -> Result<Account, String> {
    let dir = base.join(name);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("key.mnemonic"), mnemonic).map_err(|e| e.to_string())?;
    // The keeper refuses a key other users could read.
    std::fs::set_permissions(
        dir.join("key.mnemonic"),
        std::os::unix::fs::PermissionsExt::from_mode(0o600),
    )
    .map_err(|e| e.to_string())?;
    let mut text = format!(
        "[chain]\nrpc = \"{rpc}\"\nchain_id = \"{chain_id}\"\n\n[contracts]\ndeployment = \"{}\"\n\n[key]\nmnemonic_file = \"key.mnemonic\"\n",
        deployment.display()
    );
    if let Some(port) = provider {
        text.push_str(&format!(
            "\n[provider]\nname = \"{name}\"\nregion = \"local\"\nbond = 2000000\ndefault_price = 3600000000\n\n[executor]\nkind = \"cpu\"\n\n[keeper]\nwork_dir = \"work\"\nlisten = \"127.0.0.1:{port}\"\nreconcile_secs = 2\nallow_private_inputs = true\nmax_fetch_secs = 6\n\n[sandbox]\nmemory_mib = 64\n"
        ));
    }
    let config = dir.join("keeper.toml");
    std::fs::write(&config, text).map_err(|e| e.to_string())?;
    let wallet = gridshare_keeper::chain::Wallet::from_mnemonic(mnemonic, "wasm")
        .map_err(|e| e.to_string())?;
    Ok(Account {
        dir,
        config,
        address: wallet.address().to_string(),
    })
}

/// Runs the CLI to completion; returns (success, stdout + stderr).
pub fn cli(config: &Path, args: &[&str]) -> (bool, String) {
    match Command::new(BIN)
        .arg("--config")
        .arg(config)
        .args(args)
        .output()
    {
        Ok(out) => (
            out.status.success(),
            format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        ),
        Err(e) => (false, format!("cannot start {BIN}: {e}")),
    }
}

/// A running `gridshare-keeper run`, its log kept in memory and in `<dir>/keeper.log`.
pub struct Daemon {
    child: Child,
    log: Arc<Mutex<String>>,
}

impl Daemon {
    pub fn start(account: &Account) -> Result<Daemon, String> {
        Daemon::start_with(account, &[])
    }

    /// [`start`](Self::start) with config overrides from the environment
    /// (`GRIDSHARE__<SECTION>__<KEY>`).
    pub fn start_with(account: &Account, env: &[(&str, String)]) -> Result<Daemon, String> {
        let mut child = Command::new(BIN)
            .arg("--config")
            .arg(&account.config)
            .arg("run")
            .envs(env.iter().map(|(k, v)| (k, v)))
            .env("RUST_LOG", "info,gridshare_keeper=debug")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("starting the keeper: {e}"))?;
        let log = Arc::new(Mutex::new(String::new()));
        let file = account.dir.join("keeper.log");
        for stream in [
            child
                .stdout
                .take()
                .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
            child
                .stderr
                .take()
                .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
        ]
        .into_iter()
        .flatten()
        {
            let log = log.clone();
            let file = file.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    use std::io::Write;
                    if let Ok(mut f) = std::fs::OpenOptions::new()
                        .create(true)
                        .append(true)
                        .open(&file)
                    {
                        let _ = writeln!(f, "{line}");
                    }
                    if let Ok(mut l) = log.lock() {
                        l.push_str(&line);
                        l.push('\n');
                    }
                }
            });
        }
        Ok(Daemon { child, log })
    }

    pub fn log(&self) -> String {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits until the log contains `needle`.
    pub fn wait_for(&mut self, needle: &str, timeout: Duration) -> Result<(), String> {
        let started = Instant::now();
        while started.elapsed() < timeout {
            if self.log().contains(needle) {
                return Ok(());
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!(
                    "keeper exited ({status}) before {needle:?}:\n{}",
                    self.log()
                ));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Err(format!(
            "no {needle:?} in the keeper log after {timeout:?}:\n{}",
            self.log()
        ))
    }

    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// SIGKILL: no chance to clean up.
    pub fn kill_hard(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM, then waits for a clean exit.
    pub fn stop(mut self) -> Result<String, String> {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.pid().to_string())
            .status();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(20) {
            if let Ok(Some(status)) = self.child.try_wait() {
                std::thread::sleep(Duration::from_millis(100));
                return if status.success() {
                    Ok(self.log())
                } else {
                    Err(format!("keeper exited with {status}:\n{}", self.log()))
                };
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        Err("keeper did not stop within 20 s of SIGTERM".into())
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
