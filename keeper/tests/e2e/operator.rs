//! Cold stake, hot operator: a keeper holding only an operator key serves a job for a cold
//! provider account, and that key can move none of the cold account's funds.

use super::{order_id, Outcome, World};
use crate::keeper::{account, cli, Account, Daemon};
use cosmrs::tx::Msg;
use gridshare_keeper::chain::{Any, Signer, TxOutcome, Wallet};
use gridshare_types::escrow::{PaymentResponse, QueryMsg as EscrowQuery};
use gridshare_types::marketplace::LeaseState;
use gridshare_types::staking::{QueryMsg as StakingQuery, StakerResponse};
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The cold account's bond, and what the validator sends it.
const BOND: u128 = 2_000_000;
const FUNDING_UGRID: u128 = 50_000_000;

/// A key made by `wasmd keys add` in the scenario's own keyring: (address, mnemonic).
fn new_key(wasmd: &Path, home: &Path, name: &str) -> Result<(String, String), String> {
    let out = Command::new(wasmd)
        .args([
            "keys",
            "add",
            name,
            "--keyring-backend",
            "test",
            "--output",
            "json",
            "--home",
        ])
        .arg(home)
        .env("LD_LIBRARY_PATH", wasmd.parent().unwrap_or(Path::new(".")))
        .output()
        .map_err(|e| format!("wasmd keys add: {e}"))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let json = text
        .lines()
        .find(|l| l.trim_start().starts_with('{'))
        .ok_or_else(|| format!("wasmd keys add printed no JSON:\n{text}"))?;
    let v: serde_json::Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    match (v["address"].as_str(), v["mnemonic"].as_str()) {
        (Some(a), Some(m)) => Ok((a.to_string(), m.to_string())),
        _ => Err(format!("no address and mnemonic in {json}")),
    }
}

fn wasmd_cli(root: &Path, args: &[&str]) -> Result<String, String> {
    let bin = root.join(".tools/wasmd/wasmd");
    let out = Command::new(&bin)
        .args(args)
        .env("LD_LIBRARY_PATH", root.join(".tools/wasmd"))
        .output()
        .map_err(|e| format!("wasmd {args:?}: {e}"))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    ensure!(out.status.success(), "wasmd {args:?} failed:\n{text}");
    Ok(text)
}

impl World {
    /// One transaction from `mnemonic`'s key through the keeper's own signer, acting for
    /// `granter` when given.
    fn sign_as(
        &self,
        mnemonic: &str,
        granter: Option<&str>,
        msgs: Vec<Any>,
    ) -> Result<TxOutcome, String> {
        let wallet = Wallet::from_mnemonic(mnemonic, "wasm").map_err(|e| e.to_string())?;
        let granter = granter
            .map(|g| g.parse::<cosmrs::AccountId>())
            .transpose()
            .map_err(|e| e.to_string())?;
        self.rt.block_on(async {
            let signer = Signer::spawn(self.client.clone(), Arc::new(wallet), granter);
            signer.submit(msgs, "e2e").await.map_err(|e| e.to_string())
        })
    }

    fn staker(&self, address: &str) -> Result<StakerResponse, String> {
        let staking = &self.deployment()?.contracts.staking;
        self.rt
            .block_on(self.client.query(
                staking,
                &StakingQuery::Staker {
                    address: address.to_string(),
                },
            ))
            .map_err(|e| e.to_string())
    }

    fn ugrid(&self, address: &str) -> Result<u128, String> {
        self.rt
            .block_on(self.client.balance(address, "ugrid"))
            .map_err(|e| e.to_string())
    }

    /// The cold account: made in a scenario keyring, funded by the validator with gas money and
    /// GRID, bonded by its own key.
    fn cold_account(&self, keyring: &Path) -> Result<(Account, String), String> {
        let wasmd = self.root.join(".tools/wasmd/wasmd");
        let (address, mnemonic) = new_key(&wasmd, keyring, "cold")?;
        let c = self.deployment()?.contracts.clone();
        let validator = super::node::dev_mnemonic(&self.root, "validator")?;
        let gas_money = cosmrs::bank::MsgSend {
            from_address: self.deployer.address.parse().map_err(|e| format!("{e}"))?,
            to_address: address.parse().map_err(|e| format!("{e}"))?,
            amount: vec![
                gridshare_keeper::msgs::coin(FUNDING_UGRID, "ugrid").map_err(|e| e.to_string())?
            ],
        }
        .to_any()
        .map_err(|e| e.to_string())?;
        let grid = gridshare_keeper::msgs::execute(
            &self.deployer.address,
            &c.grid,
            &cw20::Cw20ExecuteMsg::Transfer {
                recipient: address.clone(),
                amount: BOND.into(),
            },
            vec![],
        )
        .map_err(|e| e.to_string())?;
        self.sign_as(&validator, None, vec![gas_money, grid])?;
        let bond = gridshare_keeper::msgs::execute(
            &address,
            &c.grid,
            &cw20::Cw20ExecuteMsg::Send {
                contract: c.staking.clone(),
                amount: BOND.into(),
                msg: cosmwasm_std::to_json_binary(&gridshare_types::staking::ReceiveMsg::Bond {})
                    .map_err(|e| e.to_string())?,
            },
            vec![],
        )
        .map_err(|e| e.to_string())?;
        self.sign_as(&mnemonic, None, vec![bond])?;
        let deployment = gridshare_keeper::deploy::Deployment::path_for(
            &self.base.join("deployments"),
            super::node::CHAIN_ID,
        );
        let cold = account(
            &self.base,
            "cold",
            &mnemonic,
            &self.node.rpc(),
            super::node::CHAIN_ID,
            &deployment,
            None,
        )?;
        ensure!(
            cold.address == address,
            "wasmd and the keeper derive different addresses"
        );
        Ok((cold, mnemonic))
    }

    /// The operator's config: a provider on port 18094 offering below the other keepers (so
    /// the scenario's order reaches it), its key acting for `granter`.
    fn operator_account(&self, mnemonic: &str, granter: &str) -> Result<Account, String> {
        let deployment = gridshare_keeper::deploy::Deployment::path_for(
            &self.base.join("deployments"),
            super::node::CHAIN_ID,
        );
        let op = account(
            &self.base,
            "operator",
            mnemonic,
            &self.node.rpc(),
            super::node::CHAIN_ID,
            &deployment,
            Some(18094),
        )?;
        let text = std::fs::read_to_string(&op.config).map_err(|e| e.to_string())?;
        let text = text
            .replace("[key]\n", &format!("[key]\ngranter = \"{granter}\"\n"))
            .replace("default_price = 3600000000", "default_price = 1800000000");
        std::fs::write(&op.config, text).map_err(|e| e.to_string())?;
        Ok(op)
    }

    pub(super) fn operator_key(&mut self) -> Outcome {
        let keyring = self.base.join("operator-keyring");
        let wasmd_bin = self.root.join(".tools/wasmd/wasmd");
        let (cold, cold_mnemonic) = self.cold_account(&keyring)?;
        let (operator, operator_mnemonic) = new_key(&wasmd_bin, &keyring, "operator")?;
        let (offline_operator, _) = new_key(&wasmd_bin, &keyring, "operator2")?;

        // The offline path: `grant --print` reads no key; wasmd signs with the cold key.
        let (ok, printed) = cli(
            &cold.config,
            &[
                "grant",
                "--print",
                "--granter",
                &cold.address,
                "--operator",
                &offline_operator,
            ],
        );
        ensure!(ok, "grant --print:\n{printed}");
        let json = printed
            .find('{')
            .and_then(|start| printed.rfind('}').map(|end| &printed[start..=end]))
            .ok_or_else(|| format!("no transaction printed:\n{printed}"))?;
        let unsigned = self.base.join("grant.json");
        std::fs::write(&unsigned, json).map_err(|e| e.to_string())?;
        let rpc = self.node.rpc();
        let home = keyring.to_str().unwrap_or_default();
        let signed = wasmd_cli(
            &self.root,
            &[
                "tx",
                "sign",
                unsigned.to_str().unwrap_or_default(),
                "--from",
                "cold",
                "--keyring-backend",
                "test",
                "--home",
                home,
                "--chain-id",
                super::node::CHAIN_ID,
                "--node",
                &rpc,
                "--output",
                "json",
            ],
        )?;
        let signed_file = self.base.join("grant.signed.json");
        let signed_json = signed
            .lines()
            .find(|l| l.trim_start().starts_with('{'))
            .ok_or_else(|| format!("wasmd tx sign printed no JSON:\n{signed}"))?;
        std::fs::write(&signed_file, signed_json).map_err(|e| e.to_string())?;
        let sent = wasmd_cli(
            &self.root,
            &[
                "tx",
                "broadcast",
                signed_file.to_str().unwrap_or_default(),
                "--node",
                &rpc,
                "--output",
                "json",
                "--broadcast-mode",
                "sync",
            ],
        )?;
        ensure!(
            sent.contains("\"code\":0"),
            "the printed grant was refused:\n{sent}"
        );
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let grants = wasmd_cli(
                &self.root,
                &[
                    "query",
                    "authz",
                    "grants",
                    &cold.address,
                    &offline_operator,
                    "--node",
                    &rpc,
                    "--output",
                    "json",
                ],
            )
            .unwrap_or_default();
            if grants.contains("ContractExecutionAuthorization") {
                break;
            }
            ensure!(
                Instant::now() < deadline,
                "the printed grant never landed:\n{sent}"
            );
            std::thread::sleep(Duration::from_millis(500));
        }

        // Before any grant, a keeper on the operator key refuses to start and says what to run.
        let op = self.operator_account(&operator_mnemonic, &cold.address)?;
        let (ok, out) = cli(&op.config, &["run"]);
        ensure!(
            !ok && out.contains("cannot act for")
                && out.contains(&format!("grant --operator {operator}")),
            "run before the grant:\n{out}"
        );

        // The online path: the cold key signs `grant` itself; the operator account, which holds
        // nothing, comes into existence with its fee allowance.
        let (ok, out) = cli(
            &cold.config,
            &["grant", "--operator", &operator, "--fee-limit", "20000000"],
        );
        ensure!(
            ok && out.contains("may now run the keeper"),
            "grant:\n{out}"
        );
        ensure!(self.ugrid(&operator)? == 0, "the operator key holds coins");
        let mut daemon = Daemon::start(&op)?;
        daemon.wait_for("keeper running", Duration::from_secs(60))?;
        let served = self.operator_serves_a_job(&cold.address);
        let log = daemon.stop()?;
        served.map_err(|e| format!("{e}\noperator keeper log:\n{log}"))?;
        ensure!(log.contains("connected as an operator key"), "{log}");

        self.operator_moves_nothing(&operator_mnemonic, &cold.address, &op)?;
        ensure!(
            self.ugrid(&operator)? == 0,
            "the operator key came to hold coins"
        );

        // The cold key stays in charge: it takes the provider off the market.
        let (ok, out) = cli(&cold.config, &["deactivate"]);
        ensure!(ok, "the cold key could not deactivate:\n{out}");
        drop(cold_mnemonic);
        Ok(())
    }

    fn operator_serves_a_job(&self, cold: &str) -> Outcome {
        let before = self.snapshot(cold)?;
        let cold_gas_before = self.ugrid(cold)?;
        let (ok, out) = self.renter_submits(&[
            "--workload",
            "sha256",
            "--input-text",
            "served by an operator key",
            "--max-duration",
            "120",
            "--wait",
            "--timeout",
            "120",
        ]);
        ensure!(ok && out.contains("VERIFIED"), "renter CLI:\n{out}");
        let (_, leases) = self.order(order_id(&out)?)?;
        ensure!(
            leases.len() == 1 && leases[0].state == LeaseState::Accepted,
            "{leases:?}"
        );
        ensure!(
            leases[0].provider.as_str() == cold,
            "served by {}",
            leases[0].provider
        );
        // The keeper collects the payment for the cold account (escrow's `withdraw` pays the
        // payee): wait for it, then check every coin.
        let escrow = self.deployment()?.contracts.escrow.clone();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let p: PaymentResponse = self
                .rt
                .block_on(self.client.query(
                    &escrow,
                    &EscrowQuery::Payment {
                        lease_id: leases[0].lease_id,
                    },
                ))
                .map_err(|e| e.to_string())?;
            if p.closed && p.withdrawable.is_zero() {
                break;
            }
            ensure!(
                Instant::now() < deadline,
                "the payment was never withdrawn: {p:?}"
            );
            std::thread::sleep(Duration::from_millis(500));
        }
        self.check_settlement(before, cold, leases[0].lease_id)?;
        ensure!(
            self.ugrid(cold)? < cold_gas_before,
            "the cold account paid no fees: the grant's allowance was not used"
        );
        Ok(())
    }

    /// Unbond, claim, deactivate, a bank transfer and a GRID transfer of the cold account,
    /// tried with the operator key: each refused, nothing moved.
    fn operator_moves_nothing(&self, operator_mnemonic: &str, cold: &str, op: &Account) -> Outcome {
        let c = self.deployment()?.contracts.clone();
        let bonded = self.staker(cold)?;
        let cold_usdc = self.balance(cold)?;
        for command in [
            &["unbond", "--amount", "1"][..],
            &["claim"],
            &["deactivate"],
        ] {
            let (ok, out) = cli(&op.config, command);
            ensure!(
                !ok && out.contains("authoriz"),
                "{command:?} with the operator key:\n{out}"
            );
        }
        // The fee allowance pays for what the operator may do (`deactivate` withdrew the offers
        // before it was refused); the attempts below are refused before any fee is due.
        let cold_ugrid = self.ugrid(cold)?;
        let me: cosmrs::AccountId = cold.parse().map_err(|e| format!("{e}"))?;
        let to: cosmrs::AccountId = Wallet::from_mnemonic(operator_mnemonic, "wasm")
            .map_err(|e| e.to_string())?
            .address()
            .clone();
        let attempts: Vec<(&str, Any)> = vec![
            (
                "bank transfer",
                cosmrs::bank::MsgSend {
                    from_address: me,
                    to_address: to.clone(),
                    amount: vec![
                        gridshare_keeper::msgs::coin(1_000, "ugrid").map_err(|e| e.to_string())?
                    ],
                }
                .to_any()
                .map_err(|e| e.to_string())?,
            ),
            (
                "GRID transfer",
                gridshare_keeper::msgs::execute(
                    cold,
                    &c.grid,
                    &cw20::Cw20ExecuteMsg::Transfer {
                        recipient: to.to_string(),
                        amount: 1u128.into(),
                    },
                    vec![],
                )
                .map_err(|e| e.to_string())?,
            ),
            (
                "staking withdrawal",
                gridshare_keeper::msgs::execute(
                    cold,
                    &c.staking,
                    &gridshare_types::staking::ExecuteMsg::Unbond {
                        amount: bonded.bonded,
                    },
                    vec![],
                )
                .map_err(|e| e.to_string())?,
            ),
            (
                "an allowed message carrying funds",
                gridshare_keeper::msgs::execute(
                    cold,
                    &c.marketplace,
                    &gridshare_types::marketplace::ExecuteMsg::Heartbeat { telemetry: None },
                    vec![gridshare_keeper::msgs::coin(1, "ugrid").map_err(|e| e.to_string())?],
                )
                .map_err(|e| e.to_string())?,
            ),
        ];
        for (what, msg) in attempts {
            match self.sign_as(operator_mnemonic, Some(cold), vec![msg]) {
                Ok(tx) => {
                    return Err(format!(
                        "{what} with the operator key went through: {}",
                        tx.hash
                    ))
                }
                // Refused by x/authz itself, not by a contract or for want of fees.
                Err(e) => ensure!(e.contains("authoriz"), "{what}: {e}"),
            }
        }
        // (`deactivate` withdrew the offers, which the operator may do, before it was refused:
        // the lock may shrink, the bond may not.)
        let after = self.staker(cold)?;
        ensure!(
            after.bonded == bonded.bonded && after.unbonding == bonded.unbonding,
            "the bond moved: {bonded:?} -> {after:?}"
        );
        ensure!(
            self.balance(cold)? == cold_usdc,
            "the cold account's uusdc moved"
        );
        ensure!(
            self.ugrid(cold)? == cold_ugrid,
            "the cold account's ugrid moved"
        );
        Ok(())
    }
}
