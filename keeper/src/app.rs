//! What each subcommand does, on top of the library's parts.

mod claim;
mod deactivate;
mod dispute;
mod grant;
mod keys;
mod offer;
mod withdraw;

use crate::chain::{ChainClient, Signer, SignerHandle, Wallet};
use crate::cli::{Command, DeployArgs, JobCommand, SubmitArgs, WorkloadArg};
use crate::config::{Config, ENV_MNEMONIC};
use crate::deploy::{self, Contracts, DeployPlan, Deployment};
use crate::executor::{self, ExecutorChoice};
use crate::http::{self, HttpState};
use crate::metrics::Metrics;
use crate::provider;
use crate::renter::{self, JobRequest};
use crate::runner::{self, Keeper};
use crate::store::Store;
use anyhow::{anyhow, bail, Context, Result};
use gridshare_types::marketplace::{JobInputs, JobSpec, QueryMsg, Requirements, Workload};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{watch, Notify};

pub const CONFIG_TEMPLATE: &str = include_str!("../keeper.example.toml");

pub async fn dispatch(config_path: &Path, command: Command) -> Result<()> {
    match command {
        Command::Init { force } => init(config_path, force),
        Command::Bench { executor, sizes } => bench(&executor, &sizes),
        Command::JobExec => Err(anyhow!("job-exec is started by the daemon for each job")),
        command => {
            let config = Config::load(config_path, std::env::vars())?;
            match command {
                Command::Address => {
                    let phrase = config.mnemonic(std::env::var(ENV_MNEMONIC).ok())?;
                    println!(
                        "{}",
                        Wallet::from_mnemonic(&phrase, &config.chain.prefix)?.address()
                    );
                    Ok(())
                }
                Command::Deploy(args) => deploy_cmd(&config, args).await,
                Command::Run => run(config).await,
                Command::Status => status(&config).await,
                Command::Unbond { amount } => unbond(&config, amount).await,
                Command::Withdraw => withdraw::run(&config).await,
                Command::Grant(args) => grant::run(&config, args).await,
                Command::Claim => claim::run(&config).await,
                Command::Deactivate => deactivate::run(&config).await,
                Command::Offer(command) => offer::run(&config, command).await,
                Command::Job(JobCommand::Submit(args)) => submit(&config, *args).await,
                Command::Job(JobCommand::Status { order }) => job_status(&config, order).await,
                Command::Job(JobCommand::Keys { order }) => keys::run(&config, order).await,
                Command::Job(JobCommand::Dispute(args)) => dispute::run(&config, args).await,
                Command::Market => market(&config).await,
                Command::Init { .. } | Command::Bench { .. } | Command::JobExec => Ok(()),
            }
        }
    }
}

fn init(path: &Path, force: bool) -> Result<()> {
    if path.exists() && !force {
        bail!("{} exists (use --force to overwrite)", path.display());
    }
    std::fs::write(path, CONFIG_TEMPLATE).with_context(|| format!("writing {}", path.display()))?;
    println!("wrote {}", path.display());
    Ok(())
}

fn bench(choice: &str, sizes: &[u32]) -> Result<()> {
    let choice: ExecutorChoice = choice.parse().map_err(|e| anyhow!("{e}"))?;
    let executor = executor::select(choice)?;
    println!("executor: {}", executor.kind());
    for d in executor.devices() {
        println!(
            "  device {}: {} ({} MiB, sm_{}{})",
            d.ordinal, d.name, d.vram_mib, d.compute_capability.0, d.compute_capability.1
        );
    }
    let rows = executor::bench::run(executor.as_ref(), sizes)?;
    println!("{}", executor::bench::Table(&rows));
    Ok(())
}

/// The chain client and this config's signer, after checking the node runs the right chain.
async fn connect(config: &Config) -> Result<(ChainClient, SignerHandle)> {
    connect_with_key(config)
        .await
        .map(|(client, signer, _)| (client, signer))
}

/// `connect`, plus the account's public key (hex of the compressed secp256k1 point).
async fn connect_with_key(config: &Config) -> Result<(ChainClient, SignerHandle, String)> {
    let client = ChainClient::new(config.chain_config()?)?;
    let height = client.check_chain().await?;
    let phrase = config.mnemonic(std::env::var(ENV_MNEMONIC).ok())?;
    let wallet = Wallet::from_mnemonic(&phrase, &config.chain.prefix)?;
    drop(phrase);
    let granter = config.granter().map_err(|e| anyhow!("key.granter: {e}"))?;
    match &granter {
        Some(g) => {
            tracing::info!(chain = %config.chain.chain_id, height, operator = %wallet.address(), acting_for = %g, "connected as an operator key")
        }
        None => {
            tracing::info!(chain = %config.chain.chain_id, height, address = %wallet.address(), "connected")
        }
    }
    let public_key = hex::encode(wallet.public_key().to_bytes());
    if let Some(granter) = &granter {
        check_operator(config, &client, granter.as_ref(), wallet.address().as_ref()).await?;
    }
    let signer = Signer::spawn(client.clone(), Arc::new(wallet), granter);
    Ok((client, signer, public_key))
}

/// An operator key is usable only once the cold account granted it the keeper's messages and
/// its fees: say so now, with the command that fixes it, not at the first transaction.
async fn check_operator(
    config: &Config,
    client: &ChainClient,
    granter: &str,
    operator: &str,
) -> Result<()> {
    let marketplace = contracts(config)?.marketplace;
    let grants = client.contract_grants(granter, operator).await?;
    let allowance = client.has_fee_allowance(granter, operator).await?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or_default();
    crate::chain::authz::check_grants(&grants, allowance, &marketplace, now).map_err(|why| {
        anyhow!(
            "the operator key {operator} cannot act for {granter} yet: {why}. With the cold \
             key's config run: gridshare-keeper grant --operator {operator}"
        )
    })
}

/// The suite's addresses: explicit config entries over the deployment file.
fn contracts(config: &Config) -> Result<Contracts> {
    let c = &config.contracts;
    let from_file = match &c.deployment {
        Some(path) => Some(Deployment::load(path)?.contracts),
        None => None,
    };
    let pick = |explicit: &Option<String>,
                field: fn(&Contracts) -> &String,
                name: &str|
     -> Result<String> {
        explicit
            .clone()
            .or_else(|| from_file.as_ref().map(|f| field(f).clone()))
            .ok_or_else(|| {
                anyhow!("no {name} address: set contracts.deployment or contracts.{name}")
            })
    };
    Ok(Contracts {
        marketplace: pick(&c.marketplace, |f| &f.marketplace, "marketplace")?,
        escrow: pick(&c.escrow, |f| &f.escrow, "escrow")?,
        staking: pick(&c.staking, |f| &f.staking, "staking")?,
        grid: pick(&c.grid, |f| &f.grid, "grid")?,
        governance: from_file
            .as_ref()
            .map(|f| f.governance.clone())
            .unwrap_or_default(),
    })
}

async fn deploy_cmd(config: &Config, args: DeployArgs) -> Result<()> {
    let started = Instant::now();
    let (client, signer) = connect(config).await?;
    let mut plan = match &args.plan {
        Some(path) => DeployPlan::load(path)?,
        None => DeployPlan::default(),
    };
    plan.grid_grants.extend(args.grants);
    println!(
        "deploying GridShare to {} as {}",
        config.chain.chain_id,
        signer.address()
    );
    let deployment = deploy::deploy(&client, &signer, &args.artifacts, &args.out, &plan).await?;
    println!(
        "deployment written to {} in {:.1}s: marketplace {}",
        Deployment::path_for(&args.out, &deployment.chain_id).display(),
        started.elapsed().as_secs_f64(),
        deployment.contracts.marketplace
    );
    Ok(())
}

/// The provider's X25519 key for private jobs, in the work dir (out of every job's reach).
fn privacy_key_path(config: &Config) -> std::path::PathBuf {
    config.keeper.work_dir.join("provider.x25519")
}

/// The job sandbox, checked in a real job process before any job runs: the key file must be out
/// of a job's reach.
async fn start_sandbox(
    config: &Config,
    kind: executor::ExecutorKind,
) -> Result<crate::sandbox::Sandbox> {
    let exe = std::env::current_exe().context("locating the keeper binary for job processes")?;
    let work_dir = std::path::absolute(&config.keeper.work_dir)
        .with_context(|| format!("resolving {}", config.keeper.work_dir.display()))?;
    let sandbox = crate::sandbox::Sandbox::new(
        exe,
        work_dir.join("jobs"),
        kind,
        config.sandbox.memory_mib.saturating_mul(1 << 20),
        config.sandbox.uid,
        config.sandbox.read_paths.clone(),
        config.sandbox.required,
    );
    let keys = config
        .key
        .mnemonic_file
        .iter()
        .cloned()
        .chain([privacy_key_path(config)]);
    for key in keys {
        let key = std::path::absolute(&key).unwrap_or(key);
        let exposed = sandbox.readable_parents(&key);
        if !exposed.is_empty() {
            bail!(
                "the key file {} lies under {:?}, which jobs may read: move it",
                key.display(),
                exposed
            );
        }
        let report = sandbox
            .probe(&key)
            .await
            .map_err(|e| anyhow!("the job sandbox does not work here: {e}"))?;
        if report.readable {
            bail!(
                "a job process could read the key file {}: refusing to run jobs",
                key.display()
            );
        }
        tracing::info!(key = %key.display(), separate_user = report.confinement.separate_user, landlock = %report.confinement.landlock, "job sandbox checked: the key file is out of reach");
    }
    Ok(sandbox)
}

async fn run(config: Config) -> Result<()> {
    let contracts = contracts(&config)?;
    let provider_section = config
        .provider
        .clone()
        .ok_or_else(|| anyhow!("`run` needs a [provider] section in {}", "the config"))?;
    let executor: Arc<dyn executor::Executor> = Arc::from(executor::select(config.executor.kind)?);
    tracing::info!(executor = %executor.kind(), devices = executor.devices().len(), "executor ready");
    std::fs::create_dir_all(&config.keeper.work_dir)
        .with_context(|| format!("creating {}", config.keeper.work_dir.display()))?;
    let store = Arc::new(Store::open(&config.keeper.work_dir)?);
    // Renters seal private jobs' keys to this X25519 key (`privacy.rs`), kept beside the store
    // where no job can read it (the sandbox is probed for it).
    let privacy_key = Arc::new(crate::privacy::SecretKey::load_or_create(
        &privacy_key_path(&config),
    )?);
    let sandbox = start_sandbox(&config, executor.kind()).await?;
    let metrics = Arc::new(Metrics::default());
    let listener = tokio::net::TcpListener::bind(&config.keeper.listen)
        .await
        .with_context(|| format!("binding the HTTP listener on {}", config.keeper.listen))?;

    let (client, signer, _account_key) = connect_with_key(&config).await?;
    let public_url = config.public_url();
    let mut provider_section = provider_section;
    let own_key = privacy_key.public().to_text();
    if provider_section.public_key.is_empty() {
        provider_section.public_key = own_key;
    } else if provider_section.public_key != own_key {
        tracing::warn!(configured = %provider_section.public_key, "provider.public_key is not this keeper's key: renters' private jobs sealed to it cannot run here");
    }
    let offers = provider::desired_offers(&provider_section, executor.kind(), executor.devices());
    let slots = provider::slots_for(&offers, executor.kind(), executor.devices().len())?;
    tracing::info!(units = slots.total(), "units offered");
    provider::ensure(
        &client,
        &signer,
        &contracts,
        &provider_section,
        &public_url,
        &offers,
    )
    .await?;

    let health_check = crate::health::HealthCheck {
        min_free_bytes: config.keeper.min_free_mib.saturating_mul(1 << 20),
        gpus_expected: executor.devices().len(),
        output_quota_bytes: (config.keeper.output_quota_mib > 0)
            .then(|| config.keeper.output_quota_mib.saturating_mul(1 << 20)),
    };
    let (stop_tx, stop_rx) = watch::channel(false);
    let http_task = tokio::spawn(http::serve(
        listener,
        HttpState {
            store: store.clone(),
            metrics: metrics.clone(),
            provider: signer.address().to_string(),
            executor: executor.kind().to_string(),
            chain: Some(http::ChainView {
                client: client.clone(),
                marketplace: contracts.marketplace.clone(),
            }),
            downloads: Arc::new(tokio::sync::Semaphore::new(http::MAX_DOWNLOADS)),
            health: health_check.clone(),
            privacy_key: Some(privacy_key.clone()),
        },
        stop_rx.clone(),
    ));
    let (health_store, health_signer, health_metrics) =
        (store.clone(), signer.clone(), metrics.clone());
    let keeper = Keeper::new(
        client.clone(),
        signer,
        contracts.clone(),
        store,
        metrics,
        sandbox,
        public_url.clone(),
        config.keeper.max_input_bytes,
        config.keeper.allow_private_inputs,
        config.keeper.output_retention_secs,
        Duration::from_secs(config.keeper.max_fetch_secs.max(1)),
        config.keeper.max_concurrent_jobs,
        slots,
        privacy_key,
    );
    let market = keeper.market_config().await?;
    let heartbeat = match config.keeper.heartbeat_secs {
        0 => market.params.heartbeat_interval.max(1),
        s => s,
    };
    keeper.signer.bound_by_silence(
        Duration::from_secs(market.params.max_silence),
        Duration::from_secs(heartbeat),
    );
    let wake = Arc::new(Notify::new());
    let tasks = vec![
        runner::spawn_events(
            config.chain.rpc.clone(),
            contracts.marketplace.clone(),
            wake.clone(),
            stop_rx.clone(),
        ),
        tokio::spawn(
            keeper
                .clone()
                .heartbeat_loop(Duration::from_secs(heartbeat), stop_rx.clone()),
        ),
        tokio::spawn(
            crate::health::Watch {
                check: health_check,
                store: health_store,
                metrics: health_metrics,
                client: client.clone(),
                signer: health_signer,
                contracts: contracts.clone(),
                section: provider_section.clone(),
                endpoint: public_url.clone(),
                offers: offers.clone(),
            }
            .run(
                Duration::from_secs(config.keeper.reconcile_secs.max(1)),
                stop_rx.clone(),
            ),
        ),
        tokio::spawn(keeper.clone().reconcile_loop(
            wake,
            Duration::from_secs(config.keeper.reconcile_secs),
            stop_rx.clone(),
        )),
    ];
    println!("keeper running: outputs and metrics on {public_url}, heartbeat every {heartbeat}s");
    runner::shutdown_signal().await;
    tracing::info!("shutting down");
    let _ = stop_tx.send(true);
    for task in tasks {
        let _ = tokio::time::timeout(Duration::from_secs(10), task).await;
    }
    let _ = tokio::time::timeout(Duration::from_secs(5), http_task).await;
    println!("keeper stopped");
    Ok(())
}

async fn status(config: &Config) -> Result<()> {
    let contracts = contracts(config)?;
    let client = ChainClient::new(config.chain_config()?)?;
    client.check_chain().await?;
    let phrase = config.mnemonic(std::env::var(ENV_MNEMONIC).ok())?;
    let wallet = Wallet::from_mnemonic(&phrase, &config.chain.prefix)?;
    let me = match config.granter().map_err(|e| anyhow!("key.granter: {e}"))? {
        Some(granter) => {
            println!(
                "operator  {} (acting for the account below)",
                wallet.address()
            );
            granter.to_string()
        }
        None => wallet.address().to_string(),
    };
    println!("account   {me}");
    let staker: gridshare_types::staking::StakerResponse = client
        .query(
            &contracts.staking,
            &gridshare_types::staking::QueryMsg::Staker {
                address: me.clone(),
            },
        )
        .await?;
    println!(
        "bonded    {} GRID (locked {}, unbonding {})",
        staker.bonded, staker.locked, staker.unbonding
    );
    match client
        .query::<_, gridshare_types::marketplace::ProviderResponse>(
            &contracts.marketplace,
            &QueryMsg::Provider {
                address: me.clone(),
            },
        )
        .await
    {
        Ok(p) => println!(
            "provider  #{} {:?} in {}, reputation {}/1000, {} listed units, last heartbeat {}",
            p.id, p.name, p.region, p.reputation, p.listed_units, p.last_heartbeat
        ),
        Err(_) => println!("provider  not registered"),
    }
    let leases: gridshare_types::marketplace::LeasesResponse = client
        .query(
            &contracts.marketplace,
            &QueryMsg::LeasesByProvider {
                provider: me,
                start_after: None,
                limit: Some(30),
            },
        )
        .await?;
    println!("open leases {}", leases.leases.len());
    for l in leases.leases {
        println!(
            "  lease {} order {} {:?} {} units at {}",
            l.lease_id, l.order_id, l.state, l.units, l.price
        );
    }
    if config.keeper.work_dir.join("keeper.redb").exists() {
        let store = Store::open(&config.keeper.work_dir)?;
        println!(
            "local store {} leases, {} unfinished",
            store.len()?,
            store.unfinished(1000)?.len()
        );
    }
    Ok(())
}

/// One contract call from this account, signed and confirmed.
async fn send(
    signer: &SignerHandle,
    contract: &str,
    msg: &impl serde::Serialize,
    memo: &str,
) -> Result<crate::chain::TxOutcome> {
    let any = crate::msgs::execute(signer.address(), contract, msg, vec![])?;
    Ok(signer.submit(vec![any], memo).await?)
}

async fn unbond(config: &Config, amount: u128) -> Result<()> {
    let contracts = contracts(config)?;
    let (_, signer) = connect(config).await?;
    let outcome = send(
        &signer,
        &contracts.staking,
        &gridshare_types::staking::ExecuteMsg::Unbond {
            amount: amount.into(),
        },
        "unbond",
    )
    .await?;
    println!(
        "unbonding {amount} GRID: tx {} at height {}",
        outcome.hash, outcome.height
    );
    Ok(())
}

fn workload_from_args(workload: WorkloadArg, dims: &[u32]) -> Result<Workload> {
    let dims = |name: &str| -> Result<(u32, u32, u32)> {
        match dims {
            [m, n, k] => Ok((*m, *n, *k)),
            _ => bail!("{name} needs --dims m,n,k"),
        }
    };
    Ok(match workload {
        WorkloadArg::Sha256 => Workload::Sha256 {},
        WorkloadArg::Benchmark => Workload::Benchmark {},
        WorkloadArg::MatmulInt => {
            let (m, n, k) = dims("matmul-int")?;
            Workload::MatMulInt { m, n, k }
        }
        WorkloadArg::MatmulF32 => {
            let (m, n, k) = dims("matmul-f32")?;
            Workload::MatMulF32 { m, n, k }
        }
    })
}

fn job_request(args: &SubmitArgs) -> Result<JobRequest> {
    let inputs = if let Some(url) = &args.input_url {
        JobInputs::Url {
            url: url.clone(),
            sha256: args.input_sha256.clone().unwrap_or_default(),
        }
    } else if let Some(path) = &args.input_file {
        JobInputs::Inline {
            data: std::fs::read(path)
                .with_context(|| format!("reading {}", path.display()))?
                .into(),
        }
    } else {
        JobInputs::Inline {
            data: args
                .input_text
                .clone()
                .unwrap_or_default()
                .into_bytes()
                .into(),
        }
    };
    let workload = match (&args.workload_json, args.workload) {
        (Some(path), _) => {
            let text =
                std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
            serde_json::from_slice(&text)
                .with_context(|| format!("{} is not a workload", path.display()))?
        }
        (None, workload) => workload_from_args(workload, &args.dims)?,
    };
    Ok(JobRequest {
        spec: JobSpec {
            workload,
            inputs,
            deterministic: true,
            max_runtime_seconds: args.max_duration,
            output_key: None,
        },
        requirements: Requirements {
            models: (!args.models.is_empty()).then(|| args.models.clone()),
            ..Requirements::default()
        },
        gpu_count: args.gpus,
        max_price: args.max_price,
        max_duration: args.max_duration,
        replication: args.replication,
        deadline_seconds: args.deadline,
        denom: args.denom.clone(),
    })
}

async fn submit(config: &Config, args: SubmitArgs) -> Result<()> {
    let contracts = contracts(config)?;
    let mut job = job_request(&args)?;
    // A private job: the input sealed to a one-off order key, the output to the renter's key.
    let private = if args.private {
        let private = renter::PrivateJob {
            order_secret: crate::privacy::SecretKey::generate(),
            renter_key: crate::privacy::SecretKey::load_or_create(&renter::renter_key_path(
                &config.keeper.work_dir,
            ))?,
        };
        match &mut job.spec.inputs {
            JobInputs::Inline { data } => {
                *data = crate::privacy::seal_input(&private.order_secret, data.as_slice())?.into();
            }
            JobInputs::Url { .. } => {
                bail!("--private takes an inline input (--input-text or --input-file)")
            }
        }
        job.spec.output_key = Some(private.renter_key.public().to_text());
        Some(private)
    } else {
        None
    };
    let (client, signer) = connect(config).await?;
    let before = client.balance(signer.address(), &job.denom).await?;
    // The salt is on disk before its hash is on chain: an order that can be disputed always has
    // the salt that disputes it.
    let salts = renter::salts_dir(&config.keeper.work_dir);
    let pending = renter::new_dispute_salt(&salts)?;
    let pending_key = private
        .as_ref()
        .map(|p| renter::new_order_secret(&salts, &p.order_secret))
        .transpose()?;
    let posted = match renter::post(
        &client,
        &signer,
        &contracts,
        &job,
        Some(pending.hash.clone()),
    )
    .await
    {
        Ok(posted) => posted,
        Err(e) => {
            // No order carries its hash: the salt is worthless.
            let _ = std::fs::remove_file(&pending.path);
            if let Some(path) = &pending_key {
                let _ = std::fs::remove_file(path);
            }
            return Err(e.into());
        }
    };
    if let Some(path) = &pending_key {
        if let Err(e) = renter::keep_order_secret(path, posted.order_id) {
            tracing::warn!(error = %e, "the order secret keeps its temporary name");
        }
    }
    println!(
        "order {} posted at height {} with a budget of {}{}",
        posted.order_id, posted.height, posted.budget, job.denom
    );
    match renter::keep_dispute_salt(&pending, posted.order_id) {
        Ok(path) => println!(
            "dispute salt saved to {} (keep it: `job dispute <lease>` needs it)",
            path.display()
        ),
        Err(e) => {
            tracing::warn!(error = %e, "the dispute salt keeps its temporary name");
            println!(
                "dispute salt saved to {} (rename it {}.salt, or pass it with --salt-file)",
                pending.path.display(),
                posted.order_id
            );
        }
    }
    if !args.wait {
        if private.is_some() {
            println!(
                "private: once replicas are matched, hand them the input's key with `job keys --order {}`",
                posted.order_id
            );
        }
        return Ok(());
    }
    let (order, leases) = renter::wait(
        &client,
        &contracts,
        posted.order_id,
        Duration::from_secs(args.timeout),
        private.as_ref(),
    )
    .await?;
    let lease =
        renter::accepted_lease(&order, &leases).ok_or_else(|| renter::RenterError::NoResult {
            order_id: order.order_id,
            status: format!("{:?}", order.status),
        })?;
    let (bytes, sha256) =
        renter::fetch_verified(lease, private.as_ref().map(|p| &p.renter_key)).await?;
    if let Some(out) = &args.out {
        std::fs::write(out, &bytes).with_context(|| format!("writing {}", out.display()))?;
    }
    // The accepted result was revealed; the node's transaction index may trail the state a
    // little, so wait briefly for the reveal's transaction.
    let result_height =
        renter::reveal_height(&client, lease.lease_id, Duration::from_secs(10)).await?;
    let settled = renter::settlement(&client, &contracts, &order, &leases).await?;
    let after = client.balance(signer.address(), &job.denom).await?;
    let runtime = lease
        .result
        .as_ref()
        .map(|r| r.runtime_seconds)
        .unwrap_or(0);
    println!();
    println!("=== job summary =====================================================");
    println!(
        "order            {} ({:?}, {} replica(s))",
        order.order_id, order.status, order.replication
    );
    println!("lease            {}", lease.lease_id);
    println!("provider         {}", lease.provider);
    println!(
        "price            {}{} per GPU-hour × {} GPU(s)",
        lease.price, job.denom, lease.units
    );
    let billed = lease
        .paid_until
        .map(|t| t.saturating_sub(lease.start))
        .unwrap_or(0);
    println!("runtime          {runtime} s on the provider; {billed} s billed (block time from match to commitment)");
    println!("result sha256    {sha256}  VERIFIED against the hash revealed on chain");
    println!(
        "output           {} bytes{}",
        bytes.len(),
        args.out
            .as_ref()
            .map(|p| format!(" → {}", p.display()))
            .unwrap_or_default()
    );
    if let Some(h) = result_height {
        println!(
            "blocks           {} (order at height {}, result revealed at {h})",
            h.saturating_sub(posted.height),
            posted.height
        );
    }
    println!("budget           {}{}", order.budget, job.denom);
    println!(
        "paid to provider {}{}",
        settled.paid_to_providers, job.denom
    );
    println!("fee to staking   {}{}", settled.fees, job.denom);
    println!("refunded         {}{}", settled.refunded, job.denom);
    println!(
        "renter spent     {}{} (payment + fee; gas is paid in ugrid)",
        before.saturating_sub(after),
        job.denom
    );
    println!("=====================================================================");
    Ok(())
}

async fn job_status(config: &Config, order_id: u64) -> Result<()> {
    let contracts = contracts(config)?;
    let client = ChainClient::new(config.chain_config()?)?;
    let order = renter::order(&client, &contracts, order_id).await?;
    let leases = renter::leases(&client, &contracts, order_id).await?;
    println!(
        "order {} {:?}{}: budget {} {}, {} of {} replica(s) matched, canonical result {}",
        order.order_id,
        order.status,
        if order.closed { " (closed)" } else { "" },
        order.budget,
        order.denom,
        order.lease_ids.len(),
        order.replication,
        order.canonical_sha256.as_deref().unwrap_or("-")
    );
    for l in leases {
        let result = match &l.result {
            Some(r) => r
                .sha256
                .clone()
                .unwrap_or_else(|| format!("committed {}, not revealed", r.commitment)),
            None => "-".into(),
        };
        println!(
            "  lease {}{} {:?} provider {} price {} result {}",
            l.lease_id,
            if l.referee { " (referee)" } else { "" },
            l.state,
            l.provider,
            l.price,
            result
        );
    }
    Ok(())
}

async fn market(config: &Config) -> Result<()> {
    let contracts = contracts(config)?;
    let client = ChainClient::new(config.chain_config()?)?;
    let stats = renter::market(&client, &contracts).await?;
    println!(
        "{:<10} {:<8} {:>12} {:>6} {:>6} {:>7} {:>6} {:>12} {:>12}",
        "model", "denom", "best ask", "free", "leased", "util%", "demand", "ewma", "suggested"
    );
    for s in stats.stats {
        let denom = match &s.denom {
            gridshare_types::Denom::Native(d) => d.clone(),
            gridshare_types::Denom::Cw20(a) => a.to_string(),
        };
        let opt = |v: Option<cosmwasm_std::Uint128>| {
            v.map(|v| v.to_string()).unwrap_or_else(|| "-".into())
        };
        println!(
            "{:<10} {:<8} {:>12} {:>6} {:>6} {:>7.2} {:>6} {:>12} {:>12}",
            s.model,
            denom,
            opt(s.best_ask),
            s.free_units,
            s.leased_units,
            f64::from(s.utilization_bps) / 100.0,
            s.resting_demand_units,
            opt(s.ewma_price),
            opt(s.suggested_price)
        );
    }
    Ok(())
}
