//! `gridshare-keeper deploy`: uploads the optimized contracts, instantiates the suite wired
//! together, seeds the GPU catalogue and writes `deployments/<chain-id>.json`.
//!
//! Re-running is cheap and safe: a code whose checksum is already on chain is not uploaded again,
//! and a suite recorded in the deployment file whose contracts still run those codes is kept.

use crate::chain::{Any, ChainClient, ChainError, SignerHandle};
use crate::msgs;
use cosmwasm_std::{Decimal, Uint128};
use cw20::Cw20Coin;
use gridshare_types::marketplace::{ComputeCapability, GpuModel, Params, SlashRule};
use gridshare_types::UncheckedDenom;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The five contracts, in upload order.
pub const CONTRACTS: [&str; 5] = [
    "access-token",
    "staking",
    "escrow",
    "marketplace",
    "governance",
];

/// The catalogue model a CPU executor offers: development chains only.
pub const CPU_DEV_MODEL: &str = "cpu-dev";

#[derive(Debug, thiserror::Error)]
pub enum DeployError {
    #[error("artifact {path}: {reason} (run `make wasm`)")]
    Artifact { path: PathBuf, reason: String },
    #[error("deployment file {path}: {reason}")]
    File { path: PathBuf, reason: String },
    #[error("{step}: {source}")]
    Chain {
        step: String,
        #[source]
        source: ChainError,
    },
    #[error("{step}: the transaction succeeded but carried no {what}")]
    MissingEvent { step: String, what: &'static str },
    #[error("plan: {0}")]
    Plan(String),
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct CodeRecord {
    pub code_id: u64,
    pub checksum: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Contracts {
    pub grid: String,
    pub staking: String,
    pub escrow: String,
    pub marketplace: String,
    pub governance: String,
}

/// What `deploy` writes; what the keeper and the renter CLI read.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Deployment {
    pub chain_id: String,
    pub deployer: String,
    pub codes: BTreeMap<String, CodeRecord>,
    pub contracts: Contracts,
}

impl Deployment {
    pub fn path_for(dir: &Path, chain_id: &str) -> PathBuf {
        dir.join(format!("{chain_id}.json"))
    }

    pub fn load(path: &Path) -> Result<Self, DeployError> {
        let text = std::fs::read_to_string(path).map_err(|e| DeployError::File {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        serde_json::from_str(&text).map_err(|e| DeployError::File {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })
    }

    fn save(&self, path: &Path) -> Result<(), DeployError> {
        let err = |e: std::io::Error| DeployError::File {
            path: path.to_path_buf(),
            reason: e.to_string(),
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(err)?;
        }
        let text = serde_json::to_string_pretty(self).map_err(|e| DeployError::File {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, text + "\n").map_err(err)?;
        std::fs::rename(&tmp, path).map_err(err)
    }
}

/// Everything a deployment chooses. `Default` is the development chain's plan; a TOML file
/// (`deploy --plan`) overrides any part of it for a real chain.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DeployPlan {
    pub label_prefix: String,
    /// Native denoms renters pay in (escrow, marketplace, and staking's reward denoms).
    pub payment_denoms: Vec<String>,
    pub grid_supply: u64,
    /// GRID handed out at instantiation (e.g. to providers, so they can bond).
    pub grid_grants: Vec<(String, u64)>,
    pub treasury: Option<String>,
    pub unbonding_period: u64,
    pub min_stake_per_gpu: u64,
    pub compensation_pct: u64,
    pub epoch_seconds: u64,
    pub emission_per_epoch: u64,
    pub params: Params,
    pub catalogue: Vec<GpuModel>,
    pub quorum_pct: u64,
    pub threshold_pct: u64,
    pub voting_period: u64,
    pub timelock: u64,
    /// Governance's timelock floor, fixed for good at instantiation (at least 1, at most
    /// `timelock`). The development plan uses 1 so that a local chain decides within seconds; a
    /// production plan should set the shortest delay holders must always get to react to a
    /// passed proposal, e.g. `min_timelock = 86400` with `timelock = 172800`.
    pub min_timelock: u64,
}

impl Default for DeployPlan {
    fn default() -> Self {
        let model = |id: &str, vram_mib, major, minor, score| GpuModel {
            id: id.into(),
            vram_mib,
            compute_capability: ComputeCapability { major, minor },
            benchmark_score: score,
        };
        DeployPlan {
            label_prefix: "gridshare".into(),
            payment_denoms: vec!["uusdc".into()],
            grid_supply: 1_000_000_000_000,
            grid_grants: vec![],
            treasury: None,
            unbonding_period: 60,
            min_stake_per_gpu: 1_000_000,
            compensation_pct: 50,
            epoch_seconds: 3600,
            emission_per_epoch: 0,
            params: Params {
                accepted_denoms: vec![UncheckedDenom::Native("uusdc".into())],
                take_rate_bps: 250,
                heartbeat_interval: 5,
                max_silence: 30,
                dispute_window: 4,
                // Honest keepers reveal as soon as reveals open (an event wakes them); the
                // window only bounds how long a silent replica holds its order up. A minute
                // covers several reconcile intervals and a node restart on a development chain,
                // and is twice `max_silence`, so a keeper alive by its heartbeats has time to
                // reveal. A real chain wants far more (e.g. 3600).
                reveal_window: 60,
                // Dishonesty: a revealed result the quorum or a referee rejected.
                slash: SlashRule::Fixed {
                    amount: Uint128::new(100_000),
                },
                // Liveness (a missed commit or reveal, silence): a smaller share of the bond,
                // since an outage is not fraud.
                liveness_slash: SlashRule::BondBps { bps: 100 },
                max_matches: 16,
                max_scan: 64,
                max_reap: 32,
                max_replication: 5,
                max_inline_bytes: 16_384,
                max_eligible_models: 20,
            },
            catalogue: vec![
                model("h200", 143_360, 9, 0, 1_100),
                model("h100", 81_920, 9, 0, 1_000),
                model("a100", 40_960, 8, 0, 600),
                model("l40s", 46_080, 8, 9, 520),
                model("rtx-4090", 24_576, 8, 9, 450),
                // Development chains only: what a keeper without a GPU offers.
                model(CPU_DEV_MODEL, 1_024, 1, 0, 1),
            ],
            quorum_pct: 30,
            threshold_pct: 50,
            voting_period: 300,
            timelock: 30,
            min_timelock: 1,
        }
    }
}

impl DeployPlan {
    pub fn load(path: &Path) -> Result<Self, DeployError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| DeployError::Plan(format!("{}: {e}", path.display())))?;
        toml::from_str(&text).map_err(|e| DeployError::Plan(format!("{}: {e}", path.display())))
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn chain(step: impl Into<String>) -> impl FnOnce(ChainError) -> DeployError {
    let step = step.into();
    move |source| DeployError::Chain { step, source }
}

/// Runs the deployment and returns what it wrote to `out_dir/<chain-id>.json`.
pub async fn deploy(
    client: &ChainClient,
    signer: &SignerHandle,
    artifacts: &Path,
    out_dir: &Path,
    plan: &DeployPlan,
) -> Result<Deployment, DeployError> {
    let chain_id = client.config.chain_id.clone();
    let path = Deployment::path_for(out_dir, &chain_id);
    let previous = if path.exists() {
        Some(Deployment::load(&path)?)
    } else {
        None
    };
    let deployer = signer.address().to_string();

    let on_chain = client
        .codes()
        .await
        .map_err(chain("listing stored codes"))?;
    let mut codes = BTreeMap::new();
    for name in CONTRACTS {
        let file = artifacts.join(format!("{name}.wasm"));
        let wasm = std::fs::read(&file).map_err(|e| DeployError::Artifact {
            path: file.clone(),
            reason: e.to_string(),
        })?;
        let checksum = sha256_hex(&wasm);
        // The newest code with this checksum, if any.
        let stored = on_chain
            .iter()
            .rev()
            .find(|(_, sum)| *sum == checksum)
            .map(|(id, _)| *id);
        let code_id = match stored {
            Some(id) => {
                tracing::info!(
                    contract = name,
                    code_id = id,
                    "code already stored, skipping upload"
                );
                println!("  {name:<13} code {id} (already stored, {checksum:.12}…)");
                id
            }
            None => {
                let step = format!("storing {name}");
                let outcome = signer
                    .submit(vec![msgs::store_code(&deployer, &wasm)?], &step)
                    .await
                    .map_err(chain(&step))?;
                let id = outcome
                    .first_attribute("store_code", "code_id")
                    .and_then(|v| v.parse().ok())
                    .ok_or(DeployError::MissingEvent {
                        step: step.clone(),
                        what: "code_id",
                    })?;
                println!(
                    "  {name:<13} code {id} stored (gas {}, {checksum:.12}…)",
                    outcome.gas_used
                );
                id
            }
        };
        codes.insert(name.to_string(), CodeRecord { code_id, checksum });
    }

    if let Some(prev) = previous.filter(|p| p.chain_id == chain_id) {
        if suite_is_live(client, &prev, &codes).await? {
            println!(
                "  suite already instantiated with these codes: keeping {}",
                prev.contracts.marketplace
            );
            let deployment = Deployment { codes, ..prev };
            deployment.save(&path)?;
            return Ok(deployment);
        }
    }

    let contracts = instantiate_suite(signer, &deployer, &codes, plan).await?;
    let deployment = Deployment {
        chain_id,
        deployer,
        codes,
        contracts,
    };
    deployment.save(&path)?;
    Ok(deployment)
}

/// Every recorded contract exists and runs the code recorded for it now.
async fn suite_is_live(
    client: &ChainClient,
    prev: &Deployment,
    codes: &BTreeMap<String, CodeRecord>,
) -> Result<bool, DeployError> {
    let c = &prev.contracts;
    let pairs = [
        ("access-token", &c.grid),
        ("staking", &c.staking),
        ("escrow", &c.escrow),
        ("marketplace", &c.marketplace),
        ("governance", &c.governance),
    ];
    for (name, address) in pairs {
        let want = codes.get(name).map(|r| r.code_id);
        let have = client
            .contract_code_id(address)
            .await
            .map_err(chain(format!("looking up {name} at {address}")))?;
        if have.is_none() || have != want {
            return Ok(false);
        }
    }
    Ok(true)
}

async fn instantiate(
    signer: &SignerHandle,
    deployer: &str,
    code_id: u64,
    label: &str,
    msg: &impl Serialize,
) -> Result<String, DeployError> {
    let step = format!("instantiating {label}");
    let outcome = signer
        .submit(
            vec![msgs::instantiate(deployer, code_id, label, msg)?],
            &step,
        )
        .await
        .map_err(chain(&step))?;
    let address = outcome
        .first_attribute("instantiate", "_contract_address")
        .ok_or(DeployError::MissingEvent {
            step,
            what: "contract address",
        })?;
    println!("  {label:<22} {address}");
    Ok(address)
}

async fn instantiate_suite(
    signer: &SignerHandle,
    deployer: &str,
    codes: &BTreeMap<String, CodeRecord>,
    plan: &DeployPlan,
) -> Result<Contracts, DeployError> {
    let code = |name: &str| {
        codes
            .get(name)
            .map(|r| r.code_id)
            .ok_or_else(|| DeployError::Plan(format!("no code for {name}")))
    };
    let label = |name: &str| format!("{}-{name}", plan.label_prefix);
    let treasury = plan
        .treasury
        .clone()
        .unwrap_or_else(|| deployer.to_string());

    let mut initial_balances = vec![Cw20Coin {
        address: deployer.to_string(),
        amount: Uint128::from(plan.grid_supply),
    }];
    initial_balances.extend(plan.grid_grants.iter().map(|(address, amount)| Cw20Coin {
        address: address.clone(),
        amount: Uint128::from(*amount),
    }));
    let grid = instantiate(
        signer,
        deployer,
        code("access-token")?,
        &label("grid"),
        &access_token::msg::InstantiateMsg {
            name: "GridShare".into(),
            symbol: "GRID".into(),
            decimals: 6,
            initial_balances,
            mint: None,
            marketing: None,
            admin: None,
            tiers: vec![],
        },
    )
    .await?;

    let mut reward_denoms: Vec<UncheckedDenom> = plan
        .payment_denoms
        .iter()
        .map(|d| UncheckedDenom::Native(d.clone()))
        .collect();
    reward_denoms.push(UncheckedDenom::Cw20(grid.clone()));
    let staking = instantiate(
        signer,
        deployer,
        code("staking")?,
        &label("staking"),
        &gridshare_types::staking::InstantiateMsg {
            owner: None,
            // Rewired to the marketplace below, once it exists.
            marketplace: deployer.to_string(),
            treasury,
            stake_denom: UncheckedDenom::Cw20(grid.clone()),
            unbonding_period: plan.unbonding_period,
            min_stake_per_gpu: Uint128::from(plan.min_stake_per_gpu),
            compensation_ratio: Decimal::percent(plan.compensation_pct),
            reward_denoms,
            epoch_seconds: plan.epoch_seconds,
            emission_per_epoch: Uint128::from(plan.emission_per_epoch),
            emission_weights: None,
        },
    )
    .await?;

    let payment_denoms: Vec<UncheckedDenom> = plan
        .payment_denoms
        .iter()
        .map(|d| UncheckedDenom::Native(d.clone()))
        .collect();
    let escrow = instantiate(
        signer,
        deployer,
        code("escrow")?,
        &label("escrow"),
        &gridshare_types::escrow::InstantiateMsg {
            owner: None,
            marketplace: deployer.to_string(),
            fee_collector: staking.clone(),
            accepted_denoms: payment_denoms.clone(),
        },
    )
    .await?;

    let mut params = plan.params.clone();
    params.accepted_denoms = payment_denoms;
    let marketplace = instantiate(
        signer,
        deployer,
        code("marketplace")?,
        &label("marketplace"),
        &gridshare_types::marketplace::InstantiateMsg {
            owner: None,
            escrow: escrow.clone(),
            staking: staking.clone(),
            access_token: Some(grid.clone()),
            params,
        },
    )
    .await?;

    // One transaction wires escrow and staking to the marketplace and seeds the catalogue.
    let mut wiring: Vec<Any> = vec![
        msgs::execute(
            deployer,
            &escrow,
            &gridshare_types::escrow::ExecuteMsg::UpdateConfig {
                marketplace: Some(marketplace.clone()),
                fee_collector: None,
                accepted_denoms: None,
            },
            vec![],
        )?,
        msgs::execute(
            deployer,
            &staking,
            &gridshare_types::staking::ExecuteMsg::UpdateConfig {
                marketplace: Some(marketplace.clone()),
                treasury: None,
                unbonding_period: None,
                min_stake_per_gpu: None,
                compensation_ratio: None,
                reward_denoms: None,
                emission_per_epoch: None,
                emission_weights: None,
            },
            vec![],
        )?,
    ];
    for model in &plan.catalogue {
        wiring.push(msgs::execute(
            deployer,
            &marketplace,
            &gridshare_types::marketplace::ExecuteMsg::AddModel {
                model: model.clone(),
            },
            vec![],
        )?);
    }
    let outcome = signer
        .submit(wiring, "wiring the suite")
        .await
        .map_err(chain(
            "wiring escrow and staking to the marketplace, seeding the catalogue",
        ))?;
    println!(
        "  wired escrow + staking to the marketplace, {} catalogue models (gas {})",
        plan.catalogue.len(),
        outcome.gas_used
    );

    let governance = instantiate(
        signer,
        deployer,
        code("governance")?,
        &label("governance"),
        &governance::msg::InstantiateMsg {
            staking: staking.clone(),
            deposit: None,
            min_proposer_power: Uint128::new(1),
            quorum: Decimal::percent(plan.quorum_pct),
            threshold: Decimal::percent(plan.threshold_pct),
            veto_threshold: Decimal::permille(334),
            voting_period: plan.voting_period,
            timelock: plan.timelock,
            min_timelock: plan.min_timelock,
        },
    )
    .await?;

    Ok(Contracts {
        grid,
        staking,
        escrow,
        marketplace,
        governance,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_plan_round_trips_through_toml() {
        let plan = DeployPlan::default();
        let text = toml::to_string(&plan).unwrap();
        let back: DeployPlan = toml::from_str(&text).unwrap();
        assert_eq!(back.catalogue.len(), plan.catalogue.len());
        assert!(back.catalogue.iter().any(|m| m.id == CPU_DEV_MODEL));
        let partial: DeployPlan = toml::from_str("unbonding_period = 1209600\n").unwrap();
        assert_eq!(partial.unbonding_period, 1_209_600);
        // localnet/suite.sh's plan: governance decides within seconds, above the default floor.
        let local: DeployPlan = toml::from_str("voting_period = 6\ntimelock = 1\n").unwrap();
        assert_eq!((local.timelock, local.min_timelock), (1, 1));
        assert_eq!(partial.payment_denoms, vec!["uusdc".to_string()]);
        assert!(toml::from_str::<DeployPlan>("unknown = 1\n").is_err());
        // Commit–reveal parameters round-trip and can be overridden like any other.
        assert_eq!(back.params.reveal_window, 60);
        assert_eq!(back.params.liveness_slash, SlashRule::BondBps { bps: 100 });
        let mut text = toml::to_string(&plan).unwrap();
        text = text.replace("reveal_window = 60", "reveal_window = 3600");
        let real: DeployPlan = toml::from_str(&text).unwrap();
        assert_eq!(real.params.reveal_window, 3600);
        assert!(real.params.reveal_window > real.params.max_silence);
    }

    #[test]
    fn deployment_file_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let d = Deployment {
            chain_id: "c".into(),
            deployer: "wasm1d".into(),
            codes: BTreeMap::from([(
                "escrow".to_string(),
                CodeRecord {
                    code_id: 3,
                    checksum: "ab".into(),
                },
            )]),
            contracts: Contracts {
                grid: "g".into(),
                staking: "s".into(),
                escrow: "e".into(),
                marketplace: "m".into(),
                governance: "v".into(),
            },
        };
        let path = Deployment::path_for(dir.path(), "c");
        d.save(&path).unwrap();
        assert_eq!(Deployment::load(&path).unwrap(), d);
        assert!(matches!(
            Deployment::load(&dir.path().join("none.json")),
            Err(DeployError::File { .. })
        ));
    }
}
