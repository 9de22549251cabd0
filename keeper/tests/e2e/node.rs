//! The real wasmd node the tests run against, started with the project's own localnet scripts
//! on ports of its own (so a developer's `make localnet` or a demo can run beside it).

use std::path::{Path, PathBuf};
use std::process::Command;

pub const CHAIN_ID: &str = "gridshare-e2e";
pub const RPC_PORT: u16 = 26757;

pub struct Node {
    pub root: PathBuf,
    pub home: PathBuf,
}

impl Node {
    pub fn rpc(&self) -> String {
        format!("http://127.0.0.1:{RPC_PORT}")
    }

    fn script(&self, name: &str, reset: bool) -> Result<(), String> {
        let status = Command::new(self.root.join("localnet").join(name))
            .env("LOCALNET_HOME", &self.home)
            .env("CHAIN_ID", CHAIN_ID)
            .env("RPC_PORT", RPC_PORT.to_string())
            .env("P2P_PORT", "26756")
            .env("GRPC_PORT", "9190")
            .env("API_PORT", "1417")
            .env("RESET", if reset { "1" } else { "0" })
            .status()
            .map_err(|e| format!("running localnet/{name}: {e}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("localnet/{name} failed: {status}"))
        }
    }

    /// A fresh chain.
    pub fn start_fresh(root: &Path) -> Result<Node, String> {
        let node = Node {
            root: root.to_path_buf(),
            home: root.join("target").join("e2e").join("node"),
        };
        node.script("start.sh", true)?;
        Ok(node)
    }

    /// Resumes from the same data.
    pub fn restart(&self) -> Result<(), String> {
        self.script("start.sh", false)
    }

    pub fn stop(&self) {
        let _ = self.script("stop.sh", false);
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.stop();
    }
}

/// `name → mnemonic` of localnet/dev-accounts.txt (development only).
pub fn dev_mnemonic(root: &Path, name: &str) -> Result<String, String> {
    let text = std::fs::read_to_string(root.join("localnet/dev-accounts.txt"))
        .map_err(|e| e.to_string())?;
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .find_map(|l| {
            let (n, rest) = l.split_once(char::is_whitespace)?;
            (n == name).then(|| rest.trim().to_string())
        })
        .ok_or_else(|| format!("no dev account {name}"))
}
