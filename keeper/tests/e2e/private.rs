//! Private jobs on the real chain: the input on chain and the output on the wire are ciphertext,
//! the renter opens and verifies the output, and replicas still agree on the plaintext's hash.

use super::{order_id, Outcome, World};
use crate::keeper::cli;
use gridshare_types::marketplace::{JobInputs, LeaseResponse, LeaseState};
use sha2::{Digest, Sha256};
use std::time::{Duration, Instant};

/// What a private job's renter typed; it must appear nowhere on chain or on the wire.
const SECRET: &str = "a private input nobody else may read";

impl World {
    /// `job submit --private` of sha256 over [`SECRET`], with `extra` arguments.
    fn submit_private(&self, extra: &[&str]) -> (bool, String) {
        let mut args = vec![
            "--workload",
            "sha256",
            "--input-text",
            SECRET,
            "--private",
            "--max-duration",
            "120",
        ];
        args.extend_from_slice(extra);
        self.renter_submits(&args)
    }

    /// Anyone but the renter posting a key for `lease` is refused, and nothing is kept: a
    /// well-formed envelope for this lease with another secret, the renter's own envelope replayed
    /// for another lease, garbage, and an oversized body.
    fn forged_keys_are_refused(&self, lease: &LeaseResponse) -> Outcome {
        use gridshare_keeper::privacy::{key_info, PublicKey, SecretKey};
        let m = &self.deployment()?.contracts.marketplace;
        let provider: gridshare_types::marketplace::ProviderResponse = self
            .rt
            .block_on(self.client.query(
                m,
                &gridshare_types::marketplace::QueryMsg::Provider {
                    address: lease.provider.to_string(),
                },
            ))
            .map_err(|e| e.to_string())?;
        let key = PublicKey::parse(&provider.public_key, "provider").map_err(|e| e.to_string())?;
        let stranger = SecretKey::generate().to_bytes();
        let seal = |lease_id: u64| {
            key.seal(&key_info(lease_id), &stranger)
                .map_err(|e| e.to_string())
        };
        let url = |lease_id: u64| {
            format!(
                "{}/leases/{lease_id}/key",
                provider.endpoint.trim_end_matches('/')
            )
        };
        let attempts: Vec<(&str, String, Vec<u8>, u16)> = vec![
            (
                "a stranger's secret",
                url(lease.lease_id),
                seal(lease.lease_id)?,
                400,
            ),
            (
                "an envelope for another lease",
                url(lease.lease_id),
                seal(lease.lease_id + 1)?,
                400,
            ),
            ("garbage", url(lease.lease_id), vec![7; 80], 400),
            ("an oversized body", url(lease.lease_id), vec![0; 4096], 413),
        ];
        for (what, url, body, expected) in attempts {
            let status = self
                .rt
                .block_on(async { reqwest::Client::new().post(&url).body(body).send().await })
                .map_err(|e| format!("{url}: {e}"))?
                .status()
                .as_u16();
            ensure!(
                status == expected,
                "{what}: HTTP {status}, expected {expected}"
            );
        }
        Ok(())
    }

    /// The bytes the keeper serves for `lease`: not the output, not containing it, and not
    /// hashing to the revealed hash (a sealed output differs per replica and per run).
    fn served_output_is_sealed(&self, lease: &LeaseResponse, plaintext: &[u8]) -> Outcome {
        let result = lease.result.as_ref().ok_or("no result")?;
        let served = self
            .rt
            .block_on(async {
                reqwest::get(&result.output_uri)
                    .await?
                    .error_for_status()?
                    .bytes()
                    .await
            })
            .map_err(|e| format!("downloading {}: {e}", result.output_uri))?;
        ensure!(
            served.as_ref() != plaintext
                && !served.windows(plaintext.len()).any(|w| w == plaintext),
            "lease {} serves its plaintext output",
            lease.lease_id
        );
        ensure!(
            result.sha256.as_deref() != Some(hex::encode(Sha256::digest(&served)).as_str()),
            "the served bytes are what the chain committed to: not sealed"
        );
        Ok(())
    }

    /// Submits a private job of `replication` replicas and checks it end to end.
    fn private_job(&self, replication: &str) -> Result<Vec<LeaseResponse>, String> {
        let out_file = self.base.join(format!("private-k{replication}.out"));
        let (ok, out) = self.submit_private(&[
            "--replication",
            replication,
            "--wait",
            "--timeout",
            "120",
            "--out",
            out_file.to_str().unwrap_or_default(),
        ]);
        ensure!(ok && out.contains("VERIFIED"), "renter CLI:\n{out}");
        let plaintext = Sha256::digest(SECRET.as_bytes()).to_vec();
        let opened = std::fs::read(&out_file).map_err(|e| e.to_string())?;
        ensure!(
            opened == plaintext,
            "the renter's output is not sha256 of its input"
        );
        let (order, leases) = self.order(order_id(&out)?)?;
        let key = std::fs::read_to_string(self.renter.dir.join(".keeper/renter.x25519"))
            .map_err(|e| format!("the renter's key: {e}"))?;
        ensure!(
            order
                .spec
                .output_key
                .as_deref()
                .is_some_and(|k| k.starts_with("x25519:"))
                && !key.is_empty(),
            "the order names no renter key: {:?}",
            order.spec.output_key
        );
        match &order.spec.inputs {
            JobInputs::Inline { data } => ensure!(
                !data.windows(7).any(|w| w == &SECRET.as_bytes()[..7]),
                "the order carries the plaintext input"
            ),
            other => return Err(format!("not inline: {other:?}")),
        }
        ensure!(
            leases.iter().all(|l| l.state == LeaseState::Accepted),
            "{leases:?}"
        );
        let canonical = hex::encode(Sha256::digest(&plaintext));
        ensure!(
            order.canonical_sha256.as_deref() == Some(canonical.as_str()),
            "the replicas did not agree on the plaintext's hash: {:?}",
            order.canonical_sha256
        );
        for lease in &leases {
            self.served_output_is_sealed(lease, &plaintext)?;
        }
        Ok(leases)
    }

    pub(super) fn private_jobs(&mut self) -> Outcome {
        let single = self.private_job("1")?;
        ensure!(single.len() == 1, "{single:?}");
        let pair = self.private_job("2")?;
        ensure!(
            pair.len() == 2 && pair[0].provider != pair[1].provider,
            "{pair:?}"
        );
        // Two sealed outputs of the same plaintext are different bytes.
        let fetch = |l: &LeaseResponse| {
            let url = l
                .result
                .as_ref()
                .map(|r| r.output_uri.clone())
                .unwrap_or_default();
            self.rt
                .block_on(async { reqwest::get(&url).await?.bytes().await.map(|b| b.to_vec()) })
        };
        let (a, b) = (
            fetch(&pair[0]).map_err(|e| e.to_string())?,
            fetch(&pair[1]).map_err(|e| e.to_string())?,
        );
        ensure!(a != b, "both replicas served the same bytes");
        Ok(())
    }

    /// A private k = 1 job posted without waiting: the renter hands the key over with `job keys`,
    /// then disputes the result; `job dispute` hands the referee its key, the referee's keeper
    /// opens the input, agrees, and both leases are accepted with sealed outputs.
    pub(super) fn private_dispute(&mut self) -> Outcome {
        ensure!(
            self.keeper1.is_some() && self.keeper2.is_some(),
            "both keepers must run"
        );
        let (ok, out) = self.submit_private(&[]);
        ensure!(ok && out.contains("job keys --order"), "posting:\n{out}");
        let order_id = order_id(&out)?;
        let lease_id = order_id * 16;
        let order_arg = order_id.to_string();
        // Before the renter hands over its key, others try to: each attempt is refused, so the
        // job still runs on the renter's key (the rest of this scenario).
        let matched =
            self.wait_lease_state(lease_id, LeaseState::Active, Duration::from_secs(60))?;
        self.forged_keys_are_refused(&matched)?;
        let started = Instant::now();
        loop {
            let (ok, keys) = cli(&self.renter.config, &["job", "keys", "--order", &order_arg]);
            ensure!(ok, "job keys:\n{keys}");
            if keys.contains(&format!("lease {lease_id}: the input's key sealed")) {
                break;
            }
            ensure!(
                started.elapsed() < Duration::from_secs(60),
                "lease {lease_id} never took its key:\n{keys}"
            );
            std::thread::sleep(Duration::from_millis(500));
        }
        self.wait_lease_state(lease_id, LeaseState::Revealed, Duration::from_secs(120))?;
        let (ok, disputed) = cli(
            &self.renter.config,
            &["job", "dispute", &lease_id.to_string()],
        );
        let referee_id = lease_id + 1;
        ensure!(
            ok && disputed.contains(&format!("lease {referee_id}: the input's key sealed")),
            "job dispute did not hand the referee its key:\n{disputed}"
        );
        let (order, leases) = self.wait_closed(order_id, Duration::from_secs(180))?;
        ensure!(
            leases.len() == 2 && leases.iter().all(|l| l.state == LeaseState::Accepted),
            "{leases:?}"
        );
        let plaintext = Sha256::digest(SECRET.as_bytes()).to_vec();
        ensure!(
            order.canonical_sha256.as_deref()
                == Some(hex::encode(Sha256::digest(&plaintext)).as_str()),
            "{order:?}"
        );
        for lease in &leases {
            self.served_output_is_sealed(lease, &plaintext)?;
        }
        Ok(())
    }
}
