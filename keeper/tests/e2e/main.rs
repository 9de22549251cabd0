//! End-to-end tests against a real wasmd node: the suite deployed from the optimized artifacts,
//! keepers run as real processes, renters use the real CLI, every transaction signed with cosmrs.
//!
//! A custom harness (not libtest): the scenarios share one chain and run in order, and the node
//! is stopped however they end. Run with `make e2e` (part of `make test`), which builds the
//! artifacts and wasmd first.

mod keeper;
mod node;

use gridshare_keeper::chain::{ChainClient, ChainConfig};
use gridshare_keeper::deploy::{DeployPlan, Deployment};
use gridshare_types::escrow::{PaymentResponse, QueryMsg as EscrowQuery};
use gridshare_types::marketplace::{
    CloseReason, LeaseState, LeasesResponse, OrderResponse, ProviderResponse, QueryMsg,
};
use keeper::{account, cli, Account, Daemon};
use node::{dev_mnemonic, Node, CHAIN_ID};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

type Outcome = Result<(), String>;

macro_rules! ensure {
    ($cond:expr, $($fmt:tt)+) => {
        if !$cond {
            return Err(format!($($fmt)+));
        }
    };
}

mod operator;
mod private;

struct World {
    root: PathBuf,
    base: PathBuf,
    node: Node,
    rt: tokio::runtime::Runtime,
    client: ChainClient,
    deployer: Account,
    p1: Account,
    p2: Account,
    renter: Account,
    deployment: Option<Deployment>,
    keeper1: Option<Daemon>,
    keeper2: Option<Daemon>,
    input_url: String,
}

type Scenario = fn(&mut World) -> Outcome;

/// The scenarios on the shared chain, in the order they run (each builds on the state the
/// previous ones left).
const SCENARIOS: &[(&str, Scenario)] = &[
    ("deploy_then_redeploy_skips_stored_codes", World::deploy),
    ("wrong_chain_id_is_refused", World::wrong_chain),
    ("k1_job_served_verified_and_settled", World::k1_job),
    (
        "an_integrator_deploys_and_runs_a_job_with_only_the_wasmd_cli_and_the_readme",
        World::integrator,
    ),
    (
        "bad_job_is_handed_back_and_the_keeper_keeps_running",
        World::bad_job,
    ),
    (
        "a_kernel_including_the_providers_key_is_refused_and_nothing_leaks",
        World::key_exfiltration,
    ),
    (
        "a_trickling_input_is_given_up_without_a_slash",
        World::trickled_input,
    ),
    (
        "a_dead_rpc_endpoint_fails_over_to_the_next",
        World::rpc_failover,
    ),
    (
        "a_memory_bomb_kills_its_job_not_the_keeper",
        World::memory_bomb,
    ),
    (
        "keeper_killed_mid_job_completes_it_exactly_once",
        World::crash_and_resume,
    ),
    ("keeper_survives_the_node_going_away", World::node_outage),
    (
        "a_node_without_a_tx_index_gets_one_transaction_per_request",
        World::no_tx_index,
    ),
    ("k2_job_accepted_by_quorum_of_two_keepers", World::k2_job),
    (
        "private_k1_and_k2_jobs_carry_only_ciphertext_and_the_renter_verifies",
        World::private_jobs,
    ),
    (
        "k1_dispute_resolved_by_a_referee_keeper",
        World::dispute_and_referee,
    ),
    (
        "a_private_k1_result_disputed_gets_its_referee_the_key_and_is_upheld",
        World::private_dispute,
    ),
    (
        "keeper_killed_between_commit_and_reveal_reveals_after_restart",
        World::crash_between_commit_and_reveal,
    ),
    (
        "a_full_disk_takes_the_offers_off_until_there_is_room",
        World::disk_full,
    ),
    (
        "a_keeper_with_only_an_operator_key_serves_a_job_and_moves_none_of_the_cold_accounts_funds",
        World::operator_key,
    ),
    ("keepers_stop_cleanly_on_sigterm", World::graceful_stop),
    (
        "a_job_completes_while_one_of_four_validators_is_down",
        World::four_validators,
    ),
];

fn main() -> ExitCode {
    if std::env::var("GRIDSHARE_E2E").as_deref() != Ok("1") {
        println!("e2e SKIPPED: these tests start a wasmd node; run them with `make e2e` (GRIDSHARE_E2E=1)");
        return ExitCode::SUCCESS;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    for needed in ["artifacts/marketplace.wasm", ".tools/wasmd/wasmd"] {
        if !root.join(needed).exists() {
            eprintln!("e2e: {needed} is missing: run `make e2e` (it builds the artifacts and wasmd first)");
            return ExitCode::FAILURE;
        }
    }
    let started = Instant::now();
    let mut failed = false;
    let mut run = |name: &str, test: &mut dyn FnMut() -> Outcome| {
        if failed {
            println!("test {name} ... skipped");
            return;
        }
        let t = Instant::now();
        match test() {
            Ok(()) => println!("test {name} ... ok ({:.1}s)", t.elapsed().as_secs_f64()),
            Err(e) => {
                println!(
                    "test {name} ... FAILED ({:.1}s)\n{e}\n",
                    t.elapsed().as_secs_f64()
                );
                failed = true;
            }
        }
    };

    run(
        "invalid_config_and_unreachable_node_give_clear_errors",
        &mut || config_errors(&root),
    );
    let mut world = match World::new(&root) {
        Ok(w) => w,
        Err(e) => {
            println!("e2e setup failed: {e}");
            return ExitCode::FAILURE;
        }
    };
    // `E2E_SCENARIOS=a,b`: only the scenarios whose names contain one of these (and the
    // deployment they all need), for working on one scenario.
    let only: Vec<String> = std::env::var("E2E_SCENARIOS")
        .map(|v| v.split(',').map(str::to_string).collect())
        .unwrap_or_default();
    for (i, (name, scenario)) in SCENARIOS.iter().enumerate() {
        if i > 0 && !only.is_empty() && !only.iter().any(|o| name.contains(o.as_str())) {
            continue;
        }
        run(name, &mut || scenario(&mut world));
    }
    drop(world);
    println!("e2e finished in {:.1}s", started.elapsed().as_secs_f64());
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn config_errors(root: &Path) -> Outcome {
    let dir = root.join("target/e2e/config-errors");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let mnemonic = dev_mnemonic(root, "provider1")?;
    let deployment = dir.join("none.json");
    let bad = account(
        &dir,
        "unreachable",
        &mnemonic,
        "http://127.0.0.1:1",
        CHAIN_ID,
        &deployment,
        Some(18099),
    )?;
    let (ok, out) = cli(&bad.config, &["deploy", "--artifacts", "x"]);
    ensure!(
        !ok && out.contains("cannot reach the node at http://127.0.0.1:1"),
        "unreachable node: {out}"
    );

    let path = dir.join("bad-rpc.toml");
    refused(
        &path,
        "rpc = \"ftp://node\"\nchain_id = \"c\"\n",
        "status",
        &["chain.rpc", "ftp://node"],
    )?;
    refused(
        &path,
        "rpc = \"http://127.0.0.1:1\"\nchain_id = \"c\"\nbogus = 1\n",
        "status",
        &["bogus"],
    )?;
    let (ok, out) = cli(&dir.join("missing.toml"), &["run"]);
    ensure!(
        !ok && out.contains("cannot read config"),
        "missing config: {out}"
    );
    refused(
        &path,
        "rpc = \"http://127.0.0.1:1\"\nchain_id = \"c\"\n",
        "deploy",
        &["cannot reach the node"],
    )?;
    Ok(())
}

/// Writes a config whose `[chain]` section is `chain`, runs `command` with it, and expects a
/// failure whose output contains every one of `needles`.
fn refused(path: &Path, chain: &str, command: &str, needles: &[&str]) -> Outcome {
    std::fs::write(path, format!("[chain]\n{chain}")).map_err(|e| e.to_string())?;
    let (ok, out) = cli(path, &[command]);
    ensure!(
        !ok && needles.iter().all(|n| out.contains(n)),
        "{command} with {chain:?}: {out}"
    );
    Ok(())
}

impl World {
    fn new(root: &Path) -> Result<World, String> {
        let base = root.join("target/e2e/run");
        let _ = std::fs::remove_dir_all(&base);
        std::fs::create_dir_all(&base).map_err(|e| e.to_string())?;
        let node = Node::start_fresh(root)?;
        let rpc = node.rpc();
        let deployment = Deployment::path_for(&base.join("deployments"), CHAIN_ID);
        let make = |name: &str, port: Option<u16>| -> Result<Account, String> {
            account(
                &base,
                name,
                &dev_mnemonic(root, name)?,
                &rpc,
                CHAIN_ID,
                &deployment,
                port,
            )
        };
        let rt = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
        let client = ChainClient::new(ChainConfig {
            rpc: rpc.clone(),
            fallback_rpcs: vec![],
            chain_id: CHAIN_ID.into(),
            prefix: "wasm".into(),
            gas_price: "0.025ugrid".parse().map_err(|e: String| e)?,
            gas_adjustment: 1.4,
            tx_timeout: Duration::from_secs(30),
        })
        .map_err(|e| e.to_string())?;
        let input_url = rt.block_on(serve_inputs())?;
        Ok(World {
            root: root.to_path_buf(),
            deployer: make("validator", None)?,
            p1: make("provider1", Some(18091))?,
            p2: make("provider2", Some(18092))?,
            renter: make("renter1", None)?,
            base,
            node,
            rt,
            client,
            deployment: None,
            keeper1: None,
            keeper2: None,
            input_url,
        })
    }

    fn deployment(&self) -> Result<&Deployment, String> {
        self.deployment
            .as_ref()
            .ok_or_else(|| "not deployed".to_string())
    }

    fn deploy(&mut self) -> Outcome {
        let artifacts = self.root.join("artifacts");
        let out = self.base.join("deployments");
        // The development plan, with a dispute window the renter CLI can meet (see
        // `E2E_DISPUTE_WINDOW`).
        let mut plan = DeployPlan::default();
        plan.params.dispute_window = E2E_DISPUTE_WINDOW;
        let plan_file = self.base.join("plan.toml");
        std::fs::write(
            &plan_file,
            toml::to_string(&plan).map_err(|e| e.to_string())?,
        )
        .map_err(|e| e.to_string())?;
        let grant1 = format!("{}=10000000", self.p1.address);
        let grant2 = format!("{}=10000000", self.p2.address);
        let args = [
            "deploy",
            "--artifacts",
            artifacts.to_str().unwrap_or_default(),
            "--out",
            out.to_str().unwrap_or_default(),
            "--plan",
            plan_file.to_str().unwrap_or_default(),
            "--grant",
            &grant1,
            "--grant",
            &grant2,
        ];
        let (ok, first) = cli(&self.deployer.config, &args);
        ensure!(ok, "deploy failed:\n{first}");
        ensure!(
            first.matches(" stored (gas").count() == 5,
            "expected 5 uploads:\n{first}"
        );
        let deployment =
            Deployment::load(&Deployment::path_for(&out, CHAIN_ID)).map_err(|e| e.to_string())?;
        for (name, record) in &deployment.codes {
            let artifact =
                std::fs::read(artifacts.join(format!("{name}.wasm"))).map_err(|e| e.to_string())?;
            ensure!(
                record.checksum == hex::encode(Sha256::digest(&artifact)),
                "{name}: checksum differs"
            );
        }
        let c = &deployment.contracts;
        for address in [
            &c.grid,
            &c.staking,
            &c.escrow,
            &c.marketplace,
            &c.governance,
        ] {
            let code = self
                .rt
                .block_on(self.client.contract_code_id(address))
                .map_err(|e| e.to_string())?;
            ensure!(code.is_some(), "{address} is not a contract on chain");
        }
        let (ok, second) = cli(&self.deployer.config, &args);
        ensure!(ok, "redeploy failed:\n{second}");
        ensure!(
            second.matches("(already stored").count() == 5 && second.contains("keeping"),
            "redeploy uploaded again:\n{second}"
        );
        let again =
            Deployment::load(&Deployment::path_for(&out, CHAIN_ID)).map_err(|e| e.to_string())?;
        ensure!(again == deployment, "redeploy changed the deployment");
        self.deployment = Some(deployment);
        Ok(())
    }

    fn wrong_chain(&mut self) -> Outcome {
        let dir = self.base.join("wrong-chain");
        let a = account(
            &dir,
            "renter1",
            &dev_mnemonic(&self.root, "renter1")?,
            &self.node.rpc(),
            "other-chain",
            &self.base.join("x.json"),
            None,
        )?;
        let (ok, out) = cli(&a.config, &["deploy"]);
        ensure!(
            !ok && out.contains("chain id mismatch") && out.contains(CHAIN_ID),
            "{out}"
        );
        Ok(())
    }

    /// `job submit` as the renter, on the development model at 1 USDC a GPU-second.
    fn renter_submits(&self, args: &[&str]) -> (bool, String) {
        let mut all = vec![
            "job",
            "submit",
            "--model",
            "cpu-dev",
            "--max-price",
            "3600000000",
        ];
        all.extend_from_slice(args);
        cli(&self.renter.config, &all)
    }

    /// Exactly one commit transaction and one reveal transaction for the lease. Both carry the
    /// lease's commitment, which binds the lease and its provider, so another replica's reveal
    /// (whose settlement also carries escrow's `lease_id` of this lease) is never counted.
    fn one_commit_and_one_reveal(&self, lease_id: u64, _provider: &str) -> Outcome {
        let m = &self.deployment()?.contracts.marketplace;
        let lease: gridshare_types::marketplace::LeaseResponse = self
            .rt
            .block_on(self.client.query(m, &QueryMsg::Lease { lease_id }))
            .map_err(|e| e.to_string())?;
        let commitment = lease
            .result
            .map(|r| r.commitment)
            .ok_or_else(|| format!("lease {lease_id} has no commitment"))?;
        for action in ["commit_result", "reveal_result"] {
            let query = format!("wasm.action='{action}' AND wasm.commitment='{commitment}'");
            let count = self
                .rt
                .block_on(self.client.count_txs(&query))
                .map_err(|e| e.to_string())?;
            ensure!(
                count == 1,
                "{count} {action} transactions for lease {lease_id}"
            );
        }
        Ok(())
    }

    fn balance(&self, address: &str) -> Result<u128, String> {
        self.rt
            .block_on(self.client.balance(address, "uusdc"))
            .map_err(|e| e.to_string())
    }

    fn order(
        &self,
        order_id: u64,
    ) -> Result<
        (
            OrderResponse,
            Vec<gridshare_types::marketplace::LeaseResponse>,
        ),
        String,
    > {
        let m = &self.deployment()?.contracts.marketplace;
        let order: OrderResponse = self
            .rt
            .block_on(self.client.query(m, &QueryMsg::Order { order_id }))
            .map_err(|e| e.to_string())?;
        let leases: LeasesResponse = self
            .rt
            .block_on(self.client.query(
                m,
                &QueryMsg::LeasesByOrder {
                    order_id,
                    start_after: None,
                    limit: Some(16),
                },
            ))
            .map_err(|e| e.to_string())?;
        Ok((order, leases.leases))
    }

    fn wait_closed(
        &self,
        order_id: u64,
        timeout: Duration,
    ) -> Result<
        (
            OrderResponse,
            Vec<gridshare_types::marketplace::LeaseResponse>,
        ),
        String,
    > {
        let started = Instant::now();
        loop {
            let (order, leases) = self.order(order_id)?;
            if order.closed {
                return Ok((order, leases));
            }
            ensure!(
                started.elapsed() < timeout,
                "order {order_id} not closed after {timeout:?}: {order:?} {leases:?}"
            );
            std::thread::sleep(Duration::from_millis(300));
        }
    }

    fn start_keeper(&self, which: u8) -> Result<Daemon, String> {
        let account = if which == 1 { &self.p1 } else { &self.p2 };
        let mut daemon = Daemon::start(account)?;
        daemon.wait_for("keeper running", Duration::from_secs(60))?;
        Ok(daemon)
    }

    /// Balances (provider, staking, renter) in uusdc.
    fn snapshot(&self, provider: &str) -> Result<[u128; 3], String> {
        let staking = self.deployment()?.contracts.staking.clone();
        Ok([
            self.balance(provider)?,
            self.balance(&staking)?,
            self.balance(&self.renter.address)?,
        ])
    }

    /// Every coin accounted for: the provider got the payment less the fee, staking the fee,
    /// and the renter paid exactly the payment (the rest of the budget came back).
    fn check_settlement(
        &self,
        before: [u128; 3],
        provider: &str,
        lease_id: u64,
    ) -> Result<u128, String> {
        let escrow = &self.deployment()?.contracts.escrow;
        let p: PaymentResponse = self
            .rt
            .block_on(
                self.client
                    .query(escrow, &EscrowQuery::Payment { lease_id }),
            )
            .map_err(|e| e.to_string())?;
        let after = self.snapshot(provider)?;
        let (released, fees) = (p.released.u128(), p.fees_paid.u128());
        ensure!(
            p.closed && p.withdrawable.is_zero(),
            "payment not settled: {p:?}"
        );
        ensure!(
            fees == released * 250 / 10_000 || fees == (released * 250).div_ceil(10_000),
            "fee {fees} is not 2.5% of {released}"
        );
        ensure!(
            after[0] - before[0] == released - fees,
            "provider got {} not {}",
            after[0] - before[0],
            released - fees
        );
        ensure!(
            after[1] - before[1] == fees,
            "staking got {} not {fees}",
            after[1] - before[1]
        );
        ensure!(
            before[2] - after[2] == released,
            "renter paid {} not {released}",
            before[2] - after[2]
        );
        Ok(released)
    }

    /// `localnet/integrator.sh` on this chain: a second suite deployed and a job run with the
    /// README's JSON and the plain `wasmd` CLI; it also leaves the on-chain gas table in
    /// `target/e2e/gas-on-chain.md`.
    fn integrator(&mut self) -> Outcome {
        let output = std::process::Command::new(self.root.join("localnet/integrator.sh"))
            .env("WASMD", self.root.join(".tools/wasmd/wasmd"))
            .env("NODE", self.node.rpc())
            .env("CHAIN_ID", CHAIN_ID)
            .env("FUNDER_HOME", &self.node.home)
            // An account no other scenario signs with, so no sequence is shared.
            .env("FUNDER", "renter2")
            .env("GAS_TABLE", self.root.join("target/e2e/gas-on-chain.md"))
            .output()
            .map_err(|e| format!("running localnet/integrator.sh: {e}"))?;
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        ensure!(output.status.success(), "integrator.sh failed:\n{text}");
        ensure!(
            text.contains("integrator: ok"),
            "integrator.sh did not finish:\n{text}"
        );
        Ok(())
    }

    fn k1_job(&mut self) -> Outcome {
        self.keeper1 = Some(self.start_keeper(1)?);
        let before = self.snapshot(&self.p1.address)?;
        let out_file = self.base.join("k1.out");
        let (ok, out) = self.renter_submits(&[
            "--workload",
            "sha256",
            "--input-text",
            "hello gridshare",
            "--max-duration",
            "120",
            "--wait",
            "--timeout",
            "120",
            "--out",
            out_file.to_str().unwrap_or_default(),
        ]);
        ensure!(ok && out.contains("VERIFIED"), "renter CLI:\n{out}");
        let output = std::fs::read(&out_file).map_err(|e| e.to_string())?;
        ensure!(
            output == Sha256::digest(b"hello gridshare").to_vec(),
            "the output is not sha256 of the input"
        );
        let order_id = order_id(&out)?;
        let (order, leases) = self.order(order_id)?;
        ensure!(
            leases.len() == 1 && leases[0].state == LeaseState::Accepted,
            "{leases:?}"
        );
        ensure!(
            leases[0].provider.as_str() == self.p1.address,
            "served by {}",
            leases[0].provider
        );
        ensure!(order.closed, "order not closed");
        // Energy: measured where this host's RAPL counters are readable, otherwise reported as
        // unmeasured (null), never as 0; the provider's totals count only measured results.
        let rapl =
            !gridshare_keeper::energy::rapl_domains(Path::new("/sys/class/powercap")).is_empty();
        let energy = leases[0].result.as_ref().and_then(|r| r.energy_mwh);
        ensure!(
            energy.is_some() == rapl,
            "energy {energy:?} with RAPL {}",
            if rapl { "readable" } else { "unreadable" }
        );
        let provider = self.provider_info(&self.p1.address)?;
        ensure!(
            provider.energy_measured == u32::from(rapl)
                && provider.energy_mwh == energy.unwrap_or(0),
            "provider energy totals {} mWh over {} results",
            provider.energy_mwh,
            provider.energy_measured
        );
        self.one_commit_and_one_reveal(leases[0].lease_id, &self.p1.address)?;
        // `job submit` kept the dispute salt whose hash the order carries, owner-only.
        let salt_file = self
            .renter
            .dir
            .join(".keeper/orders")
            .join(format!("{order_id}.salt"));
        ensure!(
            out.contains("dispute salt saved to") && salt_file.exists(),
            "no dispute salt at {}:\n{out}",
            salt_file.display()
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&salt_file)
                .map_err(|e| e.to_string())?
                .permissions()
                .mode();
            ensure!(
                mode & 0o077 == 0,
                "the dispute salt is readable by others: {mode:o}"
            );
        }
        self.check_settlement(before, &self.p1.address.clone(), leases[0].lease_id)?;
        Ok(())
    }

    /// The order `job submit` posts with `args` ends with its one lease handed back as the
    /// renter's fault, at no cost to provider1's reputation; returns provider1's keeper log.
    fn handed_back(&self, args: &[&str]) -> Result<String, String> {
        let provider_before = self.provider_info(&self.p1.address)?;
        let (ok, out) = self.renter_submits(args);
        ensure!(ok, "posting:\n{out}");
        let (_, leases) = self.wait_closed(order_id(&out)?, Duration::from_secs(60))?;
        ensure!(
            leases.len() == 1
                && leases[0].state == LeaseState::Cancelled
                && leases[0].close_reason == Some(CloseReason::RenterFault),
            "{leases:?}"
        );
        let provider = self.provider_info(&self.p1.address)?;
        ensure!(
            provider.reputation == provider_before.reputation
                && provider.counters.rejected == provider_before.counters.rejected
                && provider.counters.handed_back == provider_before.counters.handed_back + 1,
            "a renter's fault moved the provider's record: {:?} -> {:?}",
            provider_before.counters,
            provider.counters
        );
        Ok(self.keeper1.as_ref().map(|k| k.log()).unwrap_or_default())
    }

    fn provider_info(&self, address: &str) -> Result<ProviderResponse, String> {
        let m = self.deployment()?.contracts.marketplace.clone();
        self.rt
            .block_on(self.client.query(
                &m,
                &QueryMsg::Provider {
                    address: address.to_string(),
                },
            ))
            .map_err(|e| e.to_string())
    }

    fn bad_job(&mut self) -> Outcome {
        let before = self.balance(&self.renter.address)?;
        let wrong = "00".repeat(32);
        let log = self.handed_back(&[
            "--workload",
            "sha256",
            "--input-url",
            &format!("{}/small.bin", self.input_url),
            "--input-sha256",
            &wrong,
            "--max-duration",
            "120",
        ])?;
        ensure!(
            log.contains("sha256 is") && log.contains("handing the lease back"),
            "keeper log lacks the reason:\n{log}"
        );
        ensure!(
            self.keeper1.as_mut().is_some_and(|k| k.is_running()),
            "keeper died on a bad job"
        );
        ensure!(
            self.balance(&self.renter.address)? == before,
            "the renter was not refunded in full"
        );
        Ok(())
    }

    /// A hostile renter's kernel `#include`s the provider's key by absolute path. The keeper
    /// refuses the source before any compiler sees it, hands the lease back, and the key's words
    /// appear nowhere: not in its log, its store or its outputs.
    fn key_exfiltration(&mut self) -> Outcome {
        let key_file = self.p1.dir.join("key.mnemonic");
        let mnemonic = std::fs::read_to_string(&key_file).map_err(|e| e.to_string())?;
        let workload = serde_json::json!({
            "custom_kernel": {
                "source": format!(
                    "#include \"{}\"\nextern \"C\" __global__ void leak(char *out) {{ }}\n",
                    key_file.display()
                ),
                "entry": "leak",
                "grid": [1, 1, 1],
                "block": [1, 1, 1],
                "buffers": [{ "bytes": 4096, "kind": "output" }]
            }
        });
        let path = self.base.join("leak.json");
        std::fs::write(&path, workload.to_string()).map_err(|e| e.to_string())?;
        let log = self.handed_back(&[
            "--workload-json",
            path.to_str().unwrap_or_default(),
            "--max-duration",
            "120",
        ])?;
        ensure!(
            log.contains("kernel source refused") && log.contains("#include"),
            "keeper log lacks the refusal:\n{log}"
        );
        let secret = mnemonic.trim();
        ensure!(!log.contains(secret), "the key is in the keeper's log");
        let mut stack = vec![self.p1.dir.join("work")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir)
                .map_err(|e| e.to_string())?
                .flatten()
            {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if let Ok(bytes) = std::fs::read(&path) {
                    ensure!(
                        !String::from_utf8_lossy(&bytes).contains(secret),
                        "the key is in {}",
                        path.display()
                    );
                }
            }
        }
        Ok(())
    }

    /// The input URL trickles a byte every two seconds. The fetch gives up at the keeper's
    /// `max_fetch_secs` (6 s here), the lease is handed back, the provider is not slashed, and
    /// the job slot is free for the next job.
    fn trickled_input(&mut self) -> Outcome {
        let bonded_before = self.bonded(&self.p1.address.clone())?;
        let started = Instant::now();
        let log = self.handed_back(&[
            "--workload",
            "sha256",
            "--input-url",
            &format!("{}/trickle.bin", self.input_url),
            "--input-sha256",
            &"00".repeat(32),
            "--max-duration",
            "120",
        ])?;
        ensure!(
            log.contains("did not arrive within"),
            "keeper log lacks the reason:\n{log}"
        );
        ensure!(
            started.elapsed() < Duration::from_secs(40),
            "the trickle held the lease for {:?}",
            started.elapsed()
        );
        ensure!(
            self.bonded(&self.p1.address.clone())? == bonded_before,
            "the provider was slashed for the renter's input"
        );
        self.next_job_is_served("after the trickle")
    }

    /// A small job posted now runs to a verified result: the keeper (and its job slot) survived
    /// what came before.
    fn next_job_is_served(&self, input: &str) -> Outcome {
        let (ok, out) = self.renter_submits(&[
            "--workload",
            "sha256",
            "--input-text",
            input,
            "--max-duration",
            "120",
            "--wait",
            "--timeout",
            "120",
        ]);
        ensure!(ok && out.contains("VERIFIED"), "the next job:\n{out}");
        Ok(())
    }

    /// A job whose memory outgrows the sandbox's limit: the job process dies, the keeper does
    /// not, the lease is handed back, and the next job runs.
    fn memory_bomb(&mut self) -> Outcome {
        let sha = hex::encode(Sha256::digest(vec![1u8; BOMB_INPUT_BYTES]));
        let dims = format!("{BOMB_DIMS},{BOMB_DIMS},{BOMB_DIMS}");
        let log = self.handed_back(&[
            "--workload",
            "matmul-int",
            "--dims",
            &dims,
            "--input-url",
            &format!("{}/bomb.bin", self.input_url),
            "--input-sha256",
            &sha,
            "--max-duration",
            "120",
        ])?;
        ensure!(
            log.contains("the job process died"),
            "keeper log lacks the reason:\n{log}"
        );
        ensure!(
            self.keeper1.as_mut().is_some_and(|k| k.is_running()),
            "the keeper died with its job"
        );
        self.next_job_is_served("after the bomb")
    }

    /// The renter's config names a dead RPC endpoint first and the node as a fallback: the CLI
    /// fails over, reads the chain and posts its order through the fallback.
    fn rpc_failover(&mut self) -> Outcome {
        let text = std::fs::read_to_string(&self.renter.config).map_err(|e| e.to_string())?;
        let live = format!("rpc = \"{}\"", self.node.rpc());
        ensure!(text.contains(&live), "unexpected renter config:\n{text}");
        let failing = text.replacen(
            &live,
            &format!(
                "rpc = \"http://127.0.0.1:1\"\nfallback_rpcs = [\"{}\"]",
                self.node.rpc()
            ),
            1,
        );
        let path = self.renter.dir.join("failover.toml");
        std::fs::write(&path, failing).map_err(|e| e.to_string())?;
        let (ok, out) = cli(
            &path,
            &[
                "job",
                "submit",
                "--model",
                "cpu-dev",
                "--max-price",
                "3600000000",
                "--input-text",
                "through the fallback",
                "--max-duration",
                "120",
            ],
        );
        ensure!(
            ok && out.contains("posted") && out.contains("failed over"),
            "job submit through a fallback endpoint:\n{out}"
        );
        let order_id = order_id(&out)?;
        self.wait_closed(order_id, Duration::from_secs(60))?;
        Ok(())
    }

    fn bonded(&self, address: &str) -> Result<u128, String> {
        let staker: gridshare_types::staking::StakerResponse = self
            .rt
            .block_on(self.client.query(
                &self.deployment()?.contracts.staking,
                &gridshare_types::staking::QueryMsg::Staker {
                    address: address.to_string(),
                },
            ))
            .map_err(|e| e.to_string())?;
        Ok(staker.bonded.u128())
    }

    fn crash_and_resume(&mut self) -> Outcome {
        let dims: u32 = std::env::var("E2E_CRASH_DIMS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(640);
        let before = self.snapshot(&self.p1.address)?;
        let input = matmul_input(dims);
        let sha = hex::encode(Sha256::digest(&input));
        let dims_arg = format!("{dims},{dims},{dims}");
        let (ok, out) = self.renter_submits(&[
            "--workload",
            "matmul-f32",
            "--dims",
            &dims_arg,
            "--input-url",
            &format!("{}/matmul.bin", self.input_url),
            "--input-sha256",
            &sha,
            "--max-duration",
            "600",
        ]);
        ensure!(ok, "posting:\n{out}");
        let order_id = order_id(&out)?;
        let lease_id = order_id * 16;
        let mut keeper = self.keeper1.take().ok_or("keeper 1 is not running")?;
        // This keeper has executed other leases already: only this lease's own line proves its
        // attempt is in the store (it is written before the job starts), so the kill is mid-job.
        keeper.wait_for(
            &format!("executing lease={lease_id} "),
            Duration::from_secs(30),
        )?;
        keeper.kill_hard();
        let (_, leases) = self.order(order_id)?;
        ensure!(
            leases[0].state == LeaseState::Active && leases[0].result.is_none(),
            "the job finished before the kill (raise E2E_CRASH_DIMS): {:?}",
            leases[0]
        );

        let restarted = self.start_keeper(1)?;
        let (_, leases) = self.wait_closed(order_id, Duration::from_secs(180))?;
        let log = restarted.log();
        self.keeper1 = Some(restarted);
        ensure!(leases[0].state == LeaseState::Accepted, "{:?}", leases[0]);
        ensure!(
            log.contains("attempt=2"),
            "the restarted keeper did not resume the lease:\n{log}"
        );
        // The restarted keeper ran the job again but committed once, and revealed that commitment.
        self.one_commit_and_one_reveal(lease_id, &self.p1.address)?;
        let paid = self.check_settlement(before, &self.p1.address.clone(), lease_id)?;
        ensure!(paid > 0, "a job of several seconds paid nothing");
        Ok(())
    }

    /// The node indexes no transactions (a common setting on public RPC nodes): a transaction
    /// can only be followed by the account's sequence and the blocks. A renter's `job submit
    /// --wait` and the keeper's heartbeats, commit and reveal each land exactly once, and the
    /// CLI still reads its order id from the transaction's events.
    fn no_tx_index(&mut self) -> Outcome {
        self.set_tx_indexer("null")?;
        let result = (|| {
            let m = self.deployment()?.contracts.marketplace.clone();
            let (_, sequence_before) = self
                .rt
                .block_on(self.client.account(&self.renter.address))
                .map_err(|e| e.to_string())?;
            let orders = |this: &Self| -> Result<usize, String> {
                let page: gridshare_types::marketplace::OrdersResponse = this
                    .rt
                    .block_on(this.client.query(
                        &m,
                        &QueryMsg::OrdersByRenter {
                            renter: this.renter.address.clone(),
                            start_after: None,
                            limit: Some(100),
                        },
                    ))
                    .map_err(|e| e.to_string())?;
                Ok(page.orders.len())
            };
            let orders_before = orders(self)?;
            let (ok, out) = self.renter_submits(&[
                "--workload",
                "sha256",
                "--input-text",
                "no index here",
                "--max-duration",
                "120",
                "--wait",
                "--timeout",
                "120",
            ]);
            ensure!(ok && out.contains("VERIFIED"), "job submit:\n{out}");
            let order_id = order_id(&out)?;
            let (_, sequence_after) = self
                .rt
                .block_on(self.client.account(&self.renter.address))
                .map_err(|e| e.to_string())?;
            ensure!(
                sequence_after == sequence_before + 1,
                "the renter signed {} transactions for one order",
                sequence_after - sequence_before
            );
            ensure!(
                orders(self)? == orders_before + 1,
                "more than one order was posted"
            );
            let (_, leases) = self.order(order_id)?;
            ensure!(leases.len() == 1, "{leases:?}");
            let log = self.keeper1.as_ref().map(|k| k.log()).unwrap_or_default();
            let lease = leases[0].lease_id;
            for line in ["result committed", "result revealed"] {
                let count = log.matches(&format!("{line} lease={lease} ")).count();
                ensure!(count == 1, "{count} × {line:?} for lease {lease}:\n{log}");
            }
            Ok(())
        })();
        // The other scenarios count transactions through the index.
        self.set_tx_indexer("kv")?;
        result
    }

    /// Restarts the node with `[tx_index] indexer` set to `indexer`.
    fn set_tx_indexer(&mut self, indexer: &str) -> Outcome {
        self.node.stop();
        let path = self.node.home.join("config/config.toml");
        let text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
        let mut in_section = false;
        let edited: Vec<String> = text
            .lines()
            .map(|line| {
                if line.starts_with('[') {
                    in_section = line.trim() == "[tx_index]";
                }
                if in_section && line.trim_start().starts_with("indexer =") {
                    format!("indexer = \"{indexer}\"")
                } else {
                    line.to_string()
                }
            })
            .collect();
        std::fs::write(&path, edited.join("\n") + "\n").map_err(|e| e.to_string())?;
        self.node.restart()
    }

    fn node_outage(&mut self) -> Outcome {
        self.node.stop();
        std::thread::sleep(Duration::from_secs(6));
        ensure!(
            self.keeper1.as_mut().is_some_and(|k| k.is_running()),
            "keeper exited when the node went away"
        );
        self.node.restart()?;
        let (ok, out) = self.renter_submits(&[
            "--workload",
            "sha256",
            "--input-text",
            "after the outage",
            "--max-duration",
            "120",
            "--wait",
            "--timeout",
            "120",
        ]);
        ensure!(
            ok && out.contains("VERIFIED"),
            "renter CLI after the outage:\n{out}"
        );
        let log = self.keeper1.as_ref().map(|k| k.log()).unwrap_or_default();
        ensure!(
            log.contains("failed"),
            "the outage left no trace in the keeper log"
        );
        Ok(())
    }

    fn k2_job(&mut self) -> Outcome {
        self.keeper2 = Some(self.start_keeper(2)?);
        let (ok, out) = self.renter_submits(&[
            "--workload",
            "sha256",
            "--input-text",
            "replicated",
            "--max-duration",
            "120",
            "--replication",
            "2",
            "--wait",
            "--timeout",
            "120",
        ]);
        ensure!(ok && out.contains("VERIFIED"), "renter CLI:\n{out}");
        let (order, leases) = self.order(order_id(&out)?)?;
        ensure!(leases.len() == 2, "{leases:?}");
        ensure!(
            leases.iter().all(|l| l.state == LeaseState::Accepted),
            "{leases:?}"
        );
        ensure!(
            leases[0].provider != leases[1].provider,
            "one provider served both replicas"
        );
        let canonical = order
            .canonical_sha256
            .clone()
            .ok_or("no canonical result")?;
        ensure!(
            leases.iter().all(|l| l
                .result
                .as_ref()
                .is_some_and(|r| r.sha256.as_ref() == Some(&canonical))),
            "{leases:?}"
        );
        for lease in &leases {
            self.one_commit_and_one_reveal(lease.lease_id, lease.provider.as_str())?;
        }
        Ok(())
    }

    fn lease(&self, lease_id: u64) -> Result<gridshare_types::marketplace::LeaseResponse, String> {
        let m = &self.deployment()?.contracts.marketplace;
        self.rt
            .block_on(self.client.query(m, &QueryMsg::Lease { lease_id }))
            .map_err(|e| e.to_string())
    }

    /// Polls the lease until it is in `state`; fails after `timeout`, or at once when it closed.
    fn wait_lease_state(
        &self,
        lease_id: u64,
        state: LeaseState,
        timeout: Duration,
    ) -> Result<gridshare_types::marketplace::LeaseResponse, String> {
        let started = Instant::now();
        loop {
            let lease = self.lease(lease_id)?;
            if lease.state == state {
                return Ok(lease);
            }
            ensure!(
                lease.closed_at.is_none() && started.elapsed() < timeout,
                "lease {lease_id} is not {state:?} after {:?}: {lease:?}",
                started.elapsed()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn keeper_of(&self, provider: &str) -> Result<&Daemon, String> {
        let keeper = if provider == self.p1.address {
            self.keeper1.as_ref()
        } else if provider == self.p2.address {
            self.keeper2.as_ref()
        } else {
            None
        };
        keeper.ok_or_else(|| format!("no running keeper for {provider}"))
    }

    /// A k = 1 result disputed from the CLI as soon as it is revealed: a referee lease is matched
    /// on the other provider, whose keeper runs it; it agrees, so both leases are accepted and
    /// paid, and the renter gets the rest of the budget and of the bond back.
    fn dispute_and_referee(&mut self) -> Outcome {
        ensure!(
            self.keeper1.is_some() && self.keeper2.is_some(),
            "both keepers must run"
        );
        let renter_before = self.balance(&self.renter.address)?;
        // A job of a few seconds, so that both the provider and the referee are paid something.
        let dims: u32 = std::env::var("E2E_CRASH_DIMS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(640);
        let sha = hex::encode(Sha256::digest(matmul_input(dims)));
        let dims_arg = format!("{dims},{dims},{dims}");
        let (ok, out) = self.renter_submits(&[
            "--workload",
            "matmul-f32",
            "--dims",
            &dims_arg,
            "--input-url",
            &format!("{}/matmul.bin", self.input_url),
            "--input-sha256",
            &sha,
            "--max-duration",
            "600",
        ]);
        ensure!(ok, "posting:\n{out}");
        let order_id = order_id(&out)?;
        let lease_id = order_id * 16;
        let revealed =
            self.wait_lease_state(lease_id, LeaseState::Revealed, Duration::from_secs(120))?;
        let seen = Instant::now();
        let (ok, disputed) = cli(
            &self.renter.config,
            &["job", "dispute", &lease_id.to_string()],
        );
        ensure!(
            ok,
            "job dispute {lease_id} ({:.1}s after the reveal was seen; window {E2E_DISPUTE_WINDOW}s):\n{disputed}",
            seen.elapsed().as_secs_f64()
        );
        let referee_id = lease_id + 1;
        ensure!(
            disputed.contains(&format!("referee lease {referee_id}")),
            "no referee lease {referee_id} in:\n{disputed}"
        );
        let (order, _) = self.order(order_id)?;
        ensure!(
            order.disputed && order.referee_lease == Some(referee_id),
            "{order:?}"
        );
        ensure!(
            disputed.contains(&format!("bond {}uusdc", order.dispute_bond)),
            "the bond attached is not the order's {}:\n{disputed}",
            order.dispute_bond
        );
        let referee = self.lease(referee_id)?;
        ensure!(
            referee.referee,
            "lease {referee_id} is not a referee: {referee:?}"
        );
        ensure!(
            referee.provider != revealed.provider,
            "the referee is the disputed provider {}",
            referee.provider
        );

        let (order, leases) = self.wait_closed(order_id, Duration::from_secs(180))?;
        ensure!(leases.len() == 2, "{leases:?}");
        ensure!(
            leases.iter().all(|l| l.state == LeaseState::Accepted),
            "{leases:?}"
        );
        let canonical = order
            .canonical_sha256
            .clone()
            .ok_or("no canonical result")?;
        ensure!(
            leases.iter().all(|l| l
                .result
                .as_ref()
                .is_some_and(|r| r.sha256.as_ref() == Some(&canonical))),
            "the referee and the provider differ: {leases:?}"
        );
        let log = self.keeper_of(referee.provider.as_str())?.log();
        ensure!(
            log.contains(&format!("lease={referee_id}")),
            "the referee's keeper did not run lease {referee_id}:\n{log}"
        );
        let escrow = &self.deployment()?.contracts.escrow;
        let mut paid = 0u128;
        let mut referee_paid = 0u128;
        for lease in &leases {
            let p: PaymentResponse = self
                .rt
                .block_on(self.client.query(
                    escrow,
                    &EscrowQuery::Payment {
                        lease_id: lease.lease_id,
                    },
                ))
                .map_err(|e| e.to_string())?;
            ensure!(
                p.closed && p.withdrawable.is_zero() && !p.released.is_zero(),
                "lease {}: payment {p:?}",
                lease.lease_id
            );
            paid += p.released.u128();
            if lease.referee {
                referee_paid = p.released.u128();
            }
            self.one_commit_and_one_reveal(lease.lease_id, lease.provider.as_str())?;
        }
        // The renter lost its dispute: the referee was paid from its bond and the rest of the bond
        // was forfeited to the provider, so it paid both payments and the bond's remainder.
        let forfeited = order.dispute_bond.u128() - referee_paid;
        let spent = renter_before - self.balance(&self.renter.address)?;
        ensure!(
            spent == paid + forfeited,
            "the renter paid {spent}, not the two payments {paid} and the forfeited {forfeited} (budget {}, bond {})",
            order.budget,
            order.dispute_bond
        );
        Ok(())
    }

    /// A k = 2 job whose provider1 keeper is SIGKILLed after committing, while provider2's keeper
    /// (stopped before the job was posted) has not committed yet, so reveals are still closed.
    /// Provider2's keeper restarts, runs its lease, commits and reveals; provider1's keeper then
    /// restarts and reveals with the salt it stored before committing.
    fn crash_between_commit_and_reveal(&mut self) -> Outcome {
        let stopped = self.keeper2.take().ok_or("keeper 2 is not running")?;
        let log = stopped.stop()?;
        ensure!(log.contains("keeper stopped"), "no clean stop:\n{log}");
        // Provider2 stays live on chain for max_silence after its last heartbeat: both leases
        // are matched at once.
        let input = "committed, then killed";
        let (ok, out) = self.renter_submits(&[
            "--workload",
            "sha256",
            "--input-text",
            input,
            "--max-duration",
            "120",
            "--replication",
            "2",
        ]);
        ensure!(ok, "posting:\n{out}");
        let order_id = order_id(&out)?;
        let (_, leases) = self.order(order_id)?;
        ensure!(leases.len() == 2, "not both replicas matched: {leases:?}");
        let lease_of = |provider: &str| {
            leases
                .iter()
                .find(|l| l.provider.as_str() == provider)
                .map(|l| l.lease_id)
                .ok_or_else(|| format!("no lease for {provider}: {leases:?}"))
        };
        let (lease1, lease2) = (lease_of(&self.p1.address)?, lease_of(&self.p2.address)?);

        self.wait_lease_state(lease1, LeaseState::Committed, Duration::from_secs(60))?;
        // Killed once its store records the commitment too (killed before that, the restarted
        // keeper finds the commitment on chain and reveals just the same, but that is another
        // path, left to the runner's unit tests).
        let mut keeper = self.keeper1.take().ok_or("keeper 1 is not running")?;
        keeper.wait_for(
            &format!("result committed lease={lease1}"),
            Duration::from_secs(30),
        )?;
        keeper.kill_hard();
        let (l1, l2) = (self.lease(lease1)?, self.lease(lease2)?);
        ensure!(
            l1.state == LeaseState::Committed && l2.state == LeaseState::Active,
            "expected committed and active: {l1:?} {l2:?}"
        );

        self.keeper2 = Some(self.start_keeper(2)?);
        self.wait_lease_state(lease2, LeaseState::Revealed, Duration::from_secs(60))?;
        let l1 = self.lease(lease1)?;
        ensure!(
            l1.state == LeaseState::Committed && l1.reveals_open_at.is_some(),
            "provider1's lease moved while its keeper was down: {l1:?}"
        );

        let restarted = self.start_keeper(1)?;
        self.keeper1 = Some(restarted);
        let (order, leases) = self.wait_closed(order_id, Duration::from_secs(60))?;
        // The order can close (the reveal's block) before the keeper logs the transaction's
        // confirmation.
        let keeper = self.keeper1.as_mut().ok_or("keeper 1 is not running")?;
        keeper.wait_for(
            &format!("result revealed lease={lease1}"),
            Duration::from_secs(30),
        )?;
        let log = keeper.log();
        ensure!(
            log.contains("result revealed") && !log.contains("result committed"),
            "the restarted keeper did not just reveal:\n{log}"
        );
        ensure!(
            leases.len() == 2 && leases.iter().all(|l| l.state == LeaseState::Accepted),
            "{leases:?}"
        );
        let canonical = hex::encode(Sha256::digest(Sha256::digest(input.as_bytes())));
        ensure!(
            order.canonical_sha256.as_deref() == Some(canonical.as_str()),
            "canonical {:?}, not {canonical}",
            order.canonical_sha256
        );
        for lease in &leases {
            ensure!(
                lease
                    .result
                    .as_ref()
                    .is_some_and(|r| r.sha256.as_deref() == Some(canonical.as_str())),
                "{lease:?}"
            );
            self.one_commit_and_one_reveal(lease.lease_id, lease.provider.as_str())?;
        }
        Ok(())
    }

    /// The four-validator chain: the suite deployed, a keeper serving a job of a few seconds,
    /// and a validator stopped while it runs. Three of four hold over 2/3 of the power, so
    /// blocks keep coming and the job settles.
    fn four_validators(&mut self) -> Outcome {
        four_script(&self.root, "start-4.sh", &[])?;
        let result = self.four_validators_inner();
        let _ = four_script(&self.root, "stop-4.sh", &[]);
        result
    }

    fn four_validators_inner(&mut self) -> Outcome {
        let base = self.base.join("four");
        let deployment = Deployment::path_for(&base.join("deployments"), FOUR_CHAIN);
        let make = |name: &str, port: Option<u16>| -> Result<Account, String> {
            account(
                &base,
                name,
                &dev_mnemonic(&self.root, name)?,
                FOUR_RPC,
                FOUR_CHAIN,
                &deployment,
                port,
            )
        };
        let (deployer, provider, renter) = (
            make("validator", None)?,
            make("provider1", Some(18093))?,
            make("renter1", None)?,
        );
        let artifacts = self.root.join("artifacts");
        let out = base.join("deployments");
        let grant = format!("{}=10000000", provider.address);
        let (ok, text) = cli(
            &deployer.config,
            &[
                "deploy",
                "--artifacts",
                artifacts.to_str().unwrap_or_default(),
                "--out",
                out.to_str().unwrap_or_default(),
                "--grant",
                &grant,
            ],
        );
        ensure!(ok, "deploy to four validators:\n{text}");
        let mut keeper = Daemon::start(&provider)?;
        keeper.wait_for("keeper running", Duration::from_secs(60))?;

        let dims = 640;
        let sha = hex::encode(Sha256::digest(matmul_input(dims)));
        let dims_arg = format!("{dims},{dims},{dims}");
        let url = format!("{}/matmul.bin", self.input_url);
        let (ok, text) = cli(
            &renter.config,
            &[
                "job",
                "submit",
                "--model",
                "cpu-dev",
                "--max-price",
                "3600000000",
                "--workload",
                "matmul-f32",
                "--dims",
                &dims_arg,
                "--input-url",
                &url,
                "--input-sha256",
                &sha,
                "--max-duration",
                "600",
            ],
        );
        ensure!(ok, "posting:\n{text}");
        let order_id = order_id(&text)?;
        keeper.wait_for("executing", Duration::from_secs(30))?;
        four_script(&self.root, "stop-4.sh", &["3"])?;

        let client = ChainClient::new(ChainConfig {
            rpc: FOUR_RPC.into(),
            fallback_rpcs: vec![],
            chain_id: FOUR_CHAIN.into(),
            prefix: "wasm".into(),
            gas_price: "0.025ugrid".parse().map_err(|e: String| e)?,
            gas_adjustment: 1.4,
            tx_timeout: Duration::from_secs(30),
        })
        .map_err(|e| e.to_string())?;
        let marketplace = Deployment::load(&deployment)
            .map_err(|e| e.to_string())?
            .contracts
            .marketplace;
        let started = Instant::now();
        loop {
            let order: OrderResponse = self
                .rt
                .block_on(client.query(&marketplace, &QueryMsg::Order { order_id }))
                .map_err(|e| e.to_string())?;
            if order.closed {
                break;
            }
            ensure!(
                started.elapsed() < Duration::from_secs(120),
                "order {order_id} not closed with a validator down: {order:?}\n{}",
                keeper.log()
            );
            std::thread::sleep(Duration::from_millis(300));
        }
        let leases: LeasesResponse = self
            .rt
            .block_on(client.query(
                &marketplace,
                &QueryMsg::LeasesByOrder {
                    order_id,
                    start_after: None,
                    limit: Some(16),
                },
            ))
            .map_err(|e| e.to_string())?;
        ensure!(
            leases.leases.len() == 1 && leases.leases[0].state == LeaseState::Accepted,
            "{:?}",
            leases.leases
        );
        let log = keeper.stop()?;
        ensure!(log.contains("keeper stopped"), "no clean stop:\n{log}");
        Ok(())
    }

    /// Provider2's keeper runs with its work dir on a 16 MiB disk of its own (tmpfs) and then
    /// fills it: `/health` turns degraded and its offers leave the book on chain (a lease it
    /// could not store would expire on it and be slashed); once there is room again the store
    /// recovers and the offers are listed again.
    fn disk_full(&mut self) -> Outcome {
        let mount = self.p2.dir.join("small-disk");
        std::fs::create_dir_all(&mount).map_err(|e| e.to_string())?;
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=16m", "tmpfs"])
            .arg(&mount)
            .status()
            .is_ok_and(|s| s.success());
        if !mounted {
            println!("    skipped: cannot mount a tmpfs here (the e2e needs root for this one)");
            return Ok(());
        }
        struct Unmount(PathBuf);
        impl Drop for Unmount {
            fn drop(&mut self) {
                let _ = std::process::Command::new("umount").arg(&self.0).status();
            }
        }
        let _unmount = Unmount(mount.clone());
        if let Some(daemon) = self.keeper2.take() {
            daemon.stop()?;
        }
        let mut daemon = Daemon::start_with(
            &self.p2,
            &[
                (
                    "GRIDSHARE__KEEPER__WORK_DIR",
                    mount.join("work").display().to_string(),
                ),
                ("GRIDSHARE__KEEPER__MIN_FREE_MIB", "2".into()),
            ],
        )?;
        daemon.wait_for("keeper running", Duration::from_secs(60))?;
        let rt = &self.rt;
        let health = || {
            rt.block_on(async {
                match reqwest::get("http://127.0.0.1:18092/health").await {
                    Ok(r) => (r.status().as_u16(), r.text().await.unwrap_or_default()),
                    Err(_) => (0, String::new()),
                }
            })
        };
        let listed = |world: &World| {
            let (ok, out) = cli(&world.p2.config, &["offer", "list"]);
            ok && out.contains("cpu-dev")
        };
        let wait = |what: &str, done: &dyn Fn() -> bool| -> Outcome {
            let started = Instant::now();
            while !done() {
                ensure!(
                    started.elapsed() < Duration::from_secs(60),
                    "{what} did not happen within 60 s; /health: {:?}",
                    health()
                );
                std::thread::sleep(Duration::from_millis(500));
            }
            Ok(())
        };
        wait("a healthy start", &|| health().0 == 200 && listed(self))?;

        let filler = mount.join("filler");
        let _ = std::fs::write(&filler, vec![0u8; 32 << 20]);
        wait("degraded with its offers withdrawn", &|| {
            let (code, body) = health();
            code == 503 && body.contains("bytes free") && !listed(self)
        })?;
        std::fs::remove_file(&filler).map_err(|e| e.to_string())?;
        wait("healthy again with its offers listed", &|| {
            health().0 == 200 && listed(self)
        })?;
        let log = daemon.stop()?;
        ensure!(
            log.contains("withdrawing its offers") && log.contains("offers listed"),
            "the keeper log lacks the withdrawal and the relisting:\n{log}"
        );
        drop(_unmount);
        self.keeper2 = Some(self.start_keeper(2)?);
        Ok(())
    }

    fn graceful_stop(&mut self) -> Outcome {
        for daemon in [self.keeper1.take(), self.keeper2.take()]
            .into_iter()
            .flatten()
        {
            let log = daemon.stop()?;
            ensure!(log.contains("keeper stopped"), "no clean stop:\n{log}");
        }
        self.provider_commands()
    }

    /// The provider's own commands with its daemon stopped: `offer list`, `withdraw` (the
    /// daemon already took every payment: nothing is left), `claim` and `deactivate` (every
    /// offer withdrawn, the provider inactive).
    fn provider_commands(&mut self) -> Outcome {
        let config = self.p2.config.clone();
        let (ok, out) = cli(&config, &["offer", "list"]);
        ensure!(ok && out.contains("cpu-dev"), "offer list:\n{out}");
        let (ok, out) = cli(&config, &["withdraw"]);
        ensure!(ok, "withdraw:\n{out}");
        let (ok, out) = cli(&config, &["deactivate"]);
        ensure!(ok && out.contains("deactivated"), "deactivate:\n{out}");
        let provider = self.provider_info(&self.p2.address)?;
        ensure!(!provider.active, "still active: {provider:?}");
        let (ok, out) = cli(&config, &["offer", "list"]);
        ensure!(
            ok && out.contains("no offers listed"),
            "offers left:\n{out}"
        );
        Ok(())
    }
}

/// The e2e chain's dispute window (the development plan's is 4 s): a renter who polls for the
/// reveal and then starts `job dispute` must land inside it even on a loaded machine, while every
/// k = 1 job of the other scenarios waits it out before it is accepted.
const E2E_DISPUTE_WINDOW: u64 = 10;

const FOUR_RPC: &str = "http://127.0.0.1:27857";
const FOUR_CHAIN: &str = "gridshare-4";

/// Runs localnet/start-4.sh or stop-4.sh on the e2e ports.
fn four_script(root: &Path, name: &str, args: &[&str]) -> Outcome {
    let status = std::process::Command::new(root.join("localnet").join(name))
        .args(args)
        .env("LOCALNET4_HOME", root.join("target/e2e/four"))
        .env("BASE_RPC_PORT", "27857")
        .env("BASE_P2P_PORT", "27957")
        .env("BASE_GRPC_PORT", "9590")
        .status()
        .map_err(|e| e.to_string())?;
    ensure!(status.success(), "localnet/{name} failed");
    Ok(())
}

fn order_id(cli_output: &str) -> Result<u64, String> {
    cli_output
        .lines()
        .find_map(|l| {
            l.strip_prefix("order ")?
                .split_whitespace()
                .next()?
                .parse()
                .ok()
        })
        .ok_or_else(|| format!("no order id in:\n{cli_output}"))
}

/// Two `dims × dims` f32 matrices with small exact values.
fn matmul_input(dims: u32) -> Vec<u8> {
    let n = (dims as usize) * (dims as usize) * 2;
    (0..n)
        .flat_map(|i| (((i * 7919) % 13) as f32 - 6.0).to_le_bytes())
        .collect()
}

/// Serves job inputs over HTTP, as a renter's storage would.
const BOMB_DIMS: u32 = 2048;
const BOMB_INPUT_BYTES: usize = 2 * (BOMB_DIMS as usize) * (BOMB_DIMS as usize) * 4;

async fn serve_inputs() -> Result<String, String> {
    use axum::routing::get;
    let big = matmul_input(
        std::env::var("E2E_CRASH_DIMS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(640),
    );
    // Two 2048² matrices (32 MiB): the product needs more than the e2e sandbox's 64 MiB.
    let bomb = vec![1u8; BOMB_INPUT_BYTES];
    let app = axum::Router::new()
        .route("/matmul.bin", get(move || async move { big.clone() }))
        .route("/small.bin", get(|| async { b"small input".to_vec() }))
        .route("/bomb.bin", get(move || async move { bomb.clone() }))
        // A hostile input server: one byte every two seconds, forever.
        .route(
            "/trickle.bin",
            get(|| async {
                let drip = futures::stream::unfold((), |()| async {
                    tokio::time::sleep(Duration::from_secs(2)).await;
                    Some((Ok::<_, std::io::Error>(vec![b'.']), ()))
                });
                axum::body::Body::from_stream(drip)
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(format!("http://{address}"))
}
