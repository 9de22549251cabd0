//! The keeper's configuration: a TOML file, then environment overrides, then validation. The key
//! comes from a file or `GRIDSHARE_MNEMONIC` and is never stored in this struct's printable parts.

use crate::chain::ChainConfig;
use crate::executor::ExecutorChoice;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Any value can be overridden as `GRIDSHARE__<SECTION>__<KEY>`, e.g. `GRIDSHARE__CHAIN__RPC`.
pub const ENV_PREFIX: &str = "GRIDSHARE__";
/// The mnemonic itself, for containers that inject secrets as variables.
pub const ENV_MNEMONIC: &str = "GRIDSHARE_MNEMONIC";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config {path}: {reason}")]
    Read { path: PathBuf, reason: String },
    #[error("config {path} is not valid: {reason}")]
    Parse { path: PathBuf, reason: String },
    #[error("environment variable {var}: {reason}")]
    Env { var: String, reason: String },
    #[error("config field {field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    #[error("no key: set key.mnemonic_file in the config or the {ENV_MNEMONIC} variable")]
    NoKey,
    #[error("cannot read the key file {path}: {reason}")]
    KeyFile { path: PathBuf, reason: String },
    #[error("the key file {path} is open to other users (mode {mode:o}): run `chmod 600 {path}`")]
    KeyFileOpen { path: PathBuf, mode: u32 },
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub chain: ChainSection,
    #[serde(default)]
    pub contracts: ContractsSection,
    #[serde(default)]
    pub key: KeySection,
    #[serde(default)]
    pub provider: Option<ProviderSection>,
    #[serde(default)]
    pub executor: ExecutorSection,
    #[serde(default)]
    pub keeper: KeeperSection,
    #[serde(default)]
    pub sandbox: SandboxSection,
}

/// How renters' jobs are confined (see `sandbox`).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SandboxSection {
    /// Private writable memory per job process, MiB.
    #[serde(default = "default_job_memory")]
    pub memory_mib: u64,
    /// The user jobs run as when the keeper runs as root (default `nobody`).
    #[serde(default = "default_job_uid")]
    pub uid: u32,
    /// More paths jobs may read (e.g. a CUDA toolkit outside the usual places).
    #[serde(default)]
    pub read_paths: Vec<PathBuf>,
    /// Refuse to run jobs unless they are confined (another user, or Landlock enforced).
    #[serde(default = "default_true")]
    pub required: bool,
}

impl Default for SandboxSection {
    fn default() -> Self {
        SandboxSection {
            memory_mib: default_job_memory(),
            uid: default_job_uid(),
            read_paths: vec![],
            required: true,
        }
    }
}

fn default_max_fetch() -> u64 {
    300
}
fn default_output_retention() -> u64 {
    7 * 24 * 3600
}
fn default_job_memory() -> u64 {
    4096
}
fn default_job_uid() -> u32 {
    crate::sandbox::DEFAULT_JOB_UID
}
fn default_true() -> bool {
    true
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChainSection {
    pub rpc: String,
    /// More RPC endpoints of the same chain, tried in turn when the current one is down,
    /// catching up or behind.
    #[serde(default)]
    pub fallback_rpcs: Vec<String>,
    pub chain_id: String,
    #[serde(default = "default_prefix")]
    pub prefix: String,
    #[serde(default = "default_gas_price")]
    pub gas_price: String,
    #[serde(default = "default_gas_adjustment")]
    pub gas_adjustment: f64,
    #[serde(default = "default_tx_timeout")]
    pub tx_timeout_secs: u64,
}

/// Either a deployment file written by `gridshare-keeper deploy`, or the addresses themselves
/// (explicit addresses win).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContractsSection {
    pub deployment: Option<PathBuf>,
    pub marketplace: Option<String>,
    pub escrow: Option<String>,
    pub staking: Option<String>,
    pub grid: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeySection {
    pub mnemonic_file: Option<PathBuf>,
    /// The cold account this key operates for through x/authz (`gridshare-keeper grant`): the
    /// key then only signs, and every call acts for (and every fee is paid by) the granter.
    pub granter: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderSection {
    pub name: String,
    #[serde(default = "default_region")]
    pub region: String,
    /// Public key renters may encrypt inputs to (opaque to the keeper today).
    #[serde(default)]
    pub public_key: String,
    /// GRID (base units) the keeper keeps bonded: it bonds the difference at start.
    #[serde(default)]
    pub bond: u64,
    /// What to list. Empty: one offer per detected model at `default_price` (the CPU executor
    /// lists the development model `cpu-dev`).
    #[serde(default)]
    pub offers: Vec<OfferSection>,
    #[serde(default = "default_price")]
    pub default_price: u64,
    #[serde(default = "default_offer_denom")]
    pub default_denom: String,
    /// Shortest and longest lease (seconds) the offers accept.
    #[serde(default = "default_min_duration")]
    pub min_duration: u64,
    #[serde(default = "default_max_duration")]
    pub max_duration: u64,
    /// Bond again up to `bond` when the bond has fallen below it (after a slash or an unbond).
    /// Off by default: a slashed provider decides for itself whether to put more at stake.
    #[serde(default)]
    pub top_up_bond: bool,
}

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct OfferSection {
    pub model: String,
    pub units: u32,
    pub price: u64,
    pub denom: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExecutorSection {
    #[serde(default = "default_executor")]
    pub kind: ExecutorChoice,
}

impl Default for ExecutorSection {
    fn default() -> Self {
        ExecutorSection {
            kind: ExecutorChoice::Auto,
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeeperSection {
    #[serde(default = "default_work_dir")]
    pub work_dir: PathBuf,
    #[serde(default = "default_listen")]
    pub listen: String,
    /// The base URL renters fetch outputs from (default: `http://<listen>`).
    pub public_url: Option<String>,
    /// Seconds between reconciles from contract state (events wake it sooner).
    #[serde(default = "default_reconcile")]
    pub reconcile_secs: u64,
    /// Seconds between heartbeats; 0: the marketplace's `heartbeat_interval`.
    #[serde(default)]
    pub heartbeat_secs: u64,
    #[serde(default = "default_jobs")]
    pub max_concurrent_jobs: usize,
    #[serde(default = "default_max_input")]
    pub max_input_bytes: u64,
    /// Fetch job inputs from loopback, private and link-local addresses too. Off by default: a
    /// renter's URL must not reach the provider's own network.
    #[serde(default)]
    pub allow_private_inputs: bool,
    /// Seconds an output is kept (and served) after its lease is final.
    #[serde(default = "default_output_retention")]
    pub output_retention_secs: u64,
    /// Longest an input fetch may take, seconds (never past the lease's commit deadline).
    #[serde(default = "default_max_fetch")]
    pub max_fetch_secs: u64,
    /// Free MiB the work dir's disk must keep; below it the keeper is degraded and withdraws
    /// its offers.
    #[serde(default = "default_min_free_mib")]
    pub min_free_mib: u64,
    /// MiB the kept outputs may take in all; 0: no quota beyond the disk's own room. Over it the
    /// keeper is degraded (takes no new leases) until retention deletes enough.
    #[serde(default)]
    pub output_quota_mib: u64,
}

impl Default for KeeperSection {
    fn default() -> Self {
        KeeperSection {
            work_dir: default_work_dir(),
            listen: default_listen(),
            public_url: None,
            reconcile_secs: default_reconcile(),
            heartbeat_secs: 0,
            max_concurrent_jobs: default_jobs(),
            max_input_bytes: default_max_input(),
            allow_private_inputs: false,
            output_retention_secs: default_output_retention(),
            max_fetch_secs: default_max_fetch(),
            min_free_mib: default_min_free_mib(),
            output_quota_mib: 0,
        }
    }
}

fn default_min_free_mib() -> u64 {
    crate::health::MIN_FREE_DISK_BYTES >> 20
}
fn default_prefix() -> String {
    "wasm".into()
}
fn default_gas_price() -> String {
    "0.025ugrid".into()
}
fn default_gas_adjustment() -> f64 {
    1.4
}
fn default_tx_timeout() -> u64 {
    30
}
fn default_region() -> String {
    "local".into()
}
fn default_price() -> u64 {
    3_600_000
}
fn default_offer_denom() -> String {
    "uusdc".into()
}
fn default_min_duration() -> u64 {
    1
}
fn default_max_duration() -> u64 {
    24 * 3600
}
fn default_executor() -> ExecutorChoice {
    ExecutorChoice::Auto
}
fn default_work_dir() -> PathBuf {
    PathBuf::from(".keeper")
}
fn default_listen() -> String {
    "127.0.0.1:8091".into()
}
fn default_reconcile() -> u64 {
    10
}
fn default_jobs() -> usize {
    2
}
fn default_max_input() -> u64 {
    64 << 20
}

impl Config {
    /// Reads `path`, applies `GRIDSHARE__…` overrides from `env`, and validates.
    pub fn load(
        path: &Path,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        Self::parse(&text, path, env)
    }

    pub fn parse(
        text: &str,
        path: &Path,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, ConfigError> {
        let parse_err = |reason: String| ConfigError::Parse {
            path: path.to_path_buf(),
            reason,
        };
        let mut tree: toml::Table = text
            .parse()
            .map_err(|e: toml::de::Error| parse_err(e.to_string()))?;
        for (var, value) in env {
            if let Some(rest) = var.strip_prefix(ENV_PREFIX) {
                apply_override(&mut tree, &var, rest, &value)?;
            }
        }
        let mut config: Config = toml::Value::Table(tree)
            .try_into()
            .map_err(|e: toml::de::Error| parse_err(e.to_string()))?;
        // Relative paths in the file are relative to the file, not to wherever the keeper runs.
        let base = path.parent().unwrap_or(Path::new("."));
        let rebase = |p: &mut PathBuf| {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        };
        rebase(&mut config.keeper.work_dir);
        if let Some(p) = config.contracts.deployment.as_mut() {
            rebase(p);
        }
        if let Some(p) = config.key.mnemonic_file.as_mut() {
            rebase(p);
        }
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let invalid = |field, reason: String| Err(ConfigError::Invalid { field, reason });
        if !(self.chain.rpc.starts_with("http://") || self.chain.rpc.starts_with("https://")) {
            return invalid(
                "chain.rpc",
                format!("{:?} is not an http(s) URL", self.chain.rpc),
            );
        }
        if self.chain.chain_id.trim().is_empty() {
            return invalid("chain.chain_id", "is empty".into());
        }
        if let Err(reason) = self.chain.gas_price.parse::<crate::chain::GasPrice>() {
            return invalid("chain.gas_price", reason);
        }
        if !(1.0..=5.0).contains(&self.chain.gas_adjustment) {
            return invalid(
                "chain.gas_adjustment",
                format!("{} is outside 1.0..=5.0", self.chain.gas_adjustment),
            );
        }
        if let Err(reason) = self.granter() {
            return invalid("key.granter", reason);
        }
        if self.keeper.listen.parse::<SocketAddr>().is_err() {
            return invalid(
                "keeper.listen",
                format!("{:?} is not host:port", self.keeper.listen),
            );
        }
        if self.keeper.max_concurrent_jobs == 0 {
            return invalid("keeper.max_concurrent_jobs", "must be at least 1".into());
        }
        if self.keeper.reconcile_secs == 0 {
            return invalid("keeper.reconcile_secs", "must be at least 1".into());
        }
        if let Some(provider) = &self.provider {
            if provider.name.trim().is_empty() {
                return invalid("provider.name", "is empty".into());
            }
            if provider.min_duration == 0 || provider.min_duration > provider.max_duration {
                return invalid(
                    "provider.min_duration",
                    format!(
                        "need 0 < min_duration ≤ max_duration, got {} and {}",
                        provider.min_duration, provider.max_duration
                    ),
                );
            }
            for offer in &provider.offers {
                if offer.units == 0 || offer.price == 0 {
                    return invalid(
                        "provider.offers",
                        format!("offer of {} needs units and a price above 0", offer.model),
                    );
                }
            }
        }
        Ok(())
    }

    pub fn chain_config(&self) -> Result<ChainConfig, ConfigError> {
        Ok(ChainConfig {
            rpc: self.chain.rpc.clone(),
            fallback_rpcs: self.chain.fallback_rpcs.clone(),
            chain_id: self.chain.chain_id.clone(),
            prefix: self.chain.prefix.clone(),
            gas_price: self
                .chain
                .gas_price
                .parse()
                .map_err(|reason| ConfigError::Invalid {
                    field: "chain.gas_price",
                    reason,
                })?,
            gas_adjustment: self.chain.gas_adjustment,
            tx_timeout: Duration::from_secs(self.chain.tx_timeout_secs),
        })
    }

    /// `key.granter`, checked to be an address of this chain.
    pub fn granter(&self) -> Result<Option<cosmrs::AccountId>, String> {
        let Some(text) = &self.key.granter else {
            return Ok(None);
        };
        let id: cosmrs::AccountId = text
            .parse()
            .map_err(|e: cosmrs::ErrorReport| format!("{text:?} is not an address: {e}"))?;
        if id.prefix() != self.chain.prefix {
            return Err(format!(
                "{text:?} is not an address of this chain (prefix {:?})",
                self.chain.prefix
            ));
        }
        Ok(Some(id))
    }

    /// The mnemonic: `GRIDSHARE_MNEMONIC` first, then the key file.
    pub fn mnemonic(&self, env_value: Option<String>) -> Result<String, ConfigError> {
        if let Some(phrase) = env_value.filter(|p| !p.trim().is_empty()) {
            return Ok(phrase);
        }
        let path = self.key.mnemonic_file.as_ref().ok_or(ConfigError::NoKey)?;
        read_mnemonic_file(path)
    }

    pub fn public_url(&self) -> String {
        self.keeper
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.keeper.listen))
            .trim_end_matches('/')
            .to_string()
    }
}

/// The mnemonic in `path`, which only its owner may read or write: a key readable by other
/// users (or by a job's sandbox user) is refused, not silently used.
pub fn read_mnemonic_file(path: &Path) -> Result<String, ConfigError> {
    use std::os::unix::fs::PermissionsExt;
    let key_err = |reason: String| ConfigError::KeyFile {
        path: path.to_path_buf(),
        reason,
    };
    let mode = std::fs::metadata(path)
        .map_err(|e| key_err(e.to_string()))?
        .permissions()
        .mode();
    if mode & 0o077 != 0 {
        return Err(ConfigError::KeyFileOpen {
            path: path.to_path_buf(),
            mode: mode & 0o777,
        });
    }
    std::fs::read_to_string(path).map_err(|e| key_err(e.to_string()))
}

fn apply_override(
    tree: &mut toml::Table,
    var: &str,
    rest: &str,
    value: &str,
) -> Result<(), ConfigError> {
    let keys: Vec<String> = rest.split("__").map(|k| k.to_ascii_lowercase()).collect();
    let env_err = |reason: &str| ConfigError::Env {
        var: var.to_string(),
        reason: reason.to_string(),
    };
    let (last, sections) = keys.split_last().ok_or_else(|| env_err("names no field"))?;
    if last.is_empty() || sections.iter().any(String::is_empty) {
        return Err(env_err("has an empty path segment"));
    }
    let mut table = tree;
    for section in sections {
        let entry = table
            .entry(section.clone())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        table = entry
            .as_table_mut()
            .ok_or_else(|| env_err(&format!("{section} is not a section")))?;
    }
    // A number or boolean when it reads as one, else a string.
    let parsed = format!("v = {value}")
        .parse::<toml::Table>()
        .ok()
        .and_then(|mut t| t.remove("v"))
        .unwrap_or_else(|| toml::Value::String(value.to_string()));
    table.insert(last.clone(), parsed);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
[chain]
rpc = "http://127.0.0.1:26657"
chain_id = "gridshare-local"
"#;

    fn parse(text: &str, env: &[(&str, &str)]) -> Result<Config, ConfigError> {
        Config::parse(
            text,
            Path::new("/etc/gridshare/keeper.toml"),
            env.iter().map(|(k, v)| (k.to_string(), v.to_string())),
        )
    }

    #[test]
    fn defaults_fill_a_minimal_file() {
        let c = parse(MINIMAL, &[]).unwrap();
        assert_eq!(c.chain.prefix, "wasm");
        assert_eq!(c.keeper.work_dir, PathBuf::from("/etc/gridshare/.keeper"));
        assert_eq!(c.public_url(), "http://127.0.0.1:8091");
        assert_eq!(c.executor.kind, ExecutorChoice::Auto);
    }

    #[test]
    fn environment_overrides_any_field() {
        let c = parse(
            MINIMAL,
            &[
                ("GRIDSHARE__CHAIN__RPC", "http://node:26657"),
                ("GRIDSHARE__KEEPER__MAX_CONCURRENT_JOBS", "4"),
                ("GRIDSHARE__EXECUTOR__KIND", "cpu"),
                ("UNRELATED", "x"),
            ],
        )
        .unwrap();
        assert_eq!(c.chain.rpc, "http://node:26657");
        assert_eq!(c.keeper.max_concurrent_jobs, 4);
        assert_eq!(c.executor.kind, ExecutorChoice::Cpu);
    }

    #[test]
    fn bad_values_name_the_field() {
        let err = parse(MINIMAL, &[("GRIDSHARE__CHAIN__RPC", "tcp://x")]).unwrap_err();
        assert!(
            matches!(
                err,
                ConfigError::Invalid {
                    field: "chain.rpc",
                    ..
                }
            ),
            "{err}"
        );
        let err = parse(MINIMAL, &[("GRIDSHARE__CHAIN__GAS_PRICE", "cheap")]).unwrap_err();
        assert!(
            matches!(
                err,
                ConfigError::Invalid {
                    field: "chain.gas_price",
                    ..
                }
            ),
            "{err}"
        );
        let err = parse(MINIMAL, &[("GRIDSHARE__KEEPER__LISTEN", "nowhere")]).unwrap_err();
        assert!(
            matches!(
                err,
                ConfigError::Invalid {
                    field: "keeper.listen",
                    ..
                }
            ),
            "{err}"
        );
        let err = parse(&format!("{MINIMAL}\nbogus = 1\n"), &[]).unwrap_err();
        assert!(err.to_string().contains("bogus"), "{err}");
        let err = parse("[chain]\nrpc = \"http://x\"\n", &[]).unwrap_err();
        assert!(err.to_string().contains("chain_id"), "{err}");
    }

    #[test]
    fn an_operator_key_names_a_granter_of_this_chain() {
        assert_eq!(parse(MINIMAL, &[]).unwrap().granter(), Ok(None));
        let cold = "wasm1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc547at0h";
        let c = parse(MINIMAL, &[("GRIDSHARE__KEY__GRANTER", cold)]).unwrap();
        assert_eq!(
            c.granter().unwrap().map(|g| g.to_string()),
            Some(cold.to_string())
        );
        for bad in ["cosmos1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu", "wasm1nope"] {
            let err = parse(MINIMAL, &[("GRIDSHARE__KEY__GRANTER", bad)]).unwrap_err();
            assert!(
                matches!(
                    err,
                    ConfigError::Invalid {
                        field: "key.granter",
                        ..
                    }
                ),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn the_key_comes_from_env_or_file_and_is_required() {
        let c = parse(MINIMAL, &[]).unwrap();
        assert!(matches!(c.mnemonic(None), Err(ConfigError::NoKey)));
        assert_eq!(c.mnemonic(Some("a b c".into())).unwrap(), "a b c");
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("k");
        std::fs::write(&file, "word ".repeat(24)).unwrap();
        std::fs::set_permissions(&file, std::os::unix::fs::PermissionsExt::from_mode(0o600))
            .unwrap();
        let text = format!("{MINIMAL}\n[key]\nmnemonic_file = {:?}\n", file);
        let c = parse(&text, &[]).unwrap();
        assert_eq!(c.mnemonic(None).unwrap().split_whitespace().count(), 24);
        let debug = format!("{c:?}");
        assert!(!debug.contains("word word"));
    }

    #[test]
    fn a_key_file_others_can_read_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key.mnemonic");
        std::fs::write(&path, "abandon abandon art").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        match read_mnemonic_file(&path) {
            Err(ConfigError::KeyFileOpen { mode, .. }) => assert_eq!(mode, 0o644),
            other => panic!("a 0644 key was accepted: {other:?}"),
        }
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(read_mnemonic_file(&path).unwrap(), "abandon abandon art");
    }
}
