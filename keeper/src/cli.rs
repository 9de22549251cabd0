//! The command line: one binary for providers (run, status, unbond), operators (deploy, market)
//! and renters (job submit/status/dispute).

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "gridshare-keeper",
    version,
    about = "GridShare provider daemon and CLI"
)]
pub struct Cli {
    /// The TOML config (chain, key, contracts; provider and keeper sections for `run`).
    #[arg(
        long,
        short,
        global = true,
        env = "GRIDSHARE_CONFIG",
        default_value = "keeper.toml"
    )]
    pub config: PathBuf,
    /// Log format.
    #[arg(long, global = true, value_enum, default_value = "text")]
    pub log_format: LogFormat,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Writes a commented config template.
    Init {
        #[arg(long)]
        force: bool,
    },
    /// Prints this config's account address (from its key; no chain needed).
    Address,
    /// Uploads the contracts, instantiates the suite and writes deployments/<chain-id>.json.
    Deploy(DeployArgs),
    /// Runs the provider daemon until SIGINT/SIGTERM.
    Run,
    /// Shows this account's provider state: bond, offers, open leases, local store.
    Status,
    /// Starts unbonding stake (claimable after the unbonding period).
    Unbond {
        #[arg(long)]
        amount: u128,
    },
    /// Withdraws what escrow holds for this provider across all its leases.
    Withdraw,
    /// Takes matured unbonding claims back from staking.
    Claim,
    /// Withdraws every offer and deactivates the provider (open leases run to their end).
    Deactivate,
    /// Run with the cold account's config: lets an operator key run this account's keeper
    /// (its contract calls through x/authz, its fees through x/feegrant; no funds can move).
    Grant(GrantArgs),
    /// This provider's offers: list, update, withdraw.
    #[command(subcommand)]
    Offer(OfferCommand),
    /// Renter commands.
    #[command(subcommand)]
    Job(JobCommand),
    /// Market statistics per GPU model and denom.
    Market,
    /// Internal: the sandboxed job process the daemon starts for each job (reads the job from
    /// its current directory). Not for use by hand.
    #[command(hide = true)]
    JobExec,
    /// Times the executor on matrix products and hashing.
    Bench {
        #[arg(long, default_value = "auto")]
        executor: String,
        #[arg(long, value_delimiter = ',', default_values_t = vec![128u32, 256, 512])]
        sizes: Vec<u32>,
    },
}

#[derive(Args, Debug)]
pub struct GrantArgs {
    /// The operator key's address (`gridshare-keeper address` with the operator's config).
    #[arg(long)]
    pub operator: String,
    /// Print the unsigned transaction (JSON, for `wasmd tx sign`) instead of signing it here;
    /// needs --granter, reads no key.
    #[arg(long)]
    pub print: bool,
    /// The cold account (with --print; otherwise this config's key's account).
    #[arg(long)]
    pub granter: Option<String>,
    /// Most the operator may spend on fees in all, base units of the gas denom (default: no cap).
    #[arg(long)]
    pub fee_limit: Option<u128>,
    /// Days until both grants lapse; 0: until revoked (`wasmd tx authz revoke`,
    /// `wasmd tx feegrant revoke`).
    #[arg(long, default_value_t = 365)]
    pub expires_days: u32,
    /// Gas limit of the printed transaction.
    #[arg(long, default_value_t = 400_000)]
    pub gas: u64,
}

#[derive(Args, Debug)]
pub struct DeployArgs {
    /// Folder with the optimized contracts (`make wasm`).
    #[arg(long, default_value = "artifacts")]
    pub artifacts: PathBuf,
    /// Folder the deployment file is written to.
    #[arg(long, default_value = "deployments")]
    pub out: PathBuf,
    /// TOML overriding the development plan (parameters, catalogue, denoms).
    #[arg(long)]
    pub plan: Option<PathBuf>,
    /// GRID handed out at instantiation, `address=amount` (repeatable).
    #[arg(long = "grant", value_parser = parse_grant)]
    pub grants: Vec<(String, u64)>,
}

fn parse_grant(s: &str) -> Result<(String, u64), String> {
    let (address, amount) = s.split_once('=').ok_or("expected address=amount")?;
    let amount = amount
        .parse()
        .map_err(|e| format!("amount {amount:?}: {e}"))?;
    Ok((address.to_string(), amount))
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum WorkloadArg {
    Sha256,
    MatmulInt,
    MatmulF32,
    Benchmark,
}

#[derive(Subcommand, Debug)]
pub enum OfferCommand {
    /// The offers listed now.
    List,
    /// Changes an offer's price per GPU-hour and/or units.
    Update {
        offer_id: u64,
        #[arg(long)]
        price: Option<u128>,
        #[arg(long)]
        units: Option<u32>,
    },
    /// Takes an offer's free units off the market.
    Withdraw { offer_id: u64 },
}

#[derive(Subcommand, Debug)]
pub enum JobCommand {
    /// Posts a job with its budget attached and, with --wait, follows it to a verified result.
    Submit(Box<SubmitArgs>),
    /// Shows an order and its leases.
    Status {
        #[arg(long)]
        order: u64,
    },
    /// Hands a private order's key to each matched replica's keeper (`submit --private --wait`
    /// and `dispute` do it by themselves).
    Keys {
        #[arg(long)]
        order: u64,
    },
    /// Disputes a single-replica result inside its dispute window: attaches the order's dispute
    /// bond and reveals the dispute salt `job submit` stored; a referee provider re-runs the job.
    Dispute(DisputeArgs),
}

#[derive(Args, Debug)]
pub struct DisputeArgs {
    /// The lease whose revealed result is disputed.
    pub lease_id: u64,
    /// The salt file (default: the one `job submit` wrote, `<work_dir>/orders/<order>.salt`).
    #[arg(long)]
    pub salt_file: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct SubmitArgs {
    #[arg(
        long,
        value_enum,
        default_value = "sha256",
        conflicts_with = "workload_json"
    )]
    pub workload: WorkloadArg,
    /// The workload as JSON, as in the schema (e.g. a `custom_kernel` with its source, entry,
    /// launch shape and buffers); replaces --workload and --dims.
    #[arg(long)]
    pub workload_json: Option<PathBuf>,
    /// Matrix dimensions `m,n,k` for the matmul workloads.
    #[arg(long, value_delimiter = ',')]
    pub dims: Vec<u32>,
    /// Inline input, UTF-8 text.
    #[arg(long, conflicts_with_all = ["input_file", "input_url"])]
    pub input_text: Option<String>,
    /// Inline input from a file.
    #[arg(long, conflicts_with = "input_url")]
    pub input_file: Option<PathBuf>,
    /// Input fetched by the provider; needs --input-sha256.
    #[arg(long, requires = "input_sha256")]
    pub input_url: Option<String>,
    #[arg(long)]
    pub input_sha256: Option<String>,
    /// Catalogue models that may run it (repeatable); default: any.
    #[arg(long = "model")]
    pub models: Vec<String>,
    #[arg(long, default_value_t = 1)]
    pub gpus: u32,
    /// Highest price per GPU-hour, in base units of --denom.
    #[arg(long)]
    pub max_price: u128,
    #[arg(long, default_value = "uusdc")]
    pub denom: String,
    /// Longest a lease may run, seconds.
    #[arg(long, default_value_t = 600)]
    pub max_duration: u64,
    #[arg(long, default_value_t = 1)]
    pub replication: u8,
    /// Unmatched replicas expire after this many seconds.
    #[arg(long, default_value_t = 600)]
    pub deadline: u64,
    /// Follow the order until it closes, then download the output and verify it against the
    /// hash revealed on chain.
    #[arg(long)]
    pub wait: bool,
    /// A private job: the inline input is sealed so that only the matched providers' keepers
    /// can open it (each gets the key once matched: by --wait, or `job keys`), and each output
    /// arrives sealed to this renter's key (`<work_dir>/renter.x25519`).
    #[arg(long, conflicts_with = "input_url")]
    pub private: bool,
    /// Seconds --wait waits at most.
    #[arg(long, default_value_t = 300)]
    pub timeout: u64,
    /// Where --wait writes the verified output.
    #[arg(long)]
    pub out: Option<PathBuf>,
}
